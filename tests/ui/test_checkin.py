"""The check-in panel driven like a facilitator at the door: typing, Enter, a scanner's
case number, whole household, late, undo — and forty people without the mouse."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from co_app.core import participants as people
from co_app.core.db.models import AttendanceRecord
from co_app.core.participants import ParticipantData
from co_app.core.sessions import create_session
from co_app.ui.attendance.checkin import CheckInPanel

FAMILY = [("SYR-24C00012", "Amina", "Haddad"), ("SYR-24C00012", "Omar", "Haddad"),
          ("SYR-24C00012", "Lina", "Haddad")]
OTHERS = [("ROU-24C00077", "Ștefan", "Popescu"), ("SYR-24C00345", "أَحْمَد", "الحسن")]


@pytest.fixture
def session_id(services) -> str:  # noqa: ANN001
    with services.db.session() as db:
        session = create_session(db, day=date.today(), place="Amman", facilitator="Leila", language="ar",
                                 destination_towns=[])
        for case, given, family in FAMILY + OTHERS:
            people.add_participant(db, ParticipantData(case_number=case, given_name=given, family_name=family),
                                   session_id=session.id)
    return session.id


@pytest.fixture
def panel(qtbot, services, session_id):  # noqa: ANN001
    widget = CheckInPanel(services)
    qtbot.addWidget(widget)
    widget.set_session(session_id)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.search.hasFocus)
    return widget


def statuses(services) -> dict[str, str]:  # noqa: ANN001
    """given name → status of the active records."""
    with services.db.session() as db:
        rows = db.scalars(select(AttendanceRecord).where(AttendanceRecord.deleted_at.is_(None)))
        return {r.participant.given_name: r.status for r in rows}


def shown_names(panel: CheckInPanel) -> list[str]:
    return [panel.table.item(row, 0).text() for row in range(panel.table.rowCount())]


def type_text(qtbot, widget, text: str) -> None:  # noqa: ANN001
    """Key presses as a keyboard (or a scanner) sends them.  QTest.keyClicks only knows
    ASCII, so other letters (Arabic, Ș) go as key events carrying their text."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def type_and_enter(qtbot, panel: CheckInPanel, text: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # noqa: ANN001
    type_text(qtbot, panel.search, text)
    qtbot.keyClick(panel.search, Qt.Key.Key_Return, modifier)


def test_typing_a_name_and_enter_checks_in_with_a_banner(qtbot, panel, services) -> None:  # noqa: ANN001
    assert panel.counts.text() == "0 of 5 checked in"
    qtbot.keyClicks(panel.search, "ami")
    assert shown_names(panel) == ["Amina Haddad"]
    with qtbot.waitSignal(panel.changed):
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert statuses(services)["Amina"] == "present"
    assert panel.banner_text() == "✓ Amina Haddad — present"
    assert panel.counts.text() == "1 of 5 checked in"
    assert panel.search.text() == "" and panel.search.hasFocus()  # ready for the next person
    status_cell = panel.table.item(shown_names(panel).index("Amina Haddad"), 2).text()
    assert status_cell.startswith("✓ present at ")


@pytest.mark.parametrize("typed,found", [
    ("somcuta", None), ("stefan pop", "Ștefan Popescu"), ("POPESCU", "Ștefan Popescu"), ("Ștef", "Ștefan Popescu"),
    ("احمد", "أَحْمَد الحسن"), ("الحسن احمد", "أَحْمَد الحسن"), ("haddad lin", "Lina Haddad"), ("00345", "أَحْمَد الحسن"),
])
def test_search_forgives_accents_case_and_arabic_spelling(qtbot, panel, typed, found) -> None:  # noqa: ANN001
    type_text(qtbot, panel.search, typed)
    assert shown_names(panel)[:1] == ([found] if found else [])


def test_nobody_found_says_so_and_changes_nothing(qtbot, panel, services) -> None:  # noqa: ANN001
    type_and_enter(qtbot, panel, "zzz")
    assert panel.banner_text().startswith("No one found for “zzz”")
    assert set(statuses(services).values()) == {"absent"}


def test_a_scanned_case_number_of_one_person_checks_them_in(qtbot, panel, services) -> None:  # noqa: ANN001
    type_and_enter(qtbot, panel, "ROU-24C00077")
    assert statuses(services)["Ștefan"] == "present"
    assert panel.banner_text() == "✓ Ștefan Popescu — present"


def test_a_scanned_household_needs_a_second_enter_for_all(qtbot, panel, services) -> None:  # noqa: ANN001
    type_and_enter(qtbot, panel, "SYR-24C00012")
    assert set(statuses(services).values()) == {"absent"}  # the card alone counts nobody present
    assert panel.banner_text().startswith("Case SYR-24C00012: 3 people. Press Enter to check them all in")
    assert sorted(shown_names(panel)) == ["Amina Haddad", "Lina Haddad", "Omar Haddad"]
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    found = statuses(services)
    assert [found[n] for n in ("Amina", "Omar", "Lina")] == ["present"] * 3
    assert panel.banner_text().startswith("✓ ") and panel.counts.text() == "3 of 5 checked in"


