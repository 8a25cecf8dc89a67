"""The viewer (kiosk) mode: a language first, towns and films only, and no way to the
participants' data without the facilitator PIN."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from co_app.core.foundation import i18n
from co_app.core.safety.pin import set_pin
from co_app.ui.safety.pin_dialogs import AskPinDialog, SetPinDialog
from co_app.ui.shell.theme import BASE_POINT_SIZE


def press_ok(qtbot, dialog) -> None:
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_first_the_pin_then_a_language_then_the_films(qtbot, make_window, services):
    window = make_window(kiosk=True)
    assert window.view_keys == ["welcome", "films", "towns", "feedback"]
    start = window.current_view()
    assert start.key == "welcome" and start.set_pin_button.isVisible()
    assert start.hint.isVisible() and "set a PIN before handing over the laptop" in start.hint.text()
    assert not any(b.isEnabled() for b in start.language_buttons)  # no PIN yet: no hand-over
    qtbot.mouseClick(start.set_pin_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(SetPinDialog)
    qtbot.keyClicks(dialog.pin, "2580")
    qtbot.keyClicks(dialog.again, "2581")
    press_ok(qtbot, dialog)
    assert dialog.isVisible() and "not the same" in dialog.message.text()
    dialog.again.clear()
    qtbot.keyClicks(dialog.again, "2580")
    press_ok(qtbot, dialog)
    qtbot.waitUntil(lambda: all(b.isEnabled() for b in start.language_buttons), timeout=3000)
    assert not start.hint.isVisible()  # the PIN is set: nothing left to tell the facilitator
    names = [b.text() for b in start.language_buttons]
    assert {"English", "العربية", "Français", "دری"} <= set(names)
    arabic = start.language_buttons[names.index("العربية")]
    qtbot.mouseClick(arabic, Qt.MouseButton.LeftButton)
    assert i18n.current_language() == "ar" and window.current_view().key == "films"
    assert not window.view("films").import_button.isVisible()  # participants cannot import
    assert services.settings.language is None  # a participant's choice is not saved


def test_without_a_pin_exit_leaves_the_viewer_at_once(qtbot, make_window, services):
    """Started with --kiosk before any PIN was set: the facilitator is still at the laptop
    (no language can be chosen yet), and Exit must not ask for a PIN that does not exist."""
    window = make_window(kiosk=True)
    qtbot.mouseClick(window.leave_button, Qt.MouseButton.LeftButton)
    assert window.findChild(AskPinDialog) is None
    assert not window.kiosk and "attendance" in window.view_keys and not window.leave_button.isVisible()


def test_attendance_needs_the_facilitator_pin(qtbot, make_window, services):
    with services.db.session() as db:
        set_pin(db, "2580")
    window = make_window(kiosk=True)
    assert window.view("attendance") is None and window.view("settings") is None
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)  # no such page here
    assert window.current_view().key in ("welcome", "films", "towns")
    # Alt+F4 or the window's close button: refused, and the PIN is asked for instead.
    assert window.close() is False and window.isVisible()
    dialog = window.findChild(AskPinDialog)
    assert dialog is not None and dialog.isVisible()
    assert window.close() is False and len(window.findChildren(AskPinDialog)) == 1  # one question at a time
    dialog.reject()
    qtbot.waitUntil(lambda: window.findChild(AskPinDialog) is None, timeout=3000)
    qtbot.mouseClick(window.leave_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(AskPinDialog)
    qtbot.keyClicks(dialog.pin, "1111")
    press_ok(qtbot, dialog)
    assert dialog.isVisible() and "not the PIN" in dialog.message.text()
    assert window.kiosk and window.view("attendance") is None
    qtbot.keyClicks(dialog.pin, "2580")
    press_ok(qtbot, dialog)
    qtbot.waitUntil(lambda: not window.kiosk, timeout=3000)
    assert window.view_keys == ["home", "films", "towns", "modules", "attendance", "settings"]
    assert QApplication.font().pointSize() == BASE_POINT_SIZE  # the viewer's larger text is gone
    assert window.view("attendance") is not None and not window.view("films").import_button.isHidden()


def test_the_viewer_follows_the_participant_and_gives_the_facilitator_back_their_own(qtbot, make_window, services):
    """Subtitles in the participant's language; each language says how far its translation
    is reviewed, in that language; after the PIN, the facilitator's language is back; the
    window fits an old 1280×800 projector screen with the viewer's larger text."""
    from co_app.core.foundation import i18n
    from co_app.core.foundation.i18n import translator_for

    with services.db.session() as db:
        set_pin(db, "2580")
    window = make_window(kiosk=True)
    start = window.current_view()
    start.refresh()
    names = [b.text() for b in start.language_buttons]
    arabic = names.index("العربية")
    note = start.review_notes[arabic].text()
    assert note == translator_for("ar", services.locale_dir)("translated, not yet reviewed by a native speaker")
    assert note and note != "translated, not yet reviewed by a native speaker"
    assert start.review_notes[names.index("English")].text() == ""
    qtbot.mouseClick(start.language_buttons[names.index("Français")], Qt.MouseButton.LeftButton)
    films = window.view("films")
    qtbot.waitUntil(lambda: films.player_panel.film_id is not None, timeout=5000)
    assert films.player_panel.current_subtitle_choice() == "fr"
    assert window.minimumSizeHint().height() <= 800 - 40 and window.minimumSizeHint().width() <= 1280
    # The card is the town, in the participant's language, and its moments, shown whole:
    # no poster, partner or "ready to play" for a participant, and the rest is the film's.
    film = films.selected_entry().film
    assert films.film_title.text() == f"{film.town_name('fr')} · {i18n.country_name(film.country)}"
    assert not films.poster.isVisible() and not films.film_info.isVisible() and not films.film_status.isVisible()
    qtbot.waitUntil(lambda: films.details_area.maximumHeight() >= films.details_area.sizeHint().height(),
                    timeout=3000)
    qtbot.mouseClick(window.leave_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(AskPinDialog)
    qtbot.keyClicks(dialog.pin, "2580")
    press_ok(qtbot, dialog)
    qtbot.waitUntil(lambda: not window.kiosk, timeout=3000)
    assert i18n.current_language() == "en" and window.nav.item(0).text() == "Home"
