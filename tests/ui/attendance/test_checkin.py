"""The check-in panel driven like a facilitator at the door: typing, Enter, a scanner's
case number, whole household, late, undo — and forty people without the mouse."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from co_app.core.people import participants as people
from co_app.core.db.models import AttendanceRecord
from co_app.core.people.participants import ParticipantData
from co_app.core.sessions.service import create_session
from co_app.ui.attendance.checkin import CheckInPanel

FAMILY = [("SYR-24C00012", "Amina", "Haddad"), ("SYR-24C00012", "Omar", "Haddad"),
          ("SYR-24C00012", "Lina", "Haddad")]
OTHERS = [("ROU-24C00077", "Ștefan", "Popescu"), ("SYR-24C00345", "أَحْمَد", "الحسن")]


@pytest.fixture
def session_id(services) -> str:
    with services.db.session() as db:
        session = create_session(db, day=date.today(), place="Amman", facilitator="Leila", language="ar",
                                 destination_towns=[])
        for case, given, family in FAMILY + OTHERS:
            people.add_participant(db, ParticipantData(case_number=case, given_name=given, family_name=family),
                                   session_id=session.id)
    return session.id


@pytest.fixture
def panel(qtbot, services, session_id):
    widget = CheckInPanel(services)
    qtbot.addWidget(widget)
    widget.set_session(session_id)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.search.hasFocus)
    return widget


def statuses(services) -> dict[str, str]:
    """given name → status of the active records."""
    with services.db.session() as db:
        rows = db.scalars(select(AttendanceRecord).where(AttendanceRecord.deleted_at.is_(None)))
        return {r.participant.given_name: r.status for r in rows}


def shown_names(panel: CheckInPanel) -> list[str]:
    return [panel.table.item(row, 0).text() for row in range(panel.table.rowCount())]


def type_text(qtbot, widget, text: str) -> None:
    """Key presses as a keyboard (or a scanner) sends them.  QTest.keyClicks only knows
    ASCII, so other letters (Arabic, Ș) go as key events carrying their text."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def type_and_enter(qtbot, panel: CheckInPanel, text: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    type_text(qtbot, panel.search, text)
    qtbot.keyClick(panel.search, Qt.Key.Key_Return, modifier)


def test_typing_a_name_and_enter_checks_in_with_a_banner(qtbot, panel, services) -> None:
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
def test_search_forgives_accents_case_and_arabic_spelling(qtbot, panel, typed, found) -> None:
    type_text(qtbot, panel.search, typed)
    assert shown_names(panel)[:1] == ([found] if found else [])


def test_nobody_found_says_so_and_changes_nothing(qtbot, panel, services) -> None:
    type_and_enter(qtbot, panel, "zzz")
    assert panel.banner_text().startswith("No one found for “zzz”")
    assert set(statuses(services).values()) == {"absent"}


def test_a_scanned_case_number_of_one_person_checks_them_in(qtbot, panel, services) -> None:
    type_and_enter(qtbot, panel, "ROU-24C00077")
    assert statuses(services)["Ștefan"] == "present"
    assert panel.banner_text() == "✓ Ștefan Popescu — present"


def test_a_scanned_household_needs_a_second_enter_for_all(qtbot, panel, services) -> None:
    type_and_enter(qtbot, panel, "SYR-24C00012")
    assert set(statuses(services).values()) == {"absent"}  # the card alone counts nobody present
    assert panel.banner_text().startswith("Case SYR-24C00012: 3 people. Press Enter to check them all in")
    assert sorted(shown_names(panel)) == ["Amina Haddad", "Lina Haddad", "Omar Haddad"]
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    found = statuses(services)
    assert [found[n] for n in ("Amina", "Omar", "Lina")] == ["present"] * 3
    assert panel.banner_text().startswith("✓ ") and panel.counts.text() == "3 of 5 checked in"


def test_a_scanned_household_then_down_picks_one_person(qtbot, panel, services) -> None:
    type_and_enter(qtbot, panel, "SYR-24C00012")
    second = shown_names(panel)[1]
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    present = [name for name, status in statuses(services).items() if status == "present"]
    assert present == [second.split()[0]]


def test_ctrl_enter_checks_in_the_whole_household(qtbot, panel, services) -> None:
    type_and_enter(qtbot, panel, "omar", Qt.KeyboardModifier.ControlModifier)
    found = statuses(services)
    assert [found[n] for n in ("Amina", "Omar", "Lina", "Ștefan")] == ["present"] * 3 + ["absent"]
    assert panel.counts.text() == "3 of 5 checked in"


