"""The sync conflict log, as a programme officer reads it: who or what each conflict is
about (a name, a session's date and place, a case), which version was kept, and the
fields in which the kept and the lost versions differ (co_app/core/sync/conflicts.py)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QPlainTextEdit, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from co_app.core.foundation.i18n import N_, _, format_datetime, isolate
from co_app.ui.shell.page import resize_within_screen


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


def _value_text(value) -> str:  # a canonical JSON value
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

    from co_app.core.foundation.i18n import format_date

    try:
        return format_date(date.fromisoformat(text), "medium") if text else "—"
    except ValueError:
        return text


def conflict_subject_text(subject) -> str:  # ConflictSubject
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

    COLUMNS = (N_("Found"), N_("What"), N_("Field"), N_("Kept"), N_("Lost"), N_("Reviewed"))

    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Sync conflicts"))
        resize_within_screen(self, 1040, 560)  # a netbook gets less
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
        # Keep this one: the kept value (the conflict is only marked reviewed) or the lost one
        # (made again here as a new change, which wins on every laptop after the next sync).
        self.keep_kept = QPushButton(_("Keep the kept value"))
        self.keep_kept.clicked.connect(lambda: self._keep(lost=False))
        self.keep_lost = QPushButton(_("Keep the lost value"))
        self.keep_lost.clicked.connect(lambda: self._keep(lost=True))
        self.reviewed = QPushButton(_("Mark as reviewed"))
        self.reviewed.clicked.connect(self._mark_reviewed)
        self.all_reviewed = QPushButton(_("Mark all as reviewed"))
        self.all_reviewed.clicked.connect(self._mark_all_reviewed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.keep_kept, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.keep_lost, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.reviewed, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.all_reviewed, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.lines = []
        self.subjects = []
        self.names: dict[str, str] = {}
        self.refresh()

    def refresh(self) -> None:
        from co_app.core.sync.conflicts import describe, device_names, list_conflicts

        with self.services.db.session() as db:
            self.lines = list_conflicts(db)
            self.subjects = [describe(db, line) for line in self.lines]
            self.names = device_names(db)
        if not self.lines:
            self.intro.setText(_("No conflicts: no two laptops have changed the same field differently."))
        else:
            self.intro.setText(_("Two laptops changed the same field without knowing of each other's change. One "
                                 "value was kept on every computer; the other is listed here. Keep the one that is "
                                 "right: keeping the lost value changes it on every laptop at the next sync."))
        self.table.setRowCount(len(self.lines))
        for row, (line, subject) in enumerate(zip(self.lines, self.subjects, strict=True)):
            field = field_word(line.table_name, line.field) if line.field else _("several fields")
            kept = (_value_text(line.winner_value) if line.field else "") + " · " + self._laptop(line.winner_device_id)
            lost = (_value_text(line.lost_value) if line.field else "") + " · " + self._laptop(line.loser_device_id)
            values = [format_datetime(line.detected_at, "short"), conflict_subject_text(subject), field,
                      kept.strip(" ·"), lost.strip(" ·"), _("yes") if line.reviewed else _("no")]
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
        one = len(rows) == 1 and not self.lines[rows[0]].reviewed
        self.keep_kept.setEnabled(one)
        self.keep_lost.setEnabled(one and self.lines[rows[0]].field is not None)
        if not rows:
            self.details.clear()
            return
        line, subject = self.lines[rows[0]], self.subjects[rows[0]]
        text = [conflict_subject_text(subject),
                _("Kept: {laptop}, changed {time}").format(
                    laptop=self._laptop(line.winner_device_id), time=format_datetime(line.winner_updated_at)),
                _("Lost: {laptop}, changed {time}").format(
                    laptop=self._laptop(line.loser_device_id), time=format_datetime(line.loser_updated_at)),
                ""]
        if line.winner_updated_at - line.detected_at > CLOCK_AHEAD:
            text.insert(3, _("The kept value is dated in the future: the laptop that made it has a wrong date "
                             "or clock. Have its clock set right."))
        with self.services.db.session() as db:
            changes = differences(db, line)
        for change in changes:
            text.append(_("{field}: kept {kept}, lost {lost}").format(
                field=field_word(line.table_name, change.field), kept=_value_text(change.kept),
                lost=_value_text(change.lost)))
        if not changes:
            text.append(_("The two versions now hold the same values."))
        self.details.setPlainText("\n".join(text))

    def _laptop(self, device_id: str) -> str:
        """A laptop by the name it was given at set-up, else by the start of its id."""
        name = self.names.get(device_id)
        return isolate(name) if name else _("device {id}").format(id=device_id[:8])

    def _keep(self, *, lost: bool) -> None:
        from co_app.core.foundation.errors import CoError
        from co_app.core.sync.review import keep_current_value, keep_lost_value

        rows = self._selected_rows()
        if len(rows) != 1:
            return
        line = self.lines[rows[0]]
        try:
            with self.services.db.session() as db:
                (keep_lost_value if lost else keep_current_value)(db, line.id)
        except CoError as exc:
            self.details.setPlainText(str(exc))
            return
        self.refresh()

    def _mark(self, chosen: list) -> None:
        from co_app.core.sync.conflicts import mark_reviewed

        with self.services.db.session() as db:
            mark_reviewed(db, [line.id for line in chosen])
        self.refresh()

    def _mark_reviewed(self) -> None:
        self._mark(self._selected())

    def _mark_all_reviewed(self) -> None:
        self._mark([line for line in self.lines if not line.reviewed])
