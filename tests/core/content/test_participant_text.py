"""What participants see is the group's (issue 20, 5): the first words' pronunciation in the
group's script, notes for the facilitator and sources kept off the slides, the film series
translated — on the shipped content, and `content check` naming a wrong pronunciation."""

from __future__ import annotations

import re
import shutil
from pathlib import Path


from co_app.core.content.audience import for_facilitator, for_participants, writes_latin
from co_app.core.content.library import DEFAULT_CONTENT_DIR, load_content
from co_app.core.media.manifest import load_manifest
from co_app.core.sessions.agenda import Step
from co_app.core.sessions.slides import step_slides, town_slides

MANIFEST = load_manifest()
ARABIC = re.compile(r"[\u0600-\u06FF]")
ETHIOPIC = re.compile(r"[\u1200-\u137F]")
LATIN = re.compile(r"[A-Za-z]")
#: "(to be confirmed by the programme office)" as the shipped translations say it.
TO_CONFIRM = {"en": "to be confirmed by the programme office", "ar": "يحتاج إلى تأكيد من مكتب البرنامج",
              "ti": "ቤት ጽሕፈት መደብ ከረጋግጾ", "fr": "à confirmer par le bureau du programme"}


def slide_text(slides) -> str:
    return "\n".join(f"{s.title}\n{s.body}\n" + "\n".join(s.items) for s in slides)


def test_a_note_for_the_facilitator_is_italic_for_them_and_gone_for_the_group() -> None:
    text = "The partner is **MigrAfrica** ((to be confirmed)). Welcome."
    assert for_facilitator(text) == "The partner is **MigrAfrica** *(to be confirmed)*. Welcome."
    assert for_participants(text) == "The partner is **MigrAfrica**. Welcome."
    assert writes_latin("so") and writes_latin("fr") and not writes_latin("ar") and not writes_latin("ti")


def test_an_arabic_first_words_slide_says_the_pronunciation_in_arabic_letters_without_notes() -> None:
    library = load_content(DEFAULT_CONTENT_DIR, MANIFEST)
    assert library.errors == [] and library.warnings == [], [str(p) for p in library.problems]
    slides = town_slides(library.town("jena", "ar"))
    words = next(s for s in slides if s.kind == "words")
    assert words.items[0].split("\t") == ["Guten Tag", "غوتن تاك", "نهارك سعيد / مرحبًا"]
    for item in words.items:
        local, said, meaning = item.split("\t")
        assert ARABIC.search(said) and not LATIN.search(said), item
    text = slide_text(slides)
    assert "MigrAfrica" in text and TO_CONFIRM["ar"] not in text and "((" not in text
    assert "Thüringer Landesamt" not in text  # a figure's source: the facilitator's, not the group's
    tigrinya = next(s for s in town_slides(library.town("biella", "ti")) if s.kind == "words")
    assert all(ETHIOPIC.search(item.split("\t")[1]) for item in tigrinya.items)


def test_no_slide_of_any_town_in_any_language_carries_a_note_for_the_facilitator() -> None:
    library = load_content(DEFAULT_CONTENT_DIR, MANIFEST)
    for language in library.languages:
        for town in library.towns(language):
            text = slide_text(town_slides(town))
            assert "((" not in text and "))" not in text, (town.id, language)
            assert TO_CONFIRM.get(language, "((") not in text, (town.id, language)
            if not writes_latin(language) and town.first_words:
                words = next(s for s in town_slides(town) if s.kind == "words")
                assert not any(LATIN.search(item.split("\t")[1]) for item in words.items), (town.id, language)


def test_content_check_names_a_latin_or_missing_pronunciation_and_an_open_note(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, root)
    arabic = root / "towns" / "jena" / "ar.toml"
    text = arabic.read_text(encoding="utf-8")
    text = text.replace('pronunciation = "غوتن تاك"', 'pronunciation = "GOO-ten TAHK"', 1)
    text = text.replace('pronunciation = "دانكه"\n', "", 1)
    arabic.write_text(text, encoding="utf-8")
    english = root / "towns" / "biella" / "en.toml"
    english.write_text(english.read_text(encoding="utf-8").replace("programme office))", "programme office)"),
                       encoding="utf-8")
    library = load_content(root, MANIFEST)
    problems = {(p.file.split("/")[-1], p.field, p.severity): p.message for p in library.problems}
    assert "Latin letters" in problems[("ar.toml", "first_words[1].pronunciation", "error")]
    assert "is missing" in problems[("ar.toml", "first_words[2].pronunciation", "warning")]
    assert any(file == "en.toml" and severity == "error" and "((" in message
               for (file, _field, severity), message in problems.items())
    # A pronunciation is the group's spelling, not translated text: coverage and review state stay.
    status = library.town_status("jena")["ar"]
    assert status.coverage == 1.0 and status.state == "machine"


def test_the_film_series_is_named_in_the_groups_language(locale_dir: Path) -> None:
    film = MANIFEST.film("austria-gaenserndorf")
    assert film.title_in("en") == "Small Places, Great Hearts – Austria"
    assert film.title_in("ar", locale_dir) == "أماكن صغيرة، قلوب كبيرة – النمسا"
    assert film.title_in("ti", locale_dir).startswith("ንኣሽቱ ቦታታት፣ ዓበይቲ ልብታት – ")
    assert MANIFEST.film("europe").title_in("fr", locale_dir) == "Petits lieux, grands cœurs – Europe"
    library = load_content(DEFAULT_CONTENT_DIR, MANIFEST)
    slide = step_slides(Step("film", "austria-gaenserndorf", 10), library, MANIFEST, "ar")[0]
    assert slide.body == film.title_in("ar") and slide.body.endswith("– النمسا")  # (the catalog: as compiled)