def test_whole_household_button(qtbot, panel, services) -> None:
    qtbot.keyClicks(panel.search, "lina")
    qtbot.mouseClick(panel.household_button, Qt.MouseButton.LeftButton)
    assert sum(s == "present" for s in statuses(services).values()) == 3


def test_shift_enter_checks_in_as_late_and_status_buttons_change_it(qtbot, panel, services) -> None:
    type_and_enter(qtbot, panel, "stefan", Qt.KeyboardModifier.ShiftModifier)
    assert statuses(services)["Ștefan"] == "late"
    assert panel.banner_text() == "✓ Ștefan Popescu — late"
    assert panel.counts.text() == "1 of 5 checked in · 1 late"
    qtbot.keyClicks(panel.search, "stefan")
    qtbot.mouseClick(panel.left_button, Qt.MouseButton.LeftButton)
    assert statuses(services)["Ștefan"] == "left_early"
    assert panel.banner_text() == "✓ Ștefan Popescu — left early"


def test_ctrl_z_undoes_the_last_check_in_exactly(qtbot, panel, services) -> None:
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


def test_undo_of_a_walk_in_removes_them_from_the_session(qtbot, services, session_id, panel) -> None:
    with services.db.session() as db:
        people.add_participant(db, ParticipantData(case_number="AFG-24C00990", given_name="Zahra",
                                                   family_name="Rahimi"))
    panel.refresh()
    type_and_enter(qtbot, panel, "zahra rahimi")  # her whole name (a part offers a new person too)
    assert "Zahra" not in statuses(services)  # not on the list: asked first
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert statuses(services)["Zahra"] == "present" and panel.counts.text() == "1 of 6 checked in"
    qtbot.keyClick(panel.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Zahra" not in statuses(services)
    assert panel.counts.text() == "0 of 5 checked in"


def test_forty_people_checked_in_with_the_keyboard_alone(qtbot, services) -> None:
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


def test_no_session_shows_an_empty_state(qtbot, services) -> None:
    panel = CheckInPanel(services)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.empty.isVisible() and not panel.body.isVisible()
    assert panel.empty.title.text() == "No session chosen"


# --- the wrong person, walk-ins, stale banners ------------------------------------------


@pytest.fixture
def namesakes(services, session_id) -> dict[str, str]:
    """Yara Darwish on this session's list; Yara Al-Khatib on another session's list only
    (she comes first in name order)."""
    with services.db.session() as db:
        other = create_session(db, day=date.today(), place="Irbid", facilitator="Sami", language="ar",
                               destination_towns=[])
        darwish = people.add_participant(db, ParticipantData(case_number="SYR-24C00501", given_name="Yara",
                                                             family_name="Darwish"), session_id=session_id)
        khatib = people.add_participant(db, ParticipantData(case_number="SYR-24C00500", given_name="Yara",
                                                            family_name="Al-Khatib"), session_id=other.id)
    return {"darwish": darwish.id, "khatib": khatib.id}


def records_here(services, session_id: str) -> dict[str, str]:
    """given + family name → status, for this session's active records."""
    with services.db.session() as db:
        rows = db.scalars(select(AttendanceRecord).where(AttendanceRecord.session_id == session_id,
                                                         AttendanceRecord.deleted_at.is_(None)))
        return {f"{r.participant.given_name} {r.participant.family_name}": r.status for r in rows}


def test_enter_again_on_a_name_already_here_never_checks_in_a_namesake(qtbot, services, session_id, namesakes,
                                                                        panel) -> None:
    panel.refresh()
    type_and_enter(qtbot, panel, "yara darwish")
    assert records_here(services, session_id)["Yara Darwish"] == "present"
    type_text(qtbot, panel.search, "yara")
    assert shown_names(panel) == ["Yara Darwish", "Yara Al-Khatib"]  # this session's list first
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.banner_text() == "Yara Darwish was already checked in." and panel.banner_kind() == "info"
    assert "Yara Al-Khatib" not in records_here(services, session_id)
    assert panel.desk.last_action.participant_ids == (namesakes["darwish"],)  # nothing new to undo
    type_text(qtbot, panel.search, "yar")  # the name stays selected: typing replaces it
    assert panel.search.text() == "yar"


def test_one_match_on_todays_list_checks_in_though_a_namesake_is_on_another_list(qtbot, services, session_id,
                                                                                 namesakes, panel) -> None:
    """Yara Al-Khatib is on another session's list only: "yara" + Enter checks in the one
    Yara expected here, with no second Enter (issue 20: names in other sessions on this
    laptop no longer cost a confirmation)."""
    panel.refresh()
    type_and_enter(qtbot, panel, "yara")
    here = records_here(services, session_id)
    assert here["Yara Darwish"] == "present" and "Yara Al-Khatib" not in here
    assert panel.banner_text() == "✓ Yara Darwish — present"


def test_a_part_of_a_name_that_several_people_share_asks_before_checking_in(qtbot, services, session_id,
                                                                           namesakes, panel) -> None:
    """One Enter on "yara" (two people still expected here) checks in nobody: the banner
    names the first and asks; Enter again takes her, ↓ and Enter another; the whole name
    goes straight through."""
    with services.db.session() as db:
        people.add_participant(db, ParticipantData(case_number="SYR-24C00502", given_name="Yara",
                                                   family_name="Saleh"), session_id=session_id)
    panel.refresh()
    type_and_enter(qtbot, panel, "yara")
    assert records_here(services, session_id)["Yara Darwish"] == "absent"  # still expected, not here
    assert panel.banner_kind() == "info"
    assert panel.banner_text() == ("3 people match “yara”. Press Enter again for Yara Darwish, "
                                   "or choose another with ↓.")
    with qtbot.waitSignal(panel.changed):
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert records_here(services, session_id)["Yara Darwish"] == "present"
    # The whole name (any order, any case) needs no question.
    panel.undo()
    assert records_here(services, session_id)["Yara Darwish"] == "absent"
    type_and_enter(qtbot, panel, "DARWISH yara")
    assert records_here(services, session_id)["Yara Darwish"] == "present"
    # Typing more, or choosing with the arrows, is an answer too.
    panel.undo()
    type_and_enter(qtbot, panel, "yara")
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    here = records_here(services, session_id)
    assert here["Yara Darwish"] == "absent" and here["Yara Saleh"] == "present"


def test_a_person_not_on_the_list_needs_a_second_enter(qtbot, services, session_id, namesakes, panel) -> None:
    panel.refresh()
    type_and_enter(qtbot, panel, "yara al-khatib")  # her whole name: "khatib" also offers a new person
    assert panel.banner_kind() == "warn"
    assert panel.banner_text() == ("⚠ Yara Al-Khatib is not on this session's list. "
                                   "Press Enter again to add them as a walk-in.")
    assert "Yara Al-Khatib" not in records_here(services, session_id)
    with qtbot.waitSignal(panel.changed):
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert records_here(services, session_id)["Yara Al-Khatib"] == "present"
    assert panel.banner_text() == "✓ Yara Al-Khatib — present  (1 added as a walk-in)"
    assert panel.banner_kind() == "ok" and panel.counts.text() == "1 of 7 checked in"


def test_typing_or_choosing_another_row_cancels_the_walk_in(qtbot, services, session_id, namesakes, panel) -> None:
    panel.refresh()
    type_and_enter(qtbot, panel, "khatib")
    assert panel.banner_kind() == "warn"
    qtbot.keyClick(panel.search, Qt.Key.Key_Backspace)  # typing answers "no"
    assert panel.banner_kind() == "idle" and panel.banner_text() == "Ready: type a name or scan a card."
    type_text(qtbot, panel.search, "b")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.banner_kind() == "warn"  # asked again, not added
    assert "Yara Al-Khatib" not in records_here(services, session_id)

    panel.search.clear()
    type_text(qtbot, panel.search, "yara")
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)  # Al-Khatib, below Darwish
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.banner_kind() == "warn"
    qtbot.keyClick(panel.search, Qt.Key.Key_Up)  # another row: the question is gone
    assert panel.banner_kind() == "idle"
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert records_here(services, session_id) == {**{f"{g} {f}": "absent" for _c, g, f in FAMILY + OTHERS},
                                                  "Yara Darwish": "present"}


