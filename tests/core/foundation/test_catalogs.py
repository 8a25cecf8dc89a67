"""The shipped translation catalogs: complete, compilable, placeholder-safe and up to date.

Every ``locales/<code>/LC_MESSAGES/co_app.po`` is checked against ``locales/co_app.pot``,
and the template against the code.  A language that loses coverage (a new string in the
code, a new msgid in the template) makes these tests fail until it is translated.
No display and no compiled ``.mo`` files are needed: catalogs are compiled in memory or
into a temporary folder.
"""

from __future__ import annotations

import gettext
import io
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from co_app.core.foundation import i18n
from co_app.core.foundation.languages import find_language

ROOT = Path(__file__).resolve().parents[3]
LOCALES = ROOT / "co_app" / "data" / "locales"
POT = LOCALES / "co_app.pot"
FIX_HINT = "run `python3 dev.py catalogs`"

#: Languages that must ship a complete catalog, with their number of plural forms.
REQUIRED_NPLURALS = {"ar": 6, "fr": 2, "fa_AF": 2, "ti": 2, "so": 2}
#: The GNU gettext rule for Arabic: zero, one, two, few (3–10), many (11–99), other (100–102…).
ARABIC_FORM_FOR = {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5, 102: 5, 103: 3, 111: 4, 1000: 5}


def _shipped_codes() -> list[str]:
    return sorted(p.parents[1].name for p in LOCALES.glob("*/LC_MESSAGES/co_app.po"))


#: Every catalog on disk plus the required ones, so a deleted catalog fails rather than
#: silently dropping out of the parametrisation.
CODES = sorted(set(_shipped_codes()) | set(REQUIRED_NPLURALS))


def _po_path(code: str) -> Path:
    return LOCALES / code / "LC_MESSAGES" / "co_app.po"


def _read(path: Path, code: str | None = None) -> Catalog:
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing; {FIX_HINT} and translate it"
    with path.open("rb") as f:
        return read_po(f, locale=code, abort_invalid=True)


def _key(message: Message) -> tuple[str, str | None]:
    """A message's identity: its msgid (the singular for plurals) and its context."""
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return msgid, message.context


def _entries(catalog: Catalog) -> dict[tuple[str, str | None], Message]:
    return {_key(m): m for m in catalog if m.id}


def _plural_forms(catalog: Catalog) -> tuple[int, str]:
    headers = dict(catalog.mime_headers)
    value = headers.get("Plural-Forms", "")
    match = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*", value)
    assert match, f"no valid Plural-Forms header: {value!r}"
    return int(match.group(1)), match.group(2)


def _placeholders(text: str) -> set[str]:
    """The ``{named}`` fields of a str.format template (``{{`` escapes excluded)."""
    return {field for _lit, field, _spec, _conv in string.Formatter().parse(text) if field is not None}


def _forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string or ""]


@pytest.fixture(scope="module")
def template() -> Catalog:
    return _read(POT)


@pytest.fixture(scope="module", params=CODES)
def shipped(request: pytest.FixtureRequest) -> tuple[str, Catalog]:
    code = request.param
    return code, _read(_po_path(code), code)


# -- every catalog -------------------------------------------------------------------------


def test_the_template_has_messages(template):
    assert len(_entries(template)) > 0, f"locales/co_app.pot has no messages; {FIX_HINT}"


def test_catalog_language_is_known_to_the_application(shipped):
    code, catalog = shipped
    lang = find_language(code)
    assert lang is not None and lang.code == code, (
        f"locales/{code} is not a language of co_app/core/foundation/languages.py (the folder must use its code)"
    )
    assert str(catalog.locale) == code
    assert dict(catalog.mime_headers).get("Language") == code


def test_catalog_compiles_without_errors(shipped):
    code, catalog = shipped
    assert not catalog.fuzzy, f"{code}: the header is marked fuzzy (gettext would ignore its Plural-Forms)"
    problems = [(m.id, errors) for m, errors in catalog.check() if errors]
    assert not problems, f"{code}: {problems}"
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    assert buffer.getvalue(), code
    # Python's gettext reads it back, including the plural rule.
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    assert translations.info().get("language") == code


