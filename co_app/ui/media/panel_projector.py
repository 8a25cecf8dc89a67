"""The player panel's projector: the video full screen on the chosen screen, the calm
screen, and a note when a full-screen film is paused (a mixin of ``PlayerPanel``, kept
apart so each file stays readable)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QScreen

from co_app.core.foundation.i18n import _
from co_app.player.protocol import PlayerState
from co_app.ui.shell.keyboard import key_hint


class ProjectorControls:
    """Needs the panel's ``output``, ``screens``, ``project_button``, ``surface``,
    ``projecting_label``, ``_player`` and ``_retarget``."""

    def toggle_blank(self) -> None:
        """B or ".": a calm dark screen on the projector (the film paused), and back."""
        if not self.projecting or self._player is None:
            return
        if not self.output.blank:
            self._resume_after_blank = self._player.state() is PlayerState.PLAYING
            if self._resume_after_blank:
                self._player.pause()
            self.output.set_blank(True)
        else:
            self.output.set_blank(False)
            if getattr(self, "_resume_after_blank", False):
                self._player.play()

    def toggle_projector(self) -> None:
        if self.projecting:
            self.leave_projector()
        else:
            self.enter_projector()

    def enter_projector(self, screen: QScreen | None = None) -> None:
        """Send the video full screen to ``screen`` (else the chosen one); the controls stay here."""
        if self.output.window is None:
            window = self.output.make_window()
            window.key_pressed.connect(self.handle_key)
            window.close_requested.connect(self.leave_projector)
        if screen is None or screen not in QGuiApplication.screens():
            from co_app.ui.media.projector import chosen_screen

            screen = chosen_screen(self.screens)
        window_id = self.output.show_on(screen)
        self.surface.hide()
        self.projecting_label.show()
        self._retarget(window_id)
        self._update_project_button()
        self.projecting_changed.emit(True)

    def leave_projector(self, *, pause: bool = False) -> None:
        """The video back in this window (``pause``: and paused there, whatever it was doing)."""
        if not self.projecting:
            return
        self.output.hide()
        self.projecting_label.hide()
        self.surface.show()
        self._retarget(int(self.surface.winId()), pause=pause)
        self._update_project_button()
        self.projecting_changed.emit(False)
        self.setFocus()

    def _fill_screens(self) -> None:
        from co_app.ui.media.projector import fill_screen_box

        fill_screen_box(self.screens)

    def _screens_changed(self) -> None:
        self._fill_screens()
        self._update_project_button()

    def _update_project_button(self) -> None:
        if self.projecting:
            self.project_button.setText(key_hint(_("Back to this window (Esc)")))
        elif len(QGuiApplication.screens()) > 1:
            self.project_button.setText(_("Show on the projector (F)"))
        else:
            self.project_button.setText(_("Full screen (F)"))

    def _paused_note(self, state: object) -> None:
        """Full screen and paused: a note on the video says so, and how to go on."""
        if state is PlayerState.PAUSED and self.projecting and not self.output.blank and not self._pause_after_seek:
            self.output.say(key_hint(_("Paused — Space plays")), 0)
        elif state is PlayerState.PLAYING and self.output.note.text() == key_hint(_("Paused — Space plays")):
            self.output.note.hide()
