"""Participants: the session's list (or everyone), add and edit in a form, delete (soft),
and "Import roster…"."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox,
                               QFormLayout, QGridLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QMessageBox, QPushButton, QScrollArea, QSpinBox, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from co_app.core.people import participants as people
from co_app.core.bootstrap import Services
from co_app.core.foundation.errors import CoError
from co_app.core.foundation.i18n import _, country_name, isolate, ngettext
from co_app.core.people.participants import (
    AGE_GROUPS, NEED_LABELS, NEEDS, SEX_LABELS, SEXES, ParticipantData, ParticipantView,
)
from co_app.ui.shell.flow_layout import FlowLayout
from co_app.ui.sessions.lock import ensure_editable
from co_app.ui.shell.widgets import muted
from co_app.ui.shell.widgets import select_row

#: Offered first in the nationality list: the nationalities most often resettled.
COMMON_NATIONALITIES = ("SY", "AF", "ER", "SO", "CD", "SD", "SS", "IQ", "ET", "IR", "YE", "MM", "UA")
COMMON_LANGUAGES = ("ar", "fa_AF", "ps", "fa", "ti", "am", "so", "fr", "sw", "ln", "ku", "ckb", "uk", "en")


def language_name(code: str) -> str:
    """The language's name in the interface language, with its own name beside it when the
    application knows it ("Arabic · العربية"), so both the facilitator and the
    participant can read the list."""
    from babel import Locale, UnknownLocaleError

    from co_app.core.foundation.i18n import babel_locale
    from co_app.core.foundation.languages import find_language

    try:
        names = Locale.parse(babel_locale()).languages
    except (ValueError, UnknownLocaleError):
        names = {}
    name = names.get(code) or names.get(code.split("_")[0]) or code
    known = find_language(code)
    if known is not None and known.code == code and known.native_name != name:
        return f"{name} · {known.native_name}"
    return name


def town_choices(services: Services) -> list[tuple[str, str]]:
    """(town id, name) of the receiving towns (not the overview pages)."""
    return [(t.id, t.name) for t in services.content.towns() if t.kind == "town"]


def session_destination(services: Services, session_id: str | None) -> str:
    """The session's first destination as it stores it (the film's id, "germany-jena", which
    ends with the town's id); "" without a session or a destination."""
    if session_id is None:
        return ""
    from co_app.core.sessions.service import get_session

    try:
        with services.db.session() as db:
            towns = get_session(db, session_id).destination_towns
    except CoError:
        return ""
    return towns[0] if towns else ""