def test_a_scanned_card_of_someone_on_another_sessions_list_asks_first(qtbot, services, session_id,
                                                                        namesakes, panel) -> None:
    panel.refresh()
    type_and_enter(qtbot, panel, "SYR-24C00500")
    assert panel.banner_kind() == "warn" and panel.banner_text().startswith("⚠ Yara Al-Khatib is not on")
    assert "Yara Al-Khatib" not in records_here(services, session_id)
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert records_here(services, session_id)["Yara Al-Khatib"] == "present"


def test_the_check_in_and_late_buttons_ask_before_adding_a_walk_in(qtbot, services, session_id, namesakes,
                                                                    panel) -> None:
    panel.refresh()
    type_text(qtbot, panel.search, "khatib")
    qtbot.mouseClick(panel.late_button, Qt.MouseButton.LeftButton)
    assert panel.banner_kind() == "warn" and "Yara Al-Khatib" not in records_here(services, session_id)
    qtbot.mouseClick(panel.late_button, Qt.MouseButton.LeftButton)
    assert records_here(services, session_id)["Yara Al-Khatib"] == "late"
    qtbot.keyClick(panel.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, panel.search, "khatib")
    qtbot.mouseClick(panel.check_in_button, Qt.MouseButton.LeftButton)
    assert panel.banner_kind() == "warn" and "Yara Al-Khatib" not in records_here(services, session_id)
    qtbot.mouseClick(panel.check_in_button, Qt.MouseButton.LeftButton)
    assert records_here(services, session_id)["Yara Al-Khatib"] == "present"


