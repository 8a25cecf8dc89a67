"""What "fits the screen" means, measured on a built window: every visible button shows its
whole text, every tab its whole title with no scroll arrows, the sidebar neither scrolls nor
cuts the app's name, the window is no larger than the screen, and the key widgets of a page
lie inside it.  Used by test_small_screens.py (and by hand, to list every problem at once)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea, QListWidget, QPushButton, QScrollArea, QTableWidget, QTabBar, QToolButton, QWidget,
)


def on_screen(widget: QWidget) -> bool:
    """Shown, and not scrolled or pushed out of sight of the window."""
    if not widget.isVisible():
        return False
    window = widget.window()
    parent = widget.parentWidget()
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea) or parent.objectName() == "qt_scrollarea_viewport":
            viewport = QRect(parent.mapTo(window, QPoint(0, 0)), parent.size())
            if not viewport.intersects(rect):
                return False  # scrolled away: reachable, not cut
        parent = parent.parentWidget()
    return True


def cut_buttons(window: QWidget) -> list[str]:
    """Visible buttons narrower than their text needs (Qt clips their text at both ends)."""
    problems = []
    for button in window.findChildren(QPushButton):
        if not on_screen(button) or not button.text():
            continue
        needed = button.sizeHint().width()
        if button.width() + 2 < needed:
            problems.append(f"{button.text()!r}: {button.width()} px of {needed}")
    return problems


def cut_tabs(window: QWidget) -> list[str]:
    """Visible tab bars that do not show every title whole: Qt's two small scroll arrows
    shown (a tab behind them), or less width than the titles need (Qt cuts them with "…")."""
    problems = []
    for bar in window.findChildren(QTabBar):
        if not on_screen(bar):
            continue
        titles = [bar.tabText(i) for i in range(bar.count()) if bar.isTabVisible(i)]
        if any(arrow.isVisible() for arrow in bar.findChildren(QToolButton)):
            problems.append(f"{titles}: scroll arrows")
        elif bar.width() < bar.sizeHint().width():
            problems.append(f"{titles}: {bar.width()} px of {bar.sizeHint().width()}")
    return problems


def sideways(window: QWidget) -> list[str]:
    """Visible scrolling pages that scroll sideways: what is on their right (left in Arabic)
    is out of sight, and nothing says so."""
    return [f"{type(area.widget()).__name__}: {area.widget().minimumSizeHint().width()} px in "
            f"{area.viewport().width()}" for area in window.findChildren(QScrollArea)
            if on_screen(area) and area.horizontalScrollBar().isVisible()]


def cut_list_items(window: QWidget) -> list[str]:
    """Visible lists that scroll sideways, or whose rows are lower than their wrapped text
    (Qt cuts the last line with "…"): a row's text must show whole at the list's width."""
    problems = []
    for view in window.findChildren(QListWidget):
        if not on_screen(view):
            continue
        if view.horizontalScrollBar().isVisible():
            problems.append(f"{view.objectName() or type(view).__name__}: scrolls sideways")
            continue
        if view.iconSize().width() > 32:
            continue  # the films' list: thumbnails set its rows' height and room (not measured here)
        metrics = view.fontMetrics()
        for row in range(view.count()):
            item = view.item(row)
            rect = view.visualItemRect(item)
            if item.isHidden() or not rect.isValid():
                continue
            room = rect.width() - 12  # the theme's item margins and the text's padding
            needed = metrics.boundingRect(QRect(0, 0, room, 100_000), int(Qt.TextFlag.TextWordWrap),
                                          item.text()).height()
            widest = max((metrics.horizontalAdvance(word) for word in item.text().split()), default=0)
            if needed > rect.height() or widest > room:
                problems.append(f"{item.text()!r}: {rect.width()}×{rect.height()} px for {widest}×{needed}")
    return problems


def cut_cells(window: QWidget) -> list[str]:
    """Cells of visible wrapped tables whose row is lower than their wrapped text (Qt cuts
    the last line with "…"), among the rows shown."""
    problems = []
    for table in window.findChildren(QTableWidget):
        if not on_screen(table) or not table.wordWrap():
            continue
        metrics = table.fontMetrics()
        for row in range(table.rowCount()):
            for column in range(table.columnCount()):
                item = table.item(row, column)
                rect = table.visualItemRect(item) if item is not None else QRect()
                if not rect.isValid() or not table.viewport().rect().contains(rect):
                    continue  # scrolled away, or cut by the view's edge: visible_rows says
                text = item.text().replace("\u2068", "").replace("\u2069", "")
                room = rect.width() - 6  # Qt's margins: 3 px on each side
                if metrics.horizontalAdvance(text) <= room:
                    continue  # one line
                needed = metrics.boundingRect(QRect(0, 0, room, 100_000),
                                              int(Qt.TextFlag.TextWordWrap), text).height()
                if needed > rect.height():
                    problems.append(f"{text!r}: {rect.width()}×{rect.height()} px for {needed} px")
    return problems


def sidebar_problems(window: QWidget) -> list[str]:
    """The main window's sidebar scrolls, or cuts a word of the app's name."""
    problems = []
    for bar in (window.nav.horizontalScrollBar(), window.nav.verticalScrollBar()):
        if bar.isVisible():
            problems.append(f"the pages' list has a {bar.orientation().name} scroll bar")
    title = window.sidebar_title
    room = title.contentsRect().width() - 2 * title.margin()
    for word in title.text().split():
        if title.fontMetrics().horizontalAdvance(word) > room:
            problems.append(f"{word!r} is wider than the sidebar's {room} px")
    return problems


def outside(window: QWidget, widget: QWidget) -> str | None:
    """Why ``widget`` is not wholly inside the window, or None."""
    if not widget.isVisible():
        return "hidden"
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    if not window.rect().contains(rect):
        return f"at {rect.getRect()} in a window of {window.width()}×{window.height()}"
    return None


def visible_rows(table) -> int:
    """How many rows of a table are shown whole: inside its viewport, and the viewport
    inside the window (a table that holds fewer rows shows no more than it holds)."""
    if not on_screen(table):
        return 0
    window = table.window()
    viewport = QRect(table.viewport().mapTo(window, QPoint(0, 0)), table.viewport().size()) & window.rect()
    shown = 0
    for row in range(table.rowCount()):
        top = table.rowViewportPosition(row)
        if table.isRowHidden(row) or top < 0:
            continue
        rect = QRect(table.viewport().mapTo(window, QPoint(0, top)), QSize(table.viewport().width(),
                                                                           table.rowHeight(row)))
        if viewport.contains(rect):
            shown += 1
    return shown
