"""Every page fits a 1024×600 netbook (issue 20, 1), in English, Arabic and Tigrinya, with
the usual and the larger text: the window stays the size of the screen, no button shows a
cut text, and the key widgets lie inside the window — check-in's search field, its list
with six rows or more, its buttons, the Films page's seek bar with a usable width.

The window is sized as a window manager keeps a maximized window: set to the screen, and
set again after each page is shown (a page whose minimum is larger would make it grow)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication

from co_app.ui.shell.theme import apply_theme
from tests.ui.attendance_data import seed_session
from tests.ui.helpers import choose_from_list
from tests.ui.shell.small_screen_checks import cut_buttons, outside, visible_rows

SCREEN = (1024, 600)
SESSION_TABS = ("participants", "agenda", "coverage", "report", "checkin")


def fit(qtbot, window) -> None:
    """The window at the screen's size, laid out."""
    for _ in range(2):
        window.setGeometry(0, 0, *SCREEN)
        qtbot.wait(30)
        QApplication.processEvents()


def fits(qtbot, window, where: str) -> None:
    """Shown again at the screen's size, the window keeps it: nothing holds it larger."""
    fit(qtbot, window)
    QApplication.processEvents()
    assert (window.width(), window.height()) == SCREEN, f"{where}: the window grew to {window.size().toTuple()}"
    assert cut_buttons(window) == [], f"{where}: buttons with cut text"


def visit_every_page(qtbot, window) -> None:
    for key in window.view_keys:
        window.show_view(key)
        qtbot.waitUntil(lambda key=key: window.current_view().key == key, timeout=3000)
        fits(qtbot, window, key)
    view = window.view("attendance")
    window.show_view("attendance")
    view.show_overall()
    fits(qtbot, window, "attendance: all sessions")
    view.sessions.setCurrentRow(0)
    for tab in SESSION_TABS:
        view.show_page(tab)
        fits(qtbot, window, f"attendance: {tab}")


@pytest.fixture
def larger_text(services, qapp):
    """Settings → Larger text, as the window starts with it; back to the usual size after."""
    services.settings.larger_text = True
    yield
    services.settings.larger_text = False
    apply_theme(qapp, larger_text=False)


def check_the_session_day(qtbot, window, least_rows: int, least_seek: int) -> None:
    window.show_view("attendance")
    view = window.view("attendance")
    view.sessions.setCurrentRow(0)  # today's session, with 26 people expected
    checkin = view.show_page("checkin")
    fits(qtbot, window, "check-in")
    assert checkin.table.rowCount() >= least_rows
    assert visible_rows(checkin.table) >= least_rows, f"check-in shows {visible_rows(checkin.table)} rows"
    for widget in (checkin.search, checkin.table, checkin.check_in_button, checkin.household_button,
                   checkin.late_button, checkin.left_button, checkin.absent_button, checkin.note_button,
                   checkin.undo_button):
        assert outside(window, widget) is None, (widget.text() if hasattr(widget, "text") else widget,
                                                 outside(window, widget))
    window.show_view("films")
    fits(qtbot, window, "films")
    panel = window.view("films").player_panel
    for widget in (panel.seek, panel.play_button, panel.project_button):
        assert outside(window, widget) is None, outside(window, widget)
    assert panel.seek.width() >= least_seek, f"the seek bar is {panel.seek.width()} px wide"


def open_in(qtbot, make_window, services, language: str):
    seeded = seed_session(services, extra_expected=20, day=date.today())
    window = make_window()
    window.setProperty("test_session", seeded.session_id)
    fit(qtbot, window)
    if language != "en":
        choose_from_list(qtbot, window.language_picker, language)
    return window


@pytest.mark.parametrize("language", ["en", "ar", "ti"])
def test_every_page_fits_a_netbook(qtbot, make_window, services, language) -> None:
    window = open_in(qtbot, make_window, services, language)
    visit_every_page(qtbot, window)
    check_the_session_day(qtbot, window, least_rows=6, least_seek=150)


@pytest.mark.parametrize("language", ["en", "ar", "ti"])
def test_every_page_fits_a_netbook_with_larger_text(qtbot, make_window, services, larger_text, language) -> None:
    window = open_in(qtbot, make_window, services, language)
    assert QApplication.font().pointSize() > 12
    visit_every_page(qtbot, window)
    # Larger text takes more room: Arabic's taller script keeps three rows (see the report).
    check_the_session_day(qtbot, window, least_rows=3 if language == "ar" else 6, least_seek=80)


@pytest.mark.parametrize("language", ["en", "ar", "ti"])
def test_the_main_dialogs_fit_a_netbook(qtbot, make_window, services, larger_text, language) -> None:
    """With larger text, the hardest case: each dialog can be made as small as the screen
    (the participant form's fields scroll) and shows its buttons whole there."""
    from co_app.ui.people.participants import ParticipantDialog
    from co_app.ui.people.roster_dialog import RosterImportDialog
    from co_app.ui.safety.pin_dialogs import SetPinDialog
    from co_app.ui.sessions.start_session import StartSessionDialog

    window = open_in(qtbot, make_window, services, language)
    session_id = window.property("test_session")
    for make in (lambda: ParticipantDialog(services, window, session_id=session_id),
                 lambda: StartSessionDialog(services, window), lambda: SetPinDialog(services, window),
                 lambda: RosterImportDialog(services, window, session_id=session_id)):
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        least = dialog.minimumSizeHint()
        name = type(dialog).__name__
        assert least.width() <= SCREEN[0] and least.height() <= SCREEN[1] - 60, (name, least.toTuple())
        dialog.resize(min(dialog.width(), SCREEN[0]), min(dialog.height(), SCREEN[1] - 60))
        QApplication.processEvents()
        assert cut_buttons(dialog) == [], name
        dialog.close()
