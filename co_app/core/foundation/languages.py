"""The languages the application knows, each named in its own language and script."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str          # gettext / Babel locale code: "ar", "fa_AF"
    native_name: str   # the name its speakers read: "العربية"
    english_name: str
    rtl: bool = False
    #: How far its translation (interface and content) can be trusted: "source" (English,
    #: the original), "translated" (not yet reviewed by a native speaker) or "reviewed".
    review: str = "translated"


#: Every language the project plans for; a language is offered when its catalog exists.
LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "English", review="source"),
    Language("ar", "العربية", "Arabic", rtl=True),
    Language("fa_AF", "دری", "Dari", rtl=True),
    Language("ti", "ትግርኛ", "Tigrinya"),
    Language("so", "Soomaali", "Somali"),
    Language("fr", "Français", "French"),
    Language("ps", "پښتو", "Pashto", rtl=True),
    Language("uk", "Українська", "Ukrainian"),
)

_BY_CODE = {lang.code: lang for lang in LANGUAGES}
SOURCE_LANGUAGE = "en"


def normalise_code(code: str) -> str:
    """'fa-AF' and 'fa_af' → 'fa_AF'; 'AR' → 'ar'."""
    parts = code.replace("-", "_").split("_")
    head = parts[0].lower()
    return "_".join([head, *(p.upper() if len(p) == 2 else p.title() for p in parts[1:])])


def find_language(code: str | None) -> Language | None:
    """The language for ``code``, falling back from 'ar_SY' to 'ar'; Dari is 'fa_AF' or 'prs'."""
    if not code:
        return None
    norm = normalise_code(code)
    if norm in ("prs", "fa_AF"):
        return _BY_CODE["fa_AF"]
    if norm in _BY_CODE:
        return _BY_CODE[norm]
    return _BY_CODE.get(norm.split("_")[0])


def is_rtl(code: str | None) -> bool:
    lang = find_language(code)
    if lang is not None:
        return lang.rtl
    return bool(code) and normalise_code(code).split("_")[0] in {"ar", "fa", "he", "ps", "ur", "ckb", "yi", "prs"}
