"""A film step of the session runner: the film on the projector, from its start, full
screen, with the group's subtitles, driven by the runner's keys.

The Films page's player does the playing (its projector window, its libVLC); this object
only says what to play and takes the keys first while the film is on:

- Space, Page Down, F5, Enter (a presentation clicker's "next" and "play"): pause / play;
- Page Up (the clicker's "back"): ten seconds back;
- Esc: the film pauses and the slides come back;
- B or "." (the clicker's "blank"): a calm dark screen, and back; S: the next subtitles.

The film's end brings the slides back by itself.  A moment step (a film step naming one
moment of its film) plays from the moment's start and, at the moment's end, pauses and
brings the slides back the same way: the clip is there to be talked about, and the group
should not watch on into the next scene.  Playing the step again starts the moment again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QScreen

from co_app.core.foundation.i18n import _, isolate
from co_app.core.sessions.agenda import Step
from co_app.core.sessions.slides import step_moment
from co_app.player.protocol import PlayerState
from co_app.ui.media.player_panel import format_clock
from co_app.ui.shell.keyboard import key_hint

if TYPE_CHECKING:
    from co_app.core.media.manifest import Manifest
    from co_app.ui.media.films import FilmsView
    from co_app.ui.sessions.slides_cable import SlidesCable

PLAY_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_PageDown, Qt.Key.Key_F5, Qt.Key.Key_Return, Qt.Key.Key_Enter)
BACK_MS = 10_000


def film_keys_hint() -> str:
    return key_hint(_("Esc: back to the slides · Space or Page Down: pause and play · B: a calm screen"))


def moment_range(step: Step, manifest: Manifest | None) -> tuple[int, int | None]:
    """Where a film step starts and stops, in ms: its moment's times, else the whole film
    (also for a moment the film manifest no longer has)."""
    moment = step_moment(step, manifest)
    return (moment.start_ms, moment.end_ms or None) if moment is not None else (0, None)


def moment_times(step: Step, manifest: Manifest | None) -> str:
    """"02:10–03:05" for a moment step (kept left to right in any language), else ""."""
    moment = step_moment(step, manifest)
    if moment is None:
        return ""
    return "\u2066{start}–{end}\u2069".format(start=format_clock(moment.start_ms), end=format_clock(moment.end_ms))


def start_hint(step: Step, manifest: Manifest | None) -> str:
    """On a film step not yet shown: which key starts it, and from where."""
    if not step.moment:
        return key_hint(_("Space or Page Down plays the film on the projector, from its start."))
    times = moment_times(step, manifest)
    if not times:  # the content changed since the agenda was made
        return key_hint(_("The film no longer has the moment “{moment}”: Space or Page Down plays the film on "
                          "the projector, from its start.")).format(moment=isolate(step.moment))
    return key_hint(_("Space or Page Down plays this moment of the film on the projector ({times}); at its end "
                      "the slides come back.")).format(times=times)


class FilmStep(QObject):
    """One showing of one film; ``finished`` once it ended or the facilitator pressed Esc."""

    finished = Signal()

    def __init__(self, films: FilmsView, film_id: str, language: str, parent: QObject | None = None, *,
                 cable: SlidesCable | None = None) -> None:
        super().__init__(parent)
        self.cable = cable  # the runner's slides and the projector's cable
        self.films = films
        self.panel = films.player_panel
        self.film_id = film_id
        self.language = language
        self.active = False
        self.lost_screen: str | None = None

    def start(self, screen: QScreen, start_ms: int = 0, end_ms: int | None = None) -> bool:
        """From ``start_ms`` (the film's start, or a moment's), full screen on ``screen``."""
        if not self.films.open_for_group(self.film_id, self.language):
            return False
        self.active = True
        self.panel.key_filter = self.handle_key
        self.panel.state_changed.connect(self._state_changed)
        self.panel.moment_ended.connect(self.finish)  # a moment's end: the slides, as at the film's end
        self.panel.enter_projector(screen)  # first: libVLC starts in the projector's window, where it seeks
        self.panel.play_range(start_ms, end_ms)
        self.panel.output.say(film_keys_hint(), 6000)
        return True

    def handle_key(self, event: QKeyEvent) -> bool:
        if not self.active:
            return False
        key = event.key()
        if key == Qt.Key.Key_Escape:
            if self.panel.output.blank:
                self.panel.toggle_blank()  # Esc first lifts the calm screen, as a clicker's user expects
            else:
                self.finish()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.panel.output.returned is not None:
            return False  # Enter answers "move the film back to the projector"
        if key in PLAY_KEYS:
            if self.panel.output.blank:
                self.panel.toggle_blank()
            else:
                self.panel.toggle_play()
            return True
        if key == Qt.Key.Key_PageUp:
            self.panel.seek_to(max(0, self.panel.position_ms() - BACK_MS))
            return True
        return False

    def _state_changed(self, state: object) -> None:
        if state is PlayerState.ENDED:
            self.finish()

    def finish(self) -> None:
        """Back to the slides: the film paused where it was, the projector given back."""
        if not self.active:
            return
        self.active = False
        #: The projector the film was on when its cable was pulled (the film ended on the
        #: laptop): the slides that come back are offered there when it is plugged in again.
        self.lost_screen = self.panel.output.lost_screen
        self.panel.key_filter = None
        self.panel.state_changed.disconnect(self._state_changed)
        self.panel.moment_ended.disconnect(self.finish)
        self.panel.leave_projector(pause=True)
        self.finished.emit()
        cable, lost = self.cable, self.lost_screen
        if cable is not None and lost is not None:  # once the slides are back (on the laptop): offered on re-plug
            QTimer.singleShot(0, cable, lambda: cable.moved_by_cable(lost))
