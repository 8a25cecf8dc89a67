"""The session's agenda: modules, films, towns and breaks in order, and the button that
runs it on the projector."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QSpinBox,
    QVBoxLayout, QWidget,
)

from co_app.core.sessions import agenda as agenda_core
from co_app.core.sessions import service as session_service
from co_app.core.sessions.agenda import MAX_STEP_MINUTES, MIN_STEP_MINUTES, STEP_MINUTES, Step
from co_app.core.bootstrap import Services
from co_app.core.foundation.i18n import _, current_language, isolate, ngettext
from co_app.core.sessions.slides import step_title
from co_app.ui.sessions.step_list import WrappingDelegate
from co_app.ui.shell.flow_layout import FlowLayout
from co_app.ui.shell.widgets import muted


def review_texts(status, language: str) -> tuple[str, str]:  # TranslationStatus | None
    """(a word for the agenda's row, a sentence for the facilitator) about the group's
    language of one town or module: machine-made, reviewed (who, when), outdated, or missing."""
    from co_app.core.foundation.languages import find_language

    found = find_language(language)
    name = isolate(found.native_name if found else language)
    if status is None or status.coverage == 0:
        return _("English only"), _("{language}: not translated yet; the screens show the English text.").format(
            language=name)
    if status.state == "reviewed":
        return _("reviewed"), _("{language}: reviewed by {name} on {date}.").format(
            language=name, name=isolate(status.reviewed_by), date=isolate(status.reviewed_on))
    if status.state == "outdated":
        return _("outdated"), _("{language}: outdated — the English text changed after this translation was made. "
                                "Check these screens with the interpreter first.").format(language=name)
    return _("machine-made"), _("{language}: machine-made translation, not yet reviewed by a native "
                                "speaker.").format(language=name)


def duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return ngettext("{count} minute", "{count} minutes", rest).format(count=rest)
    return _("{hours} h {minutes} min").format(hours=hours, minutes=rest)


class AgendaPanel(QWidget):
    changed = Signal()
    #: The facilitator asked to run the session (its id).
    run_requested = Signal(str)

    # Longer than 60 lines on purpose: it builds one layout in reading order, top to bottom;
    # split up, the layout would be spread over several places.
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.session_id: str | None = None
        self.steps: list[Step] = []
        self.covered: set[str] = set()

        self.intro = muted()
        self.total = QLabel()
        self.total.setObjectName("emptyTitle")
        self.run_button = QPushButton()
        self.run_button.setObjectName("primary")
        self.run_button.clicked.connect(lambda: self.session_id and self.run_requested.emit(self.session_id))
        self.list = QListWidget()
        self.list.setObjectName("agendaList")
        # A long step (a film's moment, Tigrinya, larger text) wraps onto more lines: never
        # cut with "…", never a sideways scroll (1024 px with larger text).
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setItemDelegate(WrappingDelegate(self.list))
        self.list.currentRowChanged.connect(self._selected)
        #: The group's language and the translation status of the chosen step's screens.
        self.group_language = "en"
        self.review_note = muted()
        self.review_note.setWordWrap(True)

        self.up_button = QPushButton()
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button = QPushButton()
        self.down_button.clicked.connect(lambda: self._move(1))
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self._remove)
        self.minutes_label = QLabel()
        self.minutes = QSpinBox()
        self.minutes.setRange(MIN_STEP_MINUTES, MAX_STEP_MINUTES)
        self.minutes.editingFinished.connect(self._minutes_edited)
        self.minutes_label.setBuddy(self.minutes)

        self.add_label = QLabel()
        self.add_choice = QComboBox()
        self.add_choice.setMinimumContentsLength(8)  # it stretches: narrow only on a netbook
        self.add_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.add_label.setBuddy(self.add_choice)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self._add)
        self.suggest_button = QPushButton()
        self.suggest_button.clicked.connect(self.use_suggestion)

        header = FlowLayout(spacing=10, line_spacing=6)  # wraps on a 1024×600 netbook, in every language
        header.addWidget(self.total)
        header.addWidget(self.suggest_button)
        header.addWidget(self.run_button)
        # Under the list, wrapping when they do not fit: the list gets the whole width (the
        # three buttons beside it left it 240 px in Tigrinya at 1024 px, its lines cut).
        edit = FlowLayout(spacing=8, line_spacing=6)
        for widget in (self.minutes_label, self.minutes, self.up_button, self.down_button, self.remove_button):
            edit.addWidget(widget)
        middle = QVBoxLayout()
        middle.addWidget(self.list, 1)
        middle.addLayout(edit)
        adding = QHBoxLayout()
        adding.addWidget(self.add_label)
        adding.addWidget(self.add_choice, 1)
        adding.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.intro)
        layout.addLayout(middle, 1)
        layout.addWidget(self.review_note)
        layout.addLayout(adding)
        self.retranslate()

    # -- data ---------------------------------------------------------------------------
    def set_session(self, session_id: str | None) -> None:
        self.session_id = session_id
        self.refresh()

    def refresh(self) -> None:
        self.steps, self.covered = [], set()
        if self.session_id:
            with self.services.db.session() as db:
                self.steps = agenda_core.load_agenda(db, self.session_id)
                self.covered = set(agenda_core.covered_modules(db, self.session_id))
                self.group_language = session_service.get_session(db, self.session_id).language or "en"
        self._fill()

    def review(self, index: int) -> tuple[str, str] | None:
        """What the facilitator should know about step ``index``'s translation, before projecting;
        None for a film, a break, or a group that reads English."""
        from co_app.core.foundation.languages import SOURCE_LANGUAGE, find_language

        step = self.steps[index]
        found = find_language(self.group_language)
        language = found.code if found else self.group_language
        if step.kind not in ("module", "town") or language == SOURCE_LANGUAGE:
            return None
        content = self.services.content
        statuses = content.module_status(step.ref) if step.kind == "module" else content.town_status(step.ref)
        if not statuses:
            return None
        return review_texts(statuses.get(language), language)

    def _language(self) -> str:
        return current_language()

    def suggestion(self) -> list[Step]:
        """The destination's film and town first, then every module in order."""
        towns: tuple[str, ...] = ()
        if self.session_id:
            with self.services.db.session() as db:
                towns = session_service.get_session(db, self.session_id).destination_towns
        return agenda_core.suggested_agenda(self.services.content, towns, skip=self.covered)

    def _save(self, steps: list[Step], what: str = "agenda") -> bool:
        from co_app.ui.sessions.lock import ensure_editable

        if not self.session_id or not ensure_editable(self, self.services, self.session_id, what):
            return False
        with self.services.db.session() as db:
            agenda_core.save_agenda(db, self.session_id, steps)
        self.steps = list(steps)
        self._fill()
        self.changed.emit()
        return True

    def use_suggestion(self) -> None:
        self._save(self.suggestion())

    def add_step(self, step: Step) -> bool:
        row = self.list.currentRow()
        steps = list(self.steps)
        at = row + 1 if 0 <= row < len(steps) else len(steps)
        steps.insert(at, step)
        if self._save(steps):
            self.list.setCurrentRow(at)
            return True
        return False

    def _add(self) -> None:
        data = self.add_choice.currentData()
        if not data:
            return
        kind, ref, minutes, *moment = data.split("\t")  # a moment step: its moment id last
        self.add_step(Step(kind, ref, int(minutes), *moment))

    def _move(self, delta: int) -> None:
        row = self.list.currentRow()
        target = row + delta
        if not (0 <= row < len(self.steps) and 0 <= target < len(self.steps)):
            return
        steps = list(self.steps)
        steps[row], steps[target] = steps[target], steps[row]
        if self._save(steps):
            self.list.setCurrentRow(target)

    def _remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.steps):
            steps = list(self.steps)
            del steps[row]
            if self._save(steps):
                self.list.setCurrentRow(min(row, len(steps) - 1))

    def _minutes_edited(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.steps) and self.steps[row].minutes != self.minutes.value():
            steps = list(self.steps)
            steps[row] = replace(steps[row], minutes=self.minutes.value())  # a moment step keeps its moment
            if self._save(steps):
                self.list.setCurrentRow(row)

    def _selected(self, row: int) -> None:
        valid = 0 <= row < len(self.steps)
        for widget in (self.up_button, self.down_button, self.remove_button, self.minutes):
            widget.setEnabled(valid)
        self.minutes.blockSignals(True)
        # No step selected: a dash, not a number that belongs to no step.
        self.minutes.setSpecialValueText("" if valid else "–")
        self.minutes.setMinimum(MIN_STEP_MINUTES if valid else 0)
        self.minutes.setValue(self.steps[row].minutes if valid else 0)
        self.minutes.blockSignals(False)
        if valid:
            self.up_button.setEnabled(row > 0)
            self.down_button.setEnabled(row < len(self.steps) - 1)
        review = self.review(row) if valid else None
        self.review_note.setText(review[1] if review else "")
        self.review_note.setVisible(review is not None)

    # -- texts --------------------------------------------------------------------------
    def step_text(self, index: int) -> str:
        step = self.steps[index]
        kinds = {"module": _("Module"), "film": _("Film"), "town": _("Town")}
        minutes = ngettext("{count} minute", "{count} minutes", step.minutes).format(count=step.minutes)
        if step.kind == "break":
            return "{number}. {name} · {minutes}".format(number=index + 1, name=_("Break"), minutes=minutes)
        name = step_title(step, self.services.content, self.services.manifest, self._language())
        mark = "  ✓" if step.kind == "module" and step.ref in self.covered else ""
        review = self.review(index)
        if review is not None:
            mark = " · {status}{mark}".format(status=review[0], mark=mark)
        return "{number}. {kind}: {name} · {minutes}{mark}".format(
            number=index + 1, kind=kinds[step.kind], name=isolate(name), minutes=minutes, mark=mark)

    def _fill(self) -> None:
        row = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        for index in range(len(self.steps)):
            item = QListWidgetItem(self.step_text(index))
            review = self.review(index)
            if review is not None:
                item.setToolTip(review[1])
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.list.setCurrentRow(min(row, len(self.steps) - 1) if self.steps else -1)
        self._selected(self.list.currentRow())
        total = sum(step.minutes for step in self.steps)
        self.total.setText(_("Agenda: {duration}").format(duration=duration_text(total)) if self.steps
                           else _("The agenda is empty"))
        self.run_button.setEnabled(bool(self.steps))
        self.intro.setText(
            _("Run the agenda step by step on the projector. Reaching the end of a module records it "
              "as covered; a tick (✓) shows the modules covered so far.") if self.steps else
            _("Add modules, films, towns and breaks below, or start from the suggested agenda."))

    def _fill_choices(self) -> None:
        language = self._language()
        self.add_choice.clear()
        for module in self.services.content.modules(language):
            self.add_choice.addItem(_("Module: {name}").format(name=module.title),
                                    f"module\t{module.id}\t{module.minutes}")
        for town in self.services.content.towns(language):
            self.add_choice.addItem(_("Town: {name}").format(name=town.name),
                                    f"town\t{town.id}\t{STEP_MINUTES['town']}")
        films = self.services.manifest.films if self.services.manifest else ()
        for film in films:
            self.add_choice.addItem(_("Film: {name}").format(name=film.town_name(language)),
                                    f"film\t{film.id}\t{STEP_MINUTES['film']}")
        for film in films:  # one moment of a film, played as a step of its own
            for moment in film.moments:
                self.add_choice.addItem(_("Film moment: {name}").format(name="{film} — {moment}".format(
                    film=film.town_name(language), moment=moment.title_in(language))),
                    f"film\t{film.id}\t{STEP_MINUTES['moment']}\t{moment.id}")
        self.add_choice.addItem(_("Break"), f"break\t\t{STEP_MINUTES['break']}")

    def retranslate(self) -> None:
        self.run_button.setText(_("Run the session"))
        self.list.setAccessibleName(_("Agenda"))
        self.up_button.setText(_("Move up"))
        self.down_button.setText(_("Move down"))
        self.remove_button.setText(_("Remove"))
        self.minutes_label.setText(_("Minutes"))
        self.add_label.setText(_("Add"))
        self.add_button.setText(_("Add to the agenda"))
        self.suggest_button.setText(_("Use the suggested agenda"))
        self.suggest_button.setToolTip(_("The destination's film and town, then every module in order, "
                                         "with a break after every two modules. Replaces the agenda."))
        self._fill_choices()
        self._fill()
