"""Accessibility: every control on every page has a name a screen reader can say, can be
reached with the keyboard, and shows where the focus is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox, QLineEdit,
    QHeaderView, QScrollBar, QTabBar, QTextBrowser, QWidget,
)

from tests.ui.sessions.test_session_runner import new_session

CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QAbstractSlider, QAbstractSpinBox, QAbstractItemView, QTextBrowser)


def controls(root: QWidget) -> list[QWidget]:
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(root) or not widget.isEnabled():
            continue
        if isinstance(widget, (QHeaderView, QScrollBar)):
            continue  # parts of a table or a scrolling area, named by it
        if isinstance(widget.parentWidget(), (QTabBar, QComboBox)) or widget.objectName().startswith("qt_"):
            continue  # Qt's own parts (scroll buttons of a tab bar, a combo's line edit)
        if widget.parentWidget() is not None and isinstance(widget.parentWidget().parentWidget(), QAbstractItemView):
            continue
        found.append(widget)
    return found


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface else ""


def all_pages(window):
    for key in window.view_keys:
        window.show_view(key)
        view = window.view(key)
        if key == "attendance":
            for page in view.pages:
                view.show_page(page)
                QApplication.processEvents()
                yield f"attendance/{page}", view
        else:
            QApplication.processEvents()
            yield key, view


def test_every_control_has_an_accessible_name(qtbot, make_window, services):
    new_session(services)
    window = make_window()
    window.view("attendance").refresh()
    missing = []
    for name, view in all_pages(window):
        for widget in controls(view):
            if not accessible_name(widget):
                missing.append(f"{name}: {type(widget).__name__} {widget.objectName() or ''}".strip())
    assert not missing, "controls without an accessible name:\n" + "\n".join(sorted(set(missing)))


def test_every_page_can_be_walked_with_tab_and_the_focus_is_visible(qtbot, make_window, services):
    """Tab from the navigation reaches every control of the page, and the theme draws a
    focus frame (a border different from the unfocused one) on buttons and fields."""
    new_session(services)
    window = make_window()
    window.view("attendance").refresh()
    unreachable = []
    for name, view in all_pages(window):
        wanted = {w for w in controls(view) if w.focusPolicy() & Qt.FocusPolicy.TabFocus}
        window.nav.setFocus()
        reached = set()
        for _ in range(400):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            widget = QApplication.focusWidget()
            if widget is None or widget is window.nav:
                break
            reached.add(widget)
            if wanted <= reached:
                break
        unreachable += [f"{name}: {type(w).__name__} {accessible_name(w)!r}" for w in wanted - reached]
    assert not unreachable, "controls Tab never reaches:\n" + "\n".join(unreachable)
    sheet = QApplication.instance().styleSheet()
    for selector in ("QPushButton:focus", "QComboBox:focus", "QLineEdit:focus", "QListWidget:focus"):
        assert selector in sheet, f"no visible focus style for {selector}"
