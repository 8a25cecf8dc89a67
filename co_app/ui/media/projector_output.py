"""The projector as a real cable: a screen that can be pulled out and plugged in again.

``ProjectorOutput`` owns the projector window for the player panel.  When the screen it is
on goes away (the cable is pulled mid-film), the window moves to the laptop's screen and
the film goes on; when a screen comes back, it offers to move the film there — a prompt
on the facilitator's window (``ReturnPrompt``, never modal) and a note on the video itself,
where Enter accepts.  ``set_blank`` turns the projector to a calm dark screen and back
(B or ".", as a presentation clicker sends).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from co_app.core.foundation.i18n import _
from co_app.ui.media.projector import ProjectorWindow, screen_label
from co_app.ui.media.screen_note import ScreenNote
from co_app.ui.shell.keyboard import key_hint


def screen_named(name: str) -> QScreen | None:
    return next((s for s in QGuiApplication.screens() if s.name() == name), None)


class ProjectorOutput(QObject):
    #: The window the video must draw into changed (a new native window): its id.
    window_changed = Signal(int)
    #: The projector came back: a label for it ("Screen 2 (projector) — 1024×768"), or "" once answered.
    screen_returned = Signal(str)
    #: The screens changed (the panel refreshes its list).
    screens_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window: ProjectorWindow | None = None
        self.note = ScreenNote()
        self.blank = False
        self._lost: str | None = None           # the name of the screen the cable was pulled from
        self.returned: QScreen | None = None    # a screen plugged back, not yet answered
        app = QGuiApplication.instance()
        app.screenRemoved.connect(self._screen_removed)
        app.screenAdded.connect(self._screen_added)

    @property
    def visible(self) -> bool:
        return self.window is not None and self.window.isVisible()

    @property
    def lost_screen(self) -> str | None:
        """The name of the screen whose cable was pulled while the film was on it (the film
        is on the laptop since), else None."""
        return self._lost

    def make_window(self) -> ProjectorWindow:
        if self.window is None:
            self.window = ProjectorWindow()
        return self.window

    def show_on(self, screen: QScreen) -> int:
        self._lost = None
        self.set_blank(False)
        return self.make_window().show_on(screen)

    def hide(self) -> None:
        self.note.hide()
        self.answer_return(move=False)
        self._lost = None
        if self.window is not None:
            self.set_blank(False)
            self.window.hide()

    def close(self) -> None:
        self.note.close()
        self.note.deleteLater()
        if self.window is not None:
            self.window.close_for_good()
            self.window = None

    def say(self, text: str, ms: int = 3500) -> None:
        """A note over the video, when it is on the projector."""
        if self.visible:
            assert self.window is not None
            self.note.show_over(self.window, text, ms)

    def set_blank(self, blank: bool) -> None:
        if self.window is None:
            return
        self.blank = blank
        self.window.set_blank(blank)
        if blank:
            self.note.hide()

    # -- the cable ------------------------------------------------------------------------
    def _screen_removed(self, screen: QScreen) -> None:
        self.screens_changed.emit()
        if not self.visible:
            return
        assert self.window is not None
        on = self.window.screen()
        if on is not None and on is not screen and on in QGuiApplication.screens() \
                and on.geometry().intersects(self.window.geometry()):
            return
        self._lost = screen.name()
        self._move(QGuiApplication.primaryScreen())

    def _screen_added(self, screen: QScreen) -> None:
        self.screens_changed.emit()
        if not self.visible or self._lost is None or screen == QGuiApplication.primaryScreen():
            return
        self.returned = screen
        label = screen_label(screen, QGuiApplication.screens().index(screen))
        self.screen_returned.emit(label)
        self.say(key_hint(_("The projector is connected again. Enter moves the film there.")), 0)

    def answer_return(self, *, move: bool) -> None:
        screen, self.returned = self.returned, None
        if screen is None:
            return
        self.note.hide()
        self.screen_returned.emit("")
        if move and self.visible and screen in QGuiApplication.screens():
            self._lost = None
            self._move(screen)

    def _move(self, screen: QScreen) -> None:
        assert self.window is not None
        before = int(self.window.surface.winId())
        after = self.window.show_on(screen)
        if after != before:
            self.window_changed.emit(after)


class ReturnPrompt(QWidget):
    """The non-modal question on the facilitator's window once the projector is back.
    ``output``: anything with ``screen_returned`` and ``answer_return`` (the film's
    ProjectorOutput, the runner's slides); ``question``: the question for a screen's label."""

    def __init__(self, output: ProjectorOutput, parent: QWidget | None = None,
                 question: Callable[[str], str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returnPrompt")
        self.output = output
        self.question = question or (lambda screen: _(
            "The projector is connected again ({screen}). Move the film back to it?").format(screen=screen))
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.move_button = QPushButton()
        self.move_button.setObjectName("primary")
        self.move_button.clicked.connect(lambda: output.answer_return(move=True))
        self.keep_button = QPushButton()
        self.keep_button.clicked.connect(lambda: output.answer_return(move=False))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.keep_button)
        row.addWidget(self.move_button)
        output.screen_returned.connect(self._returned)
        self.hide()

    def _returned(self, label: str) -> None:
        if not label:
            self.hide()
            return
        self.label.setText(self.question(label))
        self.move_button.setText(_("Move it to the projector"))
        self.keep_button.setText(_("Keep it here"))
        self.show()
