"""Town and module content: real TOML files in a temporary content folder, loaded,
validated, translated with fallback, linked to the media manifest, and checked from the
command line; and the shipped content/ itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from co_app.core.content.library import DEFAULT_CONTENT_DIR, ContentError, load_content
from co_app.core.content.schema import MODULE_IDS, TOWN_IDS
from co_app.core.media.manifest import load_manifest

REPO = Path(__file__).resolve().parents[3]
MANIFEST = load_manifest()

TOWN_EN = '''
format = 1
id = "jena"
language = "en"
review = "draft"

name = "Jena"
film = "germany-jena"
country = "DE"
region = "Thuringia"
kind = "town"
summary = "A university town."
location = {{ lat = 50.9271, lon = 11.5892 }}

[[facts]]
label = "Population"
value = "about 110,000"
year = 2023
source = "Statistics office"

[[facts]]
label = "Nearest city"
value = "Leipzig, 100 km"
year = 2024
source = "map"
confirm = true

{sections}

{words}

[[film_voices]]
moment = "germany-jena#welcome"
note = "People say hello."

[[organisations]]
name = "Refugee Law Clinic"
what = "Free legal advice."
confirm = true
'''

SECTION_IDS = ("housing", "work", "language", "school", "health", "transport", "support", "faith", "surprises")
SECTIONS = "\n".join(f'[[sections]]\nid = "{s}"\ntitle = "{s.title()}"\nbody = "About {s}."\n' for s in SECTION_IDS)
WORDS = "\n".join(f'[[first_words]]\nlocal = "Wort{i}"\npronunciation = "vort{i}"\nmeaning = "word {i}"\n'
                  for i in range(6))

TOWN_AR = '''
format = 1
id = "jena"
language = "ar"
review = "translated"

name = "يينا"
summary = "مدينة جامعية."

[[facts]]
label = "السكان"

[[facts]]
label = "أقرب مدينة"
value = "لايبزيغ، 100 كم"

[[sections]]
id = "work"
body = "عن العمل."
'''

MODULE_EN = '''
format = 1
id = "housing"
language = "en"
review = "draft"

title = "Housing"
order = 3
minutes = 45
objectives = ["Know the rules.", "Know the rent."]
key_messages = ["Pay rent on time."]
questions = ["What surprises you?"]
moments = ["germany-jena#daily-life"]

[[sections]]
title = "Your first home"
body = "It is small."

{myths}

[activity]
title = "Draw a flat"
minutes = 15
steps = ["Draw.", "Talk."]
materials = ["paper"]

{checks}
'''

MYTHS = "\n".join(f'[[myths]]\nmyth = "Myth {i}"\nreality = "Reality {i}"\n' for i in range(3))


def checks(count: int = 3) -> str:
    """``count`` check questions, each with its id and key message (issue 21)."""
    return "\n".join(f'[[self_check]]\nid = "q{i}"\nkey_message = 0\nquestion = "Q{i}?"\noptions = ["a", "b", "c"]\n'
                     f'answer = 1\nexplanation = "Because {i}."\n' for i in range(count))


CHECKS = checks()

#: a translation that also gives a figure (the film), which only English may give
WITH_FILM = TOWN_AR.replace('review = "translated"', 'review = "translated"\nfilm = "europe"')

MODULE_AR = '''
format = 1
id = "housing"
language = "ar"
review = "reviewed"

title = "السكن"
objectives = ["اعرف القواعد.", ""]
'''


def town_en(**parts: str) -> str:
    return TOWN_EN.format(sections=parts.get("sections", SECTIONS), words=parts.get("words", WORDS))


def module_en(**parts: str) -> str:
    return MODULE_EN.format(myths=parts.get("myths", MYTHS), checks=parts.get("checks", CHECKS))


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    write(root, "towns/jena/en.toml", town_en())
    write(root, "towns/jena/ar.toml", TOWN_AR)
    write(root, "modules/housing/en.toml", module_en())
    write(root, "modules/housing/ar.toml", MODULE_AR)
    return root


def errors_of(root: Path) -> list[str]:
    return [str(p) for p in load_content(root, MANIFEST).errors]


# --- a valid town and module -----------------------------------------------------


def test_minimal_town_and_module_load_in_english_and_arabic(content: Path) -> None:
    library = load_content(content, MANIFEST)
    assert library.errors == [], [str(p) for p in library.errors]
    assert library.ok
    town = library.town("jena")
    assert (town.name, town.film, town.country, town.kind) == ("Jena", "germany-jena", "DE", "town")
    assert (town.location.lat, town.location.lon) == (50.9271, 11.5892)
    assert [s.id for s in town.sections] == list(SECTION_IDS)
    assert town.facts[1].confirm and town.facts[0].year == 2023
    assert (town.film_voices[0].film_id, town.film_voices[0].moment_id) == ("germany-jena", "welcome")
    module = library.module("housing")
    assert (module.title, module.order, module.minutes, len(module.myths), len(module.self_check)) == (
        "Housing", 3, 45, 3, 3)
    assert module.activity.steps == ("Draw.", "Talk.") and module.self_check[0].answer == 1
    assert [t.id for t in library.towns("ar")] == ["jena"]
    assert [m.id for m in library.modules("ar")] == ["housing"]
    assert library.languages == ["en", "ar"]
    # the other towns and modules have no folder yet: a warning each, not an error
    missing = {p.item for p in library.warnings if "has no content yet" in p.message}
    assert missing == {f"town {t}" for t in TOWN_IDS if t != "jena"} | {
        f"module {m}" for m in MODULE_IDS if m != "housing"}


def test_translation_falls_back_to_english_field_by_field(content: Path) -> None:
    library = load_content(content, MANIFEST)
    town = library.town("jena", "ar")
    assert (town.language, town.review) == ("ar", "translated")
    assert (town.name, town.summary, town.region) == ("يينا", "مدينة جامعية.", "Thuringia")
    assert (town.facts[0].label, town.facts[0].value) == ("السكان", "about 110,000")
    assert (town.facts[1].label, town.facts[1].value) == ("أقرب مدينة", "لايبزيغ، 100 كم")
    assert town.facts[1].year == 2024 and town.facts[1].source == "map"  # figures stay English
    work = town.section("work")
    assert (work.title, work.body) == ("Work", "عن العمل.")
    assert town.section("housing").body == "About housing."
    assert town.location == library.town("jena").location
    module = library.module("housing", "ar")
    assert module.title == "السكن" and module.review == "reviewed"
    assert module.objectives == ("اعرف القواعد.", "Know the rent.")  # an empty entry stays English
    assert module.myths == library.module("housing").myths
    # a language without a file, and a regional code, fall back as a whole / to the language
    assert library.town("jena", "fr") == library.town("jena")
    assert library.town("jena", "ar_SY").name == "يينا"
    assert library.town("nowhere") is None and library.module("nothing", "ar") is None


def test_review_status_and_coverage_numbers(content: Path) -> None:
    library = load_content(content, MANIFEST)
    status = library.town_status("jena")
    assert {lang: s.review for lang, s in status.items()} == {"en": "draft", "ar": "translated"}
    # town text fields: name, summary, region (3) + facts 2×2 + sections 9×2 + words 6 + voice 1 + org 1 = 33
    assert (status["ar"].translated, status["ar"].total) == (6, 33)
    assert status["ar"].coverage == pytest.approx(6 / 33)
    assert status["en"].coverage == 1.0
    # module: title 1 + objectives 2 + key_messages 1 + questions 1 + section 2 + myths 6 + activity
    # (title 1 + steps 2 + materials 1) + self_check 3×(question + 3 options + explanation) = 32
    module = library.module_status("housing")
    assert (module["ar"].translated, module["ar"].total, module["ar"].review) == (2, 32, "reviewed")
    coverage = library.coverage("ar")
    assert coverage.towns == pytest.approx(6 / 33) and coverage.modules == pytest.approx(2 / 32)
    assert coverage.overall == pytest.approx(8 / 65)
    assert coverage.per_town == {"jena": pytest.approx(6 / 33)}
    assert library.coverage("en").overall == 1.0
    assert library.coverage("ti").overall == 0.0


# --- malformed files: each problem names file and field, the rest still loads ------------


def only_error(root: Path, fragment: str) -> str:
    library = load_content(root, MANIFEST)
    errors = [str(p) for p in library.errors]
    assert len(errors) == 1, errors
    assert fragment in errors[0], errors[0]
    return errors[0]


def test_bad_toml_names_the_file_and_line_and_the_rest_loads(content: Path) -> None:
    write(content, "towns/jena/ar.toml", 'format = 1\nname = "unterminated\n')
    message = only_error(content, "content/towns/jena/ar.toml: town jena: is not valid TOML")
    assert "line 2" in message
    library = load_content(content, MANIFEST)
    assert library.town("jena", "ar").name == "Jena" and library.module("housing", "ar").title == "السكن"


def test_missing_field(content: Path) -> None:
    write(content, "towns/jena/en.toml", town_en().replace('summary = "A university town."', ""))
    only_error(content, "content/towns/jena/en.toml: town jena: field 'summary' is missing")
    assert load_content(content, MANIFEST).module("housing").title == "Housing"


def test_wrong_type(content: Path) -> None:
    write(content, "modules/housing/en.toml", module_en().replace("minutes = 45", 'minutes = "45"'))
    only_error(content, "content/modules/housing/en.toml: module housing: field 'minutes' must be a whole number")
    write(content, "modules/housing/en.toml", module_en())
    write(content, "towns/jena/ar.toml", TOWN_AR.replace('name = "يينا"', "name = 3"))
    only_error(content, "content/towns/jena/ar.toml: town jena: field 'name' must be text")


def test_unknown_section_id_in_english_and_in_a_translation(content: Path) -> None:
    write(content, "towns/jena/en.toml", town_en(sections=SECTIONS.replace('id = "faith"', 'id = "religion"')))
    only_error(content, "content/towns/jena/en.toml: town jena: field 'sections[religion].id' has the value "
                        "'religion'")
    write(content, "towns/jena/en.toml", town_en())
    write(content, "towns/jena/ar.toml", TOWN_AR.replace('id = "work"', 'id = "jobs"'))
    only_error(content, "content/towns/jena/ar.toml: town jena: field 'sections[jobs].id' is 'jobs', not a "
                        "section id")


def test_wrong_language_in_file_name_or_header(content: Path) -> None:
    write(content, "towns/jena/de.toml", TOWN_AR)
    only_error(content, "content/towns/jena/de.toml: town jena: the file name 'de' is not a language code")
    (content / "towns/jena/de.toml").unlink()
    write(content, "towns/jena/fr.toml", TOWN_AR)  # says language = "ar"
    only_error(content, "content/towns/jena/fr.toml: town jena: field 'language' is 'ar'; it must be the file "
                        "name 'fr'")


def test_wrong_id_review_format_and_range(content: Path) -> None:
    text = town_en().replace('id = "jena"', 'id = "yena"').replace('review = "draft"', 'review = "done"')
    text = text.replace("format = 1", "format = 2").replace("lat = 50.9271", "lat = 95.0")
    write(content, "towns/jena/en.toml", text)
    errors = errors_of(content)
    assert len(errors) == 4, errors
    for field in ("'id' is 'yena'; it must be the folder name 'jena'", "'review' has the value 'done'",
                  "'format' must be 1", "'location.lat' is 95.0"):
        assert any(field in e for e in errors), (field, errors)


def test_self_check_answer_out_of_range_and_count(content: Path) -> None:
    write(content, "modules/housing/en.toml", module_en(checks=CHECKS.replace("answer = 1", "answer = 3", 1)))
    only_error(content, "content/modules/housing/en.toml: module housing: field 'self_check[1].answer' is 3; "
                        "it must be an index into options, from 0 to 2")
    assert len(load_content(content, MANIFEST).module("housing").self_check) == 2  # the bad one is left out
    write(content, "modules/housing/en.toml", module_en(checks=checks(7)))
    only_error(content, "content/modules/housing/en.toml: module housing: field 'self_check' has 7 entries; "
                        "between 3 and 6 expected")


def test_too_few_myths(content: Path) -> None:
    write(content, "modules/housing/en.toml", module_en(myths=MYTHS.split("[[myths]]", 2)[1].join(["[[myths]]", ""])))
    only_error(content, "content/modules/housing/en.toml: module housing: field 'myths' has 1 entries; at least 3")


def test_too_few_first_words_for_a_town(content: Path) -> None:
    write(content, "towns/jena/en.toml", town_en(words=WORDS.split("[[first_words]]", 2)[1].join(
        ["[[first_words]]", ""])))
    only_error(content, "field 'first_words' has 1 entries; at least 6 expected")


def test_translation_list_length_mismatch(content: Path) -> None:
    write(content, "modules/housing/ar.toml", MODULE_AR.replace('["اعرف القواعد.", ""]', '["اعرف القواعد."]'))
    only_error(content, "content/modules/housing/ar.toml: module housing: field 'objectives' has 1 entries; "
                        "English has 2")
    write(content, "modules/housing/ar.toml", MODULE_AR)
    write(content, "towns/jena/ar.toml", TOWN_AR + '\n[[first_words]]\nmeaning = "كلمة"\n')
    only_error(content, "content/towns/jena/ar.toml: town jena: field 'first_words' has 1 entries; English has 6")
    library = load_content(content, MANIFEST)
    assert library.town("jena", "ar").first_words == library.town("jena").first_words
    assert library.town("jena", "ar").name == "يينا"


def test_broken_moment_link_and_unknown_film(content: Path) -> None:
    write(content, "modules/housing/en.toml", module_en().replace("germany-jena#daily-life", "germany-jena#party"))
    only_error(content, "content/modules/housing/en.toml: module housing: field 'moments[1]' broken link: film "
                        "'germany-jena' has no moment 'party'")
    write(content, "modules/housing/en.toml", module_en())
    write(content, "towns/jena/en.toml", town_en().replace('film = "germany-jena"', 'film = "germany-weimar"'))
    only_error(content, "content/towns/jena/en.toml: town jena: field 'film' broken link: no film 'germany-weimar'")
    write(content, "towns/jena/en.toml", town_en().replace('moment = "germany-jena#welcome"',
                                                           'moment = "germany-gera#welcome"'))
    only_error(content, "field 'film_voices[1].moment' broken link: no film 'germany-gera'")


def test_a_modules_opening_moment_is_checked_against_the_films_and_opens_its_agenda_step(content: Path) -> None:
    """A module may open with a film moment, played as an agenda step of its own just before it
    (issue 20); an unknown moment or a link written wrongly is named with its file."""
    from co_app.core.sessions.agenda import Step, suggested_agenda

    moments = 'moments = ["germany-jena#daily-life"]\n'
    write(content, "modules/housing/en.toml",
          module_en().replace(moments, moments + 'opening_moment = "germany-jena#market"\n'))
    only_error(content, "content/modules/housing/en.toml: module housing: field 'opening_moment' broken link: film "
                        "'germany-jena' has no moment 'market' (it has: welcome, daily-life)")
    write(content, "modules/housing/en.toml",
          module_en().replace(moments, moments + 'opening_moment = "germany-jena daily-life"\n'))
    only_error(content, "content/modules/housing/en.toml: module housing: field 'opening_moment' is "
                        "'germany-jena daily-life'; a film moment is written '<film id>#<moment id>'")
    write(content, "modules/housing/en.toml",
          module_en().replace(moments, moments + 'opening_moment = "germany-jena#daily-life"\n'))
    library = load_content(content, MANIFEST)
    assert library.ok, [str(p) for p in library.errors]
    assert library.module("housing").opening_moment == "germany-jena#daily-life"
    assert library.module("housing", "ar").opening_moment == "germany-jena#daily-life"  # English's, in every language
    steps = suggested_agenda(library, ["germany-jena"])
    at = steps.index(Step("module", "housing", library.module("housing").minutes))
    assert steps[at - 1] == Step("film", "germany-jena", 5, "daily-life")


def test_the_shipped_content_opens_a_module_with_a_film_moment() -> None:
    library = load_content(DEFAULT_CONTENT_DIR, MANIFEST)
    openings = {m.id: m.opening_moment for m in library.modules() if m.opening_moment}
    assert openings == {"life-in-a-small-town": "europe#daily-life"}
    film, _, moment = openings["life-in-a-small-town"].partition("#")
    assert MANIFEST.film(film).moment(moment) is not None


def test_unknown_town_id_and_translation_without_english(content: Path) -> None:
    write(content, "towns/weimar/en.toml", town_en().replace('id = "jena"', 'id = "weimar"'))
    write(content, "towns/biella/ar.toml", TOWN_AR.replace('id = "jena"', 'id = "biella"'))
    errors = errors_of(content)
    assert len(errors) == 2, errors
    assert any("content/towns/weimar: town weimar: is not a known town id" in e for e in errors)
    assert any("content/towns/biella: town biella: has no en.toml yet (translations need the English source)" in e
               for e in errors)
    assert [t.id for t in load_content(content, MANIFEST).towns()] == ["jena"]


def test_non_text_in_a_translation_is_a_warning_and_ignored(content: Path) -> None:
    write(content, "towns/jena/ar.toml", WITH_FILM)
    library = load_content(content, MANIFEST)
    assert library.ok
    assert any(p.field == "film" and p.file == "content/towns/jena/ar.toml" for p in library.warnings)
    assert library.town("jena", "ar").film == "germany-jena"


def test_missing_content_folder_is_a_content_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="does not exist"):
        load_content(tmp_path / "nowhere", MANIFEST)


# --- the command line -----------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("CO_APP_HOME", "CO_APP_LANG")}
    return subprocess.run([sys.executable, "main.py", "content", "check", *args], cwd=REPO, env=environ,
                          capture_output=True, text=True, timeout=120)


def test_cli_valid_content_exits_0_with_a_coverage_table(content: Path, tmp_path: Path) -> None:
    result = run("--content-dir", str(content), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "jena" in result.stdout and "housing" in result.stdout
    assert any(line.split()[:4] == ["ar", "18%", "6%", "12%"] for line in result.stdout.splitlines()), result.stdout
    assert "0 errors" in result.stdout and "Traceback" not in result.stderr


def test_cli_errors_exit_1_and_name_file_and_field(content: Path, tmp_path: Path) -> None:
    write(content, "modules/housing/en.toml", module_en().replace("germany-jena#daily-life", "germany-jena#party"))
    write(content, "towns/jena/ar.toml", "name = \n")
    result = run("--content-dir", str(content), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "error: content/modules/housing/en.toml: module housing: field 'moments[1]' broken link" in result.stdout
    assert "error: content/towns/jena/ar.toml: town jena: is not valid TOML" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_json_is_one_document(content: Path, tmp_path: Path) -> None:
    write(content, "modules/housing/en.toml", module_en(myths=""))
    result = run("--json", "--content-dir", str(content), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 1, result.stderr
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    assert doc["towns"][0]["id"] == "jena"
    # A translation that carries no hash of the English text it was made from is outdated.
    assert doc["towns"][0]["languages"]["ar"] == {"coverage": pytest.approx(18.2), "review": "translated",
                                                  "state": "outdated", "reviewed_by": "", "reviewed_on": ""}
    assert doc["modules"][0]["languages"]["en"]["coverage"] == 100.0
    assert doc["coverage"]["en"] == 100.0 and "ar" in doc["coverage"]
    errors = [p for p in doc["problems"] if p["severity"] == "error"]
    assert errors == [{"file": "content/modules/housing/en.toml", "item": "module housing", "field": "myths",
                       "message": "is missing (expected [[myths]] tables)", "severity": "error"}]


def test_cli_warnings_alone_exit_0_and_missing_folder_exits_2(content: Path, tmp_path: Path) -> None:
    write(content, "towns/jena/ar.toml", WITH_FILM)
    assert run("--content-dir", str(content), "--data-dir", str(tmp_path / "d")).returncode == 0
    result = run("--content-dir", str(tmp_path / "nowhere"), "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "nowhere" in lines[0] and "does not exist" in lines[0]
    assert "Traceback" not in result.stdout + result.stderr


# --- the shipped content --------------------------------------------------------------


def test_shipped_content_loads_without_errors() -> None:
    library = load_content(DEFAULT_CONTENT_DIR)
    assert [str(p) for p in library.errors] == []
    assert [t.id for t in library.towns()] == list(TOWN_IDS)
    assert [m.id for m in library.modules()] == list(MODULE_IDS)
    assert [m.order for m in library.modules()] == list(range(1, len(MODULE_IDS) + 1))