class ParticipantDialog(QDialog):
    """Every field of a participant; problems are shown in the dialog, which stays open."""

    # Longer than 60 lines on purpose: it builds one layout in reading order, top to bottom;
    # split up, the layout would be spread over several places.
    def __init__(self, services: Services, parent: QWidget | None = None, *, existing: ParticipantView | None = None,
                 session_id: str | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.existing = existing
        self.session_id = session_id
        self.saved: ParticipantView | None = None
        self.setWindowTitle(_("Edit participant") if existing else _("Add a participant"))
        data = existing.data() if existing else ParticipantData()
        # The fields scroll inside the dialog: a 1024×600 netbook (Arabic, larger text) has not
        # the height for all of them; Save and Cancel stay in view below.
        fields = QWidget()
        form = QFormLayout(fields)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a long label above its field
        self.case_number = QLineEdit(data.case_number)
        self.given_name = QLineEdit(data.given_name)
        self.family_name = QLineEdit(data.family_name)
        self.sex = QComboBox()
        for sex in SEXES:
            self.sex.addItem(_(SEX_LABELS[sex]), sex)
        self.sex.setCurrentIndex(SEXES.index(data.sex) if data.sex in SEXES else SEXES.index("unknown"))
        self.birth_year = QSpinBox()
        this_year = date.today().year
        self.birth_year.setRange(this_year - people.MAX_AGE - 1, this_year)
        self.birth_year.setSpecialValueText(_("Not known"))  # shown at the minimum
        self.birth_year.setValue(data.birth_year or self.birth_year.minimum())
        self.age_group = QComboBox()
        self.age_group.addItem(_("Not known"), None)
        for group in AGE_GROUPS:
            self.age_group.addItem(group, group)
        self.age_group.setCurrentIndex(max(0, self.age_group.findData(data.age_group)))
        self.nationality = QComboBox()
        self.nationality.addItem(_("Not known"), "")
        for code in COMMON_NATIONALITIES:
            self.nationality.addItem(country_name(code), code)
        self.nationality.insertSeparator(self.nationality.count())
        from babel import Locale

        others = sorted(((country_name(c), c) for c in Locale("en").territories
                         if len(c) == 2 and c.isalpha() and c not in COMMON_NATIONALITIES), key=lambda x: x[0])
        for name, code in others:
            self.nationality.addItem(name, code)
        self.nationality.setCurrentIndex(max(0, self.nationality.findData(data.nationality)))
        self.languages = QListWidget()
        self.languages.setMaximumHeight(120)
        for code in dict.fromkeys((*COMMON_LANGUAGES, *data.languages)):
            item = QListWidgetItem(language_name(code))
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in data.languages else Qt.CheckState.Unchecked)
            self.languages.addItem(item)
        self.destination = QComboBox()
        self.destination.addItem(_("Not decided yet"), "")
        for town_id, name in town_choices(services):
            self.destination.addItem(name, town_id)
        # A new person at a session goes where the session's group goes (its first town), not "Not decided yet".
        wanted = data.destination or (session_destination(services, session_id) if existing is None else "")
        self.destination.setCurrentIndex(max(0, self.destination.findData(wanted), next(
            (i for i in range(1, self.destination.count()) if wanted.endswith("-" + self.destination.itemData(i))),
            0)))
        needs_box = QWidget()
        needs_grid = QGridLayout(needs_box)
        needs_grid.setContentsMargins(0, 0, 0, 0)
        self.needs: dict[str, QCheckBox] = {}
        for i, need in enumerate(NEEDS):
            box = QCheckBox(_(NEED_LABELS[need]))
            box.setChecked(need in data.needs)
            self.needs[need] = box
            needs_grid.addWidget(box, i // 2, i % 2)
        consent_row = FlowLayout(spacing=10, line_spacing=4)
        self.consent = QCheckBox(_("Consent given to record and report attendance"))
        self.consent.setChecked(data.consent)
        self.consent_date = QDateEdit()
        self.consent_date.setCalendarPopup(True)
        self.consent_date.setMaximumDate(QDate.currentDate())
        given = data.consent_date or date.today()
        self.consent_date.setDate(QDate(given.year, given.month, given.day))
        consent_row.addWidget(self.consent)
        consent_row.addWidget(self.consent_date)
        self.expected = QCheckBox(_("Expected at this session"))
        self.expected.setChecked(True)
        self.expected.setVisible(session_id is not None and existing is None)
        self.problems = QLabel()
        self.problems.setObjectName("warning")
        self.problems.setWordWrap(True)
        self.problems.hide()

        form.addRow(_("Case number"), self.case_number)
        form.addRow(_("Given name"), self.given_name)
        form.addRow(_("Family name"), self.family_name)
        form.addRow(_("Sex"), self.sex)
        form.addRow(_("Birth year"), self.birth_year)
        form.addRow(_("Age group (when the birth year is not known)"), self.age_group)
        form.addRow(_("Nationality"), self.nationality)
        form.addRow(_("Languages"), self.languages)
        form.addRow(_("Destination town"), self.destination)
        form.addRow(_("Needs"), needs_box)
        form.addRow(_("Consent"), consent_row)
        form.addRow("", self.expected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setWidget(fields)
        outer = QVBoxLayout(self)
        outer.addWidget(area, 1)
        outer.addWidget(self.problems)
        outer.addWidget(buttons)
        self.birth_year.valueChanged.connect(self._age_fields)
        self.consent.toggled.connect(self.consent_date.setEnabled)
        self.consent_date.setEnabled(data.consent)
        self._age_fields()
        room = self.screen().availableGeometry()
        wanted = fields.sizeHint() + QSize(40, buttons.sizeHint().height() + 50)
        self.resize(min(max(620, wanted.width()), room.width() - 40), min(wanted.height(), room.height() - 60))

    def _age_fields(self) -> None:
        self.age_group.setEnabled(self.birth_year.value() == self.birth_year.minimum())

    def data(self) -> ParticipantData:
        year = self.birth_year.value()
        qdate = self.consent_date.date()
        return ParticipantData(
            case_number=self.case_number.text(), given_name=self.given_name.text(),
            family_name=self.family_name.text(), sex=self.sex.currentData(),
            birth_year=None if year == self.birth_year.minimum() else year,
            age_group=self.age_group.currentData() if self.age_group.isEnabled() else None,
            nationality=self.nationality.currentData() or "",
            languages=tuple(self.languages.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.languages.count())
                            if self.languages.item(i).checkState() == Qt.CheckState.Checked),
            destination=self.destination.currentData() or "",
            needs=tuple(need for need, box in self.needs.items() if box.isChecked()),
            consent=self.consent.isChecked(),
            consent_date=date(qdate.year(), qdate.month(), qdate.day()) if self.consent.isChecked() else None,
        )

    def accept(self) -> None:
        towns = [town_id for town_id, _name in town_choices(self.services)]
        session_id = self.session_id if self.expected.isVisible() and self.expected.isChecked() else None
        if session_id and not ensure_editable(self, self.services, session_id, "participant added to session"):
            return
        try:
            with self.services.db.session() as db:
                if self.existing is not None:
                    self.saved = people.update_participant(db, self.existing.id, self.data(), towns=towns)
                else:
                    self.saved = people.add_participant(db, self.data(), session_id=session_id, towns=towns)
        except people.InvalidParticipantError as exc:
            self.problems.setText("\n".join(p.message.translated() for p in exc.problems))
            self.problems.show()
            return
        except CoError as exc:
            self.problems.setText(str(exc))
            self.problems.show()
            return
        super().accept()


class ParticipantsPanel(QWidget):
    """The participants of the session (or everyone); ``changed`` after any change."""

    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.session_id: str | None = None
        self._rows: list[ParticipantView] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = FlowLayout(spacing=10, line_spacing=6)  # wraps on a 1024×600 netbook, in every language
        self.add_button = QPushButton()
        self.add_button.setObjectName("primary")
        self.edit_button = QPushButton()
        self.delete_button = QPushButton()
        self.import_button = QPushButton()
        self.everyone = QCheckBox()
        #: Over the office's hub people are read, not registered: the laptops register them.
        self.read_only = bool(getattr(services, "is_office", False))
        for widget in (self.add_button, self.edit_button, self.delete_button, self.import_button):
            bar.addWidget(widget)
            widget.setVisible(not self.read_only)
        self.summary = muted()
        second = FlowLayout(spacing=16, line_spacing=4)
        second.addWidget(self.summary)
        second.addWidget(self.everyone)
        #: What the last roster import did ("Roster imported: 6 people added and 2 people updated.").
        self.notice = QLabel()
        self.notice.setObjectName("importNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("QLabel#importNotice { background: #dff3e4; color: #0b4d22; "
                                  "border: 1px solid #2e8b57; border-radius: 6px; padding: 6px 10px; "
                                  "font-weight: bold; }")
        self.notice.hide()
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("participantsTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addLayout(bar)
        layout.addLayout(second)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.import_button.clicked.connect(self.import_roster)
        self.everyone.toggled.connect(lambda _on: self.refresh())
        self.table.cellActivated.connect(lambda _r, _c: self.edit())
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.edit())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.retranslate()

    def set_session(self, session_id: str | None) -> None:
        self.session_id = session_id
        self.everyone.setVisible(session_id is not None)
        self.notice.hide()
        self.refresh()

    def refresh(self) -> None:
        only_session = self.session_id if self.session_id and not self.everyone.isChecked() else None
        with self.services.db.session() as db:
            self._rows = people.list_participants(db, only_session)
        self.retranslate()

    def retranslate(self) -> None:
        self.add_button.setText(_("Add a participant…"))
        self.table.setAccessibleName(_("Participants"))
        self.edit_button.setText(_("Edit…"))
        self.delete_button.setText(_("Delete…"))
        self.import_button.setText(_("Import roster…"))
        self.everyone.setText(_("Show everyone, not only this session's list"))
        count = len(self._rows)
        if self.session_id and not self.everyone.isChecked():
            self.summary.setText(ngettext("{count} person on this session's list.",
                                          "{count} people on this session's list.", count).format(count=count))
        else:
            self.summary.setText(ngettext("{count} participant on this computer.",
                                          "{count} participants on this computer.", count).format(count=count))
        self.table.setHorizontalHeaderLabels([_("Case number"), _("Given name"), _("Family name"), _("Sex"),
                                              _("Born / age group"), _("Nationality"), _("Destination town")])
        towns = dict(town_choices(self.services))
        self.table.setRowCount(len(self._rows))
        for row, p in enumerate(self._rows):
            values = [p.case_number, p.given_name, p.family_name, _(SEX_LABELS.get(p.sex, p.sex)),
                      str(p.birth_year) if p.birth_year else (p.age_group or ""),
                      country_name(p.nationality) if p.nationality else "", towns.get(p.destination, p.destination)]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, p.id)
                self.table.setItem(row, col, item)
        self._update_buttons()

    def selected(self) -> ParticipantView | None:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows and rows[0].row() < len(self._rows) else None

    def select_participant(self, participant_id: str) -> None:
        for row, p in enumerate(self._rows):
            if p.id == participant_id:
                select_row(self.table, row)
                return

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def add(self) -> None:
        if self.read_only:
            return
        dialog = ParticipantDialog(self.services, self, session_id=self.session_id)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self._after_change(dialog.saved.id)

    def edit(self) -> None:
        chosen = self.selected()
        if chosen is None or self.read_only:
            return
        dialog = ParticipantDialog(self.services, self, existing=chosen)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self._after_change(dialog.saved.id)

    def delete(self) -> None:
        chosen = self.selected()
        if chosen is None or self.read_only:
            return
        answer = QMessageBox.question(
            self, _("Delete participant"),
            _("Delete {name} ({case})? Their attendance is deleted too. The deletion is kept for the "
              "programme office's records.").format(name=isolate(chosen.full_name), case=isolate(chosen.case_number)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self.session_id and not ensure_editable(self, self.services, self.session_id, "participant deleted"):
            return
        try:
            with self.services.db.session() as db:
                people.delete_participant(db, chosen.id)
        except CoError as exc:
            QMessageBox.warning(self, _("Delete participant"), str(exc))
        self._after_change(None)

    def import_roster(self) -> None:
        from co_app.ui.people.roster_dialog import RosterImportDialog, import_summary

        dialog = RosterImportDialog(self.services, self, session_id=self.session_id)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._after_change(None)
            if dialog.imported is not None:
                self.notice.setText(import_summary(dialog.imported))
                self.notice.show()

    def _after_change(self, participant_id: str | None) -> None:
        self.notice.hide()  # the last import's summary is old news after another change
        self.refresh()
        if participant_id:
            self.select_participant(participant_id)
        self.changed.emit()
