"""The embedded player: video surface, transport controls, subtitle and speed pickers.

libVLC events arrive on libVLC's threads; ``_Bridge`` re-emits them as a Qt signal so
every handler here runs on the GUI thread (a queued connection), and nothing here ever
calls the player from libVLC's own callbacks.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSlider, QStyle, QVBoxLayout, QWidget,
)

from co_app.core.i18n import _, pgettext
from co_app.core.languages import find_language
from co_app.player.protocol import SPEEDS, EventKind, Player, PlayerEvent, PlayerFactory, PlayerState, PlayerUnavailable

log = logging.getLogger(__name__)
SEEK_STEP_MS = 10_000
VOLUME_STEP = 10


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


class PlayerPanel(QWidget):
    """Plays one film at a time.  ``subtitle_chosen(film_id, language)`` is emitted when
    the user picks a track, so the caller can remember it per film."""

    subtitle_chosen = Signal(str, str)
    state_changed = Signal(object)

    def __init__(self, player_factory: PlayerFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factory = player_factory
        self._player: Player | None = None
        self._unavailable: str | None = None
        self._film_id: str | None = None
        self._languages: list[str] = []
        self._dragging = False
        self._bridge = _Bridge(self)
        self._bridge.event.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build()
        self.retranslate()

    # -- construction ------------------------------------------------------------------
    def _build(self) -> None:
        self.surface = QFrame()
        self.surface.setObjectName("videoSurface")
        self.surface.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
        self.surface.setMinimumSize(480, 270)
        self.surface.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.message = QLabel()
        self.message.setObjectName("warning")
        self.message.setWordWrap(True)
        self.message.hide()

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
        self.volume.setMaximumWidth(120)
        self.volume.valueChanged.connect(self._volume_changed)
        self.speed = QComboBox()
        for rate in SPEEDS:
            self.speed.addItem(f"{rate:g}×", rate)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.currentIndexChanged.connect(self._speed_changed)
        self.subtitles = QComboBox()
        self.subtitles.activated.connect(self._subtitle_activated)
        self.subtitle_caption = QLabel()
        self.volume_caption = QLabel()

        transport = QWidget()
        # Media controls keep their direction in right-to-left layouts (Qt's guidance).
        transport.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        row = QHBoxLayout(transport)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.play_button)
        row.addWidget(self.seek, 1)
        row.addWidget(self.time_label)

        options = QHBoxLayout()
        options.addWidget(self.volume_caption)
        options.addWidget(self.volume)
        options.addSpacing(12)
        options.addWidget(self.speed)
        options.addSpacing(12)
        options.addWidget(self.subtitle_caption)
        options.addWidget(self.subtitles, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.surface, 1)
        layout.addWidget(self.message)
        layout.addWidget(transport)
        layout.addLayout(options)
        self._set_controls_enabled(False)

    def retranslate(self) -> None:
        self._update_play_button()
        self.play_button.setAccessibleName(_("Play or pause"))
        self.seek.setAccessibleName(_("Position in the film"))
        self.volume.setAccessibleName(_("Volume"))
        self.volume_caption.setText(_("Volume"))
        self.speed.setAccessibleName(_("Playback speed"))
        self.speed.setToolTip(_("Playback speed"))
        self.subtitle_caption.setText(_("Subtitles"))
        self.subtitles.setAccessibleName(_("Subtitles"))
        self._fill_subtitles(self._languages, self.current_subtitle_choice())

    # -- public ------------------------------------------------------------------------
    @property
    def player(self) -> Player | None:
        return self._player

    @property
    def film_id(self) -> str | None:
        return self._film_id

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

    def open_film(self, film_id: str, video: Path, subtitles: dict[str, Path], subtitle: str | None) -> bool:
        if self.ensure_player() is not None or self._player is None:
            return False
        if not video.is_file():
            self.show_message(_("The film file {file} is missing.").format(file=video))
            return False
        self.message.hide()
        self._film_id = film_id
        self._languages = list(subtitles)
        self._player.set_output_window(int(self.surface.winId()))
        self._player.open(video, subtitles)
        choice = subtitle if subtitle in subtitles else None
        self._player.set_subtitle_language(choice)
        self._fill_subtitles(self._languages, choice)
        self._set_controls_enabled(True)
        self.seek.setValue(0)
        return True

    def play(self) -> None:
        if self._player is not None and self._film_id is not None:
            self._player.play()

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

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def shutdown(self) -> None:
        if self._player is not None:
            self._player.set_event_sink(None)
            self._player.release()
            self._player = None

    # -- internals ---------------------------------------------------------------------
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
        if event.kind is EventKind.STATE:
            self._update_play_button()
            self.state_changed.emit(event.value)
        elif event.kind is EventKind.TIME and not self._dragging:
            self.seek.setValue(int(event.value))  # type: ignore[arg-type]
            self._update_time(int(event.value))  # type: ignore[arg-type]
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

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if self._player is None:
            return super().keyPressEvent(event)
        if key == Qt.Key.Key_Space:
            self.toggle_play()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = SEEK_STEP_MS if key == Qt.Key.Key_Right else -SEEK_STEP_MS
            self._player.seek_ms(self._player.position_ms() + step)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.volume.setValue(self.volume.value() + (VOLUME_STEP if key == Qt.Key.Key_Up else -VOLUME_STEP))
        else:
            return super().keyPressEvent(event)
        event.accept()


