"""Check-in by any spelling (issue 20, point 7), driven with real key presses: names found
across scripts and common spellings, today's list first and one match there checked in with
one Enter, an empty Enter that does nothing, and a walk-in registered from the check-in box."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from benchmarks import door_script
from co_app.core.db.models import AttendanceRecord, Participant
from co_app.core.people import participants as people
from co_app.core.people.participants import ParticipantData
from co_app.core.sessions.service import create_session
from co_app.ui.attendance.checkin import CheckInPanel
from tests.ui.attendance.test_checkin import records_here, shown_names, type_and_enter, type_text


def open_panel(qtbot, services, session_id: str) -> CheckInPanel:
    panel = CheckInPanel(services)
    qtbot.addWidget(panel)
    panel.set_session(session_id)
    panel.resize(1000, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.search.hasFocus)
    return panel


@pytest.fixture
def session_id(services) -> str:
    with services.db.session() as db:
        session = create_session(db, day=date.today(), place="Asmara", facilitator="Mehret", language="ti",
                                 destination_towns=["jena"])
        for case, given, family in (("ERI-1", "ሰላም", "ተስፋይ"), ("SYR-2", "محمد", "الحسن"),
                                    ("SYR-3", "Mohammad", "Rahimi"), ("AFG-4", "علی", "رضایی")):
            people.add_participant(db, ParticipantData(case_number=case, given_name=given, family_name=family),
                                   session_id=session.id)
    return session.id


@pytest.mark.parametrize(("typed", "first"), [("selam", "ሰላም ተስፋይ"), ("tesfay", "ሰላም ተስፋይ"),
                                              ("mohamed hasan", "محمد الحسن"), ("ali rezaei", "علی رضایی"),
                                              ("محمد رحيمي", "Mohammad Rahimi")])
def test_a_name_is_found_by_its_spelling_in_another_script(qtbot, services, session_id, typed, first) -> None:
    panel = open_panel(qtbot, services, session_id)
    type_text(qtbot, panel.search, typed)
    assert shown_names(panel)[0] == first


def test_mohamed_finds_both_spellings_and_asks_which(qtbot, services, session_id) -> None:
    panel = open_panel(qtbot, services, session_id)
    type_and_enter(qtbot, panel, "mohamed")
    assert sorted(shown_names(panel)) == ["Mohammad Rahimi", "محمد الحسن"]
    assert panel.banner_kind() == "info"  # two expected people sound alike: a second Enter or ↓
    assert set(records_here(services, session_id).values()) == {"absent"}


def test_enter_on_the_empty_box_checks_in_nobody(qtbot, services, session_id) -> None:
    panel = open_panel(qtbot, services, session_id)
    for _ in range(3):
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert set(records_here(services, session_id).values()) == {"absent"}
    assert panel.questions.pending is None


def test_a_walk_in_is_registered_from_the_check_in_box_and_undone(qtbot, services, session_id) -> None:
    panel = open_panel(qtbot, services, session_id)
    type_and_enter(qtbot, panel, "Amanuel Kidane Berhe")
    assert panel.banner_text().startswith("No one found for “Amanuel Kidane Berhe”")
    assert panel.walk_in.isVisible() and panel.search.hasFocus()
    assert (panel.walk_in.given.text(), panel.walk_in.family.text()) == ("Amanuel", "Kidane Berhe")
    with qtbot.waitSignal(panel.changed):
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert records_here(services, session_id)["Amanuel Kidane Berhe"] == "present"
    assert not panel.walk_in.isVisible() and panel.undo_button.isEnabled()
    assert panel.banner_text() == "✓ Amanuel Kidane Berhe — present  (1 added as a walk-in)"
    with services.db.session() as db:  # the group is going to Jena: so is the new person
        person = db.scalars(select(Participant).where(Participant.given_name == "Amanuel")).one()
        assert person.destination == "jena"
    qtbot.keyClick(panel.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Amanuel Kidane Berhe" not in records_here(services, session_id)
    type_text(qtbot, panel.search, "amanuel")  # still registered on this laptop
    assert shown_names(panel) == ["Amanuel Kidane Berhe"]


def test_a_walk_ins_names_can_be_corrected_in_the_form(qtbot, services, session_id) -> None:
    panel = open_panel(qtbot, services, session_id)
    type_and_enter(qtbot, panel, "Hewan")
    qtbot.mouseClick(panel.walk_in.family, Qt.MouseButton.LeftButton)
    type_text(qtbot, panel.walk_in.family, "Tekle")
    with qtbot.waitSignal(panel.changed):
        qtbot.keyClick(panel.walk_in.family, Qt.Key.Key_Return)
    assert records_here(services, session_id)["Hewan Tekle"] == "present"
    assert panel.search.hasFocus()


def test_typing_again_closes_the_walk_in_form_and_esc_does_too(qtbot, services, session_id) -> None:
    panel = open_panel(qtbot, services, session_id)
    type_and_enter(qtbot, panel, "Zzyzx")
    assert panel.walk_in.isVisible()
    panel.search.selectAll()
    type_text(qtbot, panel.search, "selam")
    assert not panel.walk_in.isVisible() and shown_names(panel)[0] == "ሰላም ተስፋይ"
    panel.search.clear()
    type_and_enter(qtbot, panel, "Zzyzx")
    qtbot.mouseClick(panel.walk_in.given, Qt.MouseButton.LeftButton)
    qtbot.keyClick(panel.walk_in.given, Qt.Key.Key_Escape)
    assert not panel.walk_in.isVisible() and panel.search.hasFocus()
    with services.db.session() as db:
        assert db.scalars(select(Participant).where(Participant.given_name == "Zzyzx")).first() is None


def test_a_scripted_facilitator_checks_in_forty_people_in_few_keys(qtbot, services) -> None:
    """Forty people, a third of them typed by a Latin spelling of a non-Latin name: every
    one checked in, none wrongly, in a median of at most 6 keys (issue 20's target); and
    a walk-in in its name plus two Enters."""
    with services.db.session() as db:
        today, other = door_script.make_sessions(db)
        arriving = door_script.seed(db, today, other)
    panel = open_panel(qtbot, services, today)
    keys = [door_script.check_in(panel, person) for person in arriving]
    with services.db.session() as db:
        here = dict(db.execute(select(AttendanceRecord.participant_id, AttendanceRecord.status)
                               .where(AttendanceRecord.session_id == today)).all())
    assert {here[p.id] for p in arriving} == {"present"} and len(here) == 40
    assert door_script.median_keys(keys) <= 6, keys
    walk_in_keys, _ = door_script.walk_in(panel, "Filmon Gebre")
    assert records_here(services, today)["Filmon Gebre"] == "present"
    assert walk_in_keys == len("Filmon Gebre") + 2
