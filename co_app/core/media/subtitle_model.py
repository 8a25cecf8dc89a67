"""What a subtitle file holds once read: its cues, the blocks that were skipped, and the
error for a file that cannot be used at all (``co_app.core.media.subtitles``)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from co_app.core.foundation.errors import CoError

#: U+200F RIGHT-TO-LEFT MARK, and the marks/embeddings that already set a line's direction.
RLM = "\u200f"
RLE, PDF = "\u202b", "\u202c"  # right-to-left embedding, and its end

#: A subtitle file is never this big: a larger one is the wrong file (a film renamed .srt).
MAX_SUBTITLE_BYTES = 5 * 1024 * 1024
FORMATS = ("srt", "vtt")


class SubtitleError(CoError):
    """A subtitle file cannot be used at all; ``str()`` names the file and the problem."""


@dataclass(frozen=True)
class Cue:
    index: int  # 1-based position among the kept cues, in start order
    start_ms: int
    end_ms: int
    text: str  # plain text for a transcript: tags stripped, entities decoded
    markup: str  # the payload as written (tags kept), for re-writing
    identifier: str | None = None  # WebVTT cue id or SRT counter


@dataclass(frozen=True)
class SubtitleProblem:
    line: int  # 1-based line in the source file
    message: str


@dataclass(frozen=True)
class SubtitleTrack:
    path: Path
    language: str | None
    format: str  # "srt" or "vtt"
    encoding: str  # Python codec name the file was found in
    cues: tuple[Cue, ...]  # in start order
    problems: tuple[SubtitleProblem, ...] = ()
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _reach: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cues", tuple(self.cues))
        object.__setattr__(self, "problems", tuple(self.problems))
        reach, furthest = [], -1
        for cue in self.cues:
            furthest = max(furthest, cue.end_ms)
            reach.append(furthest)
        object.__setattr__(self, "_starts", tuple(cue.start_ms for cue in self.cues))
        object.__setattr__(self, "_reach", tuple(reach))

    def cue_at(self, ms: int) -> Cue | None:
        """The cue on screen at ``ms`` (start inclusive, end exclusive).

        Overlapping cues are allowed, so after the binary search we walk back while some
        earlier cue still reaches past ``ms`` (``_reach`` is the running maximum end);
        of several cues on screen, the one that started last is returned.
        """
        i = bisect.bisect_right(self._starts, ms) - 1
        while i >= 0 and self._reach[i] > ms:
            if self.cues[i].end_ms > ms:
                return self.cues[i]
            i -= 1
        return None
