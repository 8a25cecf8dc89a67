"""The embedded player: video surface, transport controls, subtitle and speed pickers,
keyboard control, and the projector (full-screen) output.

libVLC events arrive on libVLC's threads; ``_Bridge`` re-emits them as a Qt signal so
every handler here runs on the GUI thread (a queued connection), and nothing here ever
calls the player from libVLC's own callbacks.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSlider, QStyle, QVBoxLayout, QWidget,
)

from co_app.core.foundation.i18n import _, pgettext
from co_app.core.foundation.languages import find_language
from co_app.player.protocol import SPEEDS, EventKind, PlayerEvent, PlayerState, PlayerUnavailable
from co_app.ui.media.panel_projector import ProjectorControls
from co_app.ui.media.projector_output import ProjectorOutput, ReturnPrompt
from co_app.ui.shell.keyboard import key_hint, shortcut_key

if TYPE_CHECKING:
    from typing import Callable

    from co_app.player.protocol import Player, PlayerFactory

log = logging.getLogger(__name__)
SEEK_STEP_MS = 10_000
VOLUME_STEP = 10
#: A film paused before it moved window plays this much in the new one, then pauses: enough
#: for libVLC to draw a picture (pausing at the first time event left the window black).
FRAME_SHOWN_MS = 300


def format_clock(ms: int) -> str:
    seconds = max(0, ms) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def language_label(code: str) -> str:
    lang = find_language(code)
    return lang.native_name if lang else code


class _Bridge(QObject):
    event = Signal(object)


class PlayerPanel(ProjectorControls, QWidget):
    """Plays one film at a time on this window's surface or on the projector."""

    #: (film id, language or "") when the user picks a subtitle track: remembered per film.
    subtitle_chosen = Signal(str, str)
    state_changed = Signal(object)
    #: Position in ms, on every time event of the player (the transcript follows it).
    position_changed = Signal(int)
    #: True while the video is on the projector / full screen.
    projecting_changed = Signal(bool)
    #: A moment (``play_range`` with an end) reached its end and paused there.
    moment_ended = Signal()

    def __init__(self, player_factory: PlayerFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factory = player_factory
        self._player: Player | None = None
        self._unavailable: str | None = None
        self._film_id: str | None = None
        self._languages: list[str] = []
        self._dragging = False
        self._pending_seek: int | None = None   # applied once libVLC reports Playing
        self._pause_after_seek = False
        self._stop_at: int | None = None        # end of a "moment"
        #: The projector's window, its screen, the cable pulled and plugged again, the calm screen.
        self.output = ProjectorOutput(self)
        self.output.window_changed.connect(self._retarget)
        self.output.screens_changed.connect(self._screens_changed)
        #: Asked first about every key (the session runner's keys while it shows a film).
        self.key_filter: Callable[[QKeyEvent], bool] | None = None
        self._bridge = _Bridge(self)
        self._bridge.event.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build()
        self.retranslate()

    # -- construction ------------------------------------------------------------------
    # Longer than 60 lines on purpose: it builds one layout in reading order, top to bottom;
    # split up, the layout would be spread over several places.
    def _build(self) -> None:
        self.surface = QFrame()
        self.surface.setObjectName("videoSurface")
        self.surface.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
        self.surface.setMinimumSize(320, 180)
        self.surface.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.projecting_label = QLabel()
        self.projecting_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.projecting_label.setWordWrap(True)
        self.projecting_label.setObjectName("emptyTitle")
        self.projecting_label.hide()
        self.message = QLabel()
        self.message.setObjectName("warning")
        self.message.setWordWrap(True)
        self.message.hide()
        self.return_prompt = ReturnPrompt(self.output)

        self.play_button = QPushButton()
        self.play_button.setObjectName("primary")
        self.play_button.clicked.connect(self.toggle_play)
        self.seek = QSlider(Qt.Orientation.Horizontal)
        self.seek.setRange(0, 0)
        self.seek.sliderPressed.connect(lambda: setattr(self, "_dragging", True))
        self.seek.sliderReleased.connect(self._seek_released)
        self.time_label = QLabel(format_clock(0) + " / " + format_clock(0))
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(80)
        self.volume.setMinimumWidth(70)
        self.volume.setMaximumWidth(110)
        self.volume.valueChanged.connect(self._volume_changed)
        self.speed = QComboBox()
        for rate in SPEEDS:
            self.speed.addItem(f"{rate:g}×", rate)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.currentIndexChanged.connect(self._speed_changed)
        self.subtitles = QComboBox()
        self.subtitles.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.subtitles.setMinimumContentsLength(7)
        self.subtitles.activated.connect(self._subtitle_activated)
        self.subtitle_caption = QLabel()
        self.volume_caption = QLabel()  # a speaker icon: the slider's accessible name says "Volume"
        self.volume_caption.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaVolume).pixmap(20, 20))
        self.screens = QComboBox()
        self.screens.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.screens.setMinimumContentsLength(10)
        self.project_button = QPushButton()
        self.project_button.clicked.connect(self.toggle_projector)

        transport = QWidget()
        # Media controls keep their direction in right-to-left layouts (Qt's guidance).
        transport.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        row = QHBoxLayout(transport)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.play_button)
        row.addWidget(self.seek, 1)
        row.addWidget(self.time_label)
        row.addWidget(self.project_button)

        options = QHBoxLayout()
        options.addWidget(self.subtitle_caption)
        options.addWidget(self.subtitles)
        options.addWidget(self.speed)
        options.addWidget(self.volume_caption)
        options.addWidget(self.volume)
        options.addStretch(1)
        options.addWidget(self.screens)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.surface, 1)
        layout.addWidget(self.projecting_label, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.return_prompt)
        layout.addWidget(transport)
        layout.addLayout(options)
        self._set_controls_enabled(False)

    def retranslate(self) -> None:
        self._update_play_button()
        self.play_button.setAccessibleName(_("Play or pause (space)"))
        self.seek.setAccessibleName(_("Position in the film (left and right arrows: 10 seconds)"))
        self.volume.setAccessibleName(_("Volume (up and down arrows)"))
        self.speed.setAccessibleName(_("Playback speed"))
        self.speed.setToolTip(_("Playback speed"))
        self.subtitle_caption.setText(_("Subtitles"))
        self.volume_caption.setToolTip(_("Volume"))
        self.subtitles.setAccessibleName(_("Subtitles (S: next track)"))
        self.screens.setAccessibleName(_("Screen for the projector"))
        self.projecting_label.setText(key_hint(_("The film is showing on the projector.\nPress Esc or “Back to this "
                                                 "window” to bring it back.")))
        self._fill_subtitles(self._languages, self.current_subtitle_choice())
        self._fill_screens()
        self._update_project_button()

    # -- public ------------------------------------------------------------------------
    @property
    def player(self) -> Player | None:
        return self._player

    @property
    def film_id(self) -> str | None:
        return self._film_id

    @property
    def projecting(self) -> bool:
        return self.output.visible

    def ensure_player(self) -> str | None:
        """Create the backend on first use; returns why it is unavailable, if it is."""
        if self._player is None and self._unavailable is None:
            try:
                self._player = self._factory()
            except PlayerUnavailable as exc:
                self._unavailable = str(exc)
                log.warning("player unavailable: %s", exc)
            else:
                self._player.set_event_sink(self._bridge.event.emit)
                self._player.set_volume(self.volume.value())
        return self._unavailable

    def open_film(self, film_id: str, video: Path, subtitles: dict[str, Path], subtitle: str | None,
                  *, start_ms: int = 0, length_ms: int | None = None) -> bool:
        if self.ensure_player() is not None or self._player is None:
            return False
        if not video.is_file():
            self.show_message(_("The film file {file} is missing.").format(file=video))
            return False
        self.message.hide()
        self._film_id = film_id
        self._languages = list(subtitles)
        self._stop_at = None
        self._pending_seek = start_ms or None
        self._pause_after_seek = False
        if self._player.state() in (PlayerState.OPENING, PlayerState.PLAYING, PlayerState.PAUSED):
            self._player.stop()  # the film playing before: a new one starts stopped, and says so
        self._player.set_output_window(self._output_window())
        self._player.open(video, subtitles)
        choice = subtitle if subtitle in subtitles else None
        self._player.set_subtitle_language(choice)
        self._fill_subtitles(self._languages, choice)
        self._set_controls_enabled(True)
        # Its length as the library measured it, until libVLC says: "00:05 / 00:12" to resume,
        # not "00:05 / 00:00" (or the previous film's length).
        self.seek.setRange(0, max(length_ms or 0, start_ms))
        self.seek.setValue(start_ms)
        self._update_time(start_ms)
        self._update_play_button()
        return True

    def unload(self) -> None:
        """No film: stop, forget the current one, disable the controls."""
        if self._player is not None and self._film_id is not None:
            self._player.stop()
        self._film_id = None
        self._languages = []
        self._stop_at = self._pending_seek = None
        self._fill_subtitles([], None)
        self._set_controls_enabled(False)
        self.seek.setRange(0, 0)
        self._update_time(0)

    def play(self) -> None:
        if self._player is not None and self._film_id is not None:
            self._player.play()

    def play_range(self, start_ms: int, end_ms: int | None) -> None:
        """Play from ``start_ms`` (a moment: pausing by itself at ``end_ms``) — also once the
        film has ended, when libVLC must be stopped before it plays again."""
        if self._player is None or self._film_id is None:
            return
        self._stop_at = end_ms
        state = self._player.state()
        # A restart already under way (sent to the projector just before) seeks here instead.
        if state in (PlayerState.PLAYING, PlayerState.PAUSED) and self._pending_seek is None:
            self._player.seek_ms(start_ms)
            self._player.play()
        else:
            if state in (PlayerState.ENDED, PlayerState.STOPPED, PlayerState.ERROR):
                self._player.stop()
            self._pending_seek = start_ms
            self._pause_after_seek = False
            self._player.play()

    def seek_to(self, position_ms: int) -> None:
        if self._player is None or self._film_id is None:
            return
        if self._player.state() in (PlayerState.PLAYING, PlayerState.PAUSED):
            self._player.seek_ms(position_ms)
        else:
            self._pending_seek = position_ms
            self._pause_after_seek = False
            self._player.play()

    def position_ms(self) -> int:
        return self._player.position_ms() if self._player is not None else 0

    def length_ms(self) -> int:
        return self._player.length_ms() if self._player is not None else 0

    def toggle_play(self) -> None:
        if self._player is None or self._film_id is None:
            return
        if self._player.state() is PlayerState.PLAYING:
            self._player.pause()
        else:
            if self._player.state() in (PlayerState.ENDED, PlayerState.STOPPED):
                self._player.stop()
            self._player.play()

    def current_subtitle_choice(self) -> str | None:
        data = self.subtitles.currentData()
        return data if isinstance(data, str) and data else None

    def choose_subtitle(self, language: str | None) -> None:
        if self._player is None:
            return
        self._player.set_subtitle_language(language)
        self._fill_subtitles(self._languages, language)

    def subtitle_languages(self) -> list[str]:
        return list(self._languages)

    def next_subtitle(self) -> None:
        """S: off → first language → … → last → off, as a remote control would; a note on
        the video says which."""
        if self._player is None or self._film_id is None:
            return
        self.subtitles.setCurrentIndex((self.subtitles.currentIndex() + 1) % self.subtitles.count())
        self._subtitle_activated(self.subtitles.currentIndex())
        text = _("Subtitles: {language}").format(language=self.subtitles.currentText())
        if self.projecting:
            self.output.say(text)
        else:
            self.output.note.show_over(self.surface, text)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def shutdown(self) -> None:
        self.output.close()
        if self._player is not None:
            self._player.set_event_sink(None)
            self._player.release()
            self._player = None

    # -- internals ---------------------------------------------------------------------
    def _output_window(self) -> int:
        if self.projecting:
            assert self.output.window is not None
            return int(self.output.window.surface.winId())
        return int(self.surface.winId())

    def _retarget(self, window_id: int, *, pause: bool = False) -> None:
        """libVLC draws into a window chosen before playback starts: restart where we were."""
        player = self._player
        if player is None or self._film_id is None:
            return
        state = player.state()
        player.set_output_window(window_id)
        if state in (PlayerState.PLAYING, PlayerState.PAUSED):
            self._pending_seek = player.position_ms()
            self._pause_after_seek = pause or state is PlayerState.PAUSED
            player.stop()
            player.play()

    def _set_controls_enabled(self, enabled: bool) -> None:
        for widget in (self.play_button, self.seek, self.volume, self.speed, self.subtitles):
            widget.setEnabled(enabled)

    def _fill_subtitles(self, languages: list[str], selected: str | None) -> None:
        self.subtitles.blockSignals(True)
        self.subtitles.clear()
        self.subtitles.addItem(pgettext("subtitles", "Off"), "")
        for code in languages:
            self.subtitles.addItem(language_label(code), code)
        index = self.subtitles.findData(selected or "")
        self.subtitles.setCurrentIndex(max(0, index))
        self.subtitles.blockSignals(False)

    def _update_play_button(self) -> None:
        playing = self._player is not None and self._player.state() is PlayerState.PLAYING
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setText(_("Pause") if playing else _("Play"))

    def _on_event(self, event: PlayerEvent) -> None:
        if self._player is None:
            return  # queued before the panel shut down (its projector note is gone)
        if event.kind is EventKind.STATE:
            if event.value is PlayerState.PLAYING and self._pending_seek is not None and self._player:
                self._player.seek_ms(self._pending_seek)
                self._seeked_to, self._pending_seek = self._pending_seek, None
            self._update_play_button()
            self._paused_note(event.value)
            self.state_changed.emit(event.value)
        elif event.kind is EventKind.TIME and not self._dragging:
            position = int(event.value)  # type: ignore[arg-type]
            if (self._pause_after_seek and self._pending_seek is None and self._player is not None
                    and position >= getattr(self, "_seeked_to", 0) + FRAME_SHOWN_MS):
                # Paused only once frames are drawn after the seek: a paused film sent to
                # full screen shows its picture, not a black window.
                self._pause_after_seek = False
                self._player.pause()
            self.seek.setValue(position)
            self._update_time(position)
            self.position_changed.emit(position)
            if self._stop_at is not None and position >= self._stop_at and self._player is not None:
                self._stop_at = None
                self._player.pause()
                self.moment_ended.emit()
        elif event.kind is EventKind.LENGTH:
            self.seek.setRange(0, int(event.value))  # type: ignore[arg-type]
            self._update_time(self.seek.value())
        elif event.kind is EventKind.ERROR:
            log.error("playback error for %s: %s", self._film_id, event.value)
            self.show_message(_("This film could not be played. The file may be damaged or in a format "
                                "this computer cannot read."))

    def _update_time(self, position: int) -> None:
        self.time_label.setText(f"{format_clock(position)} / {format_clock(self.seek.maximum())}")

    def _seek_released(self) -> None:
        self._dragging = False
        if self._player is not None:
            self._player.seek_ms(self.seek.value())
            self._update_time(self.seek.value())

    def _volume_changed(self, value: int) -> None:
        if self._player is not None:
            self._player.set_volume(value)

    def _speed_changed(self, _index: int) -> None:
        if self._player is not None:
            self._player.set_rate(float(self.speed.currentData()))

    def _subtitle_activated(self, _index: int) -> None:
        language = self.current_subtitle_choice()
        if self._player is not None:
            self._player.set_subtitle_language(language)
        if self._film_id is not None:
            self.subtitle_chosen.emit(self._film_id, language or "")

    def handle_key(self, event: QKeyEvent) -> bool:
        """The player's keyboard (the session runner's first, while it shows a film); True when
        the key was taken."""
        if self.key_filter is not None and self.key_filter(event):
            return True
        return self._key(event)

    def _key(self, event: QKeyEvent) -> bool:
        if self._player is None or self._film_id is None:
            return False
        key = shortcut_key(event)  # B, F, S by their place on any keyboard layout
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.output.returned is not None:
            self.output.answer_return(move=True)
            return True
        if key in (Qt.Key.Key_B, Qt.Key.Key_Period):
            self.toggle_blank()
            return self.projecting
        if key == Qt.Key.Key_Space:
            self.toggle_play()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = SEEK_STEP_MS if key == Qt.Key.Key_Right else -SEEK_STEP_MS
            self._player.seek_ms(max(0, self._player.position_ms() + step))
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.volume.setValue(self.volume.value() + (VOLUME_STEP if key == Qt.Key.Key_Up else -VOLUME_STEP))
        elif key == Qt.Key.Key_F:
            self.toggle_projector()
        elif key == Qt.Key.Key_Escape:
            self.leave_projector()
        elif key == Qt.Key.Key_S:
            self.next_subtitle()
        else:
            return False
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if self.handle_key(event):
            event.accept()
        else:
            super().keyPressEvent(event)
