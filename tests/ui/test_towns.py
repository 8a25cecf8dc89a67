"""Town profiles and modules in the window: content per language, and a film moment link
that opens the player at that part of the film."""

from __future__ import annotations

from PySide6.QtCore import Qt

from co_app.player.protocol import PlayerState
from tests.ui.helpers import choose_from_list, click_list_row, click_nav


def test_a_town_moment_link_plays_that_part_of_the_film(qtbot, make_window):
    window = make_window()
    click_nav(qtbot, window, "towns")
    towns = window.view("towns").browser
    click_list_row(qtbot, towns.items, 3)  # Jena
    reader = towns.reader
    reader.setFocus()
    # Walk the links with Tab, as a keyboard user does, to the first film moment; Return opens it.
    for _ in range(20):
        qtbot.keyClick(reader, Qt.Key.Key_Tab)
        if reader.textCursor().selectedText().startswith("▶"):
            break
    assert reader.textCursor().selectedText().startswith("▶ Jena: The town introduces itself")
    qtbot.keyClick(reader, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_view().key == "films", timeout=3000)
    films = window.view("films")
    assert films.selected_entry().film.id == "germany-jena"
    player = films.player_panel.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING, timeout=3000)
    player.advance(6_000)
    qtbot.waitUntil(lambda: player.state() is PlayerState.PAUSED, timeout=3000)  # the moment's end


def test_profiles_follow_the_interface_language_with_fallback(qtbot, make_window):
    window = make_window()
    click_nav(qtbot, window, "towns")
    towns = window.view("towns").browser
    choose_from_list(qtbot, window.language_picker, "ar")
    assert towns.items.item(3).text().startswith("ينا")
    text = towns.reader.toPlainText()
    assert "غينسرندورف" in text  # Arabic profile of the first town
    assert "not yet reviewed by a native speaker" not in text  # the note itself is translated
    choose_from_list(qtbot, window.language_picker, "fa_AF")
    click_list_row(qtbot, towns.items, 1)  # Zaanstad has no Dari file: English, field by field
    assert "Zaanstad" in towns.reader.toPlainText()
