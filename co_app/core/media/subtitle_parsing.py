"""Reading a subtitle file: decode it (``co_app.core.foundation.textdecode``), then parse
its SRT or WebVTT blocks leniently — a malformed block becomes a ``SubtitleProblem`` with
its line number and is skipped, the rest kept (``co_app.core.media.subtitles``)."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from co_app.core.foundation.errors import sentence
from co_app.core.foundation.i18n import N_
from co_app.core.foundation.safe_read import FileTooLargeError, NotRegularFileError, read_regular_file
from co_app.core.foundation.textdecode import BinaryDataError, DamagedBomError, TextDecodeError, decode_text
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

# --- Decoding ------------------------------------------------------------------------

_VIDEO_MAGIC = (b"\x1a\x45\xdf\xa3", b"RIFF", b"OggS")  # Matroska/WebM, AVI, Ogg (MP4: "ftyp" at 4)


def decode_subtitle_bytes(raw: bytes, *, language: str | None = None, source: str = "<bytes>") -> tuple[str, str]:
    """The text of a subtitle file and the codec it was found in, with "\\n" line ends."""
    raw = bytes(raw)
    if len(raw) > MAX_SUBTITLE_BYTES:
        raise SubtitleError(sentence(N_("{source} is larger than 5 MB: too large to be a subtitle file."),
                                     source=source))
    if not raw.strip():
        raise SubtitleError(sentence(N_("{source} is empty."), source=source))
    if raw[4:8] == b"ftyp" or raw.startswith(_VIDEO_MAGIC):
        raise _binary(source)
    try:
        text, encoding = decode_text(raw, language=language)
    except DamagedBomError as err:
        name = err.encoding.removesuffix("_sig").replace("_", "-").upper()
        raise SubtitleError(sentence(N_("{source} has a {name} byte-order mark but is not valid {name}."),
                                     source=source, name=name)) from None
    except BinaryDataError:
        raise _binary(source) from None
    except TextDecodeError:
        raise SubtitleError(sentence(N_("{source} is not in any text encoding that could be recognised."),
                                     source=source)) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").rstrip("\x1a")
    if not text.strip():
        raise SubtitleError(sentence(N_("{source} is empty."), source=source))
    if _mostly_control(text):
        raise _binary(source)
    return text, encoding


def _binary(source: str) -> SubtitleError:
    return SubtitleError(sentence(N_("{source} is not a subtitle file (binary data)."), source=source))


def _mostly_control(text: str) -> bool:
    """Real subtitles hold no control characters; binary data decoded as text is full of them."""
    sample = text[:200_000]
    controls = sum(1 for c in sample if c not in "\n\t" and unicodedata.category(c) == "Cc")
    return controls > 0.05 * len(sample)


# --- Parsing -------------------------------------------------------------------------

_TS = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})[,.](\d{1,3})"
_TIMING_RE = re.compile(rf"^\s*{_TS}\s*-->\s*{_TS}(?:[ \t].*)?$")
_VTT_HEADER_RE = re.compile(r"^WEBVTT(?:[ \t]|$)")
VTT_METADATA_RE = re.compile(r"^(?:NOTE(?:[ \t]|$)|STYLE\s*$|REGION\s*$)")
_RUBY_TEXT_RE = re.compile(r"<rt(?:\.[^>]*)?>.*?</rt>", re.S)  # the pronunciation above, not the line
_VTT_TAG_RE = re.compile(r"<[^>]*>")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SRT_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
_ASS_OVERRIDE_RE = re.compile(r"\{\\[^}]*\}")
#: What ``_plain`` may change: without any of these, a cue's text is its markup, trimmed.
_MARKED_RE = re.compile(f"[<>&{{}}\n{RLM}{RLE}{PDF}]")
_SRT_ENTITY_RE = re.compile(r"&(?:(amp|lt|gt|nbsp|lrm|rlm|quot|apos)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));")

Block = tuple[int, list[str]]  # (number of its first line in the file, its lines)
#: A run of lines that are not blank (each holds something besides white space).  Possessive
#: and anchored at line starts, so that a long line of spaces costs one pass, not one per space.
_BLOCK_RE = re.compile(r"^[^\S\n]*+\S[^\n]*+(?:\n[^\S\n]*+\S[^\n]*+)*+", re.M)


def parse_subtitles(text: str, *, fmt: str, source: str = "<text>") -> tuple[list[Cue], list[SubtitleProblem]]:
    """The cues of an SRT or WebVTT text in start order, and the blocks that were skipped.

    Linear in the size of the text, whatever its shape (benchmarks/readers.py)."""
    if fmt not in FORMATS:
        raise ValueError(f"{source}: unknown subtitle format {fmt!r} (expected 'srt' or 'vtt')")
    # Control characters are never text (a damaged file, a stray escape): left in, they could
    # make the UTF-8 copy written on import look like binary data when it is read again.
    text = _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff"))
    problems: list[SubtitleProblem] = []
    blocks = list(_blocks(text))
    if fmt == "vtt" and blocks:
        blocks = _without_vtt_header(blocks, problems)
    drafts = []
    for block in blocks:
        if fmt == "vtt" and VTT_METADATA_RE.match(block[1][0].strip()):
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


def _blocks(text: str) -> Iterator[Block]:
    """Runs of non-blank lines, numbered as in the file."""
    line, counted = 1, 0  # the number of the line that starts at ``counted``
    for match in _BLOCK_RE.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        yield line, match.group().split("\n")


def _without_vtt_header(blocks: list[Block], problems: list[SubtitleProblem]) -> list[Block]:
    """Drop the WEBVTT header block; a cue glued to it (no blank line) is kept."""
    number, lines = blocks[0]
    if not _VTT_HEADER_RE.match(lines[0]):
        problems.append(SubtitleProblem(number, sentence(N_("The file does not start with WEBVTT."))))
        return blocks
    glued = next((j for j, line in enumerate(lines) if j and "-->" in line), None)
    return ([(number + glued, lines[glued:])] if glued else []) + blocks[1:]


def _split(block: Block, fmt: str) -> list[Block]:
    """Split a block wherever a new cue starts without the blank line before it (a common slip).

    One pass with a moving start: a file of 200,000 cues without a blank line between them
    is one block of 600,000 lines, and cutting the rest off again after each cue (as this
    did) copied it 200,000 times."""
    number, lines = block
    arrows = [j for j, line in enumerate(lines) if "-->" in line]
    if len(arrows) < 2:
        return [block]  # one timing line at most: one cue (or one problem)
    timings = [j for j in arrows if _timing_like(lines[j])]  # where a cue may start, in order
    pieces = []
    start, size, k = 0, len(lines), 0
    while start < size:
        arrow = _arrow_at(lines, start)
        floor = start + 1 if arrow is None else arrow + 1  # lines before the floor belong to this piece
        while k < len(timings) and timings[k] < floor:
            k += 1
        if k == len(timings):
            pieces.append((number + start, lines[start:]))
            break
        following = cut = timings[k]
        if fmt == "srt" and following - 1 >= floor and lines[following - 1].strip().isdigit():
            cut = following - 1  # the SRT counter belongs to the cue that follows it
        pieces.append((number + start, lines[start:cut]))
        start = cut
    return pieces


def _arrow_at(lines: list[str], start: int) -> int | None:
    """Where the timing line of the cue starting at ``start`` is: that line or the next."""
    if "-->" in lines[start]:
        return start
    return start + 1 if start + 1 < len(lines) and "-->" in lines[start + 1] else None


def _timing_like(line: str) -> bool:
    """A timing line, valid or not (not cue text that merely contains an arrow)."""
    return "-->" in line and line.lstrip()[:1].isdigit()


def _parse_piece(piece: Block) -> tuple[int, int, str, str | None] | SubtitleProblem:
    """(start, end, markup, identifier) of one cue, or the problem that skips it."""
    first_line, lines = piece
    arrow = _arrow_at(lines, 0)
    if arrow is None:
        return SubtitleProblem(first_line, sentence(N_("Text without a timing line: {text}."), text=_quote(lines[0])))
    timing = lines[arrow]
    times = _parse_timing(timing)
    if times is None:
        return SubtitleProblem(first_line, sentence(N_("The timing line {timing} is not valid."),
                                                    timing=_quote(timing)))
    start, end = times
    if end < start:
        return SubtitleProblem(first_line, sentence(N_("The cue ends before it starts ({timing})."),
                                                   timing=timing.strip()[:60]))
    if len(lines) <= arrow + 1:
        return SubtitleProblem(first_line, sentence(N_("The cue has no text.")))
    markup = lines[arrow + 1] if len(lines) == arrow + 2 else "\n".join(lines[arrow + 1 :])
    identifier = lines[0].strip() if arrow == 1 else None
    return start, end, markup, identifier


def _parse_timing(line: str) -> tuple[int, int] | None:
    match = _TIMING_RE.match(line)
    if not match:
        return None
    start, end = _ms(*match.groups()[:4]), _ms(*match.groups()[4:])
    return None if start is None or end is None else (start, end)


def _ms(hours: str | None, minutes: str, seconds: str, fraction: str) -> int | None:
    minutes_, seconds_ = int(minutes), int(seconds)
    if minutes_ >= 60 or seconds_ >= 60:
        return None
    return ((int(hours or 0) * 60 + minutes_) * 60 + seconds_) * 1000 + int(fraction.ljust(3, "0"))


def _quote(line: str) -> str:
    line = line.strip()
    return f"'{line[:39]}…'" if len(line) > 40 else f"'{line}'"


def _plain(markup: str, fmt: str) -> str:
    """What a viewer reads: tags and ASS overrides gone, entities decoded, blank lines dropped.

    WebVTT requires "<" and "&" to be escaped, so every tag goes and every HTML entity is
    decoded; SRT does not, so only tag-shaped text and a few exact entities are touched."""
    if not _MARKED_RE.search(markup):  # most cues: one line of plain words
        return markup.strip()
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


# --- Reading -----------------------------------------------------------------------------

_LANG_PART_RE = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")


def read_subtitles(path: Path, *, language: str | None = None) -> SubtitleTrack:
    """Read, decode and parse a subtitle file; raises ``SubtitleError`` only if it is unusable."""
    path = Path(path)
    try:  # never a whole film into memory, never a FIFO that waits for a writer forever
        raw = read_regular_file(path, MAX_SUBTITLE_BYTES)
    except NotRegularFileError:
        raise SubtitleError(sentence(N_("{file} is not a regular file (a device, a pipe or a folder), so it is not "
                                        "a subtitle file."), file=path)) from None
    except FileTooLargeError:
        raise SubtitleError(sentence(N_("{path} is larger than 5 MB: too large to be a subtitle file."),
                                     path=path)) from None
    except OSError as err:
        raise SubtitleError(sentence(N_("{path} cannot be read ({reason})."),
                                     path=path, reason=err.strerror or err)) from err
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
