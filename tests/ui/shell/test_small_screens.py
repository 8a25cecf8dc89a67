"""Every page fits a 1024×600 netbook and a 1366×768 laptop (issue 20, 1), in English, Arabic
and Tigrinya, with the usual and the largest text (Settings → Larger text): the window stays
the size of the screen, no button shows a cut text, every tab its whole title without Qt's
scroll arrows, the sidebar neither scrolls nor cuts the app's name, and the key widgets lie
inside the window — check-in's search field, its list with six whole rows or more (counted row by row,
with 26 people expected), its buttons, the Films page's seek bar with a usable width; the
session runner's smallest size fits the screen on every step, its buttons whole.

The window is sized as a window manager keeps a maximized window: set to the screen, and
set again after each page is shown (a page whose minimum is larger would make it grow)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication

from co_app.ui.shell.theme import LARGER_POINT_SIZE, apply_theme
from tests.ui.attendance_data import seed_session
from tests.ui.helpers import choose_from_list
from tests.ui.shell.small_screen_checks import (
    cut_buttons, cut_list_items, cut_tabs, outside, sidebar_problems, sideways, visible_rows,
)

SCREEN = (1024, 600)
LAPTOP = (1366, 768)
SESSION_TABS = ("participants", "agenda", "coverage", "report", "checkin")


def fit(qtbot, window, screen: tuple[int, int] = SCREEN) -> None:
    """The window at the screen's size, laid out: set again, as a window manager keeps a
    maximized window, while a page shown the first time settles (its small-screen form is
    chosen once it has its size; until then its minimum may be a little taller)."""
    for attempt in range(6):
        window.setGeometry(0, 0, *screen)
        qtbot.wait(30)
        QApplication.processEvents()
        if attempt and window.size().toTuple() == screen:
            break


def fits(qtbot, window, where: str, screen: tuple[int, int] = SCREEN) -> None:
    """Shown again at the screen's size, the window keeps it: nothing holds it larger."""
    fit(qtbot, window, screen)
    QApplication.processEvents()
    assert (window.width(), window.height()) == screen, f"{where}: the window grew to {window.size().toTuple()}"
    assert cut_buttons(window) == [], f"{where}: buttons with cut text"
    assert cut_tabs(window) == [], f"{where}: tabs cut or behind scroll arrows"
    assert sideways(window) == [], f"{where}: the page scrolls sideways"
    assert cut_list_items(window) == [], f"{where}: a list scrolls sideways or cuts its rows"
    if hasattr(window, "sidebar_title"):
        assert sidebar_problems(window) == [], f"{where}: the sidebar"


def visit_every_page(qtbot, window, screen: tuple[int, int] = SCREEN) -> None:
    for key in window.view_keys:
        window.show_view(key)
        qtbot.waitUntil(lambda key=key: window.current_view().key == key, timeout=3000)
        fits(qtbot, window, key, screen)
    view = window.view("attendance")
    window.show_view("attendance")
    view.show_overall()
    fits(qtbot, window, "attendance: all sessions", screen)
    view.sessions.setCurrentRow(0)
    for tab in SESSION_TABS:
        view.show_page(tab)
        fits(qtbot, window, f"attendance: {tab}", screen)


@pytest.fixture
def larger_text(services, qapp):
    """Settings → Larger text, as the window starts with it; back to the usual size after."""
    services.settings.larger_text = True
    yield
    services.settings.larger_text = False
    apply_theme(qapp, larger_text=False)


def check_the_session_day(qtbot, window, least_rows: int, least_seek: int, screen: tuple[int, int] = SCREEN) -> None:
    window.show_view("attendance")
    view = window.view("attendance")
    view.sessions.setCurrentRow(0)  # today's session, with 26 people expected
    checkin = view.show_page("checkin")
    fits(qtbot, window, "check-in", screen)
    assert checkin.table.rowCount() >= least_rows
    assert visible_rows(checkin.table) >= least_rows, f"check-in shows {visible_rows(checkin.table)} rows"
    for widget in (checkin.search, checkin.table, checkin.check_in_button, checkin.household_button,
                   checkin.late_button, checkin.left_button, checkin.absent_button, checkin.note_button,
                   checkin.undo_button):
        assert outside(window, widget) is None, (widget.text() if hasattr(widget, "text") else widget,
                                                 outside(window, widget))
    window.show_view("films")
    fits(qtbot, window, "films", screen)
    panel = window.view("films").player_panel
    for widget in (panel.seek, panel.play_button, panel.project_button):
        assert outside(window, widget) is None, outside(window, widget)
    assert panel.seek.width() >= least_seek, f"the seek bar is {panel.seek.width()} px wide"


