"""Export and sync from the interface: an encrypted sync package for the office, importing
one with a preview first, the conflict log, and the attendance spreadsheet.

Long work runs on a worker thread (``BackgroundTask``) with progress and Cancel; the core
does the real work (``co_app.core.sync``, ``co_app.core.export``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QProgressBar, QPushButton, QRadioButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from co_app.core.i18n import N_, _, format_datetime, format_number, isolate, ngettext
from co_app.ui.tasks import BackgroundTask

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


def _count_pending(services) -> int:  # noqa: ANN001 - Services; on a worker thread
    from co_app.core.glance import pending_changes

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

    def run(self, work, done) -> None:  # noqa: ANN001
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

    def _progress(self, step) -> None:  # noqa: ANN001 - ExportProgress / MergeProgress
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

    def __init__(self, services, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(_("Export for the office"), _("Export"), parent)
        self.services = services
        self.result = None
        from co_app.core import glance

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

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's name
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

        def work(progress, cancel):  # noqa: ANN001, ANN202 - runs on the worker thread
            from co_app.core.sync.package import export_package

            db = services.db  # the first use loads the ORM: here, not on the GUI thread
            result = export_package(db.engine, db.device_id, path, passphrase=passphrase, full=full,
                                    progress=progress, cancel=cancel)
            return result, _count_pending(services)  # 0, unless something changed while it ran

        self.run(work, self._done)

    def _done(self, outcome) -> None:  # noqa: ANN001 - (ExportResult, int)
        result, self.pending = outcome
        self.result = result
        self.intro.setText(pending_text(self.pending))
        self.finished_ok(ngettext("Done: {count} record written to {file}.", "Done: {count} records written to {file}.",
                                  result.total).format(count=format_number(result.total), file=isolate(result.path)))


class SyncImportDialog(_TaskDialog):
    """Import a sync package: first a preview of what would change, then the import."""

    COLUMNS = (N_("What"), N_("New"), N_("Updated"), N_("Unchanged"), N_("Conflicts"))

    def __init__(self, services, path: Path | None = None, parent: QWidget | None = None) -> None:  # noqa: ANN001
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

        def work(progress, cancel):  # noqa: ANN001, ANN202 - runs on the worker thread
            from co_app.core.sync.service import import_package

            engine = services.db.engine  # the first use loads the ORM: here, not on the GUI thread
            return import_package(engine, path, passphrase, dry_run=dry_run, progress=progress, cancel=cancel,
                                  before_merge=lambda: services.backup_now("before-sync"))

        self.run(work, self._previewed if dry_run else self._imported)

    def _show(self, report) -> None:  # noqa: ANN001 - MergeReport
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

    def _summary(self, report, *, done: bool = False) -> str:  # noqa: ANN001
        text = (_("{new} new, {updated} updated, {unchanged} unchanged; {conflicts} conflicts logged.") if done
                else _("{new} new, {updated} updated, {unchanged} unchanged; {conflicts} conflicts to log."))
        return text.format(new=format_number(report.inserted), updated=format_number(report.updated),
                           unchanged=format_number(report.unchanged), conflicts=format_number(report.conflicts))

    def _previewed(self, report) -> None:  # noqa: ANN001 - MergeReport (dry run)
        self.preview = report
        self._show(report)
        if report.changes == 0:
            self.finished_ok(_("Nothing to import: everything in this package is already here."))
            return
        self._set_status(_("Nothing has been written yet. Importing will make these changes: {summary}").format(
            summary=self._summary(report)) + self._future_warning(report), warning=bool(report.future_dated))
        self.action.setText(_("Import"))
        self.action.setEnabled(True)

    def _imported(self, report) -> None:  # noqa: ANN001 - MergeReport
        self.report = report
        self._show(report)
        self.finished_ok(_("Imported: {summary}").format(summary=self._summary(report, done=True))
                         + self._future_warning(report))

    @staticmethod
    def _future_warning(report) -> str:  # noqa: ANN001 - MergeReport
        """Records dated after tomorrow: the laptop's clock is wrong, and they would win over
        every later correction until that date — the officer must know before importing."""
        if not report.future_dated:
            return ""
        return " " + ngettext(
            "Warning: {count} record is dated in the future (up to {date}): the laptop that made this package "
            "has a wrong date or clock, and its changes win over later ones until then. Have its clock set right.",
            "Warning: {count} records are dated in the future (up to {date}): the laptop that made this package "
            "has a wrong date or clock, and its changes win over later ones until then. Have its clock set right.",
            report.future_dated).format(count=format_number(report.future_dated),
                                        date=format_datetime(report.latest))


#: The fields of synced records, as the conflict list names them (a field missing here is
#: shown by its own name).  ``(table, field)`` first, then the field alone.
FIELD_WORDS: dict[tuple[str, str] | str, str] = {
    ("co_sessions", "status"): N_("Session open or closed"), "status": N_("Attendance"),
    "note": N_("Note"), "notes": N_("Notes"), "checked_in_at": N_("Checked in at"),
    "given_name": N_("Given name"), "family_name": N_("Family name"), "sex": N_("Sex"),
    "birth_year": N_("Year of birth"), "age_group": N_("Age group"), "nationality": N_("Nationality"),
    "languages": N_("Languages"), "destination": N_("Destination"), "needs": N_("Needs"),
    "consent": N_("Consent"), "consent_date": N_("Consent date"), "case_number": N_("Case number"),
    "household_id": N_("Household"), "session_date": N_("Date"), "number_of_day": N_("Session of the day"),
    "place": N_("Place"), "facilitator": N_("Facilitator"), "interpreter": N_("Interpreter"),
    "language": N_("Language"), "destination_towns": N_("Destination towns"), "agenda": N_("Agenda"),
    "closed_at": N_("Closed at"), "deleted_at": N_("Deleted"), "covered": N_("Covered"),
    "module_id": N_("Module"), "session_id": N_("Session"), "participant_id": N_("Participant"),
}


#: A kept version dated this far after the import that found it came from a wrong clock.
CLOCK_AHEAD = timedelta(days=1)


def field_word(table: str, field: str) -> str:
    word = FIELD_WORDS.get((table, field)) or FIELD_WORDS.get(field)
    return _(word) if word else field


def _value_text(value) -> str:  # noqa: ANN001 - a canonical JSON value
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and len(value) in (10, 26) and value[4:5] == "-" and value[7:8] == "-":
        from co_app.core.db.plain import parse_datetime

        try:  # a canonical date, or time (UTC), as the officer's language writes it
            return _day(value) if len(value) == 10 else format_datetime(parse_datetime(value))
        except ValueError:
            pass
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return "“{value}”".format(value=isolate(str(value)))


def _day(text: str) -> str:
    from datetime import date

    from co_app.core.i18n import format_date

    try:
        return format_date(date.fromisoformat(text), "medium") if text else "—"
    except ValueError:
        return text


def conflict_subject_text(subject) -> str:  # noqa: ANN001 - ConflictSubject
    """One line naming what a conflict is about, in the officer's language."""
    person = isolate(subject.person or _("someone not on this computer"))
    day, place = _day(subject.session_date), isolate(subject.session_place or "—")
    if subject.table_name == "attendance":
        return _("Check-in of {person}: {date}, {place}").format(person=person, date=day, place=place)
    if subject.table_name == "participants":
        return _("{person} (case {case})").format(person=person, case=isolate(subject.case_number or "—"))
    if subject.table_name == "households":
        return _("Household, case {case}").format(case=isolate(subject.case_number or "—"))
    if subject.table_name == "co_sessions":
        return _("Session: {date}, {place}").format(date=day, place=place)
    return _("Module {module}: {date}, {place}").format(module=isolate(subject.module_id), date=day, place=place)


