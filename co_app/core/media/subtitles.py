"""Subtitle files: decode any common encoding, parse SRT and WebVTT, write UTF-8.

Facilitators receive subtitles from many hands: an Arabic SRT saved by an old Windows
tool in Windows-1256, a Tigrinya one in UTF-16, a French one in cp1252.  The encoding is
found from byte-order marks, then strict UTF-8, then the file's language, then
charset-normalizer.  Parsing is lenient: a malformed block becomes a ``SubtitleProblem``
with its line number and is skipped, the rest kept.  Only a file that cannot be used at
all (empty, binary, too large, undecodable) raises ``SubtitleError``; the film then plays
without it.  ``write_normalised`` stores the kept cues as UTF-8 on import.

Every name is imported from here; the work is done in ``subtitle_model`` (cues, tracks,
the error), ``subtitle_parsing`` (decoding and parsing a file) and ``subtitle_writing``
(SRT/WebVTT text, the UTF-8 copy, the files given to libVLC).
"""

from __future__ import annotations

from co_app.core.media.subtitle_model import (
    FORMATS,
    MAX_SUBTITLE_BYTES,
    PDF,
    RLE,
    RLM,
    Cue,
    SubtitleError,
    SubtitleProblem,
    SubtitleTrack,
)
from co_app.core.media.subtitle_parsing import decode_subtitle_bytes, parse_subtitles, read_subtitles
from co_app.core.media.subtitle_writing import COPY_VERSION, for_player, render_subtitles, write_normalised

__all__ = [
    "COPY_VERSION", "FORMATS", "MAX_SUBTITLE_BYTES", "PDF", "RLE", "RLM", "Cue", "SubtitleError", "SubtitleProblem",
    "SubtitleTrack", "decode_subtitle_bytes", "for_player", "parse_subtitles", "read_subtitles", "render_subtitles",
    "write_normalised",
]
