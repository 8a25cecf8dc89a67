"""Export and sync from the interface: a sync package sealed for the office (or locked with a
passphrase for another laptop), importing one with a preview first, and the attendance
spreadsheet (the Settings card: sync_panel.py; the conflict log: conflicts_dialog.py; the
held changes: held_dialog.py; the shared dialog: task_dialog.py).

Long work runs on a worker thread (``BackgroundTask``) with progress and Cancel; the core
does the real work (``co_app.core.sync``, ``co_app.core.attendance.export``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout,
    QHeaderView, QLabel, QPushButton, QRadioButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from co_app.core.foundation.i18n import N_, _, format_datetime, format_number, isolate, ngettext
from co_app.ui.shell.tasks import BackgroundTask
from co_app.ui.sync.task_dialog import PathRow, TaskDialog, password_field, table_word

MIN_PASSPHRASE = 8


def pending_text(count: int) -> str:
    if count == 0:
        return _("Everything has been exported for the office.")
    return ngettext("{count} change not yet exported", "{count} changes not yet exported",
                    count).format(count=format_number(count))


def _count_pending(services) -> int:  # Services; on a worker thread
    from co_app.core.db.glance import pending_changes

    if services.is_office:  # the hub (PostgreSQL too), through the ORM
        from co_app.core.sync.package import pending_changes as hub_pending

        with services.db.session() as db:
            return hub_pending(db)
    with services.plain() as conn:
        return pending_changes(conn)


@dataclass(frozen=True)
class ExportState:
    """What the export dialog needs to know before it offers a way to seal the package."""

    pending: int
    role: str
    #: The enrolled office's name ("" when it was given none); None: not enrolled.
    office: str | None
    #: At the office: how many laptops it enrolled (its package is sealed for them).
    laptops: int

    @property
    def sealable(self) -> bool:
        return self.laptops > 0 if self.role == "office" else self.office is not None


def _export_state(services) -> ExportState:  # Services; on a worker thread
    from co_app.core.sync.service import trust_for

    pending = _count_pending(services)
    trust = trust_for(services.db.engine)  # the first use loads the ORM: here, not on the GUI thread
    office = None if trust.office is None else trust.office.name
    return ExportState(pending, trust.role, office, len(trust.laptops))


class SyncExportDialog(TaskDialog):
    """Write a sync package: sealed for the office and signed when this laptop is enrolled
    (the office's own package: for every laptop it enrolled), else locked with a passphrase
    for a hand-over to another laptop."""

    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(_("Export for the office"), _("Export"), parent)
        self.services = services
        self.result = None
        from co_app.core.db import glance

        # With sqlite3: the ORM is opened by the export itself, on its worker thread, so
        # the window never waits for SQLAlchemy's import (issue 9: no stall over 50 ms).
        # The count of changes grows with the records (9 ms for 137,000 even from its
        # index), and the keys need the ORM: both are read on a worker, the dialog opens at once.
        if services.is_office:  # open already, and perhaps PostgreSQL
            device_id = services.db.device_id
        else:
            with services.plain() as conn:
                device_id = glance.device_id(conn) or "device"
        #: This laptop's changes not exported yet; None while they are being counted.
        self.pending: int | None = None
        #: Whom the package can be sealed for; None until it is known.
        self.state: ExportState | None = None
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        suggested = services.paths.exports / f"sync-{device_id[:8]}-{stamp}.cosync"
        self.destination = PathRow(save=True, caption=_("Save the sync package"),
                                   filters=_("Sync packages (*.cosync)"))
        self.destination.edit.setText(str(suggested))
        self.full = QCheckBox(_("Everything, not only the changes since the last export"))
        self.passphrase = password_field()
        self.passphrase_again = password_field()
        self.intro = QLabel(_("Counting the changes not yet exported…"))
        self.intro.setObjectName("emptyTitle")
        self.intro.setWordWrap(True)
        self.sealing = QLabel()
        self.sealing.setWordWrap(True)
        self.sealing.hide()
        self.handover = QCheckBox(_("Hand over to another laptop with a passphrase instead"))
        self.handover.hide()
        self.handover.toggled.connect(self._mode_changed)
        self.hint = QLabel(_("The package holds participants' data, so it is encrypted with this passphrase. Tell "
                             "the passphrase to whoever imports it on the other laptop separately — never on the "
                             "same USB stick."))
        self.hint.setWordWrap(True)
        self.form.addRow(self.intro)
        self.form.addRow(self.sealing)
        self.form.addRow(_("Save to"), self.destination)
        self.form.addRow("", self.full)
        self.form.addRow(self.handover)  # a whole row: its sentence is longer than the field column
        self.form.addRow(_("Passphrase"), self.passphrase)
        self.form.addRow(_("Passphrase again"), self.passphrase_again)
        self.form.addRow(self.hint)
        self._finish_layout()
        # The passphrase is what the user types first: the file name is filled in already,
        # and a passphrase typed into it would end up in the name of the file.
        self.passphrase.setFocus()
        self._count = BackgroundTask(lambda progress, cancel: _export_state(services), self)
        self._count.succeeded.connect(self._counted)
        self._count.failed.connect(lambda message: self.intro.setText(""))  # the export says what is wrong
        self._count.start()

    @property
    def handing_over(self) -> bool:
        """A passphrase package for another laptop, not one sealed with keys."""
        return self.state is None or not self.state.sealable or self.handover.isChecked()

    def _counted(self, state: ExportState) -> None:
        self.state = state
        if self.result is None:  # an export that ended first counted after itself
            self.pending = state.pending
            self.intro.setText(pending_text(state.pending))
        office = state.role == "office"
        if office:
            self.setWindowTitle(_("Export for the laptops"))
            self.sealing.setText(ngettext(
                "The package is sealed for the {count} laptop enrolled with this office, and signed by it.",
                "The package is sealed for the {count} laptops enrolled with this office, and signed by it.",
                state.laptops).format(count=format_number(state.laptops)) if state.sealable else _(
                "No laptop is enrolled with this office yet: import a package from each laptop first."))
            self.action.setEnabled(state.sealable)
        elif state.sealable:
            self.sealing.setText(_("The package is sealed for “{office}” and signed by this laptop: only that "
                                   "office can open it, and no passphrase is needed.").format(
                office=isolate(state.office or _("the office"))))
        else:
            self.sealing.setText(_("This laptop is not enrolled with an office, so the package can only be handed "
                                   "over to another laptop with a passphrase (to send it to the office, choose "
                                   "Settings → Enrol with the office… first)."))
        self.sealing.show()
        # Typed a passphrase already: that is a hand-over, keep it.
        self.handover.setChecked(bool(self.passphrase.text()))
        self.handover.setVisible(not office and state.sealable)
        self._mode_changed()

    def _mode_changed(self) -> None:
        office = self.state is not None and self.state.role == "office"
        shown = self.handing_over and not office
        for field in (self.passphrase, self.passphrase_again, self.hint):
            self.form.setRowVisible(field, shown)
        if shown and self.isVisible() and self.result is None:
            self.passphrase.setFocus()
        self.fit(shrink=True)
        # Once the shown rows have their sizes; with the dialog as the timer's context, so a
        # dialog closed and deleted before then is left alone (it raised "already deleted").
        QTimer.singleShot(0, self, lambda: self.fit(shrink=True))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.result is None and self.passphrase.isVisible():
            self.passphrase.setFocus()

    def _start(self) -> None:
        path = self.destination.path()
        passphrase: str | None = self.passphrase.text()
        if path is None:
            return self._failed(_("Choose where to save the package."))
        if not self.handing_over:
            passphrase = None
        elif len(passphrase) < MIN_PASSPHRASE:
            return self._failed(_("The passphrase needs at least {count} characters (a few words are best).")
                                .format(count=MIN_PASSPHRASE))
        elif passphrase != self.passphrase_again.text():
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
        if result.warning:  # the package stays; only the note of it is missing
            self._set_status(self.status.text() + "\n" + result.warning.translated(), warning=True)


@dataclass(frozen=True)
class UnknownLaptop:
    """The preview at the office met a laptop it has not enrolled (its keys: PublicKeys)."""

    sender: object


class SyncImportDialog(TaskDialog):
    """Import a sync package: first a preview of what would change, then the import.  At the
    office, a package from a laptop not enrolled yet asks first: its name and fingerprint,
    and "Enrol this laptop and import?"."""

    COLUMNS = (N_("What"), N_("New"), N_("Updated"), N_("Unchanged"), N_("Conflicts"))

    def __init__(self, services, path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(_("Import a sync package"), _("Check the package"), parent)
        self.services = services
        self.preview = None
        self.report = None
        #: The officer compared the fingerprint and said yes: the laptop is enrolled on import.
        self.trust_new = False
        self.unknown = None  # the keys of a laptop not enrolled, while the question is asked
        self.package = PathRow(save=False, caption=_("Open a sync package"),
                               filters=_("Sync packages (*.cosync);;All files (*)"))
        if path is not None:
            self.package.edit.setText(str(path))
        self.passphrase = password_field()
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in self.COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.hide()
        self.setMinimumWidth(680)
        self.form.addRow(_("Package"), self.package)
        passphrase_label = QLabel(_("Passphrase (only for a package handed over from another laptop)"))
        passphrase_label.setWordWrap(True)
        self.form.addRow(passphrase_label, self.passphrase)
        self.layout_.addWidget(self.table)
        self.question = QWidget()
        question = QVBoxLayout(self.question)
        question.setContentsMargins(0, 0, 0, 0)
        self.question_text = QLabel()
        self.question_text.setWordWrap(True)
        self.question_text.setObjectName("warning")
        self.sender_fingerprint = QLabel()
        self.sender_fingerprint.setStyleSheet("font-family: 'DejaVu Sans Mono', monospace; font-size: 15pt;")
        self.sender_fingerprint.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.sender_fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.question_ask = QLabel(_("Enrol this laptop and import?"))
        self.question_ask.setStyleSheet("font-weight: bold;")
        answers = QHBoxLayout()
        self.enrol_yes = QPushButton(_("Yes, the fingerprints match"))
        self.enrol_no = QPushButton(_("No, do not import"))
        self.enrol_yes.clicked.connect(self._enrol_answered)
        self.enrol_no.clicked.connect(self._enrol_refused)
        answers.addWidget(self.enrol_yes)
        answers.addWidget(self.enrol_no)
        answers.addStretch(1)
        question.addWidget(self.question_text)
        question.addWidget(self.sender_fingerprint)
        question.addWidget(self.question_ask)
        question.addLayout(answers)
        self.question.hide()
        self.layout_.addWidget(self.question)
        self._finish_layout()
        self.package.edit.textChanged.connect(self._inputs_changed)
        self.passphrase.textChanged.connect(self._inputs_changed)

    def _inputs_changed(self) -> None:
        """A new file or passphrase needs a new preview before anything is written."""
        if self.report is None:
            self.trust_new = False
            self.question.hide()
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
        services, passphrase, trust_new = self.services, self.passphrase.text() or None, self.trust_new

        def work(progress, cancel):  # runs on the worker thread
            from co_app.core.sync.reader import UnknownSenderError
            from co_app.core.sync.service import import_package

            engine = services.db.engine  # the first use loads the ORM: here, not on the GUI thread
            try:
                return import_package(engine, path, passphrase, dry_run=dry_run, progress=progress, cancel=cancel,
                                      before_merge=lambda: services.backup_now("before-sync"), trust_new=trust_new)
            except UnknownSenderError as exc:  # a question for the officer, not a failure
                return UnknownLaptop(exc.sender)

        self.run(work, self._previewed if dry_run else self._imported)

    def _ask_to_enrol(self, sender) -> None:  # PublicKeys
        self.unknown = sender
        self.question_text.setText(_("This package comes from “{laptop}”, a laptop this office has not enrolled. "
                                     "Compare its key fingerprint with the one on that laptop's Settings page:")
                                   .format(laptop=isolate(sender.name or sender.device_id)))
        self.sender_fingerprint.setText(sender.fingerprint)
        self._set_status("")
        self.question.show()
        self.action.setEnabled(False)
        self.fit()

    def _enrol_answered(self) -> None:
        self.question.hide()
        self.trust_new = True
        self._start()  # the preview again, with the laptop enrolled once it is imported

    def _enrol_refused(self) -> None:
        self.question.hide()
        self.unknown = None
        self._failed(_("Not imported: the laptop was not enrolled."))

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

    def _previewed(self, report) -> None:  # MergeReport (dry run), or UnknownLaptop
        if isinstance(report, UnknownLaptop):
            return self._ask_to_enrol(report.sender)
        self.preview = report
        self._show(report)
        if report.changes == 0 and not report.held:  # held changes: the import records them for review
            self.finished_ok(_("Nothing to import: everything in this package is already here."))
            return
        enrol = (_("Importing also enrols this laptop with the office.") + " ") if self.trust_new else ""
        self._set_status(enrol + _("Nothing has been written yet. Importing will make these changes: {summary}")
                         .format(summary=self._summary(report)) + self._future_warning(report),
                         warning=bool(report.future_dated or report.held))
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
        for review instead of overwriting later corrections — the officer must know, and
        where to decide about them."""
        parts = []
        if report.future_dated:
            parts.append(ngettext(
                "Warning: {count} record is dated in the future (up to {date}): the laptop that made this package "
                "has a wrong date or clock. Have its clock set right.",
                "Warning: {count} records are dated in the future (up to {date}): the laptop that made this "
                "package has a wrong date or clock. Have its clock set right.",
                report.future_dated).format(count=format_number(report.future_dated),
                                            date=format_datetime(report.latest)))
        if report.held:
            parts.append(ngettext(
                "{count} change is held for review instead of overwriting later edits: accept or reject it in "
                "Settings → Review held changes.",
                "{count} changes are held for review instead of overwriting later edits: accept or reject them in "
                "Settings → Review held changes.",
                report.held).format(count=format_number(report.held)))
        return "".join("\n" + part for part in parts)  # paragraphs of their own, not lost in the summary


class AttendanceExportDialog(TaskDialog):
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
        if summary.warning:  # the file stays; only its audit entry is missing
            self._set_status(self.status.text() + "\n" + summary.warning.translated(), warning=True)
