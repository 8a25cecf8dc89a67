"""What the UI may ask of a video player, and what it hears back."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol


class PlayerState(str, enum.Enum):
    IDLE = "idle"
    OPENING = "opening"
    PLAYING = "playing"
    PAUSED = "paused"
    STOPPED = "stopped"
    ENDED = "ended"
    ERROR = "error"


class EventKind(str, enum.Enum):
    STATE = "state"          # value: PlayerState
    TIME = "time"            # value: position in ms
    LENGTH = "length"        # value: length in ms
    SUBTITLES = "subtitles"  # value: list of subtitle languages now selectable
    ERROR = "error"          # value: message (English, for the log; the UI words its own)


@dataclass(frozen=True)
class PlayerEvent:
    kind: EventKind
    value: object


#: Called from *any* thread (libVLC's own, for the real backend): keep it short and
#: never call back into the player from it — hand the event over to your own thread.
EventSink = Callable[[PlayerEvent], None]

SPEEDS = (0.75, 1.0, 1.25)


class PlayerUnavailable(Exception):
    """The backend cannot run here (e.g. libVLC is not installed); str() says why."""


class Player(Protocol):
    def set_event_sink(self, sink: EventSink | None) -> None: ...
    def set_output_window(self, window_id: int) -> None: ...
    def open(self, video: Path, subtitles: dict[str, Path]) -> None: ...
    def play(self) -> None: ...
    def pause(self) -> None: ...
    def stop(self) -> None: ...
    def state(self) -> PlayerState: ...
    def position_ms(self) -> int: ...
    def length_ms(self) -> int: ...
    def seek_ms(self, position: int) -> None: ...
    def volume(self) -> int: ...
    def set_volume(self, volume: int) -> None: ...
    def rate(self) -> float: ...
    def set_rate(self, rate: float) -> None: ...
    def subtitle_languages(self) -> list[str]: ...
    def subtitle_language(self) -> str | None: ...
    def set_subtitle_language(self, language: str | None) -> None: ...
    def release(self) -> None: ...


PlayerFactory = Callable[[], Player]
