"""The main window as a facilitator meets it: navigation, Home, sessions, empty states."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from co_app.core.sessions import agenda as agenda_core
from co_app.core.db import glance
from co_app.ui.sessions.start_session import StartSessionDialog
from tests.ui.helpers import choose_in_combo, click_nav

ALL_VIEWS = ["home", "films", "towns", "modules", "attendance", "settings"]


def visible_texts(widget) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


def test_navigation_reaches_every_view(qtbot, make_window):
    window = make_window()
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels == ["Home", "Films", "Towns", "Modules", "Attendance", "Settings"]
    seen_busy: list[bool] = []
    window.stack.currentChanged.connect(lambda _i: seen_busy.append(QApplication.overrideCursor() is not None))
    for key in ALL_VIEWS:
        click_nav(qtbot, window, key)
        assert window.stack.currentWidget() is window.view(key)
        assert QApplication.overrideCursor() is None  # the busy cursor of a first visit is gone
        text = visible_texts(window.current_view()).lower()
        assert "not implemented" not in text and "todo" not in text
    assert seen_busy == [True] * 5  # each page but Home was built on its first visit, under the busy cursor
    click_nav(qtbot, window, "films")
    assert seen_busy[-1] is False  # built already: no busy cursor


def test_keyboard_shortcuts_switch_views(qtbot, make_window):
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view().key == "towns"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view().key == "home"


def test_towns_modules_and_an_empty_attendance(qtbot, make_window):
    window = make_window()
    click_nav(qtbot, window, "towns")
    towns = window.view("towns").browser
    assert towns.items.count() == 9  # seven towns, France, Europe
    assert towns.items.item(3).text() == "Jena\nGermany"
    click_list_row = __import__("tests.ui.helpers", fromlist=["click_list_row"]).click_list_row
    click_list_row(qtbot, towns.items, 3)
    text = towns.reader.toPlainText()
    assert text.startswith("Jena") and "At a glance" in text and "Population" in text and "First words" in text
    click_nav(qtbot, window, "modules")
    modules = window.view("modules").browser
    assert modules.items.count() == 10 and modules.items.item(0).text() == "1. Journey and arrival"
    assert "Myth or reality?" in modules.reader.toPlainText()
    click_nav(qtbot, window, "attendance")
    assert "No sessions yet" in visible_texts(window.view("attendance"))


def test_start_a_session_from_home(qtbot, make_window, services):
    window = make_window()
    home = window.view("home")
    assert "No session today yet" in visible_texts(home)
    qtbot.mouseClick(home.start_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(StartSessionDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.place, "Community hall, Amman")
    qtbot.keyClicks(dialog.facilitator, "Layla Haddad")
    choose_in_combo(qtbot, dialog.language, "ar")
    choose_in_combo(qtbot, dialog.destination, "germany-jena")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    # Straight to the new session's check-in, with the suggested agenda ready to run.
    qtbot.waitUntil(lambda: window.current_view().key == "attendance", timeout=2000)
    attendance = window.view("attendance")
    assert attendance.current_page() is attendance.pages["checkin"]
    assert "Community hall, Amman" in attendance.session_title.text()
    with services.plain() as conn:
        [saved] = glance.sessions_on(conn, date.today())
    with services.db.session() as db:
        steps = agenda_core.load_agenda(db, saved.id)
    assert (saved.place, saved.facilitator, saved.language) == ("Community hall, Amman", "Layla Haddad", "ar")
    assert saved.destination_towns == ("germany-jena",)
    assert steps[0] == agenda_core.Step("film", "germany-jena", 10) and len(steps) >= 4
    assert sum(step.minutes for step in steps) <= agenda_core.SUGGESTED_DAY_MINUTES
    click_nav(qtbot, window, "home")
    assert "Today: session 1 of the day" in visible_texts(home)
    # Carrying on with today's session is the main action now; another session is secondary.
    assert home.attendance_button.objectName() == "primary" and home.start_button.objectName() == ""
    assert home.start_button.text() == "Start another session"
    assert "Community hall, Amman" in visible_texts(home)
    assert "Jena" in visible_texts(home)

    # The attendance view lists it; a second session the same day gets number 2 and the same defaults.
    click_nav(qtbot, window, "attendance")
    assert attendance.sessions.count() == 1
    click_nav(qtbot, window, "home")
    qtbot.mouseClick(home.start_button, Qt.MouseButton.LeftButton)
    second = [d for d in window.findChildren(StartSessionDialog) if d.isVisible()][-1]
    assert second.facilitator.text() == "Layla Haddad"
    assert second.language.currentData() == "ar"
    second.accept()
    qtbot.waitUntil(lambda: attendance.sessions.count() == 2, timeout=2000)
    click_nav(qtbot, window, "home")
    assert "Today: session 2 of the day" in visible_texts(home)

    # Home runs today's agenda.
    qtbot.mouseClick(home.run_button, Qt.MouseButton.LeftButton)
    runner = attendance.runner
    qtbot.waitUntil(lambda: runner is not None and runner.isVisible(), timeout=3000)
    assert runner.session.number_of_day == 2 and runner.session.session_date == date.today()
    runner.close()


def test_kiosk_shows_only_films_and_towns(qtbot, make_window):
    window = make_window(kiosk=True)
    assert window.view_keys == ["welcome", "films", "towns", "feedback"]
    assert window.view("attendance") is None and window.view("settings") is None
    assert "viewer mode" in window.windowTitle()


def test_return_presses_the_focused_button(qtbot, make_window):
    window = make_window()
    home = window.view("home")
    home.start_button.setFocus()
    qtbot.keyClick(home.start_button, Qt.Key.Key_Return)
    dialog = window.findChild(StartSessionDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_a_stray_arrow_key_does_not_switch_the_language(qtbot, make_window):
    window = make_window()
    picker = window.language_picker
    picker.setFocus()
    qtbot.keyClick(picker, Qt.Key.Key_Down)  # opens the list instead of switching
    assert picker.view().isVisible()
    assert window.nav.item(0).text() == "Home"
    qtbot.keyClick(picker.view(), Qt.Key.Key_Escape)
    assert picker.currentData() == "en"