def test_a_scanned_household_then_down_picks_one_person(qtbot, panel, services) -> None:  # noqa: ANN001
    type_and_enter(qtbot, panel, "SYR-24C00012")
    second = shown_names(panel)[1]
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    present = [name for name, status in statuses(services).items() if status == "present"]
    assert present == [second.split()[0]]


def test_ctrl_enter_checks_in_the_whole_household(qtbot, panel, services) -> None:  # noqa: ANN001
    type_and_enter(qtbot, panel, "omar", Qt.KeyboardModifier.ControlModifier)
    found = statuses(services)
    assert [found[n] for n in ("Amina", "Omar", "Lina", "Ștefan")] == ["present"] * 3 + ["absent"]
    assert panel.counts.text() == "3 of 5 checked in"


def test_whole_household_button(qtbot, panel, services) -> None:  # noqa: ANN001
    qtbot.keyClicks(panel.search, "lina")
    qtbot.mouseClick(panel.household_button, Qt.MouseButton.LeftButton)
    assert sum(s == "present" for s in statuses(services).values()) == 3


def test_shift_enter_checks_in_as_late_and_status_buttons_change_it(qtbot, panel, services) -> None:  # noqa: ANN001
    type_and_enter(qtbot, panel, "stefan", Qt.KeyboardModifier.ShiftModifier)
    assert statuses(services)["Ștefan"] == "late"
    assert panel.banner_text() == "✓ Ștefan Popescu — late"
    assert panel.counts.text() == "1 of 5 checked in · 1 late"
    qtbot.keyClicks(panel.search, "stefan")
    qtbot.mouseClick(panel.left_button, Qt.MouseButton.LeftButton)
    assert statuses(services)["Ștefan"] == "left_early"
    assert panel.banner_text() == "✓ Ștefan Popescu — left early"


def test_ctrl_z_undoes_the_last_check_in_exactly(qtbot, panel, services) -> None:  # noqa: ANN001
    type_and_enter(qtbot, panel, "amina")
    type_and_enter(qtbot, panel, "omar")
    qtbot.keyClick(panel.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    found = statuses(services)
    assert (found["Amina"], found["Omar"]) == ("present", "absent")
    assert panel.banner_text() == "Undone: Omar Haddad back as before."
    assert panel.counts.text() == "1 of 5 checked in"
    qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert statuses(services)["Amina"] == "absent"
    assert not panel.undo_button.isEnabled()


def test_undo_of_a_walk_in_removes_them_from_the_session(qtbot, services, session_id, panel) -> None:  # noqa: ANN001
    with services.db.session() as db:
        people.add_participant(db, ParticipantData(case_number="AFG-24C00990", given_name="Zahra",
                                                   family_name="Rahimi"))
    panel.refresh()
    type_and_enter(qtbot, panel, "zahra")
    assert statuses(services)["Zahra"] == "present" and panel.counts.text() == "1 of 6 checked in"
    qtbot.keyClick(panel.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Zahra" not in statuses(services)
    assert panel.counts.text() == "0 of 5 checked in"


def test_forty_people_checked_in_with_the_keyboard_alone(qtbot, services) -> None:  # noqa: ANN001
    given = ["Amina", "Bilal", "Chantal", "Dawit", "Esperance", "Farid", "Grace", "Hodan", "Ilhan", "Javid",
             "Khaled", "Lina", "Mahad", "Nasrin", "Omar", "Parwana", "Rahel", "Sahar", "Tesfaye", "Ubah"]
    with services.db.session() as db:
        session = create_session(db, day=date.today(), place="Beirut", facilitator="Daniel", language="ar",
                                 destination_towns=[])
        for i in range(40):
            people.add_participant(db, ParticipantData(
                case_number=f"SYR-24C{i:05d}", given_name=given[i % 20], family_name=("Haddad", "Rahimi")[i // 20]),
                session_id=session.id)
    panel = CheckInPanel(services)
    qtbot.addWidget(panel)
    panel.set_session(session.id)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.search.hasFocus)
    for i in range(40):
        type_and_enter(qtbot, panel, f"{given[i % 20]} {('Haddad', 'Rahimi')[i // 20][:3]}")
        assert panel.banner_text() == f"✓ {given[i % 20]} {('Haddad', 'Rahimi')[i // 20]} — present"
    with services.db.session() as db:
        recorded = db.scalars(select(AttendanceRecord.status).where(AttendanceRecord.session_id == session.id)).all()
    assert recorded == ["present"] * 40
    assert panel.counts.text() == "40 of 40 checked in"
    assert panel.search.hasFocus()


def test_no_session_shows_an_empty_state(qtbot, services) -> None:  # noqa: ANN001
    panel = CheckInPanel(services)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.empty.isVisible() and not panel.body.isVisible()
    assert panel.empty.title.text() == "No session chosen"
