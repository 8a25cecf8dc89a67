"""How names and case numbers are compared: the one normal form the check-in search, the
roster import and duplicate detection all use.

Latin by NFKD + casefold with the marks dropped ("Șomcuta" → "somcuta"), Arabic by dropping
tashkeel and tatweel and unifying the letters people type differently (أ إ آ ٱ → ا, ى → ي,
ة → ه, Persian ی ک → ي ك), and Arabic-Indic and Persian digits → 0-9.
"""

from __future__ import annotations

import re
import unicodedata

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
