"""The session runner: the facilitator's console for running the agenda.

The laptop shows the agenda, the current screen, the step's timer and the buttons; the
projector (``PresentationWindow``) shows only the current screen, in large type and in
the group's language.  Next and Previous walk through the screens of a step and then on
to the next step — a presentation clicker (Page Down / Page Up) does the same.  Space
turns a myth card over or shows a self-check's answer before moving on.

A film step plays on the projector, from its start (a moment step: from the moment's, to its
end), with the group's subtitles; while it plays the keys are the film's (``film_step``), and
Esc brings the slides back.  B or "." turns the projector to a calm dark screen and back.
A pulled projector cable brings the slides to the laptop, and plugging it back offers to
move them there again (``slides_cable``).

Reaching the last screen of a module records it as covered for the session; the
"Covered" box corrects that either way.  A closed session asks for the PIN first."""

from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QHBoxLayout, QLabel, QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)

from co_app.core.sessions import agenda as agenda_core
from co_app.core.foundation import i18n
from co_app.core.sessions import service as session_service
from co_app.core.bootstrap import Services
from co_app.core.foundation.i18n import _, isolate, ngettext
from co_app.core.sessions.slides import Slide, step_slides, step_title, with_content_version
from co_app.ui.media.projector import chosen_screen, fill_screen_box
from co_app.ui.sessions.film_step import film_keys_hint, moment_range, moment_times, start_hint
from co_app.ui.sessions.slide_fit import SlideFitter
from co_app.ui.sessions.slide_view import SlideView
from co_app.ui.shell.language import listen_while_alive
from co_app.ui.sessions.slides_cable import SlidesCable
from co_app.ui.sessions.step_list import steps_list
from co_app.ui.shell.flow_layout import FlowLayout
from co_app.ui.shell.keyboard import key_hint, shortcut_key