class ConflictsDialog(QDialog):
    """The versions that lost when two laptops changed the same record: who or what each
    is about, which version was kept, and the fields in which the two differ."""

    COLUMNS = (N_("Found"), N_("What"), N_("Kept"), N_("Lost version, changed"), N_("Package"), N_("Reviewed"))

    def __init__(self, services, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Sync conflicts"))
        self.resize(1040, 560)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in self.COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in range(len(self.COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the person or session
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._show_details)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(150)
        self.details.setPlaceholderText(_("Choose a conflict to see what each version holds."))
        self.reviewed = QPushButton(_("Mark as reviewed"))
        self.reviewed.clicked.connect(self._mark_reviewed)
        self.all_reviewed = QPushButton(_("Mark all as reviewed"))
        self.all_reviewed.clicked.connect(self._mark_all_reviewed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.reviewed, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.all_reviewed, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.lines = []
        self.subjects = []
        self.refresh()

    def refresh(self) -> None:
        from co_app.core.sync.conflicts import describe, list_conflicts

        with self.services.db.session() as db:
            self.lines = list_conflicts(db)
            self.subjects = [describe(db, line) for line in self.lines]
        if not self.lines:
            self.intro.setText(_("No conflicts: no two laptops have changed the same record differently."))
        else:
            self.intro.setText(_("When two laptops changed the same record, the newer change was kept and the "
                                 "other is listed here. Check each one, then mark it as reviewed."))
        self.table.setRowCount(len(self.lines))
        for row, (line, subject) in enumerate(zip(self.lines, self.subjects, strict=True)):
            kept = _("this computer's version") if line.winner == "local" else _("the imported version")
            values = [format_datetime(line.detected_at, "short"), conflict_subject_text(subject), kept,
                      format_datetime(line.loser_updated_at, "short"), line.package,
                      _("yes") if line.reviewed else _("no")]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        self.all_reviewed.setEnabled(any(not line.reviewed for line in self.lines))
        self._show_details()

    def _selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.table.selectedIndexes()})

    def _selected(self) -> list:
        return [self.lines[row] for row in self._selected_rows()]

    def _show_details(self) -> None:
        from co_app.core.sync.conflicts import differences

        rows = self._selected_rows()
        self.reviewed.setEnabled(bool(rows))
        if not rows:
            self.details.clear()
            return
        line, subject = self.lines[rows[0]], self.subjects[rows[0]]
        kept_side, lost_side = ((_("this computer's version"), _("the imported version")) if line.winner == "local"
                                else (_("the imported version"), _("this computer's version")))
        text = [conflict_subject_text(subject),
                _("Kept: {side} (device {device}, changed {time})").format(
                    side=kept_side, device=line.winner_device_id[:8], time=format_datetime(line.winner_updated_at)),
                _("Lost: {side} (device {device}, changed {time})").format(
                    side=lost_side, device=line.loser_device_id[:8], time=format_datetime(line.loser_updated_at)),
                ""]
        if line.winner_updated_at - line.detected_at > CLOCK_AHEAD:
            text.insert(3, _("The kept version is dated in the future: the laptop that made it has a wrong date "
                             "or clock, and its changes win until then. Have its clock set right."))
        with self.services.db.session() as db:
            changes = differences(db, line)
        for change in changes:
            text.append(_("{field}: kept {kept}, lost {lost}").format(
                field=field_word(line.table_name, change.field), kept=_value_text(change.kept),
                lost=_value_text(change.lost)))
        if not changes:
            text.append(_("The two versions now hold the same values."))
        self.details.setPlainText("\n".join(text))

    def _mark(self, chosen: list) -> None:
        from co_app.core.sync.conflicts import mark_reviewed

        with self.services.db.session() as db:
            mark_reviewed(db, [line.id for line in chosen])
        self.refresh()

    def _mark_reviewed(self) -> None:
        self._mark(self._selected())

    def _mark_all_reviewed(self) -> None:
        self._mark([line for line in self.lines if not line.reviewed])


class AttendanceExportDialog(_TaskDialog):
    """The attendance spreadsheet (CSV or XLSX); names only when chosen."""

    def __init__(self, services, parent: QWidget | None = None) -> None:  # noqa: ANN001
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
        from co_app.core.export import ExportOptions, export_attendance, programme_secret

        path = self.destination.path()
        if path is None:
            return self._failed(_("Choose where to save the export."))
        fmt, engine, root = self.format.currentData(), self.services.db.engine, self.services.paths.root
        with_names, pseudonymise = self.with_names.isChecked(), self.pseudonyms.isChecked()

        def work(progress, cancel):  # noqa: ANN001, ANN202 - runs on the worker thread
            secret = programme_secret(root) if pseudonymise else None
            return export_attendance(engine, path, fmt, ExportOptions(with_names=with_names, secret=secret))

        self.run(work, self._done)

    def _done(self, summary) -> None:  # noqa: ANN001 - ExportSummary
        self.summary = summary
        self.finished_ok(ngettext("Done: {count} check-in written to {file}.", "Done: {count} check-ins written to {file}.",
                                  summary.attendance).format(count=format_number(summary.attendance),
                                                             file=isolate(summary.path)))


class SyncPanel(QWidget):
    """The Settings card: export for the office, import a package, conflicts, spreadsheets."""

    def __init__(self, services, parent: QWidget | None = None) -> None:  # noqa: ANN001
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
        self.conflicts_button.clicked.connect(lambda: self._open(ConflictsDialog(self.services, self)))
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

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(self.refresh)
        dialog.open()
