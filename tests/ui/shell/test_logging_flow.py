"""The log file: libVLC's own log routed into it, and no participant's name or case number
in it after a facilitator's whole working flow."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from co_app.core.sessions import service as session_service
from co_app.core.db.models import AttendanceRecord, Household, Participant
from co_app.core.foundation.logs import LOG_FILE
from co_app.core.safety.pin import check_pin, set_pin
from co_app.player.backends import vlc_factory
from co_app.player.protocol import PlayerState
from tests.ui.helpers import click_list_row, click_nav

PEOPLE = [("Mariam", "Al-Khatib", "SY-2231-A"), ("Abdirahman", "Nuurow", "SO-7710-C"),
          ("Senait", "Gebremedhin", "ER-0042-B")]


def log_text(services) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return (services.paths.logs / LOG_FILE).read_text("utf-8")


def play_a_real_clip(qtbot, make_window, film_id: str = "germany-jena"):
    window = make_window(vlc_factory)
    click_nav(qtbot, window, "films")
    films = window.view("films")
    click_list_row(qtbot, films.film_list, [e.film.id for e in films.entries].index(film_id))
    panel = films.player_panel
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.player.state() is PlayerState.PLAYING and panel.player.position_ms() > 500,
                    timeout=10_000)
    return window


@pytest.fixture
def libvlc_debug():
    logger = logging.getLogger("co_app.player.libvlc")
    level = logger.level
    logger.setLevel(logging.DEBUG)
    yield
    logger.setLevel(level)


@pytest.mark.vlc
def test_libvlc_log_lines_reach_the_log_file_when_a_clip_plays(qtbot, make_window, services, libvlc_debug):
    window = play_a_real_clip(qtbot, make_window, "germany-jena")
    window.close()  # releases the player (and libVLC's log routing)
    lines = [line for line in log_text(services).splitlines() if " co_app.player.libvlc: " in line]
    assert len(lines) > 10
    assert any("germany-jena.mp4" in line for line in lines)  # libVLC saying what it opened, formatted


@pytest.mark.vlc
def test_a_working_day_leaves_no_names_or_case_numbers_in_the_log(qtbot, make_window, services):
    with services.db.session() as db:
        session = session_service.create_session(db, day=date.today(), place="Hall B", facilitator="Fac",
                                                 language="ar", destination_towns=["germany-jena"])
        for given, family, case in PEOPLE:
            household = Household(case_number=case, destination="germany-jena")
            db.add(household)
            db.flush()
            person = Participant(given_name=given, family_name=family, case_number=case,
                                 household_id=household.id)
            db.add(person)
            db.flush()
            db.add(AttendanceRecord(session_id=session.id, participant_id=person.id))
        db.commit()
        set_pin(db, "2580")
        assert not check_pin(db, "1111")
        session_service.close_session(db, session.id, after_close=lambda: services.backup_now("session-closed"))
        session_service.record_closed_edit(db, session.id, "attendance status")

    window = play_a_real_clip(qtbot, make_window, "italy-biella")
    click_nav(qtbot, window, "settings")
    panel = window.view("settings").backups
    qtbot.mouseClick(panel.back_up_button, Qt.MouseButton.LeftButton)
    rect = panel.table.visualItemRect(panel.table.item(0, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.restored, timeout=5000):
        qtbot.mouseClick(panel.dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    click_nav(qtbot, window, "home")
    window.close()

    text = log_text(services)
    assert "backup written" in text and "database restored" in text and "co_app.player" in text
    found = [value for person in PEOPLE for value in person if value in text]
    assert found == []
