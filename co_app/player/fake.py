"""An in-process player for fast tests: same protocol, a clock you advance by hand."""

from __future__ import annotations

from pathlib import Path

from co_app.player.protocol import EventKind, EventSink, PlayerEvent, PlayerState


class FakePlayer:
    def __init__(self, length_ms: int = 12_000) -> None:
        self._sink: EventSink | None = None
        self._state = PlayerState.IDLE
        self._position = 0
        self._length = length_ms
        self._volume = 80
        self._rate = 1.0
        self._languages: list[str] = []
        self._subtitle: str | None = None
        self.window_id: int | None = None
        self.opened: Path | None = None

    def _emit(self, kind: EventKind, value: object) -> None:
        if self._sink:
            self._sink(PlayerEvent(kind, value))

    def _set_state(self, state: PlayerState) -> None:
        self._state = state
        self._emit(EventKind.STATE, state)

    def set_event_sink(self, sink: EventSink | None) -> None:
        self._sink = sink

    def set_output_window(self, window_id: int) -> None:
        self.window_id = window_id

    def open(self, video: Path, subtitles: dict[str, Path]) -> None:
        self.opened = Path(video)
        self._languages = list(subtitles)
        self._position = 0
        self._state = PlayerState.IDLE

    def play(self) -> None:
        if self.opened is None or not self.opened.is_file():
            self._set_state(PlayerState.ERROR)
            self._emit(EventKind.ERROR, "file not found")
            return
        self._set_state(PlayerState.PLAYING)
        self._emit(EventKind.LENGTH, self._length)
        self._emit(EventKind.SUBTITLES, list(self._languages))

    def pause(self) -> None:
        self._set_state(PlayerState.PAUSED)

    def stop(self) -> None:
        self._position = 0
        self._set_state(PlayerState.STOPPED)

    def advance(self, ms: int) -> None:
        """Move the clock as if ``ms`` of playback had passed (tests only)."""
        if self._state is not PlayerState.PLAYING:
            return
        self._position = min(self._length, self._position + int(ms * self._rate))
        self._emit(EventKind.TIME, self._position)
        if self._position >= self._length:
            self._set_state(PlayerState.ENDED)

    def state(self) -> PlayerState:
        return self._state

    def position_ms(self) -> int:
        return self._position

    def length_ms(self) -> int:
        return self._length if self.opened else 0

    def seek_ms(self, position: int) -> None:
        self._position = max(0, min(self._length, int(position)))
        self._emit(EventKind.TIME, self._position)

    def volume(self) -> int:
        return self._volume

    def set_volume(self, volume: int) -> None:
        self._volume = max(0, min(100, int(volume)))

    def rate(self) -> float:
        return self._rate

    def set_rate(self, rate: float) -> None:
        self._rate = float(rate)

    def subtitle_languages(self) -> list[str]:
        return list(self._languages)

    def subtitle_language(self) -> str | None:
        return self._subtitle

    def set_subtitle_language(self, language: str | None) -> None:
        self._subtitle = language if language in self._languages else None

    def release(self) -> None:
        self._sink = None