def test_shift_enter_on_nobody_says_no_one_found(qtbot, panel, services) -> None:
    type_and_enter(qtbot, panel, "amina")
    assert panel.banner_text() == "✓ Amina Haddad — present"
    type_and_enter(qtbot, panel, "zzz", Qt.KeyboardModifier.ShiftModifier)
    assert panel.banner_kind() == "nobody" and panel.banner_text().startswith("No one found for “zzz”")


def test_no_one_found_goes_once_the_typing_finds_someone(qtbot, panel) -> None:
    type_and_enter(qtbot, panel, "Ahmad Walkin")
    assert panel.banner_kind() == "nobody"  # styled as information: a walk-in is normal, not an error
    panel.search.selectAll()
    type_text(qtbot, panel.search, "zz")
    assert panel.banner_kind() == "nobody"  # still nobody: still true
    panel.search.selectAll()
    type_text(qtbot, panel.search, "om")
    assert shown_names(panel) == ["Omar Haddad"]
    assert panel.banner_kind() == "idle" and "No one found" not in panel.banner_text()


def test_a_scanned_household_prompt_goes_when_typing(qtbot, panel) -> None:
    type_and_enter(qtbot, panel, "SYR-24C00012")
    assert panel.banner_text().startswith("Case SYR-24C00012: 3 people")
    type_text(qtbot, panel.search, "x")
    assert panel.banner_kind() == "idle"


def test_the_first_view_says_something_true(qtbot, services, session_id) -> None:
    with services.db.session() as db:
        rows = db.scalars(select(AttendanceRecord).where(AttendanceRecord.session_id == session_id)).all()
        for record in rows[:2]:
            record.status = "present"
        db.commit()
    panel = CheckInPanel(services)
    qtbot.addWidget(panel)
    panel.set_session(session_id)
    assert panel.counts.text() == "2 of 5 checked in"
    assert panel.banner_text() == "Ready: type a name or scan a card." and panel.banner_kind() == "idle"


def test_the_banner_keeps_one_height_so_the_list_does_not_jump(qtbot, services, session_id, namesakes,
                                                                panel) -> None:
    panel.refresh()
    QApplication.processEvents()
    heights, tops = {panel.banner.height()}, {panel.table.y()}
    for text, modifier in (("amina", Qt.KeyboardModifier.NoModifier), ("zzz", Qt.KeyboardModifier.NoModifier),
                           ("khatib", Qt.KeyboardModifier.NoModifier), ("SYR-24C00012", Qt.KeyboardModifier.NoModifier),
                           ("omar", Qt.KeyboardModifier.ControlModifier)):
        panel.search.clear()
        type_and_enter(qtbot, panel, text, modifier)
        QApplication.processEvents()
        heights.add(panel.banner.height())
        tops.add(panel.table.y())
    assert len(heights) == 1 and len(tops) == 1
    # One height whatever the message: what it asks for is its most (a small screen may give
    # it its compact height, never a message).
    assert panel.banner.sizeHint().height() == panel.banner.maximumHeight() >= heights.pop()


