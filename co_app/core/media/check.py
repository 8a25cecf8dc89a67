"""Cheap checks on media files without libVLC: is it a video container, is it whole, what
is its SHA-256, and what checksums does a media pack's ``SHA256SUMS`` promise.

The core may not load libVLC, yet the command line and the library must tell a film cut
short by a failed USB copy, or a text or JPEG file renamed ``.mp4``, from a good film —
without hanging on a 2 GB file.  So ``check_container`` reads only headers (a few seeks):
the top-level boxes of MP4/MOV, the EBML header and Segment size of Matroska/WebM, the RIFF
size of AVI, the page magic of Ogg.  Each container records how long it must be, which is
what makes a truncated copy cheap to catch.  Hashing streams the file in 1 MiB chunks and
can be cancelled between chunks.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import threading
from itertools import islice
from pathlib import Path
from typing import BinaryIO, Callable

from co_app.core.foundation.errors import Cancelled, CoError, sentence
from co_app.core.foundation.i18n import N_
from co_app.core.media.problems import MediaProblem, media_problem

CHUNK = 1 << 20
SUMS_NAME = "SHA256SUMS"

# Top-level ISO-BMFF box types a film may start with or hold (ISO 14496-12 and QuickTime).
_BMFF_TYPES = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot", b"uuid", b"pdin", b"styp",
               b"sidx", b"moof", b"mfra", b"meta", b"udta", b"prfl", b"junk"}  # fmt: skip
_IMAGE_BRANDS = {b"heic", b"heix", b"mif1", b"msf1", b"avif", b"jp2 ", b"avis"}
_MAX_BOXES = 100_000  # a real film has a handful of top-level boxes; this only stops a loop
_EBML_MAGIC, _SEGMENT_ID = b"\x1a\x45\xdf\xa3", 0x18538067


def check_container(path: Path) -> MediaProblem | None:
    """None when ``path`` looks like a whole, playable container; else one sentence naming
    the file and the problem ("… is truncated: …", "… is not a video file …"), which keeps
    its code for the ``media_files`` table (co_app/core/media/problems.py)."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            size = f.seek(0, 2)
            if size == 0:
                return media_problem("empty", file=path)
            f.seek(0)
            head = f.read(12)
            if head[4:8] in _BMFF_TYPES:
                return _check_bmff(f, size, path) or _check_mp4_codecs(f, size, path)
            if head.startswith(_EBML_MAGIC):
                return _check_ebml(f, size, path)
            if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
                riff_end = 8 + struct.unpack("<I", head[4:8])[0]
                return None if riff_end <= size else _truncated(path, size, riff_end, "riff")
            if head.startswith(b"OggS"):
                return _check_ogg(f, size, path)
            return media_problem("not-video", file=path)
    except FileNotFoundError:
        return media_problem("no-file", file=path)
    except OSError as exc:
        return media_problem("unreadable", file=path, reason=str(exc.strerror or exc))


def _truncated(path: Path, size: int, needed: int, what: str, **more: object) -> MediaProblem:
    """``what`` needs more bytes than the file has: "riff", "box-header", "box" (with
    ``box``), "segment" or "ogg"."""
    return media_problem(f"truncated-{what}", file=path, size=size, needed=needed, **more)


def _check_bmff(f: BinaryIO, size: int, path: Path) -> MediaProblem | None:
    """Walk the top-level boxes: each must fit, together they must fill the file exactly."""
    seen: list[bytes] = []
    pos = 0
    while pos < size and len(seen) < _MAX_BOXES:
        f.seek(pos)
        header = f.read(16)
        if len(header) < 8:
            return _truncated(path, size, pos + 8, "box-header")
        box_size, kind = struct.unpack(">I4s", header[:8])
        header_len = 8
        if box_size == 1:  # 64-bit "largesize" follows the type
            if len(header) < 16:
                return _truncated(path, size, pos + 16, "box-header")
            box_size, header_len = struct.unpack(">Q", header[8:16])[0], 16
        elif box_size == 0:  # the box runs to the end of the file
            box_size = size - pos
        if not re.fullmatch(rb"[\x20-\x7e]{4}", kind) or box_size < header_len:
            if not seen:
                return media_problem("not-video", file=path)
            return media_problem("bad-box", file=path, offset=pos)
        if pos + box_size > size:
            return _truncated(path, size, pos + box_size, "box", box=kind.decode("ascii"))
        if kind == b"ftyp" and header[8:12] in _IMAGE_BRANDS:
            return media_problem("image", file=path)
        seen.append(kind)
        pos += box_size
    if b"ftyp" not in seen[:4] and not (path.suffix.lower() == ".mov" and seen[0] in _BMFF_TYPES):
        return media_problem("no-ftyp", file=path)
    for box in (b"moov", b"mdat"):
        if box not in seen:
            return media_problem(f"no-{box.decode()}", file=path)
    return None


