"""Switching the interface language at run time: texts, direction, and memory of the choice."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from co_app.core.foundation import i18n
from co_app.core.foundation.settings import load_settings
from tests.ui.helpers import choose_from_list, click_nav


# The picker changes the language only from its open list (a stray arrow key must not
# flip the whole screen): tests open it and pick with the keyboard, as a user would.


def test_picker_lists_languages_in_their_own_names(qtbot, make_window):
    window = make_window()
    names = [window.language_picker.itemText(i) for i in range(window.language_picker.count())]
    assert names[0] == "English"
    assert {"العربية", "Français", "دری"} <= set(names)


def test_switch_to_arabic_and_back_without_restart(qtbot, make_window, services):
    window = make_window()
    click_nav(qtbot, window, "films")
    choose_from_list(qtbot, window.language_picker, "ar")

    assert i18n.current_language() == "ar"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    nav = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert nav[0] != "Home" and all(any("\u0600" <= ch <= "\u06ff" for ch in label) for label in nav)
    films = window.view("films")
    assert films.title.text() == i18n._("Films") != "Films"
    # The film list is retranslated too: Arabic country and town names.
    assert "النمسا" in films.film_list.item(0).text()
    # Transport controls keep their left-to-right order (Qt's guidance for media controls).
    transport = films.player_panel.play_button.parentWidget()
    assert transport.layoutDirection() == Qt.LayoutDirection.LeftToRight
    # The choice is saved for the next start.
    assert load_settings(services.paths.settings)[0].language == "ar"

    choose_from_list(qtbot, window.language_picker, "en")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert window.nav.item(0).text() == "Home"
    assert films.title.text() == "Films"


def test_dari_is_right_to_left_and_french_is_not(qtbot, make_window):
    window = make_window()
    for code, direction in (("fa_AF", Qt.LayoutDirection.RightToLeft), ("fr", Qt.LayoutDirection.LeftToRight)):
        choose_from_list(qtbot, window.language_picker, code)
        assert QApplication.layoutDirection() == direction, code
        assert window.nav.item(0).text() == i18n._("Home") != "Home", code


def test_every_page_and_the_session_runner_follow_a_switch_at_run_time(qtbot, make_window, services):
    """Attendance (its tabs), the agenda, the runner window and the slides: all change
    language and direction without a restart; the slides keep the group's language."""
    from co_app.core.sessions import agenda as agenda_core
    from tests.ui.sessions.test_session_runner import new_session

    session_id = new_session(services, language="fr")
    with services.db.session() as db:
        agenda_core.save_agenda(db, session_id, [agenda_core.Step("module", "journey-and-arrival", 30)])
    window = make_window()
    click_nav(qtbot, window, "attendance")
    attendance = window.view("attendance")
    tabs = [attendance.tabs.tabText(i) for i in range(attendance.tabs.count())]
    assert tabs == ["Check-in", "Participants", "Agenda", "Modules covered", "Report"]
    runner = attendance.run_session(session_id)
    qtbot.waitExposed(runner)
    french_title = services.content.module("journey-and-arrival", "fr").title
    assert french_title in runner.preview.visible_text()
    choose_from_list(qtbot, window.language_picker, "ar")
    arabic_tabs = [attendance.tabs.tabText(i) for i in range(attendance.tabs.count())]
    assert arabic_tabs == [i18n._(t) for t in tabs] and arabic_tabs != tabs
    assert attendance.isRightToLeft() and runner.isRightToLeft()
    assert runner.next_button.text() == i18n._("Next") != "Next"
    # The slides stay in the group's language (French), whatever the interface's.
    assert french_title in runner.preview.visible_text()
    choose_from_list(qtbot, window.language_picker, "en")
    assert not runner.isRightToLeft() and runner.next_button.text() == "Next"
    runner.close()
