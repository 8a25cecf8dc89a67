"""Backups in Settings: the list, "Back up now", and a restore that says what it replaces.

The work itself is in ``co_app/core/safety/backup.py`` (through ``Services.backup_now`` and
``Services.restore_backup``); the daily backup runs in the background after start-up
(``start_daily_backup``).
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel,
    QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from co_app.core.foundation import i18n
from co_app.core.safety.backup import KEEP, BackupInfo, Counts, database_counts, list_backups
from co_app.core.bootstrap import Services
from co_app.core.foundation.errors import CoError
from co_app.core.foundation.i18n import N_, _
from co_app.ui.shell.tasks import BackgroundTask

log = logging.getLogger(__name__)

REASON_TITLES = {
    "daily": N_("Daily"),
    "session-closed": N_("Session closed"),
    "manual": N_("Backed up by hand"),
    "before-restore": N_("Before a restore"),
    "before-sync": N_("Before a sync import"),
    "before-upgrade": N_("Before an update"),
}
#: The daily backup waits this long after the first paint, so start-up never waits for it.
DAILY_BACKUP_DELAY_MS = 3000


def start_daily_backup(services: Services, parent=None) -> BackgroundTask:
    """Take the daily backup, if due, on a worker thread; failures are logged, not shown."""
    def work(_progress, _cancel):
        return services.daily_backup_if_due()

    task = BackgroundTask(work, parent)
    task.failed.connect(lambda message: log.warning("daily backup failed: %s", message))
    task.start()
    return task


def _when(value: datetime | None) -> str:
    return i18n.format_datetime(value.astimezone(), "medium") if value else "—"


def _number(value: int | None) -> str:
    return i18n.format_number(value) if value is not None else "?"


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return _("{size} MB").format(size=i18n.format_number(round(size / (1024 * 1024), 1)))
    return _("{size} kB").format(size=i18n.format_number(max(1, round(size / 1024))))


class RestoreDialog(QDialog):
    """What the restore replaces: the database now beside the backup, then a confirmation."""

    def __init__(self, backup: BackupInfo, current: Counts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle(_("Restore a backup"))
        self.backup = backup
        layout = QVBoxLayout(self)
        self.intro = QLabel(_("Restoring replaces everything in this computer's database with the backup "
                              "taken on {when}. Anything recorded since then will no longer be shown.").format(
            when=_when(backup.taken_at)))
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        self.cells: dict[tuple[str, str], QLabel] = {}
        headers = ["", _("Now"), _("In the backup")]
        for column, text in enumerate(headers):
            label = QLabel(text)
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            grid.addWidget(label, 0, column)
        rows = [
            ("sessions", _("Sessions"), _number(current.sessions), _number(backup.counts.sessions)),
            ("participants", _("Participants"), _number(current.participants), _number(backup.counts.participants)),
            ("attendance", _("Attendance records"), _number(current.attendance), _number(backup.counts.attendance)),
            ("last_session", _("Latest session"), _day(current.last_session), _day(backup.counts.last_session)),
            ("last_change", _("Last change"), _when(current.last_change), _when(backup.counts.last_change)),
        ]
        for row, (key, caption, now_text, backup_text) in enumerate(rows, start=1):
            grid.addWidget(QLabel(caption), row, 0)
            for column, (side, text) in enumerate((("now", now_text), ("backup", backup_text)), start=1):
                cell = QLabel(text)
                self.cells[(key, side)] = cell
                grid.addWidget(cell, row, column)
        layout.addLayout(grid)
        fewer = [key for key, *_rest in rows[:3] if (getattr(backup.counts, key) or 0) < (getattr(current, key) or 0)]
        self.warning = QLabel(_("The backup holds fewer records than the database does now: the newer ones "
                                "will no longer be shown after the restore."))
        self.warning.setObjectName("warning")
        self.warning.setWordWrap(True)
        self.warning.setVisible(bool(fewer))
        layout.addWidget(self.warning)
        self.safety = QLabel(_("Nothing is thrown away: the database as it is now is kept as a backup "
                               "(\u201cBefore a restore\u201d), and can be restored in its turn."))
        self.safety.setObjectName("muted")
        self.safety.setWordWrap(True)
        layout.addWidget(self.safety)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Restore this backup"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)


def _day(value) -> str:  # date | None
    return i18n.format_date(value, "medium") if value else "—"


class BackupsPanel(QFrame):
    """The "Backups" card of the Settings page."""

    #: The database was replaced by a backup (the BackupInfo restored): pages reload their data.
    restored = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("card")
        self.backups: list[BackupInfo] = []
        self.dialog: RestoreDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        self.heading = QLabel()
        self.heading.setObjectName("emptyTitle")
        self.explain = QLabel()
        self.explain.setObjectName("muted")
        self.explain.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("backupsTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(120)
        self.table.setMaximumHeight(200)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        self.back_up_button = QPushButton()
        self.back_up_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton()
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.ask_to_restore)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_up_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        for widget in (self.heading, self.explain, self.table, self.message):
            layout.addWidget(widget)
        layout.addLayout(buttons)

    # -- data ---------------------------------------------------------------------------
    def refresh(self) -> None:
        self.backups = list_backups(self.services.paths.backups)
        self.table.setRowCount(len(self.backups))
        for row, info in enumerate(self.backups):
            values = [_when(info.taken_at), _(REASON_TITLES[info.reason]), _number(info.counts.sessions),
                      _number(info.counts.participants), _number(info.counts.attendance), _size(info.size)]
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self._selection_changed()
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Backups"))
        self.table.setAccessibleName(_("Backups"))
        self.explain.setText(_(
            "A backup of the database is taken once a day and each time a session is closed, in the "
            "backups folder of the data folder. The last {daily} daily and {sessions} session backups are "
            "kept.").format(daily=KEEP["daily"], sessions=KEEP["session-closed"]))
        self.table.setHorizontalHeaderLabels([_("Taken"), _("Why"), _("Sessions"), _("Participants"),
                                              _("Attendance"), _("Size")])
        self.back_up_button.setText(_("Back up now"))
        self.restore_button.setText(_("Restore…"))
        self.restore_button.setToolTip(_("Choose a backup in the list first"))

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows and rows[0].row() < len(self.backups) else None

    def say(self, text: str, *, warning: bool = False) -> None:
        self.message.setObjectName("warning" if warning else "")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.show()

    # -- actions ------------------------------------------------------------------------
    def back_up_now(self) -> None:
        try:
            path = self.services.backup_now("manual")
        except CoError as exc:
            self.say(str(exc), warning=True)
            return
        self.refresh()
        self.say(_("Backup saved: {name}").format(name=i18n.isolate(path.name)))

    def ask_to_restore(self) -> RestoreDialog | None:
        backup = self.selected()
        if backup is None:
            return None
        self.dialog = RestoreDialog(backup, database_counts(self.services.paths.database), self)
        self.dialog.accepted.connect(lambda: self.restore(backup))
        self.dialog.open()
        return self.dialog

    def restore(self, backup: BackupInfo) -> bool:
        try:
            safety = self.services.restore_backup(backup.path)
        except CoError as exc:
            self.say(str(exc), warning=True)
            self.refresh()
            return False
        self.refresh()
        self.say(_("The backup taken on {when} was restored. The database as it was is kept as {name}.").format(
            when=_when(backup.taken_at), name=i18n.isolate(safety.name if safety else "—")))
        self.restored.emit(backup)
        return True