def _read_vint(f: BinaryIO, *, keep_marker: bool) -> tuple[int, int, bool] | None:
    """An EBML variable-length integer: (value, length in bytes, all value bits set)."""
    first = f.read(1)
    if not first or first[0] == 0:
        return None
    length = 9 - first[0].bit_length()
    rest = f.read(length - 1)
    if len(rest) < length - 1:
        return None
    value = first[0] if keep_marker else first[0] & (0xFF >> length)
    for byte in rest:
        value = (value << 8) | byte
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, length, unknown


def _check_ebml(f: BinaryIO, size: int, path: Path) -> MediaProblem | None:
    """Matroska/WebM: skip the EBML header, find the Segment, check the file holds it."""
    f.seek(0)
    for _ in range(8):  # the Segment follows the EBML header, perhaps after a Void element
        start = f.tell()
        element = _read_vint(f, keep_marker=True)
        length = _read_vint(f, keep_marker=False)
        if element is None or length is None:
            if f.tell() >= size:
                return media_problem("truncated-matroska-header", file=path, size=size)
            return media_problem("bad-matroska-header", file=path, offset=start)
        body = f.tell()
        if element[0] == _SEGMENT_ID:
            end = body + length[0]
            return None if length[2] or end <= size else _truncated(path, size, end, "segment")
        if length[2]:
            break
        f.seek(body + length[0])
    return media_problem("no-segment", file=path)


_OGG_MAX_PAGE = 27 + 255 + 255 * 255


def _check_ogg(f: BinaryIO, size: int, path: Path) -> MediaProblem | None:
    """Ogg: some page that starts in the last 64 KiB must end exactly at the end of the file
    (a page holds at most 64 KiB, and "OggS" may also occur by chance inside a page)."""
    start = max(0, size - _OGG_MAX_PAGE)
    f.seek(start)
    tail = f.read()
    needed = size
    at = tail.rfind(b"OggS")
    while at >= 0:
        header = tail[at : at + 27]
        if len(header) == 27:
            segments = tail[at + 27 : at + 27 + header[26]]
            end = start + at + 27 + header[26] + sum(segments)
            if end == size and len(segments) == header[26]:
                return None
            needed = max(needed, end)
        at = tail.rfind(b"OggS", 0, at)
    return _truncated(path, size, max(needed, size + 1), "ogg")


def file_sha256(path: Path, *, on_bytes: Callable[[int], None] | None = None,
                cancel: threading.Event | None = None) -> str:
    """The file's SHA-256, read in 1 MiB chunks; ``on_bytes(n)`` after each chunk.

    Raises ``Cancelled`` between chunks once ``cancel`` is set, and ``OSError`` as is
    (the caller knows which film the file is and says so)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        while block := f.read(CHUNK):
            if cancel is not None and cancel.is_set():
                raise Cancelled(sentence(N_("Checking {path} was cancelled."), path=path))
            digest.update(block)
            if on_bytes:
                on_bytes(len(block))
    return digest.hexdigest()


class ChecksumFileError(CoError):
    """A media pack's SHA256SUMS cannot be read or has a line that is not a checksum."""


_GNU_LINE = re.compile(r"^\\?([0-9a-fA-F]{64}) [ *](.+)$")
_BSD_LINE = re.compile(r"^SHA256 \((.+)\) = ([0-9a-fA-F]{64})$")


def read_sha256sums(path: Path) -> dict[str, str]:
    """File name → lower-case SHA-256 from a ``sha256sum`` (or ``--tag``) output file.

    Names are kept relative to the pack ("./" dropped); a line that is neither a checksum,
    a comment nor blank makes the whole file untrustworthy, so it raises."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else sentence(N_("not UTF-8 text"))
        raise ChecksumFileError(sentence(N_("Cannot read the checksum file {path} ({reason})."),
                                         path=path, reason=reason)) from exc
    sums: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        gnu, bsd = _GNU_LINE.match(line), _BSD_LINE.match(line)
        if not (gnu or bsd):
            raise ChecksumFileError(
                sentence(N_("{path}, line {number}: not a checksum line (expected '<64 hexadecimal digits>  <file "
                            "name>')."), path=path, number=number))
        digest, name = (gnu.group(1), gnu.group(2)) if gnu else (bsd.group(2), bsd.group(1))  # type: ignore[union-attr]
        sums[name.removeprefix("./")] = digest.lower()
    return sums


def _boxes(f: BinaryIO, start: int, end: int):  # yields (kind, payload start, box end)
    pos = start
    while pos + 8 <= end:
        f.seek(pos)
        header = f.read(16)
        if len(header) < 8:
            return
        box_size, kind = struct.unpack(">I4s", header[:8])
        header_len = 8
        if box_size == 1 and len(header) == 16:
            box_size, header_len = struct.unpack(">Q", header[8:16])[0], 16
        elif box_size == 0:
            box_size = end - pos
        if box_size < header_len or pos + box_size > end:
            return
        yield kind, pos + header_len, pos + box_size
        pos += box_size


def mp4_duration_ms(path: Path) -> int | None:
    """The length an MP4/MOV file declares in its movie header ('moov'/'mvhd'); None when
    the file is not such a file or does not say.  Reads a few headers, never the film."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            for kind, start, end in islice(_boxes(f, 0, size), _MAX_BOXES):
                if kind != b"moov":
                    continue
                for child, payload, _child_end in islice(_boxes(f, start, end), _MAX_BOXES):
                    if child != b"mvhd":
                        continue
                    f.seek(payload)
                    version = f.read(4)[:1]
                    if version == b"\x01":
                        _created, _modified, timescale, duration = struct.unpack(">QQIQ", f.read(28))
                    else:
                        _created, _modified, timescale, duration = struct.unpack(">IIII", f.read(16))
                    return round(duration * 1000 / timescale) if timescale else None
    except (OSError, struct.error):
        return None
    return None


