"""The runner's slides and the projector's cable: pulled mid-session, the slides (or the calm
screen) come to the laptop's screen; plugged back, the runner offers to move them there
again — the same question the film asks (``ReturnPrompt`` on the runner, never modal, and a
note on the slides themselves, where Enter accepts, since full-screen slides on the laptop
hide the runner).  Nothing moves unasked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QScreen

from co_app.core.foundation.i18n import _
from co_app.ui.media.projector import screen_label
from co_app.ui.media.projector_output import ReturnPrompt
from co_app.ui.media.screen_note import ScreenNote
from co_app.ui.shell.keyboard import key_hint

if TYPE_CHECKING:
    from co_app.ui.sessions.runner_window import SessionRunnerWindow

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class SlidesCable(QObject):
    """Watches the screens for the runner's presentation window (``runner.presentation``)."""

    #: The projector came back: its label ("Screen 2 (projector) — 1024×768"), or "" once answered.
    screen_returned = Signal(str)

    def __init__(self, runner: SessionRunnerWindow) -> None:
        super().__init__(runner)
        self.runner = runner
        self.note = ScreenNote()
        self.lost: str | None = None           # the screen the slides were on when its cable was pulled
        self.returned: QScreen | None = None   # a screen plugged back, not yet answered
        self.prompt = ReturnPrompt(self, runner, question=self._question)
        app = QGuiApplication.instance()
        app.screenRemoved.connect(self._removed)
        app.screenAdded.connect(self._added)

    def _window(self):  # PresentationWindow | None, when it shows
        window = self.runner.presentation
        return window if window is not None and window.isVisible() else None

    def _question(self, screen: str) -> str:
        window = self.runner.presentation
        if window is not None and window.blank:
            return _("The projector is connected again ({screen}). Move the calm screen back to it?").format(
                screen=screen)
        return _("The projector is connected again ({screen}). Move the slides back to it?").format(screen=screen)

    def _removed(self, screen: QScreen) -> None:
        window = self._window()
        if window is None:
            return
        left = [s for s in QGuiApplication.screens() if s is not screen]
        if not left or any(s.geometry().contains(window.geometry().center()) for s in left):
            return  # another screen's cable, or nothing left to show on
        self.lost = screen.name()
        laptop = QGuiApplication.primaryScreen()
        window.show_on(laptop if laptop in left else left[0])
        self.runner.activateWindow()

    def _added(self, screen: QScreen) -> None:
        if self._window() is None or self.lost is None or screen == QGuiApplication.primaryScreen():
            return
        self.returned = screen
        self.screen_returned.emit(screen_label(screen, QGuiApplication.screens().index(screen)))
        self.note.show_over(self.runner.presentation, key_hint(_("The projector is connected again. Enter moves "
                                                                 "the slides there.")), 0)

    def moved_by_cable(self, lost: str) -> None:
        """The slides came back on the laptop because ``lost``, the projector, was unplugged
        (the film that was on it ended while its cable was out): offered back when it is
        plugged in again — at once, if it already is."""
        window = self._window()
        if window is None or (window.screen() is not None and window.screen().name() == lost):
            return
        self.lost = lost
        back = next((s for s in QGuiApplication.screens() if s.name() == lost), None)
        if back is not None:
            self._added(back)

    def answer_return(self, *, move: bool) -> None:
        screen, self.returned = self.returned, None
        if screen is None:
            return
        self.note.hide()
        self.screen_returned.emit("")
        window = self._window()
        if move and window is not None and screen in QGuiApplication.screens():
            self.lost = None
            window.show_on(screen)
            self.runner.activateWindow()  # the laptop keeps the keyboard

    def forget(self) -> None:
        """The slides left the projector (stopped, or a film took it): no question pending."""
        self.answer_return(move=False)
        self.lost = None

    def handle_key(self, event: QKeyEvent) -> bool:
        """Enter, while the question is open, moves the slides back."""
        if self.returned is not None and event.key() in ENTER_KEYS:
            self.answer_return(move=True)
            return True
        return False

    def close(self) -> None:
        app = QGuiApplication.instance()
        app.screenRemoved.disconnect(self._removed)
        app.screenAdded.disconnect(self._added)
        self.note.close()
        self.note.deleteLater()