def open_in(qtbot, make_window, services, language: str, screen: tuple[int, int] = SCREEN):
    seeded = seed_session(services, extra_expected=20, day=date.today())
    window = make_window()
    window.setProperty("test_session", seeded.session_id)
    fit(qtbot, window, screen)
    if language != "en":
        choose_from_list(qtbot, window.language_picker, language)
    return window


@pytest.mark.parametrize("screen", [SCREEN, LAPTOP], ids=["1024x600", "1366x768"])
@pytest.mark.parametrize("language", ["en", "ar", "ti"])
def test_every_page_fits_a_netbook(qtbot, make_window, services, language, screen) -> None:
    window = open_in(qtbot, make_window, services, language, screen)
    visit_every_page(qtbot, window, screen)
    check_the_session_day(qtbot, window, least_rows=6, least_seek=150, screen=screen)


@pytest.mark.parametrize("screen", [SCREEN, LAPTOP], ids=["1024x600", "1366x768"])
@pytest.mark.parametrize("language", ["en", "ar", "ti"])
def test_every_page_fits_with_the_largest_text(qtbot, make_window, services, larger_text, language, screen) -> None:
    """The largest text setting, the hardest case: Arabic's taller script too keeps six
    whole rows of check-in at 1024×600 (the session's buttons fold into one, the counts and
    Undo join the buttons' row, the list's text is the largest that leaves six rows)."""
    window = open_in(qtbot, make_window, services, language, screen)
    assert QApplication.font().pointSize() == LARGER_POINT_SIZE
    visit_every_page(qtbot, window, screen)
    check_the_session_day(qtbot, window, least_rows=6, least_seek=80, screen=screen)
    table = window.view("attendance").pages["checkin"].table
    if screen == LAPTOP:  # room enough: the list's text is the chosen size, not smaller
        assert table.text_size >= LARGER_POINT_SIZE, table.text_size


@pytest.mark.parametrize("language", ["ar", "ti"])
def test_a_closed_session_keeps_six_rows_and_says_it_is_closed(qtbot, make_window, services, larger_text,
                                                               language) -> None:
    """Closed, a session says so once, in its title ("· closed"), instead of a state line
    and a lock note above the list; its actions stay one click away, in a menu."""
    from co_app.core.foundation.i18n import _
    from co_app.core.sessions.service import close_session
    from co_app.ui.attendance.page import status_label

    window = open_in(qtbot, make_window, services, language)
    with services.db.session() as db:
        close_session(db, window.property("test_session"))
    window.show_view("attendance")
    view = window.view("attendance")
    view.refresh()
    view.sessions.setCurrentRow(0)
    checkin = view.show_page("checkin")
    fits(qtbot, window, "check-in of a closed session")
    assert visible_rows(checkin.table) >= 6, f"check-in shows {visible_rows(checkin.table)} rows"
    assert view.session_title.text().endswith(" · " + status_label("closed"))
    assert view.session_title.toolTip()  # the whole title and the details, where the title is cut
    assert checkin.lock_note.isHidden() and view.actions.state_label.isHidden()
    menu = view.actions.menu_button
    assert outside(window, menu) is None and menu.text() == _("Close or print")
    assert [a.text() for a in menu.menu().actions()] == [_("Close the session"), _("Print sign-in sheet…"),
                                                          _("Attendance certificates…")]
    assert not view.actions.close_action.isEnabled() and view.actions.sign_in_action.isEnabled()
    window.setGeometry(0, 0, 1600, 1200)  # a large screen: the buttons and the state line again
    qtbot.waitUntil(lambda: view.actions.close_button.isVisible(), timeout=3000)
    assert menu.isHidden() and view.actions.state_label.isVisible() and checkin.lock_note.isHidden()


def runner_for(services, session_id: str):
    from co_app.core.sessions import agenda as agenda_core
    from co_app.ui.sessions.runner_window import SessionRunnerWindow

    with services.db.session() as db:
        steps = agenda_core.suggested_agenda(services.content, ["germany-jena"])
        agenda_core.save_agenda(db, session_id, steps)
    return SessionRunnerWindow(services, session_id)


