"""A damaged film's refusal is said in the reader's language and stored in none (issue 20, 5).

'media verify' stored "… is truncated: …" as English text in media_files.problem, and 'media
list' and the Films view showed it as it was on an Arabic screen.  Now the table holds the
refusal's code and values, and each reader gets the sentence in their language; the English
refusals stored before are turned into codes by migration 0008.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
from pathlib import Path

import pytest

from co_app.core.db import migrate
from co_app.core.db.engine import open_database
from co_app.core.foundation import i18n
from co_app.core.media.problems import PROBLEMS, MediaProblem, from_stored, media_problem, stored_form
from tests.core.media.test_media_check import cut, make_video
from tests.system.test_cli import run

FILM = "germany-jena"
ARABIC = re.compile("[\u0600-\u06ff]")
LOCALES = Path(__file__).resolve().parents[3] / "co_app" / "data" / "locales"


@pytest.fixture
def english_after(locale_dir: Path):
    yield locale_dir
    i18n.set_language("en")


def stored_problem(data: Path) -> dict:
    with sqlite3.connect(data / "co_app.sqlite3") as conn:
        [(status, problem)] = conn.execute("SELECT status, problem FROM media_files WHERE film_id = ?", (FILM,))
    assert status == "corrupt"
    return json.loads(problem)


def test_a_damaged_film_checked_in_arabic_is_said_in_arabic_and_stored_in_no_language(
        tmp_path: Path, locale_dir: Path) -> None:
    data = tmp_path / "data"
    (data / "media").mkdir(parents=True)
    whole = make_video(tmp_path / "whole.mp4")
    film = cut(whole, data / "media" / f"{FILM}.mp4", 0.6)

    checked = run("--data-dir", str(data), "--lang", "ar", "media", "verify")
    assert checked.returncode == 1 and "Traceback" not in checked.stdout + checked.stderr, checked.stderr
    doc = stored_problem(data)
    assert doc["code"].startswith("truncated") and doc["params"]["file"] == str(film), doc
    assert not ARABIC.search(json.dumps(doc, ensure_ascii=False)), doc  # no language in what is kept
    arabic = i18n.translator_for("ar", locale_dir)(PROBLEMS[doc["code"]]).format(**doc["params"])
    assert ARABIC.search(arabic.split(str(film))[1]), arabic
    [line] = [line for line in checked.stdout.splitlines() if line.startswith(FILM)]
    assert line.endswith(f" — {arabic}") and "truncated" not in line, line

    # The same record, read by an English and a French facilitator.
    listed = run("--data-dir", str(data), "media", "list")
    [line] = [line for line in listed.stdout.splitlines() if line.startswith(FILM)]
    assert line.endswith(" — " + PROBLEMS[doc["code"]].format(**doc["params"])) and "is truncated" in line, line
    french = run("--data-dir", str(data), "--lang", "fr", "media", "list", "--json")
    [entry] = [f for f in json.loads(french.stdout)["films"] if f["id"] == FILM]
    assert entry["problem"].startswith(f"{film} est tronqué"), entry
    assert entry["problem_code"] == doc["code"]  # what a script reads, the same in every language
    assert stored_problem(data) == doc  # reading changed nothing


def test_a_stored_problem_is_said_again_in_the_language_of_the_moment(english_after: Path) -> None:
    problem = media_problem("not-video", file=Path("/media/germany-jena.mp4"))
    assert isinstance(problem, MediaProblem) and problem == "/media/germany-jena.mp4 is not a video file this " \
                                                            "application can play."
    kept = stored_form(problem)
    assert json.loads(kept) == {"code": "not-video", "params": {"file": "/media/germany-jena.mp4"}}
    i18n.set_language("ar", english_after)
    again = from_stored(kept)
    assert isinstance(again, MediaProblem) and again.code == "not-video"
    assert ARABIC.search(str(again)) and "/media/germany-jena.mp4" in str(again) and "video" not in str(again)
    assert again.translated() == str(again)  # a window's text: values isolated in Arabic
    i18n.set_language("ti", english_after)
    assert again.translated() != str(again) and "/media/germany-jena.mp4" in again.translated()


@pytest.mark.parametrize("text", [
    "/media/germany-jena.mp4 is cut short.",  # a record of an older wording the migration did not know
    "{not json",
    '{"code": "no-such-code", "params": {}}',
    '{"code": "truncated-box", "params": {"file": "x"}}',  # values missing: never a KeyError
])
def test_a_record_that_is_not_a_known_code_is_shown_as_it_was_written(text: str) -> None:
    assert from_stored(text) == text and stored_form(text) == text
    assert from_stored(None) is None


def _migration():
    path = migrate.MIGRATIONS_DIR / "versions" / "0008_media_problem_codes.py"
    spec = importlib.util.spec_from_file_location("migration_0008", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_frozen_sentence_of_migration_0008_names_a_code_of_today() -> None:
    """Codes never disappear: a record the migration coded must still read back."""
    assert set(_migration().LEGACY) <= set(PROBLEMS)


#: What media verify stored before codes, and what migration 0008 makes of it.
OLD_ROWS = {
    "germany-jena": ("/m/germany-jena.mp4 is truncated: the file ends at byte 301 but its last box ('mdat') needs "
                     "9000 bytes; copy it again from the media pack.",
                     {"code": "truncated-box", "params": {"file": "/m/germany-jena.mp4", "size": 301,
                                                          "needed": 9000, "box": "mdat"}}),
    "italy-biella": ("/m/a film: is not.mp4 is not a video file this application can play.",
                     {"code": "not-video", "params": {"file": "/m/a film: is not.mp4"}}),
    "europe": ("/m/europe.mp4 does not match the checksum in the media pack's SHA256SUMS (recorded at import): it "
               "is damaged or not the right film; import it again from the media pack.",
               {"code": "checksum-pack", "params": {"file": "/m/europe.mp4"}}),
    "belgium-merchtem": ("/m/belgium-merchtem.mp4 cannot be read (Permission denied).",
                         {"code": "unreadable", "params": {"file": "/m/belgium-merchtem.mp4",
                                                           "reason": "Permission denied"}}),
    "netherlands-zaanstad": ("الملف تالف.", None),  # not one of the English sentences: kept as written
}


def test_migration_0008_codes_the_english_refusals_stored_before(tmp_path: Path, english_after: Path) -> None:
    from alembic import command

    path = tmp_path / "co_app.sqlite3"
    database = open_database(path)
    try:
        cfg = migrate.alembic_config(database.engine)
        with database.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0007_learning_answers")
    finally:
        database.dispose()
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO media_files (film_id, file_name, size, mtime_ns, verified_at, status, problem) "
                         "VALUES (?, 'f.mp4', 1, 1, '2026-12-01 10:00:00.000000', 'corrupt', ?)",
                         [(film_id, text) for film_id, (text, _doc) in OLD_ROWS.items()])

    database = open_database(path)  # upgrades to today's head, as a laptop does at start
    database.dispose()
    with sqlite3.connect(path) as conn:
        stored = dict(conn.execute("SELECT film_id, problem FROM media_files"))
    for film_id, (text, doc) in OLD_ROWS.items():
        assert (json.loads(stored[film_id]) if doc else stored[film_id]) == (doc or text), film_id
    # The English refusal of before reads in Arabic now; the unknown text as it was.
    i18n.set_language("ar", english_after)
    shown = from_stored(stored["germany-jena"])
    assert ARABIC.search(str(shown)) and "/m/germany-jena.mp4" in shown and "9000" in shown, shown
    assert from_stored(stored["netherlands-zaanstad"]) == "الملف تالف."

    database = open_database(path)
    try:  # and back: downgrade writes the English sentences again
        cfg = migrate.alembic_config(database.engine)
        with database.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0007_learning_answers")
    finally:
        database.dispose()
    with sqlite3.connect(path) as conn:
        assert dict(conn.execute("SELECT film_id, problem FROM media_files")) == {
            film_id: text for film_id, (text, _doc) in OLD_ROWS.items()}
