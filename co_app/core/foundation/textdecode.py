"""Decoding a text file someone gave us: a roster CSV, a subtitle file.

Files come from many hands: an Arabic roster saved by Excel in Windows-1256, a Tigrinya
subtitle file in UTF-16, a French one in cp1252.  ``decode_text`` finds the encoding the
same way for all of them:

1. a byte-order mark (UTF-32, UTF-8, UTF-16) is trusted, or the file is damaged;
2. without one, a NUL byte means binary data (UTF-16 without a mark is not worth the
   false alarms);
3. strict UTF-8;
4. with a language, the legacy code pages old tools save that language in, the one whose
   letters come out most in the language's script;
5. charset-normalizer's candidates, the language's script first, then the code page most
   often used breaking a tie (cp1250 and cp1252 tie on French text, and only cp1252 is right).

Several code pages often give the very same text; the familiar one is named.  A failure is
a ``TextDecodeError`` (``DamagedBomError``, ``BinaryDataError``, ``UnknownEncodingError``)
without a message for people: each caller says it in its own words, naming its file.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import NamedTuple

from co_app.core.foundation.errors import sentence
from co_app.core.foundation.i18n import N_


class Decoded(NamedTuple):
    text: str  # as decoded: line ends and a second byte-order mark are the caller's business
    encoding: str  # Python codec name with underscores: "utf_8", "utf_8_sig", "utf_16_le", "cp1256"


class TextDecodeError(ValueError):
    """The bytes are not text in any encoding that could be recognised."""


class DamagedBomError(TextDecodeError):
    """The bytes begin with a byte-order mark but are not valid in its encoding."""

    def __init__(self, encoding: str) -> None:
        super().__init__(f"a {encoding} byte-order mark, but not valid {encoding}")
        self.encoding = encoding  # the mark's codec: "utf_8_sig", "utf_16_le"…


class BinaryDataError(TextDecodeError):
    """NUL bytes without a byte-order mark: binary data, or UTF-16 without its mark."""


class UnknownEncodingError(TextDecodeError):
    """No encoding decodes the bytes."""


BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf_32_le"), (codecs.BOM_UTF32_BE, "utf_32_be"), (codecs.BOM_UTF8, "utf_8_sig"),
    (codecs.BOM_UTF16_LE, "utf_16_le"), (codecs.BOM_UTF16_BE, "utf_16_be"),
)  # fmt: skip

# Primary language → (script its letters are in, legacy code pages old tools save it in).
_HINTS: dict[str, tuple[str, tuple[str, ...]]] = {
    **dict.fromkeys("ar fa prs ps ur ckb sd ug".split(), ("ARABIC", ("cp1256", "iso8859_6"))),
    **dict.fromkeys("en fr de es it pt nl so sw da sv no nb fi ca om rw ln ha".split(), ("LATIN", ("cp1252",))),
    **dict.fromkeys("cs pl hu ro hr sk sl bs sq".split(), ("LATIN", ("cp1250",))),
    **dict.fromkeys("ru uk be bg mk sr".split(), ("CYRILLIC", ("cp1251",))),
    "tr": ("LATIN", ("cp1254",)), "el": ("GREEK", ("cp1253",)), "he": ("HEBREW", ("cp1255",)),
}  # fmt: skip
#: When charset-normalizer finds several encodings equally plausible, the one most often
#: used wins (cp1250 and cp1252 tie on French text, and only cp1252 is right).
COMMON_PAGES = ("cp1252", "cp1256", "cp1251", "cp1250", "cp1254", "cp1253", "cp1255", "iso8859_6")
_TIE = 0.01  # score difference below which two detections count as equally plausible
_SCRIPT_SHARE = 0.9  # this share of non-ASCII letters in the hint's script: the decoding is right


def decode_text(raw: bytes, *, language: str | None = None, sample: int | None = None) -> Decoded:
    """The text of ``raw`` and the codec it was found in (see the module docstring).

    ``language`` (a code such as "ar" or "fa_AF") is what the text is expected to be
    written in; it chooses among legacy code pages.  ``sample``: a legacy code page is
    chosen from the first ``sample`` bytes (whole lines) only, then the whole text is
    decoded in it (charset-normalizer decodes all of a 32 MB file in a dozen code pages:
    seconds and half a gigabyte)."""
    raw = bytes(raw)
    return decode_with_bom(raw) or _decode_plain(raw, language, sample)


class EncodingMix(NamedTuple):
    """Lines (numbered from 1) of a file that is partly UTF-8: the lines whose letters are
    UTF-8, and the lines that are not UTF-8 at all (another program's code page)."""

    utf8_lines: tuple[int, ...]
    other_lines: tuple[int, ...]


#: Lines ``encoding_mix`` looks at: a roster has at most 20,000 rows, and a file of millions of
#: short lines must not cost seconds before its length is refused.
MIX_LINES = 100_000


def encoding_mix(raw: bytes) -> EncodingMix | None:
    """The lines of each kind when ``raw`` mixes UTF-8 lines with lines in another encoding
    (two files pasted together, a list edited with two programs); None when it does not.

    Such a file is not valid UTF-8, so a code page is chosen for all of it, and every UTF-8
    name comes out garbled (Arabic UTF-8 read as cp874 is Thai).  Lines of plain ASCII say
    nothing and count as neither; a UTF-8 byte-order mark is skipped; UTF-16 and UTF-32 are
    never mixed (they are not read line by line)."""
    raw = bytes(raw).removeprefix(codecs.BOM_UTF8)
    if raw.isascii() or bom_encoding(raw) or b"\x00" in raw or _try_decode(raw, "utf_8") is not None:
        return None
    utf8, other = [], []
    lines = raw.split(b"\n", MIX_LINES)
    if len(lines) > MIX_LINES:
        lines.pop()  # the rest of the file, unsplit: bounded work whatever its length
    for number, line in enumerate(lines, 1):
        if line.isascii():
            continue
        (utf8 if _try_decode(line, "utf_8") is not None else other).append(number)
    return EncodingMix(tuple(utf8), tuple(other)) if utf8 and other else None


def bom_encoding(raw: bytes) -> str | None:
    """The codec a byte-order mark at the start of ``raw`` names, if there is one."""
    return next((encoding for bom, encoding in BOMS if raw.startswith(bom)), None)


def decode_with_bom(raw: bytes) -> Decoded | None:
    """A byte-order mark is the strongest evidence there is: trust it, or give up."""
    encoding = bom_encoding(raw)
    if encoding is None:
        return None
    payload = raw if encoding == "utf_8_sig" else raw[len(_bom_of(encoding)) :]
    try:
        return Decoded(payload.decode(encoding), encoding)
    except UnicodeDecodeError:
        raise DamagedBomError(encoding) from None


def _bom_of(encoding: str) -> bytes:
    return next(bom for bom, name in BOMS if name == encoding)


def _decode_plain(raw: bytes, language: str | None, sample: int | None = None) -> Decoded:
    if b"\x00" in raw:  # UTF-16 without a byte-order mark is not worth the false alarms
        raise BinaryDataError(sentence(N_("NUL bytes without a byte-order mark")))
    text = _try_decode(raw, "utf_8")
    if text is not None:
        return Decoded(text, "utf_8")
    probe = raw
    if sample is not None and len(raw) > sample:
        probe = raw[: raw.rfind(b"\n", 0, sample) + 1 or sample]
    script, pages = _hint(language)
    text, encoding = _from_hint(probe, script, pages) or _detect(probe, script)
    # Several code pages often give the very same text; name the familiar one.
    familiar = next((page for page in COMMON_PAGES if _try_decode(probe, page) == text), encoding)
    if probe is not raw:
        text = _try_decode(raw, familiar)
        if text is None:
            raise UnknownEncodingError(sentence(N_("{encoding} decodes the start of these bytes but not all of them"),
                                                encoding=familiar))
    return Decoded(text, familiar)


def _from_hint(raw: bytes, script: str | None, pages: tuple[str, ...]) -> tuple[str, str] | None:
    """The language's own legacy code page whose letters come out most in its script.

    An ISO-8859-6 file read as cp1256 is still 90 % Arabic letters, so the best share wins,
    not the first page that passes."""
    fits = []
    for order, encoding in enumerate(pages):
        text = _try_decode(raw, encoding)
        share = 0.0 if text is None else _script_share(text, script)
        if share is None or share >= _SCRIPT_SHARE:  # None: no letters to judge by, only punctuation
            fits.append((1.0 if share is None else share, -order, text, encoding))
    return max(fits)[2:] if fits else None


def _detect(raw: bytes, script: str | None) -> tuple[str, str]:
    """charset-normalizer's candidates, best first; the hint's script, then common pages break ties."""
    from charset_normalizer import from_bytes  # imported here: it is slow to import at start-up

    candidates = []
    for match in from_bytes(raw):
        encoding = codec_name(match.encoding)
        text = _try_decode(raw, encoding)
        if text is not None:
            candidates.append(((match.chaos, match.coherence), encoding, text))
    if not candidates:
        raise UnknownEncodingError(sentence(N_("no text encoding decodes these bytes")))
    if script:
        for _rank, encoding, text in candidates:
            if (_script_share(text, script) or 0.0) >= _SCRIPT_SHARE:
                return text, encoding
    (best_chaos, best_coherence), best_encoding, best_text = candidates[0]
    tied = {  # as little noise and as much language coherence as the best
        encoding: text
        for (chaos, coherence), encoding, text in candidates
        if chaos <= best_chaos + _TIE and coherence >= best_coherence - _TIE
    }
    preferred = next((encoding for encoding in COMMON_PAGES if encoding in tied), best_encoding)
    return tied.get(preferred, best_text), preferred


def _hint(language: str | None) -> tuple[str | None, tuple[str, ...]]:
    if not language:
        return None, ()
    primary = re.split(r"[_-]", language.strip().lower(), maxsplit=1)[0]
    return _HINTS.get(primary, (None, ()))


def codec_name(name: str) -> str:
    """Python's canonical spelling with underscores: "windows-1256" → "cp1256"."""
    try:
        return codecs.lookup(name).name.replace("-", "_")
    except LookupError:
        return name


def unicode_family(encoding: str) -> str | None:
    """"utf-8", "utf-16" or "utf-32" for any spelling of a Unicode codec ("utf_16_le",
    "utf_8_sig"); None for any other encoding."""
    match = re.fullmatch(r"utf[-_]?(8|16|32)(?:[-_](?:le|be|sig))?", encoding.strip().lower())
    return f"utf-{match.group(1)}" if match else None


def encoding_label(encoding: str) -> str:
    """An encoding as people know it: 'utf-8' → 'UTF-8', 'cp1256' → 'Windows-1256'."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return encoding.upper()
    windows = re.fullmatch(r"cp(125\d)", name)
    if windows:
        return f"Windows-{windows.group(1)}"
    iso = re.fullmatch(r"iso8859-(\d+)", name)
    if iso:
        return f"ISO-8859-{iso.group(1)}"
    return name.upper()


def _try_decode(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _script_share(text: str, script: str | None) -> float | None:
    """The share of non-ASCII letters that are in ``script`` (None: there are none).

    A wrong code page turns Arabic into accented Latin letters (or the other way round),
    so this tells the right one from the wrong ones."""
    if script is None:
        return 0.0
    letters = [c for c in text[:200_000] if ord(c) > 0x7F and unicodedata.category(c)[0] in "LM"]
    if not letters:
        return None
    return sum(1 for c in letters if unicodedata.name(c, "").startswith(script)) / len(letters)
