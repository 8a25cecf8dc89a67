"""Running a learning check from the session runner (issue 21, point 2): the projector
shows one question at a time in the group's language (``check_projected``); this window,
on the facilitator's laptop, shows the same question in the facilitator's language and
records the answers:

* **Group tally** — how many raised a hand for each answer, of how many present: numbers
  typed per answer (Tab between them), Enter or Page Down saves them and goes on.
* **Each person** — the list of people who checked in, one highlighted: the key 1–4
  records that person's answer and highlights the next (**one keystroke per person**;
  0 or Delete takes an answer back, the arrows move).  Each answer is saved at once.

Page Down / Page Up go to the next / previous question (a tally is saved first); Esc or
Finish closes the check.  In a closed session the first answer asks for the facilitator PIN
(``ensure_editable``, as a change to its attendance does, and goes to the audit log) — once
per check, not per key press; without it nothing is recorded.  The runner offers a *before*
check on a module's first screen and an *after* check on its last (``CheckOffer``).
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import (
    QButtonGroup, QFrame, QHBoxLayout, QLabel, QListWidget, QPushButton, QRadioButton, QScrollArea, QSpinBox,
    QStackedWidget, QVBoxLayout, QWidget,
)

from co_app.core.attendance.reports import attended_participants
from co_app.core.bootstrap import Services
from co_app.core.db.validation import MAX_GROUP
from co_app.core.foundation import i18n
from co_app.core.foundation.i18n import _, current_language, format_number
from co_app.core.learning.answers import AFTER, BEFORE, CLOSED, Where, clear_person, record_person, record_tally, \
    recorded
from co_app.core.sessions.service import is_closed
from co_app.ui.learning.check_projected import ProjectedCheckWindow
from co_app.ui.learning.check_recording import discard_unsaved_tally, end_of_list_hint, next_row
from co_app.ui.shell.keyboard import shortcut_key
from co_app.ui.shell.flow_layout import FlowLayout

ANSWER_KEYS = {Qt.Key.Key_1: 0, Qt.Key.Key_2: 1, Qt.Key.Key_3: 2, Qt.Key.Key_4: 3}
CLEAR_KEYS = (Qt.Key.Key_0, Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
NEXT_KEYS = (Qt.Key.Key_PageDown,)
PREVIOUS_KEYS = (Qt.Key.Key_PageUp,)
TALLY, PERSON = "tally", "person"
#: The console's size on the laptop's own screen (smaller when the screen is).
CONSOLE_SIZE = QSize(900, 640)


def digits_locale() -> QLocale:
    """Qt's numbers in the digits ``format_number`` writes for the interface language:
    Western digits in Arabic, as in the reports and every label (Qt alone writes ٥ ٢)."""
    sample = format_number(1234567890)
    western = all(char in "0123456789" for char in sample if char.isdigit())
    return QLocale.c() if western else QLocale()


class CheckWindow(QWidget):
    """One module's check, before or after it.  ``finished`` when closed."""

    finished = Signal()

    def __init__(self, services: Services, session_id: str, module_id: str, phase: str, *, group_language: str,
                 recorded_by: str, projector: QScreen | None = None, console: QScreen | None = None,
                 parent: QWidget | None = None) -> None:
        console = console or QGuiApplication.primaryScreen()
        #: The projected question and this console on one screen (a single screen, or a
        #: mirrored projector): the console is a strip under the question, without names.
        self.shared = projector is not None and projector.geometry().intersects(console.geometry())
        flags = Qt.WindowType.Window
        if self.shared:
            flags |= Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        super().__init__(parent, flags)
        self.services, self.session_id, self.module_id, self.phase = services, session_id, module_id, phase
        self.group_language, self.recorded_by = group_language, recorded_by
        self.group_module = services.content.module(module_id, group_language)
        self.questions = self.group_module.self_check if self.group_module else ()
        self.tr_group = i18n.translator_for(group_language, services.locale_dir)
        with services.db.session() as db:
            self.people = attended_participants(db, session_id)
        # The group sees a shared screen: a tally by default (nobody's answer on the glass).
        self.index, self.mode = 0, PERSON if self.people and not self.shared else TALLY
        self.pin_given = False  # a closed session: the facilitator gave the PIN for this check
        self.projected = ProjectedCheckWindow() if projector is not None else None
        self._build()
        self.people_list.currentRowChanged.connect(lambda _row: self.retranslate())  # the end of the list, or not
        if self.projected is not None:
            self.projected.key_pressed.connect(self.keyPressEvent)  # a click there took the keyboard
            self.projected.show_on(projector)
        self._screen = projector if self.shared else console
        self._show_question()
        self.place()

    def place(self, room: QRect | None = None) -> None:
        """On the laptop: the usual size, smaller on a small screen, inside it.  On a shared
        screen: a strip along the screen's bottom, as tall as it needs (two fifths of the
        screen at most: the middle scrolls), the projected question fitted above it.  ``room``: the
        screen's geometry (its own, else)."""
        if room is None:
            room = self._screen.availableGeometry() if not self.shared else self._screen.geometry()
        self._room = room
        if not self.shared:
            size = CONSOLE_SIZE.boundedTo(room.size())
            self.setGeometry(QRect(room.topLeft(), size).translated((room.width() - size.width()) // 2,
                                                                   (room.height() - size.height()) // 2))
            return
        layout, body = self.layout(), self.scroll.widget()
        margins = layout.contentsMargins()
        inner = room.width() - margins.left() - margins.right()
        body.layout().activate()
        self.scroll.setMinimumHeight(min(room.height() // 4, body.layout().totalHeightForWidth(inner)))
        layout.activate()
        need = max(layout.totalHeightForWidth(room.width()), layout.totalMinimumSize().height())
        self.setGeometry(room.x(), room.y(), room.width(), min(room.height() * 2 // 5, need))
        height = self.height()  # its least height, when more than a third
        self.move(room.x(), room.bottom() + 1 - height)
        if self.projected is not None:
            self.projected.view.reserve_bottom(height)

    # -- building -----------------------------------------------------------------------
    # Longer than 60 lines on purpose: one layout in reading order, top to bottom.
    def _build(self) -> None:
        self.title = QLabel()
        self.title.setObjectName("emptyTitle")
        self.title.setWordWrap(True)
        self.counter = QLabel()
        self.counter.setObjectName("muted")
        self.status = QLabel()  # on a shared screen: the one line the group may see
        self.status.setWordWrap(True)
        self.status.setObjectName("checkStatus")
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.question.setObjectName("checkConsoleQuestion")
        self.options = QLabel()
        self.options.setWordWrap(True)
        self.tally_button, self.person_button = QRadioButton(), QRadioButton()
        modes = QButtonGroup(self)
        for button in (self.tally_button, self.person_button):
            modes.addButton(button)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tally_button.toggled.connect(lambda on: on and self.set_mode(TALLY))
        self.person_button.toggled.connect(lambda on: on and self.set_mode(PERSON))
        self.person_button.setEnabled(bool(self.people))
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setObjectName("runnerHint")
        self.tally_page = QWidget()
        # The answers' boxes side by side, wrapped as the width needs (a form of five rows
        # took a netbook's height, and the strip's on a shared screen).
        self.tally_form = FlowLayout(self.tally_page, spacing=16, line_spacing=6)
        self.counts: list[QSpinBox] = []
        self.present = QSpinBox()
        self.people_list = QListWidget()
        self.people_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if not self.shared:  # a shared screen never shows the list: it would only make the strip taller
            self.people_list.setMinimumHeight(self.people_list.fontMetrics().height() * 4)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.tally_page)
        self.pages.addWidget(self.people_list)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.previous_button, self.next_button, self.finish_button = QPushButton(), QPushButton(), QPushButton()
        self.previous_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.finish_button.clicked.connect(self.close)
        for button in (self.previous_button, self.next_button, self.finish_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.modes = QWidget()
        modes_row = QHBoxLayout(self.modes)
        modes_row.setContentsMargins(0, 0, 0, 0)
        modes_row.addWidget(self.tally_button)
        modes_row.addWidget(self.person_button)
        modes_row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addStretch(1)
        buttons.addWidget(self.finish_button)
        buttons.addWidget(self.next_button)
        # The middle scrolls when the screen is short (a netbook, the largest text); the
        # question's title above it and the error and buttons below it stay in sight.
        body = QWidget()
        middle = QVBoxLayout(body)
        middle.setContentsMargins(0, 0, 0, 0)
        for widget in (self.question, self.options):
            middle.addWidget(widget)
        middle.addWidget(self.modes)
        middle.addWidget(self.hint)
        middle.addWidget(self.pages, 1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.counter, self.status):
            layout.addWidget(widget)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setStyleSheet("QLabel#checkConsoleQuestion { font-size: 15pt; font-weight: bold; }"
                           "QLabel#runnerHint { background: #e3ecef; color: #123c4a; padding: 6px 10px; }"
                           "QLabel#checkStatus { font-weight: bold; }"
                           "QLabel#error { color: #8c1f08; }")

    # -- questions ----------------------------------------------------------------------
    @property
    def where(self) -> Where:
        return Where(self.session_id, self.module_id, self.questions[self.index], self.phase)

    def _show_question(self) -> None:
        question = self.questions[self.index]
        own = self.services.content.module(self.module_id, current_language())
        mine = next((q for q in (own.self_check if own else ()) if q.id == question.id), question)
        title = _("Before the module: {module}") if self.phase == BEFORE else _("After the module: {module}")
        self.title.setText(title.format(module=own.title if own else self.module_id))
        self.counter.setText(_("Question {number} of {count}").format(number=self.index + 1,
                                                                     count=len(self.questions)))
        self.question.setText(mine.question)
        self.options.setText("\n".join(f"{n}. {option}" for n, option in enumerate(mine.options, start=1)))
        if self.projected is not None:
            folder = self.services.content.root / "modules" / self.module_id
            self.projected.view.set_question(question, self.tr_group("Question {number} of {count}").format(
                number=self.index + 1, count=len(self.questions)), folder, self.group_language)
        with self.services.db.session() as db:
            self.answers = recorded(db, self.session_id, self.module_id, question.id, self.phase)
        self._fill_tally(len(mine.options))
        self.person_row = 0
        self._fill_people()
        self.set_mode(self.mode)
        self._say(_(CLOSED) if self._locked() else "")
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(self.questions) - 1)
        self.retranslate()

    def _fill_tally(self, options: int) -> None:
        while (item := self.tally_form.takeAt(0)) is not None:
            if item.widget() is not None:
                item.widget().deleteLater()
        self.counts = [self._tally_box(_("Answer {number}").format(number=option + 1),
                                       self.answers.tally.get(option, 0)) for option in range(options)]
        self.present = self._tally_box(_("People present"), self.answers.present if self.answers.present is not None
                                       else len(self.people))

    def _tally_box(self, text: str, value: int) -> QSpinBox:
        """One number of the tally, with its label, in the language's digits (``format_number``:
        Western in Arabic, as every other number on the screen; Qt's own would be ٥)."""
        cell = QWidget()
        row = QHBoxLayout(cell)
        row.setContentsMargins(0, 0, 0, 0)
        box = QSpinBox()
        box.setLocale(digits_locale())
        box.setRange(0, MAX_GROUP)
        box.setValue(value)
        label = QLabel(text)
        label.setBuddy(box)
        row.addWidget(label)
        row.addWidget(box)
        self.tally_form.addWidget(cell)
        return box

    def _fill_people(self) -> None:
        self.people_list.clear()
        for line in self.people:
            answer = self.answers.people.get(line.participant_id)
            name = f"{line.given_name} {line.family_name}".strip() or line.case_number
            shown = _("{name} — answer {number}").format(name=name, number=answer + 1) if answer is not None \
                else _("{name} — no answer yet").format(name=name)
            self.people_list.addItem(shown)
        if self.people:
            # Past the last person: nobody highlighted, and a number key changes nothing.
            self.people_list.setCurrentRow(self.person_row if self.person_row < len(self.people) else -1)

    def set_mode(self, mode: str) -> None:
        self.mode = mode if self.people or mode == TALLY else TALLY
        self.pages.setCurrentIndex(0 if self.mode == TALLY else 1)
        (self.tally_button if self.mode == TALLY else self.person_button).setChecked(True)
        if self.mode == TALLY and self.counts:
            self.counts[0].setFocus()
            self.counts[0].selectAll()
        else:
            self.setFocus()
        self.retranslate()
        # The numbers or the list in sight, once laid out, however short the screen.
        QTimer.singleShot(0, self, lambda: self.scroll.ensureWidgetVisible(self.pages, 0, 0))
        if self.shared and hasattr(self, "_room"):
            self.place(self._room)  # a tally's boxes take more of the strip than a person's line

    def _show_shared(self) -> None:
        """On a shared screen the group sees the console: the question is theirs above it, and
        no name nor anyone's answer is shown — only where the recording is."""
        for widget in (self.title, self.counter, self.question, self.options, self.modes, self.hint):
            widget.setVisible(not self.shared)
        self.status.setVisible(self.shared)
        self.pages.setVisible(not self.shared or self.mode == TALLY)
        self.scroll.setVisible(not self.shared or self.mode == TALLY)  # each person: the status line alone
        if not self.shared:
            return
        if self.mode == TALLY:
            self.status.setText(_("Shared screen: type how many raised a hand for each answer (Tab moves on); Enter "
                                  "saves and shows the next question. T: each person, without names."))
        elif self.people_list.currentRow() < 0:  # past the last person: the hint says so, with no name
            self.status.setText(self.hint.text())
        else:
            self.status.setText(_("Shared screen, names hidden: person {number} of {count} in the attendance list, "
                                  "{answered} answered. 1 to 4: their answer; 0 takes it back. T: a group tally.")
                                .format(number=format_number(self.people_list.currentRow() + 1),
                                        count=format_number(len(self.people)),
                                        answered=format_number(len(self.answers.people))))

    def _say(self, text: str) -> None:
        """The error line, shown only with something to say (empty, it took a line)."""
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # -- recording ----------------------------------------------------------------------
    def _locked(self) -> bool:
        """The session is closed and the PIN not given yet in this check."""
        if self.pin_given:
            return False
        with self.services.db.session() as db:
            return is_closed(db, self.session_id)

    def _may_record(self) -> bool:
        """True when answers may be written now: an open session, or a closed one once the
        facilitator gave the PIN (asked here the first time; a wrong PIN or Cancel: False)."""
        from co_app.ui.sessions.lock import ensure_editable

        if not self._locked():
            return True
        if not ensure_editable(self, self.services, self.session_id, "learning answers"):
            self._say(_(CLOSED))
            return False
        self.pin_given = True
        self._say("")
        return True

    def save_tally(self) -> bool:
        """The tally typed in, saved (a tally of zeros is not saved: nobody typed one)."""
        counts = {option: box.value() for option, box in enumerate(self.counts)}
        if self.mode != TALLY or not any(counts.values()):
            return True
        from co_app.core.learning.answers import AnswerError

        if not self._may_record():
            return False
        try:
            with self.services.db.session() as db, db.begin():
                record_tally(db, self.where, counts, self.present.value(), self.recorded_by, unlocked=self.pin_given)
        except AnswerError as exc:
            self._say(exc.notice.translated())
            return False
        return True

    def answer_person(self, option: int | None) -> None:
        """The highlighted person's answer (None: taken back); the next person highlighted."""
        if not self.people or (option is not None and option >= len(self.questions[self.index].options)):
            return
        if self.people_list.currentRow() < 0:
            return  # the end of the list (the hint says so): ↑ goes back to change an answer
        if not self._may_record():
            return
        row = self.people_list.currentRow()
        person = self.people[row].participant_id
        with self.services.db.session() as db, db.begin():
            if option is None:
                clear_person(db, self.where, person, unlocked=self.pin_given)
            else:
                record_person(db, self.where, person, option, self.recorded_by, unlocked=self.pin_given)
        if option is None:
            self.answers.people.pop(person, None)
        else:
            self.answers.people[person] = option
        self.person_row = row + 1 if option is not None else row  # after the last: the end of the list
        self._fill_people()
        self._show_shared()

    # -- moving -------------------------------------------------------------------------
    def next(self) -> None:
        if self.save_tally() and self.index < len(self.questions) - 1:
            self.index += 1
            self._show_question()

    def previous(self) -> None:
        if self.save_tally() and self.index > 0:
            self.index -= 1
            self._show_question()

    def next_or_finish(self) -> None:
        if self.index < len(self.questions) - 1:
            self.next()
        elif self.save_tally():
            self.close()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = shortcut_key(event)  # 1-4 and T by their place on an Arabic keyboard too
        if self.mode == PERSON and key in ANSWER_KEYS:
            self.answer_person(ANSWER_KEYS[key])
        elif self.mode == PERSON and key in CLEAR_KEYS:
            self.answer_person(None)
        elif self.mode == PERSON and key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.people:
            step = 1 if key == Qt.Key.Key_Down else -1
            self.person_row = next_row(self.people_list.currentRow(), step, len(self.people))
            self.people_list.setCurrentRow(self.person_row if self.person_row < len(self.people) else -1)
            self._show_shared()
        elif self.mode == TALLY and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # a spin box passes it on
            self.next_or_finish()
        elif key in NEXT_KEYS or (self.mode == PERSON and key == Qt.Key.Key_Right):
            self.next()
        elif key in PREVIOUS_KEYS or (self.mode == PERSON and key == Qt.Key.Key_Left):
            self.previous()
        elif key == Qt.Key.Key_T:
            self.set_mode(PERSON if self.mode == TALLY else TALLY)
        elif key == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Learning check"))
        self.tally_button.setText(_("Group tally"))
        self.person_button.setText(_("Each person"))
        self.previous_button.setText(_("Previous question"))
        self.next_button.setText(_("Next question"))
        self.finish_button.setText(_("Finish the check"))
        if self.mode == TALLY:
            self.hint.setText(_("Type how many raised a hand for each answer (Tab moves on), and how many are "
                                "here. Enter or Page Down saves and shows the next question. T: each person."))
        else:
            self.hint.setText(_("Press 1 to 4 for the highlighted person's answer: it is saved and the next person "
                                "is highlighted. 0 takes an answer back; Page Down: the next question. "
                                "T: a group tally."))
            if self.people and self.people_list.currentRow() < 0:
                self.hint.setText(end_of_list_hint(len(self.answers.people), len(self.people),
                                                   self.index == len(self.questions) - 1))
        self._show_shared()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.save_tally() and not discard_unsaved_tally(self, self.error.text()):
            event.ignore()  # keep editing: a tally typed is not dropped by Esc or Finish
            return
        if self.projected is not None:
            self.projected.close()
            self.projected.deleteLater()
            self.projected = None
        self.finished.emit()
        super().closeEvent(event)


class CheckOffer:
    """The runner's "Check before" / "Check after" button: on a module's first screen the
    check before it, on its last the check after; K opens it too."""

    def __init__(self, runner) -> None:  # a SessionRunnerWindow
        self.runner = runner
        self.button = QPushButton()
        self.button.clicked.connect(self.open)
        self.window: CheckWindow | None = None

    def phase(self) -> str | None:
        runner = self.runner
        step = runner.runner.current
        module = runner.services.content.module(step.ref) if step.kind == "module" else None
        if module is None or not module.self_check:
            return None
        if runner.slide_index == 0:
            return BEFORE
        return AFTER if runner.slide_index == len(runner.slides()) - 1 else None

    def update(self) -> None:
        phase = self.phase()
        self.button.setVisible(phase is not None)
        self.button.setText(_("Check before (K)") if phase == BEFORE else _("Check after (K)"))

    def open(self) -> CheckWindow | None:
        phase, runner = self.phase(), self.runner
        if phase is None:
            return None
        projecting = runner.presentation is not None and runner.presentation.isVisible()
        self.window = CheckWindow(runner.services, runner.session_id, runner.runner.current.ref, phase,
                                  group_language=runner.language, recorded_by=runner.session.facilitator,
                                  projector=runner.projector_choice() if projecting else None,
                                  console=runner.screen())
        self.window.finished.connect(runner.activateWindow)
        self.window.show()
        self.window.activateWindow()
        return self.window
