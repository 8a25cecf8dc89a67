"""Home offers the next step (issue 20, 8): after today's session was closed it no longer
says "Run the agenda" for it but offers the next session first; with no film installed it
says so and leads to Films to import them."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from co_app.core.sessions.service import close_session, create_session
from co_app.ui.shell.home import HomeView


def _home(qtbot, services) -> HomeView:
    home = HomeView(services)
    qtbot.addWidget(home)
    home.resize(1024, 600)
    home.show()
    qtbot.waitExposed(home)
    home.refresh()
    return home


def _today(services) -> str:
    with services.db.session() as db:
        return create_session(db, day=date.today(), place="Amman", facilitator="Leila", language="ar",
                              destination_towns=["germany-jena"]).id


def test_an_open_session_offers_check_in_and_its_agenda(qtbot, services) -> None:
    _today(services)
    home = _home(qtbot, services)
    assert home.session_heading.text() == "Today: session 1 of the day"
    assert home.run_button.isVisible() and home.attendance_button.objectName() == "primary"
    assert home.start_button.text() == "Start another session"


def test_a_closed_session_offers_the_next_one_not_its_agenda(qtbot, services) -> None:
    session_id = _today(services)
    with services.db.session() as db:
        close_session(db, session_id)
        db.commit()
    home = _home(qtbot, services)
    assert "closed" in home.session_heading.text()
    assert not home.run_button.isVisible()
    assert home.start_button.objectName() == "primary" and home.start_button.text() == "Start the next session"
    assert home.attendance_button.objectName() != "primary"
    with qtbot.waitSignal(home.start_session_requested):
        qtbot.mouseClick(home.start_button, Qt.MouseButton.LeftButton)


def test_no_film_installed_is_said_with_the_way_to_import(qtbot, services) -> None:
    home = _home(qtbot, services)
    assert not home.no_films.isVisible() and home.films_button.text() == "Play a film"  # the demo pack is there
    for video in services.paths.media.glob("*.mp4"):
        video.unlink()
    home.refresh()
    assert home.no_films.isVisible() and "No film is installed" in home.no_films.text()
    assert home.films_button.text() == "Import films…"
    with qtbot.waitSignal(home.navigate) as sent:
        qtbot.mouseClick(home.films_button, Qt.MouseButton.LeftButton)
    assert sent.args == ["films"]
