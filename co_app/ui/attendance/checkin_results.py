"""The people found by the check-in search, one row each: name, case number, and
attendance status (with the time of arrival).  The search field keeps the keyboard, so
the table never takes the focus: it shows the entries and knows which row is chosen."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from co_app.core.attendance.checkin import Entry
from co_app.core.foundation.i18n import _
from co_app.ui.attendance.checkin_text import status_label
from co_app.ui.shell.widgets import select_row

#: At most this many people found for one query.
RESULTS = 30
#: The list's text: the interface's size (14 pt at least) on a large screen; on a small one
#: (``compact``) the largest size down to this at which six people and half a seventh show.
LEAST_POINT_SIZE = 11
ROWS_SHOWN = 6.5
#: ... and at which the names keep this share of the width beside the case number and status.
NAME_SHARE = 0.35
#: Room above and below a name: roomy on a large screen, less on a small one.
ROW_PADDING = {False: 14, True: 8}
STATUS_COLOURS = {"present": "#0a5a27", "late": "#8a5300", "left_early": "#5a4a8a", "absent": "#333333"}


def _time(entry: Entry) -> str:
    if entry.checked_in_at is None or not entry.attended:
        return ""
    from co_app.core.foundation.i18n import format_datetime

    return format_datetime(entry.checked_in_at.astimezone(), "HH:mm")


class CheckInResults(QTableWidget):
    """The rows of ``entries``; the first is chosen when they are shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.entries: list[Entry] = []
        self.setObjectName("checkinResults")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the search field keeps the keyboard
        self.verticalHeader().hide()
        self.compact = False  # set by the check-in panel on a small screen
        self.text_size = 0  # the list's text size (pt) and its rows' height (px), set by fit_text
        self.row_height = 0
        self.fit_text()
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

    def retranslate(self) -> None:
        self.setAccessibleName(_("People found"))
        self.setHorizontalHeaderLabels([_("Name"), _("Case number"), _("Status")])
        self.fit_text(again=True)  # the header's script may be taller

    # -- the text's size --

    def _heights(self, size: int) -> tuple[int, int]:
        """A row's and the header's height at ``size`` pt.  A row is measured in the Latin
        font (Arabic's line spacing leaves room for stacked marks that names seldom have),
        the header in the interface's own script."""
        font = QFont(QApplication.font())
        font.setPointSize(size)
        header_text = " ".join(item.text() for c in range(3) if (item := self.horizontalHeaderItem(c)))
        header = QFontMetrics(font).boundingRect(QRect(0, 0, 10_000, 1_000), 0, header_text or "Ag").height() + 4
        font.setFamilies((font.families() or [font.family()])[:1])
        return QFontMetrics(font).lineSpacing() + ROW_PADDING[self.compact], header

    def _beside_names(self, size: int) -> int:
        """The width a case number and a usual status take at ``size`` pt (with the cells' margins)."""
        font = QFont(QApplication.font())
        font.setPointSize(size)
        metrics = QFontMetrics(font)
        statuses = [status_label("absent")] + ["✓ " + _("{status} at {time}").format(
            status=status_label(status), time="08:57") for status in ("present", "late", "left_early")]
        return metrics.horizontalAdvance("AFG-26C00592") + max(map(metrics.horizontalAdvance, statuses)) + 4 * 8

    def fit_text(self, again: bool = False) -> None:
        """The list's text size: the interface's (14 pt at least); on a small screen the
        largest size, down to 11 pt, at which six people and half a seventh show and the
        names keep a third of the width or more."""
        most = max(14, QApplication.font().pointSize())
        least = LEAST_POINT_SIZE if self.compact else most
        room = self.height() - 2 * self.frameWidth()
        width = self.viewport().width()
        size = most
        while size > least:
            row, header = self._heights(size)
            if header + ROWS_SHOWN * row <= room and width - self._beside_names(size) >= NAME_SHARE * width:
                break
            size -= 1
        row = self._heights(size)[0]
        if (size, row) == (self.text_size, self.row_height) and not again:
            return
        self.text_size, self.row_height = size, row
        # Room beside each cell's text: Ge'ez script's last letter touched the border and was cut.
        self.setStyleSheet(f"* {{ font-size: {size}pt; }} QTableView::item {{ padding: 0px 6px; }}")
        header = self.verticalHeader()
        header.setMinimumSectionSize(1)
        header.setDefaultSectionSize(row)
        header.setMinimumSectionSize(row)  # Arabic's taller script too
        for index in range(self.rowCount()):
            self.setRowHeight(index, row)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size() != event.oldSize():
            self.fit_text()

    def text_size_changed(self) -> None:
        """Settings → Larger text while open: the list's text follows the interface's."""
        self.fit_text(again=True)

    def fill(self, entries: list[Entry], closed: bool) -> None:
        """Show these entries (``closed``: the session is closed, someone expected is absent)."""
        self.entries = entries
        self.setUpdatesEnabled(False)
        # Fixed while filling: a ResizeToContents column measures every row again on each
        # setItem (20–30 ms a keystroke); set back, it measures once at the next layout.
        header = self.horizontalHeader()
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            name = QTableWidgetItem(entry.person.full_name)
            case = QTableWidgetItem(entry.person.case_number)
            when = _time(entry)
            text = status_label(entry.status, closed)
            if when:
                text = _("{status} at {time}").format(status=text, time=when)
            status = QTableWidgetItem(("✓ " if entry.attended else "") + text)
            status.setForeground(QColor(STATUS_COLOURS.get(entry.status or "", "#6a6a6a")))
            for col, item in enumerate((name, case, status)):
                self.setItem(row, col, item)
        if self.entries:
            select_row(self, 0)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.setUpdatesEnabled(True)

    def selected_row(self) -> int:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else 0

    def selected(self) -> Entry | None:
        if not self.entries:
            return None
        return self.entries[min(self.selected_row(), len(self.entries) - 1)]

    def move(self, step: int) -> bool:
        """Choose the row ``step`` rows down (up when negative); False when there is none."""
        if not self.entries:
            return False
        row = max(0, min(len(self.entries) - 1, self.selected_row() + step))
        select_row(self, row)
        self.scrollToItem(self.item(row, 0))
        return True
