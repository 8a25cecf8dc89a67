"""A damaged film checked in Arabic: the check's report and the film's card say why in Arabic,
the database keeps the reason in no language, and in English the card says it in English
(issue 20, 5: the card showed the English text media verify had stored)."""

from __future__ import annotations

import json
import re

from co_app.core.foundation import i18n
from co_app.core.media.problems import PROBLEMS
from tests.ui.helpers import click_list_row
from tests.ui.media.test_media_library import films_view, select, visible_texts

ARABIC = re.compile("[\u0600-\u06ff]")


def test_a_film_checked_in_arabic_is_damaged_in_arabic_on_its_card(qtbot, make_window, services, locale_dir):
    clip = services.paths.media / "germany-jena.mp4"
    data = clip.read_bytes()
    clip.write_bytes(data[: len(data) * 6 // 10])
    i18n.set_language("ar", locale_dir)
    window, films = films_view(qtbot, make_window)

    dialog = films.check_films()  # "Check the films", in Arabic
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    with services.plain() as conn:
        [(status, kept)] = conn.execute("SELECT status, problem FROM media_files WHERE film_id = 'germany-jena'")
    doc = json.loads(kept)
    assert status == "corrupt" and doc["code"].startswith("truncated") and not ARABIC.search(kept), kept
    arabic = i18n._(PROBLEMS[doc["code"]])
    before_file = arabic.split("{file}")[0]
    after_file = arabic.split("{file}")[1].split("{")[0]  # the Arabic words up to the next value
    assert ARABIC.search(after_file), arabic
    report = dialog.results.toPlainText()
    assert after_file in report and str(clip) in report and "truncated" not in report, report
    dialog.close()

    select(qtbot, films, "germany-jena")
    card = visible_texts(films)
    assert after_file in card and str(clip) in card and "truncated" not in card, card
    assert before_file == "" or before_file in card

    # The same entry, in English: the card says it again in English (not the Arabic it was read in).
    i18n.set_language("en", locale_dir)
    click_list_row(qtbot, films.film_list, 1 if films.entries[0].film.id == "germany-jena" else 0)
    select(qtbot, films, "germany-jena")
    card = visible_texts(films)
    assert "is truncated: the file ends at byte" in card and str(clip) in card and not ARABIC.search(
        card.split(str(clip))[1].split("\n")[0]), card
