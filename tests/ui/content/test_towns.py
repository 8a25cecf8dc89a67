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
    click_list_row(qtbot, towns.items, 0)
    text = towns.reader.toPlainText()
    assert "غينسرندورف" in text  # Arabic profile of the first town
    assert "not yet reviewed by a native speaker" not in text  # the note itself is translated
    choose_from_list(qtbot, window.language_picker, "fa_AF")
    click_list_row(qtbot, towns.items, 1)  # Zaanstad has no Dari file: English, field by field
    assert "Zaanstad" in towns.reader.toPlainText()


def test_map_pin_opens_the_town_and_its_moment_plays(qtbot, make_window, services):
    from datetime import date

    from co_app.core.sessions import service as session_service

    with services.db.session() as db:  # today's group goes to Biella: its pin stands out
        session_service.create_session(db, day=date.today(), place="Hall", facilitator="F", language="en",
                                       destination_towns=["italy-biella"])
    window = make_window()
    click_nav(qtbot, window, "towns")
    view = window.view("towns")
    europe = view.map
    assert view.pages.currentWidget() is europe and europe.isVisible()
    assert {p.town_id for p in europe.pins} == {"gaenserndorf", "zaanstad", "merchtem", "jena", "somcuta-mare",
                                                "biella", "caranguejeira"}
    assert europe.destination == "biella"
    biella = next(p for p in europe.pins if p.town_id == "biella")
    qtbot.mouseClick(europe, Qt.MouseButton.LeftButton, pos=europe.pin_position(biella).toPoint())
    assert view.pages.currentWidget() is view.browser.reader
    assert view.browser.reader.toPlainText().startswith("Biella")
    reader = view.browser.reader
    reader.setFocus()
    for _ in range(20):
        qtbot.keyClick(reader, Qt.Key.Key_Tab)
        if reader.textCursor().selectedText().startswith("▶"):
            break
    qtbot.keyClick(reader, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_view().key == "films", timeout=3000)
    assert window.view("films").selected_entry().film.id == "italy-biella"
    qtbot.waitUntil(lambda: window.view("films").player_panel.player.state() is PlayerState.PLAYING, timeout=3000)
    # Back on Towns, the map button returns to the map.
    click_nav(qtbot, window, "towns")
    qtbot.mouseClick(view.map_button, Qt.MouseButton.LeftButton)
    assert view.pages.currentWidget() is europe
