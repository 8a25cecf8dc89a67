"""A walk-in whose name is only alike someone registered before (another session's list,
another spelling, a word more or less) is never checked in as that person by Enter, Enter:
the banner names both choices, Enter adds the new person with the name typed, ↓ takes the
person found (fresh-eyes run of issue 20: "ሰላም ተስፋይ" checked in Selam Tesfamariam of
another session, "Ahmad Nouri" Ahmad Shah Noori)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from co_app.core.db.models import Participant
from co_app.core.people import participants as people
from co_app.core.people.names import same_name
from co_app.core.people.participants import ParticipantData
from co_app.core.sessions.service import create_session
from tests.ui.attendance.test_checkin import records_here, type_and_enter
from tests.ui.attendance.test_checkin_spelling import open_panel


@pytest.fixture
def sessions(services) -> tuple[str, dict[str, str]]:
    """Today's session (Kidane expected) and, on another session's list, Selam Tesfamariam
    and Ahmad Shah Noori."""
    with services.db.session() as db:
        here = create_session(db, day=date.today(), place="Beirut", facilitator="Mehret", language="ti",
                              destination_towns=[])
        other = create_session(db, day=date.today(), place="Amman", facilitator="Sami", language="ar",
                               destination_towns=[])
        people.add_participant(db, ParticipantData(case_number="ERI-1", given_name="Kidane", family_name="Berhe"),
                               session_id=here.id)
        found = {}
        for case, given, family in (("ERI-26C00851", "Selam", "Tesfamariam"), ("AFG-9", "Ahmad Shah", "Noori")):
            found[given] = people.add_participant(db, ParticipantData(case_number=case, given_name=given,
                                                                      family_name=family), session_id=other.id).id
    return here.id, found


@pytest.mark.parametrize(("typed", "given", "family"), [("ሰላም ተስፋይ", "ሰላም", "ተስፋይ"),
                                                        ("Ahmad Nouri", "Ahmad", "Nouri")])
def test_enter_enter_on_a_name_only_alike_another_sessions_person_adds_the_new_person(
        qtbot, services, sessions, typed, given, family) -> None:
    session_id, _found = sessions
    panel = open_panel(qtbot, services, session_id)
    type_and_enter(qtbot, panel, typed)
    assert panel.banner_kind() == "warn" and panel.walk_in.isVisible()
    text = panel.banner_text()
    assert text.startswith(f"⚠ “{typed}” is not on this session's list. Enter: add a new person with this name")
    assert ("Selam Tesfamariam (ERI-26C00851)" if given == "ሰላም" else "Ahmad Shah Noori (AFG-9)") in text
    assert (panel.walk_in.given.text(), panel.walk_in.family.text()) == (given, family)
    with qtbot.waitSignal(panel.changed):
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    here = records_here(services, session_id)
    assert here[f"{given} {family}"] == "present"
    assert "Selam Tesfamariam" not in here and "Ahmad Shah Noori" not in here
    assert panel.banner_text() == f"✓ {given} {family} — present  (1 added as a walk-in)"


def test_down_takes_the_person_found_instead_and_enter_adds_them(qtbot, services, sessions) -> None:
    session_id, found = sessions
    panel = open_panel(qtbot, services, session_id)
    type_and_enter(qtbot, panel, "ሰላም ተስፋይ")
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    assert not panel.walk_in.isVisible() and panel.banner_kind() == "warn"
    assert panel.banner_text() == ("⚠ Selam Tesfamariam (ERI-26C00851) is not on this session's list. Press Enter "
                                   "to add them as a walk-in, or type to search again.")
    assert "Selam Tesfamariam" not in records_here(services, session_id)
    with qtbot.waitSignal(panel.changed):
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert records_here(services, session_id)["Selam Tesfamariam"] == "present"
    with services.db.session() as db:  # nobody new registered
        assert db.scalars(select(Participant).where(Participant.given_name == "ሰላም")).first() is None
    # Typing after the choice is a new search: nothing waits for an Enter.
    type_and_enter(qtbot, panel, "Ahmad Nouri")
    qtbot.keyClick(panel.search, Qt.Key.Key_Backspace)
    assert panel.banner_kind() == "idle" and panel.questions.pending is None


def test_the_whole_name_in_another_script_is_the_person(qtbot, services, sessions) -> None:
    """The same name (another script, spelling or order) is that person: asked once, as any
    walk-in from another session's list, and Enter again checks them in."""
    session_id, _found = sessions
    panel = open_panel(qtbot, services, session_id)
    type_and_enter(qtbot, panel, "tesfamariam selam")
    assert panel.banner_text() == ("⚠ Selam Tesfamariam is not on this session's list. Press Enter again to add "
                                   "them as a walk-in.")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert records_here(services, session_id)["Selam Tesfamariam"] == "present"
    # One match among today's expected still checks in with one Enter.
    type_and_enter(qtbot, panel, "kid")
    assert records_here(services, session_id)["Kidane Berhe"] == "present"


@pytest.mark.parametrize(("typed", "given", "family", "same"), [
    ("ሰላም ተስፋይ", "Selam", "Tesfamariam", False), ("Ahmad Nouri", "Ahmad Shah", "Noori", False),
    ("khatib", "Yara", "Al-Khatib", False), ("yara al khatib", "Yara", "Al-Khatib", True),
    ("mohamed hassan", "محمد", "الحسن", True), ("selam tesfamariam", "ሰላም", "ተስፋማርያም", True),
    ("abdulrahman", "Abdul", "Rahman", True), ("Ahmad Noori", "Ahmad", "Nouri", True)])
def test_same_name_is_the_whole_name_in_any_script_or_spelling(typed, given, family, same) -> None:
    assert same_name(typed, given, family) is same
