"""The group's words in the window (issue 20, 5): the viewer's Towns page without sources
and notes for the facilitator (the facilitator's still has them), Qt's own words in
Tigrinya, and the film series named in Arabic."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from co_app.core.foundation import i18n
from co_app.core.safety.pin import set_pin
from tests.ui.helpers import click_list_row, click_nav

LATIN = re.compile(r"[A-Za-z]")


def viewer(qtbot, make_window, services, language: str):
    """The viewer, handed over from Home, with a participant's language chosen."""
    with services.db.session() as db:
        set_pin(db, "2580")
    window = make_window()
    assert window.enter_viewer()
    start = window.current_view()
    button = next(b for b in start.language_buttons if b.property("code") == language)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert i18n.current_language() == language
    return window


def jena_profile(qtbot, window) -> str:
    click_nav(qtbot, window, "towns")
    towns = window.view("towns")
    click_list_row(qtbot, towns.browser.items, 3)  # Jena, in DESIGN.md's order
    assert towns.browser.items.item(3).text().startswith(("Jena", "ينا", "ዬና"))
    return towns.browser.reader.toPlainText()


def test_the_viewer_shows_no_source_nor_to_be_confirmed_the_facilitator_does(qtbot, make_window, services):
    window = make_window()
    text = jena_profile(qtbot, window)
    assert "Thüringer Landesamt für Statistik" in text and "Source" in text
    assert "(to be confirmed by the programme office)" in text and "((" not in text
    window.close_for_good()
    text = jena_profile(qtbot, viewer(qtbot, make_window, services, "en"))
    assert "MigrAfrica" in text and "Guten Tag" in text
    assert "Thüringer Landesamt" not in text and "Source" not in text and "to be confirmed" not in text


def test_qts_own_words_in_the_tigrinya_viewer(qtbot, make_window, services):
    window = viewer(qtbot, make_window, services, "ti")
    field = QLineEdit(window)
    field.setText("ሰላም")
    menu = field.createStandardContextMenu()
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    assert any(t.startswith("ቅዳሕ") for t in texts) and any(t.startswith("ለጥፍ") for t in texts), texts
    assert not any("Copy" in t or "Paste" in t for t in texts), texts
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "ሕራይ"
    menu.deleteLater()
    buttons.deleteLater()


def test_the_film_is_named_in_arabic_in_the_viewer_and_for_the_facilitator(qtbot, make_window, services):
    window = viewer(qtbot, make_window, services, "ar")
    films = window.view("films")
    qtbot.waitUntil(lambda: films.selected_entry() is not None, timeout=5000)
    assert not LATIN.search(films.film_title.text()), films.film_title.text()
    assert not any(LATIN.search(films.film_list.item(r).text()) for r in range(films.film_list.count()))
    window.close_for_good()
    i18n.set_language("ar", services.locale_dir)
    window = make_window()
    click_nav(qtbot, window, "films")
    films = window.view("films")
    qtbot.waitUntil(lambda: films.selected_entry() is not None, timeout=5000)
    film = films.selected_entry().film
    assert films.film_title.text() == film.title_in("ar", services.locale_dir)
    assert films.film_title.text().startswith("أماكن صغيرة، قلوب كبيرة – ")
