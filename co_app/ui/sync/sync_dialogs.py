"""Export and sync from the interface: an encrypted sync package for the office, importing
one with a preview first, and the attendance spreadsheet (the conflict log: conflicts_dialog.py).

Long work runs on a worker thread (``BackgroundTask``) with progress and Cancel; the core
does the real work (``co_app.core.sync``, ``co_app.core.attendance.export``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QProgressBar, QPushButton, QRadioButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from co_app.core.foundation.i18n import N_, _, format_datetime, format_number, isolate, ngettext
from co_app.ui.shell.tasks import BackgroundTask

#: The synced tables in words.
TABLE_WORDS = {"co_sessions": N_("Sessions"), "households": N_("Households"), "participants": N_("Participants"),
               "attendance": N_("Check-ins"), "module_coverage": N_("Modules covered")}
MIN_PASSPHRASE = 8


def table_word(name: str) -> str:
    return _(TABLE_WORDS[name]) if name in TABLE_WORDS else name


def pending_text(count: int) -> str:
    if count == 0:
        return _("Everything has been exported for the office.")
    return ngettext("{count} change not yet exported", "{count} changes not yet exported",
                    count).format(count=format_number(count))


def _count_pending(services) -> int:  # Services; on a worker thread
    from co_app.core.db.glance import pending_changes

    with services.plain() as conn:
        return pending_changes(conn)


class PathRow(QWidget):
    """A file name with a Choose… button (a save or an open dialog)."""

    def __init__(self, *, save: bool, caption: str, filters: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.save, self.caption, self.filters = save, caption, filters
        self.edit = QLineEdit()
        self.choose = QPushButton(_("Choose…"))
        self.choose.clicked.connect(self._choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.choose)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None

    def _choose(self) -> None:
        ask = QFileDialog.getSaveFileName if self.save else QFileDialog.getOpenFileName
        chosen, _filter = ask(self, self.caption, self.edit.text(), self.filters)
        if chosen:
            self.edit.setText(chosen)


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class _TaskDialog(QDialog):
    """A form, a status line, a progress bar, and buttons: the primary action, then Cancel."""

    def __init__(self, title: str, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.task: BackgroundTask | None = None
        self.form = QFormLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.hide()
        self.buttons = QDialogButtonBox()
        self.action = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.action.setObjectName("primary")
        self.close_button = self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.action.clicked.connect(self._start)
        self.close_button.clicked.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)

    def _finish_layout(self) -> None:
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(self.bar)
        self.layout_.addWidget(self.buttons)

    def _start(self) -> None:
        raise NotImplementedError

    def run(self, work, done) -> None:
        self._set_status(_("Working…"))
        self.bar.setRange(0, 0)
        self.bar.show()
        self.action.setEnabled(False)
        self.task = BackgroundTask(work, self)
        self.task.progress.connect(self._progress)
        self.task.succeeded.connect(lambda result: self._ended() or done(result))
        self.task.failed.connect(lambda message: self._ended() or self._failed(message))
        self.task.cancelled.connect(lambda: self._ended() or self._failed(_("Stopped: nothing was changed.")))
        self.task.start()

    def _progress(self, step) -> None:  # ExportProgress / MergeProgress
        self.bar.setRange(0, max(1, step.total))
        self.bar.setValue(step.done)
        self.status.setText(_("{what}: {done} of {total} records").format(
            what=table_word(step.table), done=format_number(step.done), total=format_number(step.total)))

    def _ended(self) -> None:
        self.bar.hide()

    def _failed(self, message: str) -> None:
        self._set_status(message, warning=True)
        self.action.setEnabled(True)

    def _set_status(self, text: str, *, warning: bool = False) -> None:
        self.status.setText(text)
        self.status.setObjectName("warning" if warning else "")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.fit()

    def fit(self) -> None:
        """Grow to the height the content needs at this width: a top-level dialog does not
        follow its wrapped labels' height-for-width by itself, and would overlap them."""
        self.layout_.invalidate()
        self.layout_.activate()
        needed = self.layout_.heightForWidth(self.width()) if self.layout_.hasHeightForWidth() else -1
        needed = max(needed, self.layout_.totalMinimumSize().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def finished_ok(self, text: str) -> None:
        self._set_status(text)
        self.action.hide()
        self.close_button.setText(_("Close"))

    def reject(self) -> None:
        """Cancel stops the work first; the dialog closes once the worker has let go."""
        if self.task is not None and self.task.running:
            self.task.cancel()
            self.status.setText(_("Stopping…"))
            return
        super().reject()


class SyncExportDialog(_TaskDialog):
    """Write a sync package for the programme office."""

    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(_("Export for the office"), _("Export"), parent)
        self.services = services
        self.result = None
        from co_app.core.db import glance

        # With sqlite3: the ORM is opened by the export itself, on its worker thread, so
        # the window never waits for SQLAlchemy's import (issue 9: no stall over 50 ms).
        # The count of changes grows with the records (9 ms for 137,000 even from its
        # index): it is made on a worker too, and the dialog opens at once.
        with services.plain() as conn:
            device_id = glance.device_id(conn) or "device"
        #: This laptop's changes not exported yet; None while they are being counted.
        self.pending: int | None = None
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        suggested = services.paths.exports / f"sync-{device_id[:8]}-{stamp}.cosync"
        self.destination = PathRow(save=True, caption=_("Save the sync package"),
                                   filters=_("Sync packages (*.cosync)"))
        self.destination.edit.setText(str(suggested))
        self.full = QCheckBox(_("Everything, not only the changes since the last export"))
        self.passphrase = _password_field()
        self.passphrase_again = _password_field()
        self.intro = QLabel(_("Counting the changes not yet exported…"))
        self.intro.setObjectName("emptyTitle")
        self.intro.setWordWrap(True)
        hint = QLabel(_("The package holds participants' data, so it is encrypted with this passphrase. Give "
                        "the passphrase to the office separately — never on the same USB stick."))
        hint.setWordWrap(True)
        self.form.addRow(self.intro)
        self.form.addRow(_("Save to"), self.destination)
        self.form.addRow("", self.full)
        self.form.addRow(_("Passphrase"), self.passphrase)
        self.form.addRow(_("Passphrase again"), self.passphrase_again)
        self.form.addRow(hint)
        self._finish_layout()
        # The passphrase is what the user types first: the file name is filled in already,
        # and a passphrase typed into it would end up in the name of the file.
        self.passphrase.setFocus()
        self._count = BackgroundTask(lambda progress, cancel: _count_pending(services), self)
        self._count.succeeded.connect(self._counted)
        self._count.failed.connect(lambda message: self.intro.setText(""))  # the export says what is wrong
        self._count.start()

    def _counted(self, pending: int) -> None:
        if self.result is None:  # an export that ended first counted after itself
            self.pending = pending
            self.intro.setText(pending_text(pending))
            self.fit()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.result is None:
            self.passphrase.setFocus()

    def _start(self) -> None:
        path = self.destination.path()
        passphrase = self.passphrase.text()
        if path is None:
            return self._failed(_("Choose where to save the package."))
        if len(passphrase) < MIN_PASSPHRASE:
            return self._failed(_("The passphrase needs at least {count} characters (a few words are best).")
                                .format(count=MIN_PASSPHRASE))
        if passphrase != self.passphrase_again.text():
            return self._failed(_("The two passphrases differ. Type the same passphrase twice."))
        services, full = self.services, self.full.isChecked()

        def work(progress, cancel):  # runs on the worker thread
            from co_app.core.sync.package import export_package

            db = services.db  # the first use loads the ORM: here, not on the GUI thread
            result = export_package(db.engine, db.device_id, path, passphrase=passphrase, full=full,
                                    progress=progress, cancel=cancel)
            return result, _count_pending(services)  # 0, unless something changed while it ran

        self.run(work, self._done)

    def _done(self, outcome) -> None:  # (ExportResult, int)
        result, self.pending = outcome
        self.result = result
        self.intro.setText(pending_text(self.pending))
        self.finished_ok(ngettext("Done: {count} record written to {file}.", "Done: {count} records written to {file}.",
                                  result.total).format(count=format_number(result.total), file=isolate(result.path)))


class SyncImportDialog(_TaskDialog):
    """Import a sync package: first a preview of what would change, then the import."""

    COLUMNS = (N_("What"), N_("New"), N_("Updated"), N_("Unchanged"), N_("Conflicts"))

    def __init__(self, services, path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(_("Import a sync package"), _("Check the package"), parent)
        self.services = services
        self.preview = None
        self.report = None
        self.package = PathRow(save=False, caption=_("Open a sync package"),
                               filters=_("Sync packages (*.cosync);;All files (*)"))
        if path is not None:
            self.package.edit.setText(str(path))
        self.passphrase = _password_field()
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in self.COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.hide()
        self.setMinimumWidth(680)
        self.form.addRow(_("Package"), self.package)
        self.form.addRow(_("Passphrase"), self.passphrase)
        self.layout_.addWidget(self.table)
        self._finish_layout()
        self.package.edit.textChanged.connect(self._inputs_changed)
        self.passphrase.textChanged.connect(self._inputs_changed)

    def _inputs_changed(self) -> None:
        """A new file or passphrase needs a new preview before anything is written."""
        if self.preview is not None and self.report is None:
            self.preview = None
            self.table.hide()
            self.action.setText(_("Check the package"))
            self.status.setText("")

    def _start(self) -> None:
        path = self.package.path()
        if path is None:
            return self._failed(_("Choose the sync package to import."))
        dry_run = self.preview is None
        services, passphrase = self.services, self.passphrase.text() or None

        def work(progress, cancel):  # runs on the worker thread
            from co_app.core.sync.service import import_package

            engine = services.db.engine  # the first use loads the ORM: here, not on the GUI thread
            return import_package(engine, path, passphrase, dry_run=dry_run, progress=progress, cancel=cancel,
                                  before_merge=lambda: services.backup_now("before-sync"))

        self.run(work, self._previewed if dry_run else self._imported)

    def _show(self, report) -> None:  # MergeReport
        self.table.setRowCount(len(report.tables))
        for row, (name, counts) in enumerate(report.tables.items()):
            values = [table_word(name), counts.inserted, counts.updated, counts.unchanged, counts.conflicts]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value if isinstance(value, str) else format_number(value))
                self.table.setItem(row, column, item)
        self.table.show()
        self.table.resizeRowsToContents()
        height = (self.table.horizontalHeader().sizeHint().height() + self.table.verticalHeader().length()
                  + 2 * self.table.frameWidth() + 2)
        self.table.setMinimumHeight(height)  # every row visible, no scrolling

    def _summary(self, report, *, done: bool = False) -> str:
        text = (_("{new} new, {updated} updated, {unchanged} unchanged; {conflicts} conflicts logged.") if done
                else _("{new} new, {updated} updated, {unchanged} unchanged; {conflicts} conflicts to log."))
        return text.format(new=format_number(report.inserted), updated=format_number(report.updated),
                           unchanged=format_number(report.unchanged), conflicts=format_number(report.conflicts))

    def _previewed(self, report) -> None:  # MergeReport (dry run)
        self.preview = report
        self._show(report)
        if report.changes == 0:
            self.finished_ok(_("Nothing to import: everything in this package is already here."))
            return
        self._set_status(_("Nothing has been written yet. Importing will make these changes: {summary}").format(
            summary=self._summary(report)) + self._future_warning(report), warning=bool(report.future_dated))
        self.action.setText(_("Import"))
        self.action.setEnabled(True)

    def _imported(self, report) -> None:  # MergeReport
        self.report = report
        self._show(report)
        self.finished_ok(_("Imported: {summary}").format(summary=self._summary(report, done=True))
                         + self._future_warning(report))

    @staticmethod
    def _future_warning(report) -> str:  # MergeReport
        """Records dated after tomorrow: the laptop's clock is wrong; its changes are held
        for review instead of overwriting later corrections — the officer must know."""
        if not report.future_dated:
            return ""
        return "\n" + ngettext(  # a paragraph of its own, not lost at the end of the summary
            "Warning: {count} record is dated in the future (up to {date}): the laptop that made this package "
            "has a wrong date or clock. Its changes are held for review ({held}) instead of overwriting later "
            "edits. Have its clock set right.",
            "Warning: {count} records are dated in the future (up to {date}): the laptop that made this package "
            "has a wrong date or clock. Its changes are held for review ({held}) instead of overwriting later "
            "edits. Have its clock set right.",
            report.future_dated).format(count=format_number(report.future_dated),
                                        date=format_datetime(report.latest), held=format_number(report.held))


class AttendanceExportDialog(_TaskDialog):
    """The attendance spreadsheet (CSV or XLSX); names only when chosen."""

    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(_("Export attendance"), _("Export"), parent)
        self.services = services
        self.summary = None
        self.format = QComboBox()
        self.format.addItem(_("Excel workbook (.xlsx): sessions, participants, attendance, summary"), "xlsx")
        self.format.addItem(_("CSV file (.csv): the attendance table"), "csv")
        self.format.currentIndexChanged.connect(self._format_changed)
        self.without_names = QRadioButton(_("Without names (recommended)"))
        self.without_names.setChecked(True)
        self.with_names = QRadioButton(_("With names and case numbers"))
        self.pseudonyms = QRadioButton(_("With pseudonyms (the same in every export of this programme)"))
        self.destination = PathRow(save=True, caption=_("Save the attendance export"),
                                   filters=_("Spreadsheets (*.xlsx *.csv)"))
        self.form.addRow(_("Format"), self.format)
        self.form.addRow(_("People"), self.without_names)
        self.form.addRow("", self.with_names)
        self.form.addRow("", self.pseudonyms)
        self.form.addRow(_("Save to"), self.destination)
        self._finish_layout()
        self._format_changed()

    def _format_changed(self) -> None:
        fmt = self.format.currentData()
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        current = self.destination.path()
        folder = current.parent if current else self.services.paths.exports
        self.destination.edit.setText(str(folder / f"attendance-{stamp}.{fmt}"))

    def _start(self) -> None:
        from co_app.core.attendance.export import ExportOptions, export_attendance, programme_secret

        path = self.destination.path()
        if path is None:
            return self._failed(_("Choose where to save the export."))
        fmt, engine, root = self.format.currentData(), self.services.db.engine, self.services.paths.root
        with_names, pseudonymise = self.with_names.isChecked(), self.pseudonyms.isChecked()

        def work(progress, cancel):  # runs on the worker thread
            secret = programme_secret(root) if pseudonymise else None
            return export_attendance(engine, path, fmt, ExportOptions(with_names=with_names, secret=secret))

        self.run(work, self._done)

    def _done(self, summary) -> None:  # ExportSummary
        self.summary = summary
        done = ngettext("Done: {count} check-in written to {file}.", "Done: {count} check-ins written to {file}.",
                        summary.attendance)
        self.finished_ok(done.format(count=format_number(summary.attendance), file=isolate(summary.path)))


class SyncPanel(QWidget):
    """The Settings card: export for the office, import a package, conflicts, spreadsheets."""

    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QFrame

        self.services = services
        card = QFrame(self)
        card.setObjectName("card")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(card)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(24, 20, 24, 20)
        self.heading = QLabel()
        self.heading.setObjectName("emptyTitle")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.export_button, self.import_button = QPushButton(), QPushButton()
        self.conflicts_button, self.attendance_button = QPushButton(), QPushButton()
        self.export_button.clicked.connect(lambda: self._open(SyncExportDialog(self.services, self)))
        self.import_button.clicked.connect(lambda: self._open(SyncImportDialog(self.services, parent=self)))
        self.conflicts_button.clicked.connect(self._open_conflicts)
        self.attendance_button.clicked.connect(lambda: self._open(AttendanceExportDialog(self.services, self)))
        row = QHBoxLayout()
        for button in (self.export_button, self.import_button, self.conflicts_button, self.attendance_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addWidget(self.heading)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self.pending = self.conflicts = 0
        self.dialog: QDialog | None = None

    def refresh(self) -> None:
        from co_app.core.sync.conflicts import unreviewed_count
        from co_app.core.sync.package import pending_changes

        with self.services.db.session() as db:
            self.pending, self.conflicts = pending_changes(db), unreviewed_count(db)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Export and sync"))
        conflicts = ngettext("{count} conflict to review.", "{count} conflicts to review.",
                             self.conflicts).format(count=format_number(self.conflicts)) if self.conflicts else ""
        self.status.setText(" ".join(part for part in (pending_text(self.pending), conflicts) if part))
        self.export_button.setText(_("Export for the office…"))
        self.import_button.setText(_("Import a sync package…"))
        self.conflicts_button.setText(_("Conflicts…"))
        self.attendance_button.setText(_("Attendance spreadsheet…"))

    def _open_conflicts(self) -> None:
        from co_app.ui.sync.conflicts_dialog import ConflictsDialog

        self._open(ConflictsDialog(self.services, self))

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(self.refresh)
        dialog.open()