def test_plural_forms_header(shipped):
    code, catalog = shipped
    nplurals, expr = _plural_forms(catalog)
    if code in REQUIRED_NPLURALS:
        assert nplurals == REQUIRED_NPLURALS[code], f"{code}: nplurals={nplurals}"
    assert catalog.num_plurals == nplurals, code
    rule = gettext.c2py(expr)
    used = {rule(n) for n in range(0, 1001)}
    assert used <= set(range(nplurals)), f"{code}: the plural rule returns {sorted(used)} for {nplurals} forms"
    if code == "ar":
        assert {n: rule(n) for n in ARABIC_FORM_FOR} == ARABIC_FORM_FOR
        assert used == set(range(6))


def test_every_template_message_is_translated(template, shipped):
    code, catalog = shipped
    nplurals, _expr = _plural_forms(catalog)
    entries = _entries(catalog)
    missing, untranslated, fuzzy, wrong_forms = [], [], [], []
    for key, source in _entries(template).items():
        message = entries.get(key)
        if message is None:
            missing.append(key[0])
            continue
        if message.fuzzy:
            fuzzy.append(key[0])
        forms = _forms(message)
        if source.pluralizable and (not message.pluralizable or len(forms) != nplurals):
            wrong_forms.append(key[0])
        if not all(form.strip() for form in forms):
            untranslated.append(key[0])
    stale = sorted(k[0] for k in set(entries) - set(_entries(template)))
    hint = f"; {FIX_HINT} and translate locales/{code}/LC_MESSAGES/co_app.po"
    assert not missing, f"{code}: {len(missing)} msgids of the template are missing: {missing}{hint}"
    assert not untranslated, f"{code}: untranslated: {untranslated}{hint}"
    assert not fuzzy, f"{code}: fuzzy (check and unmark): {fuzzy}"
    assert not wrong_forms, f"{code}: plural messages without {nplurals} forms: {wrong_forms}"
    assert not stale, f"{code}: msgids no longer in the template: {stale}{hint}"


class _Sample(int):
    """A placeholder's value that suits any format spec the source uses: text ("{name}"),
    or a number ("{seconds:02d}")."""

    def __format__(self, spec: str) -> str:
        return format(int(self), spec) if spec and spec[-1] in "bcdeEfFgGnoxX%" else format(str("x"), spec)


def test_translations_keep_the_placeholders(shipped):
    code, catalog = shipped
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            singular, plural = (_placeholders(message.id[0]), _placeholders(message.id[1]))
            forms = _forms(message)
            for index, form in enumerate(forms):
                found = _placeholders(form)
                # The last form is the general one: exactly the plural's fields.  Others
                # (zero, one, two… in Arabic) may follow the singular's, nothing else.
                allowed = (plural,) if index == len(forms) - 1 else (plural, singular)
                if found not in allowed:
                    problems.append((message.id[0], index, sorted(found), sorted(plural)))
            names = plural | singular
        else:
            expected = _placeholders(message.id)
            forms = _forms(message)
            for form in forms:
                found = _placeholders(form)
                if found != expected:
                    problems.append((message.id, sorted(found), sorted(expected)))
            names = expected
        if names:
            for form in forms:  # the code calls .format(): it must not raise
                try:
                    form.format(**{name: _Sample() for name in names})
                except (ValueError, KeyError, IndexError) as exc:
                    problems.append((message.id, form, repr(exc)))
    assert not problems, f"{code}: placeholders differ from the source: {problems}"


# -- the template against the code ----------------------------------------------------------


def test_template_is_up_to_date_with_the_code(template, tmp_path):
    """Extract exactly as ``dev.py catalogs`` does (babel.cfg, the co_app folder) and compare."""
    fresh = tmp_path / "co_app.pot"
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-o", str(fresh),
         "--no-wrap", "--project=Welcoming Communities CO", "--copyright-holder=Welcoming Communities CO",
         "co_app"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    extracted = set(_entries(_read(fresh)))
    assert extracted, f"extraction found no messages: check babel.cfg ({result.stderr[-500:]})"
    committed = set(_entries(template))
    added = sorted(k[0] for k in extracted - committed)
    removed = sorted(k[0] for k in committed - extracted)
    assert not added and not removed, (
        f"locales/co_app.pot is out of date with the code; {FIX_HINT} and translate the new strings.\n"
        f"  new in the code: {added}\n  gone from the code: {removed}"
    )
    # Plural pairs must match too (a changed msgid_plural keeps the same singular key).
    fresh_plurals = {_key(m): m.id for m in _read(fresh) if m.id and m.pluralizable}
    committed_plurals = {_key(m): m.id for m in template if m.id and m.pluralizable}
    assert fresh_plurals == committed_plurals, f"plural msgids changed; {FIX_HINT}"


