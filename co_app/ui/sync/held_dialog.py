"""Changes held for review: a laptop whose clock ran ahead sent changes dated in the future,
and the office did not let them win over later edits (co_app/core/sync/review.py).  The
officer accepts one (it is made again here, dated now) or rejects it (the value here is
confirmed); either decision reaches every laptop with the office's next package."""

from __future__ import annotations

import json
from types import SimpleNamespace

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from co_app.core.foundation.errors import CoError
from co_app.core.foundation.i18n import N_, _, format_datetime, isolate
from co_app.ui.sync.conflicts_dialog import conflict_subject_text, field_word


def held_change_text(held) -> str:  # HeldChange
    """The change itself: a field and its value, or a whole new record."""
    if held.field == "*":
        return _("a new record")
    value = held.value
    if value is None or value == "" or value == []:
        shown = "—"
    elif isinstance(value, bool):
        shown = _("yes") if value else _("no")
    elif isinstance(value, (list, dict)):
        shown = json.dumps(value, ensure_ascii=False)
    else:
        shown = "“{value}”".format(value=isolate(str(value)))
    return _("{field}: {value}").format(field=field_word(held.table_name, held.field), value=shown)


class HeldDialog(QDialog):
    """The open held changes, one a row, with Accept and Reject for the chosen one."""

    COLUMNS = (N_("What"), N_("Change"), N_("Dated"), N_("From"))

    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Held changes"))
        self.setMinimumSize(760, 380)
        self.held: list = []
        intro = QLabel(_("These changes came from a laptop whose date was ahead, so they were held instead of "
                         "overwriting later edits. Accept a change to let it count from now on, or reject it to "
                         "keep the value this office has."))
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in self.COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.accept_button = QPushButton(_("Accept"))
        self.reject_button = QPushButton(_("Reject"))
        buttons.addButton(self.accept_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.reject_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.accept_button.clicked.connect(lambda: self._decide(accept=True))
        self.reject_button.clicked.connect(lambda: self._decide(accept=False))
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        from co_app.core.sync import review
        from co_app.core.sync.conflicts import describe

        with self.services.db.session() as db:
            self.held = review.list_held(db)
            names = review.laptop_names(db)
            subjects = [describe(db, SimpleNamespace(table_name=h.table_name, record_id=h.record_id,
                                                     loser_data=h.value if h.field == "*" else {}))
                        for h in self.held]
        self.table.setRowCount(len(self.held))
        for row, (held, subject) in enumerate(zip(self.held, subjects)):
            values = (conflict_subject_text(subject), held_change_text(held), format_datetime(held.dated),
                      isolate(names.get(held.device_id) or held.device_id[:8]))
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeRowsToContents()
        if not self.held:
            self.message.setText(_("No change is held for review."))
        self._selection_changed()

    def _chosen(self):  # HeldChange | None
        rows = self.table.selectionModel().selectedRows()
        return self.held[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        chosen = self._chosen() is not None
        self.accept_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)

    def _decide(self, *, accept: bool) -> None:
        from co_app.core.sync import review

        held = self._chosen()
        if held is None:
            return
        try:
            with self.services.db.session() as db:
                (review.accept_held if accept else review.reject_held)(db, held.id)
        except CoError as exc:
            self.message.setText(str(exc))
            self.load()
            return
        self.load()
        self.message.setText(_("Accepted. The laptops get this decision with the office's next package.") if accept
                             else _("Rejected. The laptops get this decision with the office's next package."))
