"""Writing subtitles: SRT or WebVTT text of the kept cues, the UTF-8 copy stored on
import, and the files given to libVLC (``co_app.core.media.subtitles``)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from co_app.core.foundation.errors import sentence
from co_app.core.foundation.fileio import atomic_write_text, make_private_dirs
from co_app.core.foundation.i18n import N_
from co_app.core.foundation.languages import is_rtl
from co_app.core.media.subtitle_model import (
    FORMATS,
    MAX_SUBTITLE_BYTES,
    PDF,
    RLE,
    RLM,
    Cue,
    SubtitleError,
    SubtitleTrack,
)
from co_app.core.media.subtitle_parsing import VTT_METADATA_RE, read_subtitles


def render_subtitles(track_or_cues: SubtitleTrack | Iterable[Cue], fmt: str, *, rtl: bool = False) -> str:
    """SRT or WebVTT text of the cues, markup kept; SRT counters renumbered from 1.

    ``rtl`` makes every text line a right-to-left embedding (RLE … PDF): libVLC lays out
    each line left to right whatever it holds — the full stop of an Arabic sentence landed
    at its right end, beside the first word, and a leading right-to-left mark did not
    change that (seen on its video output); inside the embedding the line reads as Arabic."""
    cues = track_or_cues.cues if isinstance(track_or_cues, SubtitleTrack) else tuple(track_or_cues)
    if fmt not in FORMATS:
        raise ValueError(f"unknown subtitle format {fmt!r} (expected 'srt' or 'vtt')")
    separator = "," if fmt == "srt" else "."
    blocks = ["WEBVTT"] if fmt == "vtt" else []
    for cue in cues:
        lines = [line for line in cue.markup.replace("\r\n", "\n").split("\n") if line.strip()]
        if rtl:
            lines = [line if line.startswith(RLE) else RLE + line.lstrip(RLM) + PDF for line in lines]
        payload = "\n".join(lines)
        if not payload:
            continue  # a block without text would not read back
        timing = f"{_clock(cue.start_ms, separator)} --> {_clock(cue.end_ms, separator)}"
        label = str(len(blocks) + 1) if fmt == "srt" else _vtt_identifier(cue.identifier)
        blocks.append("\n".join(part for part in (label, timing, payload) if part))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _vtt_identifier(identifier: str | None) -> str:
    """The cue id, unless it could be mistaken for a timing line or a NOTE/STYLE block."""
    identifier = (identifier or "").strip()
    unsafe = "-->" in identifier or "\n" in identifier or VTT_METADATA_RE.match(identifier)
    return "" if unsafe else identifier


def _clock(ms: int, separator: str) -> str:
    hours, rest = divmod(max(0, ms), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def write_normalised(track: SubtitleTrack, dest: Path) -> None:
    """Store the track's kept cues as UTF-8 without BOM, in its own format, atomically.

    Readable by everyone (0644): subtitles are not private, and a shared media folder
    must stay usable by every account on the laptop."""
    rtl = is_rtl(track.language)
    atomic_write_text(Path(dest), render_subtitles(track, track.format, rtl=rtl))


def _plain_utf8(raw: bytes) -> bool:
    """UTF-8 (with or without its BOM) that libVLC reads as it is; not UTF-16, not empty."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(raw.strip()) and not raw.startswith((b"\xff\xfe", b"\xfe\xff"))


#: Part of a copy's name: a copy made by an older rule is made again.
COPY_VERSION = b"rle-1\n"


def for_player(subtitles: dict[str, Path], copies_dir: Path) -> tuple[dict[str, Path], dict[str, str]]:
    """The subtitle files to give libVLC, which reads them as UTF-8 whatever they are, and
    lays out every line left to right.

    A right-to-left language (Arabic, Dari…) always goes as a copy whose lines are
    right-to-left embeddings (``render_subtitles``), so the full stop ends the sentence on
    the left, whatever wrote the file.

    A file already in UTF-8 is given as it is.  One in another encoding — a Windows-1256
    file copied onto the laptop by hand, without "Import films" — would show on the
    projector as «þíÍá ãÐÇ»: it is given as a UTF-8 copy in ``copies_dir``, written once
    and named after its content.  A file that cannot be read at all is left out, and
    returned with its message (language → message), so the list never offers it."""
    usable: dict[str, Path] = {}
    problems: dict[str, str] = {}
    for language, path in subtitles.items():
        path = Path(path)
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_SUBTITLE_BYTES + 1)  # never a whole film misnamed .srt
        except OSError as err:
            problems[language] = sentence(N_("{path} cannot be read ({reason})."), path=path,
                                          reason=err.strerror or err)
            continue
        if not is_rtl(language) and _plain_utf8(raw):
            usable[language] = path
            continue
        digest = hashlib.sha256(COPY_VERSION + raw).hexdigest()[:16]
        copy = Path(copies_dir) / f"{path.stem}.{digest}{path.suffix}"
        if not copy.is_file():  # made once for this content: the next opening only hashes
            try:
                track = read_subtitles(path, language=language)
            except SubtitleError as err:
                problems[language] = str(err)
                continue
            if not track.cues:
                problems[language] = sentence(N_("{path} holds no subtitle that could be read."), path=path)
                continue
            try:
                make_private_dirs(copy.parent)
                write_normalised(track, copy)
            except OSError as err:
                problems[language] = sentence(N_("{path} cannot be written ({reason})."), path=copy,
                                              reason=err.strerror or err)
                continue
        usable[language] = copy
    return usable, problems