#: Sample-entry codes of the video formats libVLC 3 plays from MP4/MOV on a plain laptop.
PLAYABLE_VIDEO = frozenset({b"avc1", b"avc3", b"hvc1", b"hev1", b"mp4v", b"av01", b"vp09", b"vp08", b"mjpa",
                            b"mjpb", b"jpeg", b"s263", b"h263", b"SVQ3", b"apcn", b"apch", b"apcs", b"apco", b"ap4h"})
_CONTAINERS = (b"moov", b"trak", b"mdia", b"minf", b"stbl")


#: How deep boxes may nest while looking for the codecs: a film's sample descriptions are at
#: moov/trak/mdia/minf/stbl/stsd, six levels down; a damaged (or hostile) file may nest
#: thousands of boxes, which must end in a sentence, not a RecursionError.
MAX_BOX_DEPTH = 16


class DamagedBoxes(ValueError):
    """An MP4/MOV file's boxes nest deeper than ``MAX_BOX_DEPTH``, or are more than
    ``_MAX_BOXES``: the file is damaged (``str()`` says which, for the log)."""


def mp4_video_codecs(f: BinaryIO, size: int) -> list[str]:
    """The codes of the video tracks' formats (moov/trak/mdia/minf/stbl/stsd), e.g. ['avc1'].

    Raises ``DamagedBoxes`` when boxes nest deeper, or are more, than a film's ever are."""
    codecs: list[str] = []
    seen = 0

    def walk(start: int, end: int, depth: int, is_video: bool) -> None:
        nonlocal seen
        if depth > MAX_BOX_DEPTH:
            raise DamagedBoxes("deep")
        for kind, payload, box_end in list(islice(_boxes(f, start, end), _MAX_BOXES + 1)):
            seen += 1
            if seen > _MAX_BOXES:
                raise DamagedBoxes("many")
            if kind == b"trak":
                walk(payload, box_end, depth + 1, _is_video_track(f, payload, box_end))
            elif kind in _CONTAINERS and depth < 6:
                walk(payload, box_end, depth + 1, is_video)
            elif kind == b"stsd" and is_video:
                f.seek(payload + 8)  # version/flags, entry count
                entry = f.read(8)
                if len(entry) == 8:
                    codecs.append(entry[4:8].decode("latin-1"))

    walk(0, size, 0, False)
    return codecs


def _is_video_track(f: BinaryIO, start: int, end: int) -> bool:
    """A track whose media handler ('hdlr' in 'mdia') is 'vide'.  Reads at most
    ``_MAX_BOXES`` boxes at each level: a damaged 'mdia' of millions of tiny boxes took
    15 s and 950 MB when listed whole (the walk then calls the film damaged anyway)."""
    for kind, payload, box_end in islice(_boxes(f, start, end), _MAX_BOXES):
        if kind == b"mdia":
            for child, child_payload, _e in islice(_boxes(f, payload, box_end), _MAX_BOXES):
                if child == b"hdlr":
                    f.seek(child_payload + 8)  # version/flags, pre_defined
                    return f.read(4) == b"vide"
    return False


def _check_mp4_codecs(f: BinaryIO, size: int, path: Path) -> MediaProblem | None:
    try:
        codecs = mp4_video_codecs(f, size)
    except DamagedBoxes as exc:
        if str(exc) == "deep":
            return media_problem("boxes-too-deep", file=path, depth=MAX_BOX_DEPTH)
        return media_problem("boxes-too-many", file=path, count=_MAX_BOXES)
    unknown = [c for c in codecs if c.encode("latin-1") not in PLAYABLE_VIDEO]
    if unknown:
        return media_problem("codec", file=path, codec=unknown[0])
    return None
