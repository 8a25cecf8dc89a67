"""Attendance: the sessions recorded on this computer."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from co_app.core import sessions as session_service
from co_app.core.i18n import N_, _, format_date, pgettext
from co_app.core.languages import find_language
from co_app.ui.views.base import View, page_layout
from co_app.ui.widgets import EmptyState, page_title

def status_label(status: str) -> str:
    if status == "open":
        return pgettext("session status", "open")
    if status == "closed":
        return pgettext("session status", "closed")
    return status


class AttendanceView(View):
    key = "attendance"
    nav_title = N_("Attendance")

    def __init__(self, services, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(services, parent)
        layout = page_layout(self)
        self.title = page_title()
        self.empty = EmptyState()
        self.table = QTableWidget(0, 5)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addStretch(1)  # keeps the empty-state card at its own height when there is no table
        self._rows: list[session_service.SessionSummary] = []

    def refresh(self) -> None:
        with self.services.db.session() as db:
            self._rows = session_service.recent_sessions(db)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Sessions and attendance"))
        self.empty.set_text(
            _("No sessions yet") if not self._rows else _("Sessions on this computer"),
            _("Start a session from Home. Participants and check-in are recorded per session.")
            if not self._rows
            else _("The most recent sessions are listed first."),
        )
        self.table.setHorizontalHeaderLabels([_("Date"), _("Place"), _("Facilitator"), _("Language"), _("Status")])
        self.table.setRowCount(len(self._rows))
        self.table.setVisible(bool(self._rows))
        layout = self.layout()
        layout.setStretch(layout.count() - 1, 0 if self._rows else 1)
        for row, s in enumerate(self._rows):
            lang = find_language(s.language)
            values = [
                _("{date}, session {number}").format(date=format_date(s.session_date, "medium"),
                                                       number=s.number_of_day),
                s.place,
                s.facilitator,
                lang.native_name if lang else s.language,
                status_label(s.status),
            ]
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
