"""Translation of the interface: ``_``, ``N_``, ``ngettext``, ``pgettext``.

Catalogs are gettext ``.mo`` files compiled by Babel from ``locales/<code>/LC_MESSAGES/
co_app.po``.  When a catalog is missing, ``NullTranslations`` keeps the English source
strings: the application never fails for want of a translation.

Usage rules (STYLE.md): named placeholders formatted *after* translation —
``_("{count} present").format(count=n)`` — and ``N_()`` for module-level constants,
translated where they are displayed.
"""

from __future__ import annotations

import gettext as _gettext
import locale
import logging
import os
import re
import types
import weakref
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from co_app.core.foundation import resources
from co_app.core.foundation.languages import LANGUAGES, SOURCE_LANGUAGE, Language, find_language, is_rtl, normalise_code

log = logging.getLogger(__name__)

DOMAIN = "co_app"
#: The shipped catalogs (package data); a test may pass another folder to ``set_language``.
DEFAULT_LOCALE_DIR = resources.locale_dir()

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_current: str = SOURCE_LANGUAGE
# Weak references: a window that registers itself must not be kept alive by this list.
_listeners: list[weakref.ReferenceType[Callable[[str], None]]] = []


def _(message: str) -> str:
    return _translations.gettext(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


def current_language() -> str:
    return _current


def available_languages(locale_dir: Path = DEFAULT_LOCALE_DIR) -> list[Language]:
    """English plus every language whose compiled catalog is present."""
    found = []
    for lang in LANGUAGES:
        if lang.code == SOURCE_LANGUAGE or (locale_dir / lang.code / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file():
            found.append(lang)
    return found


def system_language() -> str:
    """The language of the computer's locale, when we have it; else English."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            code = value.split(":")[0].split(".")[0]
            lang = find_language(code)
            if lang:
                return lang.code
    try:
        code = locale.getlocale()[0]
    except ValueError:
        code = None
    lang = find_language(code)
    return lang.code if lang else SOURCE_LANGUAGE


def set_language(code: str | None, locale_dir: Path = DEFAULT_LOCALE_DIR) -> str:
    """Switch every later ``_()`` call to ``code``; returns the language now in use.

    An unknown code or a missing catalog falls back to English and is logged.
    """
    global _translations, _current
    lang = find_language(code) if code else None
    if lang is None:
        if code:
            log.warning("unknown language %r; using English", code)
        lang = find_language(SOURCE_LANGUAGE)
    assert lang is not None
    if lang.code == SOURCE_LANGUAGE:
        translations: _gettext.NullTranslations = _gettext.NullTranslations()
    else:
        try:
            translations = _gettext.translation(DOMAIN, localedir=str(locale_dir), languages=[lang.code])
        except OSError:
            # English words laid out right-to-left would be worse than plain English.
            log.warning("no compiled catalog for %s in %s; using English", lang.code, locale_dir)
            translations = _gettext.NullTranslations()
            lang = find_language(SOURCE_LANGUAGE)
            assert lang is not None
    _translations = translations
    _current = lang.code
    for ref in list(_listeners):
        listener = ref()
        if listener is None:
            _listeners.remove(ref)
        else:
            listener(lang.code)
    return lang.code


def translator_for(code: str | None, locale_dir: Path = DEFAULT_LOCALE_DIR) -> Callable[[str], str]:
    """``gettext`` for another language than the interface's, without switching it: the
    projector's slides speak the group's language, a certificate its holder's.  Strings
    are marked with ``N_`` where they are defined and passed through this where shown.
    An unknown language or a missing catalog gives English."""
    lang = find_language(code) if code else None
    if lang is None or lang.code == SOURCE_LANGUAGE:
        return str
    if lang.code == _current:
        return _translations.gettext
    try:
        return _gettext.translation(DOMAIN, localedir=str(locale_dir), languages=[lang.code]).gettext
    except OSError:
        return str


def plural_translator_for(code: str | None, locale_dir: Path = DEFAULT_LOCALE_DIR) -> Callable[[str, str, int], str]:
    """``ngettext`` for another language than the interface's (``translator_for``'s plural):
    the donor report counts in the office's language, with its plural forms."""
    lang = find_language(code) if code else None
    if lang is None or lang.code == SOURCE_LANGUAGE:
        return _gettext.NullTranslations().ngettext
    if lang.code == _current:
        return _translations.ngettext
    try:
        return _gettext.translation(DOMAIN, localedir=str(locale_dir), languages=[lang.code]).ngettext
    except OSError:
        return _gettext.NullTranslations().ngettext


#: What the language picker says of each language's translation, in that language.
REVIEW_NOTES = {
    "translated": N_("translated, not yet reviewed by a native speaker"),
    "reviewed": N_("reviewed by a native speaker"),
}


def review_note(code: str, locale_dir: Path = DEFAULT_LOCALE_DIR) -> str:
    """"translated, not yet reviewed by a native speaker" in the language itself ("" for
    English, the original)."""
    lang = find_language(code)
    if lang is None or lang.review not in REVIEW_NOTES:
        return ""
    return translator_for(lang.code, locale_dir)(REVIEW_NOTES[lang.review])


def add_language_listener(callback: Callable[[str], None]) -> None:
    """Call ``callback(code)`` after every language switch (the UI retranslates itself).

    A method of an object (a window) is held weakly and dropped when the object goes
    away; a plain function is kept until removed.
    """
    if isinstance(callback, types.MethodType):
        _listeners.append(weakref.WeakMethod(callback))  # type: ignore[arg-type]
    else:
        _listeners.append(lambda: callback)  # type: ignore[arg-type]


def remove_language_listener(callback: Callable[[str], None]) -> None:
    for ref in list(_listeners):
        if ref() == callback:
            _listeners.remove(ref)


def layout_is_rtl(code: str | None = None) -> bool:
    return is_rtl(code or _current)


def babel_locale(code: str | None = None) -> str:
    """Babel's name for the language (Babel knows 'fa_AF', 'ti', 'so', 'ar').

    Any spelling ``find_language`` accepts works ('fa-AF', 'prs', 'AR'); a code Babel does
    not know falls back like ``set_language`` does, instead of raising.
    """
    if not code:
        return _current
    from babel import Locale, UnknownLocaleError

    norm = normalise_code(code)
    try:
        Locale.parse(norm)
        return norm  # keeps regional forms Babel has, e.g. 'ar_SY'
    except (ValueError, UnknownLocaleError):
        lang = find_language(code)
        return lang.code if lang else SOURCE_LANGUAGE


def format_date(value: date | datetime, fmt: str = "long", code: str | None = None) -> str:
    from babel.dates import format_date as _format_date

    return _format_date(value, format=fmt, locale=babel_locale(code))


def format_datetime(value: datetime, fmt: str = "medium", code: str | None = None) -> str:
    from babel.dates import format_datetime as _format_datetime

    return _format_datetime(value, format=fmt, locale=babel_locale(code))


def format_number(value: int | float, code: str | None = None) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=babel_locale(code))


