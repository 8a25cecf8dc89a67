"""How names and case numbers are compared: the one normal form the check-in search, the
roster import and duplicate detection all use.

Latin by NFKD + casefold with the marks dropped ("Șomcuta" → "somcuta"), Arabic by dropping
tashkeel and tatweel and unifying the letters people type differently (أ إ آ ٱ → ا, ى → ي,
ة → ه, Persian ی ک → ي ك), and Arabic-Indic and Persian digits → 0-9.

**Sound keys** find a name across scripts and spellings: محمد, "Mohammad", "Mohamed" and
"Muhammad" all have the key ``mhmd``; ሰላም and "Selam" have ``slm``.  A word is written in
Latin letters by anyascii (a maintained transliteration table for every script, where tables
of our own would miss letters), then the letters that differ between spellings are dropped:
vowels and the semivowels y, w (Arabic and Persian script omits short vowels; ی and و are
read "i", "u" as often as "y", "w"), apostrophes for hamza and ʿayn, doubled letters and a
final h (ة: "Fatima", "Fatimah").  Digraphs count as one sound first (sh, kh, th, dh, gh; ch
as sh, ph as f; q and c as k), so "Aisha" keeps its sh.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_FOLD = str.maketrans({
    # Arabic letters typed in several ways
    "\u0649": "\u064a",  # ى alef maksura → ي
    "\u06cc": "\u064a",  # ی Persian yeh → ي
    "\u06a9": "\u0643",  # ک keheh → ك
    "\u0629": "\u0647",  # ة teh marbuta → ه
    "\u0671": "\u0627",  # ٱ alef wasla → ا
    "\u0640": None,      # ـ tatweel
    # Latin letters NFKD does not decompose
    "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i",
    # Arabic-Indic and Persian digits
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
})
_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """The form names are compared in: see the module docstring."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # Dropping the marks also unifies أ إ آ ؤ ئ: NFKD splits off their hamza and madda.
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return stripped.translate(_FOLD)


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def case_key(text: str) -> str:
    """A case number as compared: letters and digits only ("SYR-24C 0012" → "syr24c0012")."""
    return "".join(words(text))


_DIGRAPHS = (("sh", "S"), ("ch", "S"), ("kh", "K"), ("th", "T"), ("dh", "D"), ("gh", "G"), ("ph", "f"),
             ("ck", "k"), ("q", "k"), ("c", "k"))
_NOT_LETTER = re.compile(r"[^a-z]+")
_SILENT = re.compile(r"[aeiouyw]+")
_DOUBLE = re.compile(r"(.)\1+")


def sound_key(word: str) -> str:
    """A word's sound key (see the module docstring): ``""`` for a word of vowels only."""
    latin = _NOT_LETTER.sub("", anyascii(word).lower())
    for pair, sound in _DIGRAPHS:
        latin = latin.replace(pair, sound)
    key = _DOUBLE.sub(r"\1", _SILENT.sub("", latin))
    return key[:-1] if len(key) > 1 and key.endswith("h") else key


def _article_free(key: str, word: str) -> str:
    """The sound key without the Arabic article of an Arabic word (الحسن: "hsn", not "lhsn")."""
    return sound_key(word[2:]) if word.startswith("\u0627\u0644") and len(word) > 3 else key


def same_name(typed: str, given: str, family: str) -> bool:
    """Whether ``typed`` is this whole name, perhaps in another script or spelling: the same
    words in any order, the same sound keys, or the same sounds written together or apart
    ("abdulrahman" for "Abdul Rahman", "al hasan" for الحسن).  A part of the name ("khatib"),
    a name with a word more or less ("Ahmad Nouri" for "Ahmad Shah Noori") or only alike
    (ሰላም ተስፋይ for "Selam Tesfamariam") is not: check-in asks before taking such a match for
    the person."""
    said, name = words(typed), words(given) + words(family)
    if not said or not name:
        return False
    if sorted(said) == sorted(name):
        return True
    said_keys = [sound_key(w) for w in said if w not in ("al", "el", "\u0627\u0644")]
    for name_keys in ([sound_key(w) for w in name], [_article_free(sound_key(w), w) for w in name]):
        if sorted(said_keys) == sorted(name_keys) or "".join(said_keys) == "".join(name_keys):
            return True
    return False