def test_a_very_long_message_gets_smaller_text_not_a_taller_banner(qtbot, panel) -> None:
    height = panel.banner.height()
    type_and_enter(qtbot, panel, "Zzyzx " * 30)  # nobody: the long "No one found" message
    assert panel.banner.height() == height
    assert "font-size: 18pt" not in panel.banner.styleSheet()
    panel.search.clear()
    type_and_enter(qtbot, panel, "amina")  # a one-line confirmation: the largest text again
    assert panel.banner_text() == "✓ Amina Haddad — present"
    assert "font-size: 18pt" in panel.banner.styleSheet() and panel.banner.height() == height


def test_arabic_names_are_isolated_listed_and_kept_whole(qtbot, services) -> None:
    with services.db.session() as db:
        session = create_session(db, day=date.today(), place="Amman", facilitator="Leila", language="ar",
                                 destination_towns=[])
        for given, family in (("Omar", "Al-Hassan"), ("أَحْمَد", "الحسن"), ("لينا", "عبد الرحمن")):
            people.add_participant(db, ParticipantData(case_number="SYR-24C00012", given_name=given,
                                                       family_name=family), session_id=session.id)
    panel = CheckInPanel(services)
    qtbot.addWidget(panel)
    panel.set_session(session.id)
    type_and_enter(qtbot, panel, "omar", Qt.KeyboardModifier.ControlModifier)
    raw = panel.banner.text()
    for name in ("أَحْمَد\u00a0الحسن", "لينا\u00a0عبد\u00a0الرحمن", "Omar\u00a0Al-\u2060Hassan"):
        assert f"\u2068{name}\u2069" in raw  # isolated, and no line break inside the name
    assert panel.banner_text() == "✓ Omar Al-Hassan, أَحْمَد الحسن, and لينا عبد الرحمن — present"
    qtbot.keyClick(panel.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.banner_text() == "Undone: لينا عبد الرحمن, أَحْمَد الحسن, and Omar Al-Hassan back as before."


def test_a_closed_session_says_absent_and_that_a_change_needs_the_pin(qtbot, services, session_id) -> None:
    from co_app.core.sessions.service import close_session

    panel = CheckInPanel(services)
    qtbot.addWidget(panel)
    panel.set_session(session_id)
    assert panel.table.item(0, 2).text() == "expected, not here yet"
    with services.db.session() as db:
        close_session(db, session_id)
    panel.refresh()
    assert {panel.table.item(row, 2).text() for row in range(panel.table.rowCount())} == {"absent"}
    assert "closed" not in panel.banner_text() and "PIN" in panel.banner_text()  # "closed": once, the note
    assert not panel.lock_note.isHidden() and "closed" in panel.lock_note.text() and "PIN" in panel.lock_note.text()
    assert panel.check_in_button.isEnabled()  # a change is still possible, with the PIN


def test_the_keys_hint_reads_in_the_languages_own_direction(qtbot, panel, services):
    """In Dari the hint's line is right-to-left and each key name stays whole beside its own
    action ("Ctrl+Enter" had moved beside "choose")."""
    from co_app.core.foundation import i18n

    assert not panel.hint.text().startswith("\u200f")
    i18n.set_language("fa_AF", services.locale_dir)
    try:
        panel.retranslate()
        text = panel.hint.text()
        assert text.startswith("\u200f")
        assert "\u2066Ctrl+Enter\u2069: تمام خانواده" in text and "\u2066↑ ↓\u2069: انتخاب" in text
        assert "\u2066Enter\u2069: ثبت حاضری" in text and "\u2066Shift+Enter\u2069" in text
    finally:
        i18n.set_language("en", services.locale_dir)


def test_a_big_household_is_named_by_two_and_the_count_of_the_others(qtbot, panel, services,
                                                                      session_id) -> None:
    """Six people checked in at once: the banner's two lines hold the whole sentence
    ("… are not on this" was cut off), so after two names it counts the others."""
    with services.db.session() as db:
        for given in ("Yusuf", "Sara", "Hadi"):
            people.add_participant(db, ParticipantData(case_number="SYR-24C00012", given_name=given,
                                                       family_name="Haddad"), session_id=session_id)
    panel.refresh()
    type_and_enter(qtbot, panel, "omar", Qt.KeyboardModifier.ControlModifier)
    assert sum(status == "present" for status in statuses(services).values()) == 6
    text = panel.banner_text().replace("\u2068", "").replace("\u2069", "").replace("\u00a0", " ")
    assert text.count("Haddad") == 2 and "and 4 others" in text, text