def format_percent(share: float, code: str | None = None) -> str:
    """``share`` (0.95) as the language writes a percentage ('95%', '95 %' in French), whole."""
    from babel.numbers import format_percent as _format_percent

    return _format_percent(share, locale=babel_locale(code))


def isolate(text: object) -> str:
    """Wrap a value placed inside translated text (a name, a path, a Latin town name) in
    Unicode first-strong isolates, so that it cannot reorder the Arabic or Dari sentence
    around it, nor be reordered by it."""
    return f"\u2068{text}\u2069"


def join_list(items) -> str:  # any iterable of str
    """'a, b, c' in the interface language's own list style (Arabic uses '،')."""
    from babel.lists import format_list

    values = [str(item) for item in items]
    if not values:
        return ""
    values = [isolate(value) for value in values]
    try:
        joined = format_list(values, locale=babel_locale())
    except (KeyError, ValueError):  # a locale with incomplete list patterns in CLDR
        joined = format_list(values, locale=babel_locale().split("_")[0])
    # Arabic's "and" is written on the next word ("وليلى"); on an isolated Latin name it would
    # stick to the name before it ("Karim Benaliو"): a space keeps it apart.
    return re.sub(r"(\w)\u2068", "\\1 \u2068", joined)


def country_name(country_code: str, code: str | None = None) -> str:
    """The country's name in the interface language ('AT' → 'النمسا' in Arabic)."""
    from babel import Locale

    try:
        return Locale.parse(babel_locale(code)).territories.get(country_code.upper(), country_code)
    except (ValueError, LookupError):
        return country_code
