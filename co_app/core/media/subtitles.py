"""Subtitle files: decode any common encoding, parse SRT and WebVTT, write UTF-8.

Facilitators receive subtitles from many hands: an Arabic SRT saved by an old Windows
tool in Windows-1256, a Tigrinya one in UTF-16, a French one in cp1252.  The encoding is
found from byte-order marks, then strict UTF-8, then the file's language, then
charset-normalizer.  Parsing is lenient: a malformed block becomes a ``SubtitleProblem``
with its line number and is skipped, the rest kept.  Only a file that cannot be used at
all (empty, binary, too large, undecodable) raises ``SubtitleError``; the film then plays
without it.  ``write_normalised`` stores the kept cues as UTF-8 on import.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from co_app.core.foundation.errors import CoError
from co_app.core.foundation.fileio import atomic_write_text
from co_app.core.foundation.languages import is_rtl
from co_app.core.foundation.textdecode import BinaryDataError, DamagedBomError, TextDecodeError, decode_text

#: A subtitle file is never this big: a larger one is the wrong file (a film renamed .srt).
#: U+200F RIGHT-TO-LEFT MARK, and the marks/embeddings that already set a line's direction.
RLM = "\u200f"
RLE, PDF = "\u202b", "\u202c"  # right-to-left embedding, and its end

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


# --- Decoding ------------------------------------------------------------------------

_VIDEO_MAGIC = (b"\x1a\x45\xdf\xa3", b"RIFF", b"OggS")  # Matroska/WebM, AVI, Ogg (MP4: "ftyp" at 4)


def decode_subtitle_bytes(raw: bytes, *, language: str | None = None, source: str = "<bytes>") -> tuple[str, str]:
    """The text of a subtitle file and the codec it was found in, with "\\n" line ends."""
    raw = bytes(raw)
    if len(raw) > MAX_SUBTITLE_BYTES:
        raise SubtitleError(f"{source} is larger than 5 MB: too large to be a subtitle file.")
    if not raw.strip():
        raise SubtitleError(f"{source} is empty.")
    if raw[4:8] == b"ftyp" or raw.startswith(_VIDEO_MAGIC):
        raise _binary(source)
    try:
        text, encoding = decode_text(raw, language=language)
    except DamagedBomError as err:
        name = err.encoding.removesuffix("_sig").replace("_", "-").upper()
        raise SubtitleError(f"{source} has a {name} byte-order mark but is not valid {name}.") from None
    except BinaryDataError:
        raise _binary(source) from None
    except TextDecodeError:
        raise SubtitleError(f"{source} is not in any text encoding that could be recognised.") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").rstrip("\x1a")
    if not text.strip():
        raise SubtitleError(f"{source} is empty.")
    if _mostly_control(text):
        raise _binary(source)
    return text, encoding


def _binary(source: str) -> SubtitleError:
    return SubtitleError(f"{source} is not a subtitle file (binary data).")


def _mostly_control(text: str) -> bool:
    """Real subtitles hold no control characters; binary data decoded as text is full of them."""
    sample = text[:200_000]
    controls = sum(1 for c in sample if c not in "\n\t" and unicodedata.category(c) == "Cc")
    return controls > 0.05 * len(sample)


# --- Parsing -------------------------------------------------------------------------

_TS = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})[,.](\d{1,3})"
_TIMING_RE = re.compile(rf"^\s*{_TS}\s*-->\s*{_TS}(?:[ \t].*)?$")
_VTT_HEADER_RE = re.compile(r"^WEBVTT(?:[ \t]|$)")
_VTT_METADATA_RE = re.compile(r"^(?:NOTE(?:[ \t]|$)|STYLE\s*$|REGION\s*$)")
_RUBY_TEXT_RE = re.compile(r"<rt(?:\.[^>]*)?>.*?</rt>", re.S)  # the pronunciation above, not the line
_VTT_TAG_RE = re.compile(r"<[^>]*>")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SRT_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
_ASS_OVERRIDE_RE = re.compile(r"\{\\[^}]*\}")
_SRT_ENTITY_RE = re.compile(r"&(?:(amp|lt|gt|nbsp|lrm|rlm|quot|apos)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));")

Block = list[tuple[int, str]]  # (line number, line)


def parse_subtitles(text: str, *, fmt: str, source: str = "<text>") -> tuple[list[Cue], list[SubtitleProblem]]:
    """The cues of an SRT or WebVTT text in start order, and the blocks that were skipped."""
    if fmt not in FORMATS:
        raise ValueError(f"{source}: unknown subtitle format {fmt!r} (expected 'srt' or 'vtt')")
    # Control characters are never text (a damaged file, a stray escape): left in, they could
    # make the UTF-8 copy written on import look like binary data when it is read again.
    text = _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff"))
    lines = text.split("\n")
    problems: list[SubtitleProblem] = []
    blocks = list(_blocks(lines))
    if fmt == "vtt" and blocks:
        blocks = _without_vtt_header(blocks, problems)
    drafts = []
    for block in blocks:
        if fmt == "vtt" and _VTT_METADATA_RE.match(block[0][1].strip()):
            continue  # NOTE, STYLE and REGION blocks carry nothing for the transcript
        for piece in _split(block, fmt):
            result = _parse_piece(piece)
            (problems if isinstance(result, SubtitleProblem) else drafts).append(result)
    drafts.sort(key=lambda draft: draft[0])  # stable: equal starts keep file order
    cues = [
        Cue(index=n, start_ms=start, end_ms=end, text=_plain(markup, fmt), markup=markup, identifier=identifier)
        for n, (start, end, markup, identifier) in enumerate(drafts, 1)
    ]
    return cues, sorted(problems, key=lambda problem: problem.line)


def _blocks(lines: list[str]) -> Iterator[Block]:
    """Runs of non-blank lines, numbered as in the file."""
    block: Block = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _without_vtt_header(blocks: list[Block], problems: list[SubtitleProblem]) -> list[Block]:
    """Drop the WEBVTT header block; a cue glued to it (no blank line) is kept."""
    first = blocks[0]
    if not _VTT_HEADER_RE.match(first[0][1]):
        problems.append(SubtitleProblem(first[0][0], "The file does not start with WEBVTT."))
        return blocks
    glued = next((j for j, (_, line) in enumerate(first) if j and "-->" in line), None)
    return ([first[glued:]] if glued else []) + blocks[1:]


def _split(block: Block, fmt: str) -> list[Block]:
    """Split a block wherever a new cue starts without the blank line before it (a common slip)."""
    pieces = []
    while block:
        arrow = next((j for j, (_, line) in enumerate(block[:2]) if "-->" in line), None)
        floor = 1 if arrow is None else arrow + 1  # lines before the floor belong to this piece
        following = next((j for j in range(floor, len(block)) if _timing_like(block[j][1])), None)
        if following is None:
            pieces.append(block)
            break
        cut = following
        if fmt == "srt" and following - 1 >= floor and block[following - 1][1].strip().isdigit():
            cut = following - 1  # the SRT counter belongs to the cue that follows it
        pieces.append(block[:cut])
        block = block[cut:]
    return pieces


def _timing_like(line: str) -> bool:
    """A timing line, valid or not (not cue text that merely contains an arrow)."""
    return "-->" in line and line.lstrip()[:1].isdigit()


def _parse_piece(piece: Block) -> tuple[int, int, str, str | None] | SubtitleProblem:
    """(start, end, markup, identifier) of one cue, or the problem that skips it."""
    first_line = piece[0][0]
    arrow = next((j for j, (_, line) in enumerate(piece[:2]) if "-->" in line), None)
    if arrow is None:
        return SubtitleProblem(first_line, f"Text without a timing line: {_quote(piece[0][1])}.")
    timing = piece[arrow][1]
    times = _parse_timing(timing)
    if times is None:
        return SubtitleProblem(first_line, f"The timing line {_quote(timing)} is not valid.")
    start, end = times
    if end < start:
        return SubtitleProblem(first_line, f"The cue ends before it starts ({timing.strip()[:60]}).")
    payload = [line for _, line in piece[arrow + 1 :]]
    if not payload:
        return SubtitleProblem(first_line, "The cue has no text.")
    identifier = piece[0][1].strip() if arrow == 1 else None
    return start, end, "\n".join(payload), identifier


def _parse_timing(line: str) -> tuple[int, int] | None:
    match = _TIMING_RE.match(line)
    if not match:
        return None
    start, end = _ms(*match.groups()[:4]), _ms(*match.groups()[4:])
    return None if start is None or end is None else (start, end)


def _ms(hours: str | None, minutes: str, seconds: str, fraction: str) -> int | None:
    if int(minutes) >= 60 or int(seconds) >= 60:
        return None
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(fraction.ljust(3, "0"))


def _quote(line: str) -> str:
    line = line.strip()
    return f"'{line[:39]}…'" if len(line) > 40 else f"'{line}'"


def _plain(markup: str, fmt: str) -> str:
    """What a viewer reads: tags and ASS overrides gone, entities decoded, blank lines dropped.

    WebVTT requires "<" and "&" to be escaped, so every tag goes and every HTML entity is
    decoded; SRT does not, so only tag-shaped text and a few exact entities are touched."""
    text = _ASS_OVERRIDE_RE.sub("", markup)
    if fmt == "vtt":
        text = html.unescape(_VTT_TAG_RE.sub("", _RUBY_TEXT_RE.sub("", text)))
    else:
        text = _SRT_ENTITY_RE.sub(_srt_entity, _SRT_TAG_RE.sub("", text))
    # A right-to-left mark or embedding only steers libVLC's layout (see render_subtitles): not text.
    lines = (_without_embedding(line.strip()).lstrip(RLM).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _without_embedding(line: str) -> str:
    return line[1:-1] if line.startswith(RLE) and line.endswith(PDF) else line


def _srt_entity(match: re.Match[str]) -> str:
    named, decimal, hexadecimal = match.groups()
    if named:
        return html.unescape(f"&{named};")
    code = int(decimal) if decimal else int(hexadecimal, 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)


# --- Reading and writing -------------------------------------------------------------

_LANG_PART_RE = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")


def read_subtitles(path: Path, *, language: str | None = None) -> SubtitleTrack:
    """Read, decode and parse a subtitle file; raises ``SubtitleError`` only if it is unusable."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_SUBTITLE_BYTES + 1)  # never read a whole film into memory
    except OSError as err:
        raise SubtitleError(f"{path} cannot be read ({err.strerror or err}).") from err
    if language is None:
        language = _language_from_name(path)
    text, encoding = decode_subtitle_bytes(raw, language=language, source=str(path))
    fmt = _format_of(path, text)
    cues, problems = parse_subtitles(text, fmt=fmt, source=str(path))
    return SubtitleTrack(path, language, fmt, encoding, tuple(cues), tuple(problems))


def _language_from_name(path: Path) -> str | None:
    """``germany-jena.fa_AF.vtt`` → ``fa_AF``, the media pack's naming convention."""
    parts = path.name.split(".")
    return parts[-2] if len(parts) >= 3 and _LANG_PART_RE.match(parts[-2]) else None


def _format_of(path: Path, text: str) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    return "vtt" if _VTT_HEADER_RE.match(text.lstrip().split("\n", 1)[0]) else "srt"


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
    unsafe = "-->" in identifier or "\n" in identifier or _VTT_METADATA_RE.match(identifier)
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
    atomic_write_text(Path(dest), render_subtitles(track, track.format, rtl=rtl), mode=0o644)


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
            problems[language] = f"{path} cannot be read ({err.strerror or err})."
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
                problems[language] = f"{path} holds no subtitle that could be read."
                continue
            try:
                copy.parent.mkdir(parents=True, exist_ok=True)
                write_normalised(track, copy)
            except OSError as err:
                problems[language] = f"{copy} cannot be written ({err.strerror or err})."
                continue
        usable[language] = copy
    return usable, problems