NEXT_KEYS = (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Down)
PREVIOUS_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Up)
#: On a film step not yet shown, these start the film (a clicker has only "next").
START_FILM_KEYS = NEXT_KEYS + (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
BLANK_KEYS = (Qt.Key.Key_B, Qt.Key.Key_Period)


def clock_text(seconds: int) -> str:
    seconds = abs(seconds)
    return "\u2066{:d}:{:02d}\u2069".format(seconds // 60, seconds % 60)


class SessionRunnerWindow(QWidget):
    """Run one session's agenda.  ``film_requested(film_id)`` asks the main window to
    play a film step (the player has its own projector mode)."""

    film_requested = Signal(str)
    #: Emitted when module coverage changed (the attendance page refreshes).
    coverage_changed = Signal()

    def __init__(self, services: Services, session_id: str, *, clock: Callable[[], float] = time.monotonic,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("runnerWindow")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.services = services
        self.session_id = session_id
        with services.db.session() as db:
            self.session = session_service.get_session(db, session_id)
            self.steps = agenda_core.load_agenda(db, session_id)
            self.covered = set(agenda_core.covered_modules(db, session_id))
        self.runner = agenda_core.AgendaRunner(self.steps, clock=clock)
        self.language = self.session.language
        self.tr_group = i18n.translator_for(self.language, services.locale_dir)
        self._slides: dict[int, list[Slide]] = {}
        self._fitter = SlideFitter(self)
        self.slide_index = 0
        self.presentation = None
        self.film_step = None          # the film on the projector now (film_step.FilmStep)
        self.film_shown = False        # this visit of the film step has shown it already
        self._build()
        self.slides_cable = SlidesCable(self)  # the cable pulled and plugged back: the slides' question
        self.layout().itemAt(1).layout().insertWidget(2, self.slides_cable.prompt)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        listen_while_alive(self, self._language_changed)  # and not after Qt deleted it
        self.retranslate()
        self._show()
        self.resize(1100, 720)

    # -- building -----------------------------------------------------------------------
    # Longer than 60 lines on purpose: it builds one layout in reading order, top to bottom;
    # split up, the layout would be spread over several places.
    def _build(self) -> None:
        self.steps_list = steps_list()
        self.steps_list.itemActivated.connect(self._step_clicked)
        self.steps_list.itemClicked.connect(self._step_clicked)
        self.step_label = QLabel()
        self.step_label.setObjectName("emptyTitle")
        self.position_label = QLabel()
        self.position_label.setObjectName("muted")
        self.timer_label = QLabel()
        self.timer_label.setObjectName("runnerTimer")
        self.preview = SlideView()
        # It takes the room the rest leaves; its minimum leaves a 600 px netbook, in Arabic's
        # taller lines and with larger text, room for the titles, the film's hint and the buttons.
        self.preview.setMinimumSize(400, 200)
        self.film_hint = QLabel()  # on a film step: which key starts it, and while it plays, Esc
        self.film_hint.setObjectName("runnerHint")
        self.film_hint.setWordWrap(True)
        self.screen_box = QComboBox()  # which screen is the projector, by its size
        self.screen_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # the size, whole
        QGuiApplication.instance().screenAdded.connect(self._screens_changed)
        QGuiApplication.instance().screenRemoved.connect(self._screens_changed)

        self.previous_button = QPushButton()
        self.previous_button.clicked.connect(self.previous)
        self.reveal_button = QPushButton()
        self.reveal_button.clicked.connect(self.reveal)
        self.next_button = QPushButton()
        self.next_button.setObjectName("primary")
        self.next_button.clicked.connect(self.next)
        self.film_button = QPushButton()
        self.film_button.clicked.connect(self._play_film)
        self.covered_box = QCheckBox()
        self.covered_box.clicked.connect(self._covered_clicked)
        self.projector_button = QPushButton()
        self.projector_button.clicked.connect(self.toggle_projector)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        for button in (self.previous_button, self.reveal_button, self.next_button, self.film_button,
                       self.projector_button, self.close_button):
            button.setAutoDefault(True)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.step_label)
        titles.addWidget(self.position_label)
        top.addLayout(titles, 1)
        top.addWidget(self.timer_label)
        from co_app.ui.learning.check_window import CheckOffer  # the learning check before and after (issue 21)

        self.check_offer = CheckOffer(self)
        # Each control whole, in every language and text size: a second line on a netbook.
        flow = FlowLayout(spacing=8, line_spacing=6)
        for widget in (self.previous_button, self.reveal_button, self.film_button, self.covered_box,
                       self.check_offer.button):
            flow.addWidget(widget)
        controls = QHBoxLayout()
        controls.addLayout(flow, 1)
        controls.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignBottom)
        centre = QVBoxLayout()
        centre.addLayout(top)
        centre.addWidget(self.preview, 1)
        centre.addWidget(self.film_hint)
        centre.addLayout(controls)
        side = QVBoxLayout()
        self.agenda_caption = QLabel()
        self.agenda_caption.setObjectName("muted")
        side.addWidget(self.agenda_caption)
        side.addWidget(self.steps_list, 1)
        side.addWidget(self.screen_box)
        side.addWidget(self.projector_button)
        side.addWidget(self.close_button)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 16, 16, 16)
        row.setSpacing(16)
        row.addLayout(side)
        row.addLayout(centre, 1)
        self.setStyleSheet("QWidget#runnerWindow { background: #f7f7f4; }"
                           "QLabel#runnerTimer { font-size: 22pt; font-weight: bold; color: #123c4a; }"
                           "QLabel#runnerTimer[over=\"true\"] { color: #8c1f08; }"
                           "QLabel#runnerHint { background: #e3ecef; color: #123c4a; padding: 6px 10px;"
                           " border-radius: 4px; }")

    # -- the agenda ---------------------------------------------------------------------
    def slides(self, index: int | None = None) -> list[Slide]:
        index = self.runner.index if index is None else index
        if index not in self._slides:
            self._slides[index] = step_slides(self.steps[index], self.services.content,
                                              self.services.manifest, self.language)
            content = self.services.active_content
            if index == 0 and content is not None:  # the projector's first slide says which content
                self._slides[index] = with_content_version(self._slides[index], content.version, content.date)
        return self._slides[index]

    @property
    def current_slide(self) -> Slide:
        return self.slides()[self.slide_index]

    def go_to_step(self, index: int, *, slide: int = 0) -> None:
        self.runner.go_to(index)
        self.film_shown = False
        count = len(self.slides())
        self.slide_index = max(0, min(count - 1, slide if slide >= 0 else count + slide))
        self._show()

    def next(self) -> None:
        if self.slide_index < len(self.slides()) - 1:
            self.slide_index += 1
            self._show()
        elif not self.runner.is_last:
            self.go_to_step(self.runner.index + 1)

    def previous(self) -> None:
        if self.slide_index > 0:
            self.slide_index -= 1
            self._show()
        elif self.runner.index > 0:
            self.go_to_step(self.runner.index - 1, slide=-1)

    def reveal(self) -> None:
        self.preview.reveal()
        if self.presentation is not None and self.presentation.isVisible():
            self.presentation.view.reveal()
        self._update_buttons()

    def _step_clicked(self, item: QListWidgetItem) -> None:
        self.go_to_step(self.steps_list.row(item))

    def _show(self) -> None:
        # Shared out over more screens first if it would not fit a projector (slide_fit.py).
        self._fitter.fit_at(self.slides(), self.slide_index, self.language, self.tr_group)
        slide = self.current_slide
        self.preview.set_slide(slide, language=self.language, tr=self.tr_group)
        if self.presentation is not None and self.presentation.isVisible():
            self.presentation.view.set_slide(slide, language=self.language, tr=self.tr_group)
        step = self.runner.current
        if step.kind == "module" and self.slide_index == len(self.slides()) - 1:
            self._mark_covered_on_completion(step.ref)
        self._fill_steps()
        self._update_texts()
        self._tick()

    def _mark_covered_on_completion(self, module_id: str) -> None:
        """The group reached the module's last screen: record it (not for a closed session,
        where a change needs the PIN — the box is there for that)."""
        if module_id in self.covered:
            return
        with self.services.db.session() as db:
            if session_service.is_closed(db, self.session_id):
                return
            agenda_core.set_module_covered(db, self.session_id, module_id, True)
        self.covered.add(module_id)
        self.coverage_changed.emit()

    def _covered_clicked(self, checked: bool) -> None:
        from co_app.ui.sessions.lock import ensure_editable

        step = self.runner.current
        if step.kind != "module":
            return
        if not ensure_editable(self, self.services, self.session_id, "module coverage"):
            self.covered_box.setChecked(step.ref in self.covered)
            return
        with self.services.db.session() as db:
            agenda_core.set_module_covered(db, self.session_id, step.ref, checked)
        (self.covered.add if checked else self.covered.discard)(step.ref)
        self._fill_steps()
        self.coverage_changed.emit()

    def _play_film(self) -> None:
        step = self.runner.current
        if step.kind == "film" and self.film_step is None:
            self.film_requested.emit(step.ref)  # the main window answers with play_film_with

    def play_film_with(self, films) -> bool:
        """The film of this step on the projector, full screen, from its start, with the
        group's subtitles; the keys are the film's until it ends or Esc (``films``: the Films page)."""
        from co_app.ui.sessions.film_step import FilmStep

        step = self.runner.current
        if step.kind != "film" or self.film_step is not None:
            return False
        self._projecting_before_film = self.presentation is not None and self.presentation.isVisible()
        film_step = FilmStep(films, step.ref, self.language, self, cable=self.slides_cable)
        if self.presentation is not None:
            self.slides_cable.forget()
            self.presentation.hide()
        if not film_step.start(self.projector_choice(), *moment_range(step, self.services.manifest)):
            self._update_texts()
            return False
        self.film_step = film_step
        self.film_shown = True
        film_step.finished.connect(self.film_finished)
        self._film_prompt(films.player_panel.output)
        if len(QGuiApplication.screens()) > 1:
            self.activateWindow()  # the laptop keeps the keyboard; one screen: the film has it
            self.setFocus()  # the runner's keys, not a button's (Space would click it)
        self._update_texts()
        return True

    def _film_prompt(self, output) -> None:
        """The projector plugged back mid-film: the question on this window too."""
        from co_app.ui.media.projector_output import ReturnPrompt

        if getattr(self, "return_prompt", None) is None or self.return_prompt.output is not output:
            self.return_prompt = ReturnPrompt(output, self)
            self.layout().itemAt(1).layout().insertWidget(2, self.return_prompt)

    def film_finished(self) -> None:
        """Back from the film: this window in front, the slides on the projector again."""
        if self.film_step is not None:
            step, self.film_step = self.film_step, None
            step.finish()
            step.deleteLater()
        self._update_texts()
        if getattr(self, "_projecting_before_film", False) and not (
                self.presentation is not None and self.presentation.isVisible()):
            self.toggle_projector()
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    # -- projector ----------------------------------------------------------------------
    def projector_choice(self):  # QScreen
        """The screen picked in the list, else the likeliest projector."""
        return chosen_screen(self.screen_box)

    def _screens_changed(self, _screen=None) -> None:
        """A cable pulled or plugged: the list follows (the slides follow in ``slides_cable``)."""
        fill_screen_box(self.screen_box)

    def toggle_projector(self) -> None:
        from co_app.ui.sessions.presentation import PresentationWindow

        self.slides_cable.forget()
        if self.presentation is not None and self.presentation.isVisible():
            self.presentation.hide()
        else:
            if self.presentation is None:
                self.presentation = PresentationWindow()
                self.presentation.key_pressed.connect(self.handle_key)
            self.presentation.view.set_slide(self.current_slide, language=self.language, tr=self.tr_group)
            if self.preview.revealed:
                self.presentation.view.reveal()
            self.presentation.set_blank(False)
            self.presentation.show_on(self.projector_choice())
            if len(QGuiApplication.screens()) > 1:
                self.activateWindow()  # the laptop keeps the keyboard; one screen: the slide has it
        self._update_texts()

    # -- keys ---------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not self.handle_key(event):
            super().keyPressEvent(event)

    def handle_key(self, event: QKeyEvent) -> bool:
        key = shortcut_key(event)  # K, B, P by their place on an Arabic or Tigrinya layout too
        if self.film_step is not None:  # the film's keys while it is on
            self.film_step.panel.handle_key(event)
            return True
        if self.slides_cable.handle_key(event):  # Enter: the slides back to the projector plugged again
            return True
        if self.runner.current.kind == "film" and not self.film_shown and key in START_FILM_KEYS:
            self._play_film()
        elif key in BLANK_KEYS:
            if self.presentation is not None and self.presentation.isVisible():
                self.presentation.set_blank(not self.presentation.blank)
        elif key in NEXT_KEYS:
            self.next()
        elif key in PREVIOUS_KEYS:
            self.previous()
        elif key == Qt.Key.Key_Space:
            if self.preview.can_reveal():
                self.reveal()
            else:
                self.next()
        elif key == Qt.Key.Key_K:
            self.check_offer.open()
        elif key in (Qt.Key.Key_F5, Qt.Key.Key_P):
            self.toggle_projector()
        elif key == Qt.Key.Key_Escape and self.presentation is not None and self.presentation.isVisible():
            self.toggle_projector()
        else:
            return False
        return True

    # -- texts --------------------------------------------------------------------------
    def _tick(self) -> None:
        remaining = self.runner.remaining_seconds()
        if remaining >= 0:
            self.timer_label.setText(_("{time} left").format(time=clock_text(remaining)))
        else:
            self.timer_label.setText(_("{time} over time").format(time=clock_text(remaining)))
        over = remaining < 0
        if self.timer_label.property("over") != over:
            self.timer_label.setProperty("over", over)
            self.timer_label.style().unpolish(self.timer_label)
            self.timer_label.style().polish(self.timer_label)

    def step_name(self, index: int, language: str | None = None) -> str:
        """The step's name in the facilitator's language (the runner is their console); the
        slides keep the group's, as ``language`` asks."""
        step = self.steps[index]
        if step.kind == "break":
            return _("Break")
        return step_title(step, self.services.content, self.services.manifest, language or i18n.current_language())

    def _fill_steps(self) -> None:
        kinds = {"module": _("Module"), "film": _("Film"), "town": _("Town"), "break": ""}
        self.steps_list.blockSignals(True)
        self.steps_list.clear()
        for index, step in enumerate(self.steps):
            mark = "✓ " if step.kind == "module" and step.ref in self.covered else ""
            kind = " · ".join(filter(None, (kinds[step.kind], moment_times(step, self.services.manifest))))
            minutes = ngettext("{count} minute", "{count} minutes", step.minutes).format(count=step.minutes)
            text = "{number}. {mark}{name}\n{kind}{sep}{minutes}".format(
                number=index + 1, mark=mark, name=isolate(self.step_name(index)), kind=kind,
                sep=" · " if kind else "", minutes=minutes)
            item = QListWidgetItem(text)
            if index == self.runner.index:
                font = self.steps_list.font()  # the list's own size, bold (wrapped to fit)
                font.setBold(True)
                item.setFont(font)
            self.steps_list.addItem(item)
        self.steps_list.setCurrentRow(self.runner.index)
        self.steps_list.blockSignals(False)

    def _update_buttons(self) -> None:
        slide = self.current_slide
        self.reveal_button.setVisible(slide.kind in ("myth", "check"))
        if slide.kind == "myth":
            self.reveal_button.setText(_("Turn the card back") if self.preview.revealed else _("Turn the card over"))
        else:
            self.reveal_button.setText(_("Hide the answer") if self.preview.revealed else _("Show the answer"))
        last = self.runner.is_last and self.slide_index == len(self.slides()) - 1
        filming = self.film_step is not None  # Esc first: the slides move only with the film stopped
        self.next_button.setEnabled(not last and not filming)
        self.previous_button.setEnabled((self.runner.index > 0 or self.slide_index > 0) and not filming)

    def _update_texts(self) -> None:
        step = self.runner.current
        name = self.step_name(self.runner.index)
        self.step_label.setText(name)
        group_name = self.step_name(self.runner.index, self.language)  # as the projector shows it
        self.step_label.setToolTip(group_name if group_name != name else "")
        self.position_label.setText(_("Step {step} of {steps} · screen {screen} of {screens}").format(
            step=self.runner.index + 1, steps=len(self.steps), screen=self.slide_index + 1,
            screens=len(self.slides())))
        self.film_button.setVisible(step.kind == "film")
        self.film_button.setEnabled(self.film_step is None)
        self.film_hint.setVisible(step.kind == "film" and (
            self.film_step is not None or not self.film_shown or not self.runner.is_last))
        if self.film_step is not None:
            self.film_hint.setText(film_keys_hint())
        elif not self.film_shown:
            self.film_hint.setText(start_hint(step, self.services.manifest))
        else:
            self.film_hint.setText(key_hint(_("Space or Page Down: the next step.")))
        self.covered_box.setVisible(step.kind == "module")
        self.covered_box.setChecked(step.ref in self.covered)
        self.check_offer.update()
        projecting = self.presentation is not None and self.presentation.isVisible()
        self.projector_button.setText(_("Stop projecting") if projecting else _("Show on the projector"))
        self._update_buttons()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Running the session"))
        self.agenda_caption.setText(_("Agenda"))
        self.previous_button.setText(_("Previous"))
        self.next_button.setText(_("Next"))
        self.film_button.setText(_("Play the film"))
        self.covered_box.setText(_("Covered in this session"))
        self.close_button.setText(_("Finish"))
        self.previous_button.setToolTip(key_hint(_("Left arrow or Page Up")))
        self.next_button.setToolTip(key_hint(_("Right arrow, Page Down or a presentation clicker")))
        self.projector_button.setToolTip(key_hint(_("P or F5; Esc stops; B or “.”: a calm screen")))
        self.screen_box.setAccessibleName(_("Screen for the projector"))
        fill_screen_box(self.screen_box)
        self._fill_steps()
        self._update_texts()
        self._tick()

    def _language_changed(self, _code: str) -> None:
        self.retranslate()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self._timer.stop()
        if self.film_step is not None:
            self.film_step.finish()
        if not getattr(self, "_closed", False):  # once, however often it is closed
            self._closed = True
            QGuiApplication.instance().screenAdded.disconnect(self._screens_changed)
            QGuiApplication.instance().screenRemoved.disconnect(self._screens_changed)
            self.slides_cable.close()
        if self.presentation is not None:
            self.presentation.close()
            self.presentation.deleteLater()
            self.presentation = None
        i18n.remove_language_listener(self._language_changed)
        super().closeEvent(event)
