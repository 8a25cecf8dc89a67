"""A translation's review status stays true (issue 22, point 3): machine-made, reviewed by a
named native speaker on a date, or outdated once the English text it translates changes;
on a copy of the shipped content/ (split from test_content.py)."""

from __future__ import annotations

from pathlib import Path

from co_app.core.content.library import load_content


def test_review_status_stays_true(tmp_path: Path) -> None:
    """Issue 22, point 3: machine-made, reviewed (who, when), or outdated once English changes."""
    import shutil
    from datetime import date

    from co_app.core.content.review import stamp
    from co_app.core.content.store import shipped

    root = tmp_path / "content"
    shutil.copytree(shipped().root, root)
    status = load_content(root).town_status("jena")
    assert status["en"].state == "source" and status["ar"].state == "machine" and status["ti"].state == "machine"
    stamp(root, "town", "jena", "ar", reviewed_by="Hodan Ali", on=date(2026, 11, 30))
    ar = load_content(root).town_status("jena")["ar"]
    assert (ar.state, ar.reviewed_by, ar.reviewed_on, ar.review) == ("reviewed", "Hodan Ali", "2026-11-30", "reviewed")
    # A figure changing does not outdate a translation; English text changing does.
    en = root / "towns" / "jena" / "en.toml"
    text = en.read_text(encoding="utf-8")
    en.write_text(text.replace("year = 2023", "year = 2024", 1), encoding="utf-8")
    assert load_content(root).town_status("jena")["ar"].state == "reviewed"
    en.write_text(text.replace('region = "Thuringia"', 'region = "Free State of Thuringia"'), encoding="utf-8")
    library = load_content(root)
    assert library.town_status("jena")["ar"].state == "outdated"
    assert library.town_status("jena")["ar"].reviewed_by == "Hodan Ali"  # who reviewed the older text
    assert library.town_status("jena")["fr"].state == "outdated"
    assert library.module_status("housing")["ar"].state == "machine"
    # Stamped again after the translator's update: machine-made (no reviewer yet) and current.
    stamp(root, "town", "jena", "ar")
    ar = load_content(root).town_status("jena")["ar"]
    assert (ar.state, ar.reviewed_by, ar.review) == ("machine", "", "translated") and load_content(root).ok


def test_the_shipped_content_says_each_translation_is_current_and_machine_made() -> None:
    library = load_content()
    # Somali: every town and module, machine-made (issue 22, point 5).
    assert library.coverage("so").overall == 1.0 and "so" in library.languages
    assert library.town("jena", "so").language == "so" and library.module("housing", "so").title == "Guriyeynta"
    for status in [*(library.town_status(t.id) for t in library.towns()),
                   *(library.module_status(m.id) for m in library.modules())]:
        assert {lang: s.state for lang, s in status.items() if lang != "en"} == {
            lang: "machine" for lang in status if lang != "en"}
