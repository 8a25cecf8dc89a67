"""The people found by the check-in search, one row each: name, case number, and
attendance status (with the time of arrival).  The search field keeps the keyboard, so
the table never takes the focus: it shows the entries and knows which row is chosen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from co_app.core.attendance.checkin import Entry
from co_app.core.foundation.i18n import _
from co_app.ui.attendance.checkin_text import status_label
from co_app.ui.shell.widgets import select_row

#: At most this many people found for one query.
RESULTS = 30
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
        self.verticalHeader().setDefaultSectionSize(40)
        self.setStyleSheet("font-size: 14pt;")
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

    def retranslate(self) -> None:
        self.setAccessibleName(_("People found"))
        self.setHorizontalHeaderLabels([_("Name"), _("Case number"), _("Status")])

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