# -- gettext through co_app.core.foundation.i18n -------------------------------------------------------


@pytest.fixture
def isolated_i18n(monkeypatch):
    """Leave i18n as it was (and call no UI listener) whatever the test does."""
    monkeypatch.setattr(i18n, "_listeners", [])
    monkeypatch.setattr(i18n, "_translations", i18n._translations)
    monkeypatch.setattr(i18n, "_current", i18n._current)
    yield i18n
    i18n.set_language("en")


def _compile_into(catalog: Catalog, locale_dir: Path, code: str) -> Path:
    target = locale_dir / code / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as f:
        write_mo(f, catalog)
    return target


def test_arabic_catalog_loads_through_i18n(isolated_i18n, tmp_path):
    catalog = _read(_po_path("ar"), "ar")
    _compile_into(catalog, tmp_path, "ar")
    expected = catalog.get("Films").string

    assert i18n.set_language("ar", tmp_path) == "ar"
    assert i18n._("Films") == expected != "Films"
    assert any("\u0600" <= ch <= "\u06ff" for ch in i18n._("Films"))
    assert i18n.layout_is_rtl() is True

    assert i18n.set_language("en") == "en"
    assert i18n._("Films") == "Films"
    assert i18n.layout_is_rtl() is False


def test_arabic_plural_selection_uses_six_forms(isolated_i18n, tmp_path):
    """The shipped Arabic header, compiled with a hand-made plural message, picks all six forms."""
    catalog = _read(_po_path("ar"), "ar")
    singular, plural = "{count} test film", "{count} test films"
    catalog.add((singular, plural), [f"form {i} {{count}}" for i in range(6)])
    _compile_into(catalog, tmp_path, "ar")

    i18n.set_language("ar", tmp_path)
    chosen = {n: i18n.ngettext(singular, plural, n) for n in ARABIC_FORM_FOR}
    assert chosen == {n: f"form {form} {{count}}" for n, form in ARABIC_FORM_FOR.items()}
    assert len({chosen[n] for n in (0, 1, 2, 3, 11, 100)}) == 6


def test_shipped_plural_messages_select_by_the_rule(isolated_i18n, tmp_path):
    """Whatever plural strings the real catalogs hold are chosen by each language's rule."""
    for code in REQUIRED_NPLURALS:
        catalog = _read(_po_path(code), code)
        _compile_into(catalog, tmp_path, code)
        rule = gettext.c2py(_plural_forms(catalog)[1])
        i18n.set_language(code, tmp_path)
        for message in catalog:
            if message.id and message.pluralizable:
                for n in ARABIC_FORM_FOR:
                    assert i18n.ngettext(message.id[0], message.id[1], n) == message.string[rule(n)], (code, n)


def test_french_plurals_follow_the_shipped_rule(isolated_i18n, tmp_path):
    """French has two forms in our catalog (1 → singular; 0, 2, 5, 1 000 000 → plural),
    whatever number of forms the CLDR data of the installed Babel gives French."""
    catalog = _read(_po_path("fr"), "fr")
    _compile_into(catalog, tmp_path, "fr")
    i18n.set_language("fr", tmp_path)
    message = next(m for m in catalog if m.id and m.pluralizable and m.string[0] != m.string[1])
    singular, plural = message.id
    assert i18n.ngettext(singular, plural, 1) == message.string[0]
    for n in (2, 5, 1_000_000):
        assert i18n.ngettext(singular, plural, n) == message.string[1], n


def test_updating_the_catalogs_keeps_every_plural_rule(tmp_path):
    """`dev.py catalogs` runs `pybabel update`: with the Babel of the lock it must keep each
    catalog's own Plural-Forms (Babel 2.19's CLDR would give French three forms)."""
    folder = tmp_path / "locales"
    shutil.copytree(LOCALES, folder, ignore=shutil.ignore_patterns("*.mo"))
    result = subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "update", "-i",
                             folder / "co_app.pot", "-d", folder, "-D", "co_app", "--no-wrap"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for code, nplurals in REQUIRED_NPLURALS.items():
        before = _plural_forms(_read(_po_path(code), code))
        after = _plural_forms(_read(folder / code / "LC_MESSAGES" / "co_app.po", code))
        assert after == before and after[0] == nplurals, code
