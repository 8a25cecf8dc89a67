"""Languages: gettext with an English fallback, right-to-left scripts, Babel dates."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from co_app.core.foundation import i18n
from co_app.core.foundation.i18n import (
    N_,
    _,
    add_language_listener,
    available_languages,
    current_language,
    format_date,
    layout_is_rtl,
    ngettext,
    remove_language_listener,
    set_language,
)
from co_app.core.foundation.languages import LANGUAGES, find_language, is_rtl, normalise_code

NOVEMBER_3 = date(2025, 11, 3)
ARABIC = re.compile(r"[\u0600-\u06FF]")
ETHIOPIC = re.compile(r"[\u1200-\u137F]")


@pytest.fixture(autouse=True)
def english_afterwards():
    """Language is process-wide state: every test leaves it as it found it (English)."""
    set_language("en")
    yield
    set_language("en")


#: The test catalogs carry their own plural rule, as the shipped .po files do: which rule CLDR
#: gives a locale changes between Babel releases (2.19 gives French three forms), and these
#: tests are about our gettext plumbing, not about Babel's locale data.
TWO_FORMS = "nplurals=2; plural=(n > 1);"


def _compile(locale_dir: Path, code: str, messages: dict, plurals: dict | None = None) -> Path:
    catalog = Catalog(locale=code, domain=i18n.DOMAIN)
    catalog.mime_headers = [("Plural-Forms", TWO_FORMS)]
    for source, translation in messages.items():
        catalog.add(source, translation)
    for (singular, plural), forms in (plurals or {}).items():
        catalog.add((singular, plural), forms)
    target = locale_dir / code / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    target.parent.mkdir(parents=True)
    with target.open("wb") as fh:
        write_mo(fh, catalog)
    return target


@pytest.fixture
def locale_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "locales"
    _compile(folder, "fr", {"Attendance": "Présence", "Films": "Films (fr)"},
             {("{count} person", "{count} people"): ("{count} personne", "{count} personnes")})
    _compile(folder, "ti", {"Attendance": "ተሳትፎ"})
    _compile(folder, "ar", {"Attendance": "الحضور"})
    _compile(folder, "fa_AF", {"Attendance": "حاضری"})
    return folder


# --- the marking and translating functions ----------------------------------------


def test_english_is_the_source_language() -> None:
    assert current_language() == "en"
    assert _("Attendance") == "Attendance"
    assert ngettext("{count} person", "{count} people", 1) == "{count} person"
    assert ngettext("{count} person", "{count} people", 3) == "{count} people"


def test_n_marks_without_translating(locale_dir: Path) -> None:
    set_language("fr", locale_dir)
    marked = N_("Attendance")
    assert marked == "Attendance"
    assert _(marked) == "Présence"  # translated where it is shown


def test_a_compiled_catalog_translates(locale_dir: Path) -> None:
    assert set_language("fr", locale_dir) == "fr"
    assert current_language() == "fr"
    assert _("Attendance") == "Présence"
    assert _("Not in the catalog") == "Not in the catalog"
    assert ngettext("{count} person", "{count} people", 1).format(count=1) == "1 personne"
    assert ngettext("{count} person", "{count} people", 5).format(count=5) == "5 personnes"
    set_language("ti", locale_dir)
    assert _("Attendance") == "ተሳትፎ"
    set_language("en", locale_dir)
    assert _("Attendance") == "Attendance"


def test_missing_catalog_falls_back_to_english(locale_dir: Path) -> None:
    """Pashto is a known language, but there is no catalog for it here."""
    assert set_language("ps", locale_dir) == "en"  # no exception, and no English laid out right to left
    assert not layout_is_rtl()
    assert _("Attendance") == "Attendance"
    assert ngettext("{count} person", "{count} people", 1) == "{count} person"
    assert ngettext("{count} person", "{count} people", 2) == "{count} people"


def test_missing_locale_folder_falls_back_to_english(tmp_path: Path) -> None:
    set_language("fr", tmp_path / "no-such-folder")
    assert _("Attendance") == "Attendance"
    assert ngettext("{count} person", "{count} people", 0) == "{count} people"


@pytest.mark.parametrize("code", ["xx", "klingon", "zz_ZZ", "", None])
def test_unknown_code_falls_back_to_english(locale_dir: Path, code: str | None) -> None:
    set_language("fr", locale_dir)
    assert set_language(code, locale_dir) == "en"
    assert current_language() == "en"
    assert _("Attendance") == "Attendance"


# --- right to left ----------------------------------------------------------------


@pytest.mark.parametrize("code,rtl", [
    ("ar", True), ("ar_SY", True), ("fa_AF", True), ("prs", True), ("fa-AF", True), ("ps", True),
    ("en", False), ("fr", False), ("ti", False), ("so", False), ("uk", False),
])
def test_right_to_left_scripts(code: str, rtl: bool) -> None:
    assert is_rtl(code) is rtl
    assert layout_is_rtl(code) is rtl


def test_layout_follows_the_current_language(locale_dir: Path) -> None:
    assert layout_is_rtl() is False
    set_language("fr", locale_dir)
    assert layout_is_rtl() is False
    set_language("ar", locale_dir)
    assert i18n.current_language() == "ar"
    assert layout_is_rtl() is True
    set_language("fa_AF", locale_dir)
    assert layout_is_rtl() is True


# --- codes ------------------------------------------------------------------------


@pytest.mark.parametrize("given,expected", [
    ("AR", "ar"), ("ar", "ar"), ("ar_SY", "ar"), ("ar-SY", "ar"),
    ("fa-AF", "fa_AF"), ("fa_af", "fa_AF"), ("FA_AF", "fa_AF"), ("prs", "fa_AF"),
    ("ti_ER", "ti"), ("fr_FR", "fr"), ("en_GB", "en"),
])
def test_find_language_normalises(given: str, expected: str) -> None:
    lang = find_language(given)
    assert lang is not None and lang.code == expected


@pytest.mark.parametrize("given", [None, "", "xx", "de"])
def test_find_language_unknown(given: str | None) -> None:
    assert find_language(given) is None


def test_normalise_code() -> None:
    assert normalise_code("fa-af") == "fa_AF"
    assert normalise_code("AR") == "ar"


def test_set_language_accepts_any_spelling(locale_dir: Path) -> None:
    assert set_language("FR-fr", locale_dir) == "fr"
    assert _("Attendance") == "Présence"
    assert set_language("fa-AF", locale_dir) == "fa_AF"
    assert set_language("prs", locale_dir) == "fa_AF"


def test_native_names_are_in_their_own_scripts() -> None:
    by_code = {lang.code: lang for lang in LANGUAGES}
    assert ARABIC.search(by_code["ar"].native_name)
    assert ARABIC.search(by_code["fa_AF"].native_name)
    assert ETHIOPIC.search(by_code["ti"].native_name)
    assert not re.search(r"[A-Za-z]", by_code["ar"].native_name + by_code["fa_AF"].native_name
                         + by_code["ti"].native_name)
    assert by_code["fr"].native_name == "Français"
    for lang in LANGUAGES:
        assert lang.native_name == unicodedata.normalize("NFC", lang.native_name)
        assert lang.english_name.isascii()
    assert len(by_code) == len(LANGUAGES)  # no code twice


# --- formatting through Babel -----------------------------------------------------


def test_format_date_in_french_and_arabic() -> None:
    french = format_date(NOVEMBER_3, code="fr")
    assert "novembre" in french and "2025" in french
    arabic = format_date(NOVEMBER_3, code="ar")
    assert "نوفمبر" in arabic
    assert format_date(NOVEMBER_3, code="en") == "November 3, 2025"


def test_format_date_for_dari_and_tigrinya_uses_their_scripts() -> None:
    assert ARABIC.search(format_date(NOVEMBER_3, code="fa_AF"))
    assert ETHIOPIC.search(format_date(NOVEMBER_3, code="ti"))


def test_format_date_follows_the_current_language(locale_dir: Path) -> None:
    set_language("fr", locale_dir)
    assert "novembre" in format_date(NOVEMBER_3)
    assert "novembre" in format_date(datetime(2025, 11, 3, 9, 30, tzinfo=timezone.utc))
    set_language("en", locale_dir)
    assert "November" in format_date(NOVEMBER_3)


def test_numbers_and_country_names_per_locale() -> None:
    assert i18n.format_number(1234.5, code="fr").replace("\u202f", " ").replace("\xa0", " ") == "1 234,5"
    assert i18n.format_number(1234.5, code="en") == "1,234.5"
    assert i18n.country_name("AT", code="fr") == "Autriche"
    assert ARABIC.search(i18n.country_name("AT", code="ar"))
    assert i18n.country_name("XK-not-a-country", code="fr") == "XK-not-a-country"


@pytest.mark.parametrize("code,expected", [
    ("prs", "fa_AF"), ("fa-AF", "fa_AF"), ("AR", "ar"), ("ar_SY", "ar_SY"), ("ti", "ti"),
    ("xx", "en"), ("not a locale", "en"),
])
def test_formatting_accepts_any_spelling_of_a_language(code: str, expected: str) -> None:
    """Codes that find_language accepts format like their language; unknown ones fall
    back to English instead of raising (a session's stored language may be anything)."""
    assert i18n.babel_locale(code) == expected
    assert format_date(NOVEMBER_3, code=code) == format_date(NOVEMBER_3, code=expected)
    assert i18n.country_name("AT", code=code) == i18n.country_name("AT", code=expected)


# --- switching at run time --------------------------------------------------------


def test_listeners_hear_every_switch(locale_dir: Path) -> None:
    heard: list[str] = []
    add_language_listener(heard.append)
    try:
        set_language("fr", locale_dir)
        set_language("fa-AF", locale_dir)
        set_language("nonsense", locale_dir)
    finally:
        remove_language_listener(heard.append)
    set_language("ti", locale_dir)
    assert heard == ["fr", "fa_AF", "en"]


def test_listener_sees_the_new_translations(locale_dir: Path) -> None:
    seen: list[str] = []

    def retranslate(code: str) -> None:
        seen.append(_("Attendance"))

    add_language_listener(retranslate)
    try:
        set_language("fr", locale_dir)
    finally:
        remove_language_listener(retranslate)
    assert seen == ["Présence"]


def test_removing_an_unknown_listener_is_harmless() -> None:
    remove_language_listener(lambda code: None)


# --- which languages can be offered -----------------------------------------------


def test_available_languages_are_english_plus_compiled_catalogs(locale_dir: Path) -> None:
    codes = [lang.code for lang in available_languages(locale_dir)]
    assert codes[0] == "en"
    assert sorted(codes) == ["ar", "en", "fa_AF", "fr", "ti"]


def test_available_languages_without_any_catalog(tmp_path: Path) -> None:
    assert [lang.code for lang in available_languages(tmp_path / "empty")] == ["en"]


def test_a_source_catalog_alone_is_not_offered(tmp_path: Path) -> None:
    """Only compiled catalogs count: a .po without its .mo cannot translate anything."""
    po = tmp_path / "ar" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    assert [lang.code for lang in available_languages(tmp_path)] == ["en"]


def test_system_language_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "ar_SY.UTF-8:en")
    assert i18n.system_language() == "ar"
    monkeypatch.setenv("LANGUAGE", "fa_AF")
    assert i18n.system_language() == "fa_AF"


def test_arabic_and_stays_apart_from_an_isolated_latin_name(locale_dir: Path) -> None:
    """The officer read 'Karim Benaliو' in the laptops' facilitators: Arabic writes its 'and'
    on the next word, which with an isolated Latin name stuck it to the name before.  Names
    stay isolated, and 'و' stands apart from them; French and English are unchanged."""
    set_language("ar", locale_dir)
    try:
        joined = i18n.join_list(["Daniel Okello", "Karim Benali", "ليلى"])
    finally:
        set_language("en", locale_dir)
    assert joined == "\u2068Daniel Okello\u2069 و \u2068Karim Benali\u2069 و \u2068ليلى\u2069"
    assert i18n.join_list(["A", "B", "C"]) == "\u2068A\u2069, \u2068B\u2069, and \u2068C\u2069"