@pytest.mark.parametrize("screen", [SCREEN, LAPTOP], ids=["1024x600", "1366x768"])
@pytest.mark.parametrize("language", ["en", "ar", "ti"])
def test_the_runner_fits_with_the_largest_text(qtbot, make_window, services, larger_text, language, screen) -> None:
    """On every step (a film with its hint, a module with "Covered" and the learning check)
    the runner's smallest size fits the screen, it keeps the screen's size, and Next and
    every other button are whole and inside it."""
    window = open_in(qtbot, make_window, services, language, screen)
    runner = runner_for(services, window.property("test_session"))
    qtbot.addWidget(runner)
    runner.show()
    qtbot.waitExposed(runner)
    kinds = set()
    for index, step in enumerate(runner.steps):
        runner.go_to_step(index)
        fit(qtbot, runner, screen)
        where = f"step {index + 1} ({step.kind})"
        least = runner.minimumSizeHint()
        assert least.width() <= screen[0] and least.height() <= screen[1], (where, least.toTuple())
        assert runner.size().toTuple() == screen, (where, runner.size().toTuple())
        assert cut_buttons(runner) == [], where
        for widget in (runner.next_button, runner.previous_button, runner.preview, runner.close_button):
            assert outside(runner, widget) is None, (where, outside(runner, widget))
        kinds.add(step.kind)
    assert {"film", "module"} <= kinds
    runner.close()


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


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_sessions_column_folds_away_for_the_session_tabs(qtbot, make_window, services, larger_text,
                                                            language) -> None:
    """At 1024×600 with larger text the session's five tabs need the width of the column of
    sessions: it folds away, every tab shows its whole title, and "Sessions" beside the
    session's title brings the column back; choosing a session there folds it again."""
    from datetime import timedelta

    from PySide6.QtCore import Qt

    from co_app.core.db.models import CoSession

    with services.db.session() as db:  # an earlier session, to choose in the column
        db.add(CoSession(session_date=date.today() - timedelta(days=3), place="Amman", language="ar"))
        db.commit()
    window = open_in(qtbot, make_window, services, language)
    window.show_view("attendance")
    view = window.view("attendance")
    view.refresh()
    view.sessions.setCurrentRow(0)
    view.show_page("checkin")
    fits(qtbot, window, "check-in")
    assert view.folded and view.column.isHidden()
    assert outside(window, view.sessions_button) is None
    qtbot.mouseClick(view.sessions_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(view.sessions.isVisible, timeout=3000)
    assert outside(window, view.new_button) is None and outside(window, view.overall_button) is None
    second = view.sessions.visualItemRect(view.sessions.item(1)).center()
    qtbot.mouseClick(view.sessions.viewport(), Qt.MouseButton.LeftButton, pos=second)
    qtbot.waitUntil(view.column.isHidden, timeout=3000)
    assert view.sessions.currentRow() == 1 and view.session_id == view._rows[1].id
    fits(qtbot, window, "check-in of the session chosen")
    qtbot.mouseClick(view.sessions_button, Qt.MouseButton.LeftButton)  # open, then a tab: folded again
    qtbot.waitUntil(view.column.isVisible, timeout=3000)
    bar = view.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    qtbot.waitUntil(view.column.isHidden, timeout=3000)
    assert view.current_page() is view.pages["participants"]
    fits(qtbot, window, "participants of the session chosen")
    view.show_overall()  # across sessions: no tabs, the column stays (its buttons lead back)
    assert view.column.isVisible() and not view.sessions_button.isVisible()
    window.setGeometry(0, 0, *LAPTOP)  # wider: the column beside the tabs again, no button
    qtbot.waitUntil(lambda: not view.folded, timeout=3000)
    view.sessions.setCurrentRow(0)
    assert view.column.isVisible() and view.sessions_button.isHidden()


def click_check_box(qtbot, box) -> None:
    """A click on the box itself (at the start of the line, the right end in Arabic)."""
    from PySide6.QtCore import QPoint, Qt

    x = 8 if box.isLeftToRight() else box.width() - 8
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(x, box.height() // 2))


@pytest.fixture
def usual_text_after(services, qapp):
    """The test turns larger text on through Settings: the usual size again after it."""
    yield
    services.settings.larger_text = False
    apply_theme(qapp, larger_text=False)


@pytest.mark.parametrize("screen", [SCREEN, LAPTOP], ids=["1024x600", "1366x768"])
def test_larger_text_turned_on_while_open_lays_check_in_out_again(qtbot, make_window, services,
                                                                  usual_text_after, screen) -> None:
    """Settings → Larger text while the window is open makes the same small-screen choices
    as a start with it: in Arabic, on a closed session, check-in keeps six whole rows and
    says "closed" once (it showed no row under four), the sidebar neither scrolls nor cuts
    the app's name (it was cut to "Welcoming Communitie"), no button or tab is cut; and
    back to the usual size, the page is laid out as before."""
    from co_app.core.sessions.service import close_session
    from co_app.ui.attendance.page import status_label

    window = open_in(qtbot, make_window, services, "ar", screen)
    with services.db.session() as db:
        close_session(db, window.property("test_session"))
    window.show_view("attendance")
    view = window.view("attendance")
    view.refresh()
    view.sessions.setCurrentRow(0)
    checkin = view.show_page("checkin")
    fits(qtbot, window, "check-in, usual text", screen)
    roomy, rows = not view.title.isHidden(), visible_rows(checkin.table)
    window.show_view("settings")
    settings = window.view("settings")
    fits(qtbot, window, "settings", screen)
    click_check_box(qtbot, settings.larger_text)
    assert services.settings.larger_text and QApplication.font().pointSize() == LARGER_POINT_SIZE
    fits(qtbot, window, "settings with larger text", screen)
    window.show_view("attendance")
    fits(qtbot, window, "check-in after larger text", screen)
    assert visible_rows(checkin.table) >= 6, f"check-in shows {visible_rows(checkin.table)} rows"
    assert view.session_title.text().endswith(" · " + status_label("closed"))
    assert checkin.lock_note.isHidden() and view.actions.state_label.isHidden() and view.title.isHidden()
    assert checkin.compact and checkin.table.text_size >= 11
    for widget in (checkin.search, checkin.table, checkin.check_in_button, checkin.undo_button):
        assert outside(window, widget) is None, outside(window, widget)
    visit_every_page(qtbot, window, screen)
    window.show_view("settings")
    click_check_box(qtbot, settings.larger_text)
    assert QApplication.font().pointSize() < LARGER_POINT_SIZE
    window.show_view("attendance")
    view.show_page("checkin")
    fits(qtbot, window, "check-in, usual text again", screen)
    assert (not view.title.isHidden()) == roomy  # as before larger text
    assert visible_rows(checkin.table) == rows


@pytest.fixture(params=[False, True], ids=["usual-text", "larger-text"])
def text_size(request, services, qapp):
    """The usual and the largest text (Settings → Larger text); the usual size again after."""
    services.settings.larger_text = request.param
    yield request.param
    services.settings.larger_text = False
    apply_theme(qapp, larger_text=False)


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("screen", [SCREEN, LAPTOP], ids=["1024x600", "1366x768"])
@pytest.mark.parametrize("language", ["en", "ar", "ti"])
def test_check_in_shows_six_rows_and_says_closed_once(qtbot, make_window, services, text_size, language, screen,
                                                      closed) -> None:
    """Check-in shows six whole rows or more, open or closed, at both sizes, in every
    language and at both text sizes; a closed session says "closed" once (it said it three
    times at 1366×768 in Arabic — the state line, the lock note and the banner — and showed
    four rows), with the way to change it: the facilitator PIN."""
    from co_app.core.sessions.service import close_session
    from co_app.ui.attendance.page import status_label

    window = open_in(qtbot, make_window, services, language, screen)
    if closed:
        with services.db.session() as db:
            close_session(db, window.property("test_session"))
    window.show_view("attendance")
    view = window.view("attendance")
    view.refresh()
    view.sessions.setCurrentRow(0)
    checkin = view.show_page("checkin")
    fits(qtbot, window, "check-in", screen)
    assert visible_rows(checkin.table) >= 6, f"check-in shows {visible_rows(checkin.table)} rows"
    says_closed = {"the title": view.session_title.text().endswith(" · " + status_label("closed")),
                   "the state line": view.actions.state_label.isVisible(),
                   "the lock note": checkin.lock_note.isVisible(),
                   "the banner": status_label("closed") in checkin.banner.readable_text()}
    saying = [where for where, says in says_closed.items() if says]
    assert len(saying) == (1 if closed else 0), saying
    if closed and language == "en":  # and the way to change it
        said = " ".join(label.text() for label in (view.actions.state_label, checkin.banner) if label.isVisible())
        assert "PIN" in said, said


@pytest.mark.parametrize("screen", [SCREEN, LAPTOP], ids=["1024x600", "1366x768"])
@pytest.mark.parametrize("language", ["en", "ar", "ti"])
def test_the_agenda_wraps_its_steps_and_never_scrolls_sideways(qtbot, make_window, services, text_size, language,
                                                              screen) -> None:
    """The agenda's steps wrap onto more lines instead of being cut ("· 45 minu…") or
    scrolling sideways (1024 px, English, larger text), and the list gets the page's width:
    the step's buttons go under it (beside it they left the list 240 px in Tigrinya)."""
    from co_app.core.sessions import agenda as agenda_core

    window = open_in(qtbot, make_window, services, language, screen)
    with services.db.session() as db:
        agenda_core.save_agenda(db, window.property("test_session"),
                                agenda_core.suggested_agenda(services.content, ["germany-jena"]))
    window.show_view("attendance")
    view = window.view("attendance")
    view.refresh()
    view.sessions.setCurrentRow(0)
    agenda = view.show_page("agenda")
    fits(qtbot, window, "agenda", screen)
    assert agenda.list.count() >= 5
    assert not agenda.list.horizontalScrollBar().isVisible()
    assert cut_list_items(window) == []
    assert agenda.list.width() >= agenda.width() - 20, (agenda.list.width(), agenda.width())
    for button in (agenda.up_button, agenda.down_button, agenda.remove_button, agenda.minutes):
        assert outside(window, button) is None, outside(window, button)
