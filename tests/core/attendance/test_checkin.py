"""Check-in: search that forgives accents, case and Arabic spelling; check-in, whole
household, status changes and undo — on a real SQLite file."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from co_app.core.attendance.checkin import CheckInDesk, CheckInError, Person, SearchIndex, case_key, normalise
from co_app.core.db.engine import Database, open_database
from co_app.core.db.models import AttendanceRecord
from co_app.core.people import participants as people
from co_app.core.people.participants import ParticipantData
from co_app.core.sessions.service import create_session

TODAY = date(2025, 3, 10)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 10, 8, 55, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=30)
        return self.now


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(tmp_path / "co_app.sqlite3")
    yield database
    database.dispose()


@pytest.fixture
def roster(db: Database):
    """A session with two households expected and one person who is not on its roster."""
    with db.session() as s:
        session = create_session(s, day=TODAY, place="Amman", facilitator="Leila", language="ar",
                                 destination_towns=[])
        ids = {}
        for case, given, family, expected in (
            ("SYR-24C00012", "Amina", "Haddad", True),
            ("SYR-24C00012", "Omar", "Haddad", True),
            ("SYR-24C00012", "Lina", "Haddad", True),
            ("ROU-24C00077", "Ștefan", "Șomcuta", True),
            ("SYR-24C00345", "أَحْمَد", "الحسن", False),
        ):
            view = people.add_participant(s, ParticipantData(case_number=case, given_name=given, family_name=family),
                                          session_id=session.id if expected else None, today=TODAY)
            ids[given] = view.id
    return session.id, ids


def desk_for(db: Database, session_id: str, clock: Clock | None = None) -> CheckInDesk:
    return CheckInDesk(db.session, session_id, clock=clock or Clock())


def records(db: Database, session_id: str) -> dict[str, tuple[str, datetime, str, bool]]:
    with db.session() as s:
        rows = s.scalars(select(AttendanceRecord).where(AttendanceRecord.session_id == session_id))
        return {r.participant_id: (r.status, r.checked_in_at, r.note, r.deleted_at is None) for r in rows}


# --- normalising and searching --------------------------------------------------------


@pytest.mark.parametrize("typed,stored", [
    ("Somcuta", "Șomcuta"), ("JOSE", "José"), ("francois", "François"), ("gaenserndorf", "Gaenserndorf"),
    ("ahmad", "AHMAD"), ("احمد", "أَحْمَد"), ("ابراهيم", "إبراهيم"), ("امنه", "آمنة"), ("مصطفي", "مصطفى"),
    ("علي", "عـــلي"), ("يوسف", "یوسف"), ("كريم", "کریم"), ("123", "١٢٣"), ("soren", "Søren"),
])
def test_normalise_makes_both_spellings_equal(typed: str, stored: str) -> None:
    assert normalise(typed) == normalise(stored)


def test_case_numbers_compare_without_punctuation() -> None:
    assert case_key("SYR-24C 00012") == case_key("syr24c00012") == "syr24c00012"


def test_search_by_name_either_order_prefix_and_case_number() -> None:
    index = SearchIndex([
        Person("1", "SYR-24C00012", "Amina", "Haddad", "h1"),
        Person("2", "SYR-24C00012", "Omar", "Haddad", "h1"),
        Person("3", "ROU-24C00077", "Ștefan", "Șomcuta", "h2"),
        Person("4", "SYR-24C00345", "أَحْمَد", "الحسن", "h3"),
        Person("5", "AFG-24C00990", "Abdul Rahman", "Al-Hakimi", "h4"),
    ])

    def ids(query: str) -> list[str]:
        return [p.id for p in index.search(query)]

    assert ids("amina") == ["1"]
    assert ids("haddad amina") == ["1"]  # family name first
    assert ids("Had") == ["1", "2"]
    assert ids("somcuta stef") == ["3"]
    assert ids("احمد الح") == ["4"]  # typed without the vowel marks and hamza
    assert ids("abdulrahman") == ["5"] and ids("alhakimi") == ["5"] and ids("hakimi abdul") == ["5"]
    assert ids("SYR-24C00012") == ["1", "2"] and ids("syr24c00") == ["1", "2", "4"]
    assert ids("00345") == ["4"]  # digits anywhere in the case number
    assert ids("zzz") == [] and ids("  ") == []
    assert [p.id for p in index.by_case_number("syr 24c00012")] == ["1", "2"]
    assert [p.id for p in index.household("2")] == ["1", "2"]


def test_search_puts_the_sessions_expected_people_first() -> None:
    index = SearchIndex([Person(str(i), f"C{i}", "Amina", f"Family{i:02d}") for i in range(40)])
    assert [p.id for p in index.search("amina", limit=3)] == ["0", "1", "2"]
    assert [p.id for p in index.search("amina", limit=3, prefer={"17"})] == ["17", "0", "1"]


# --- checking in ----------------------------------------------------------------------


def test_the_roster_is_expected_and_counted(db: Database, roster) -> None:
    session_id, ids = roster
    desk = desk_for(db, session_id)
    counts = desk.counts()
    assert (counts.expected, counts.attended, counts.absent) == (4, 0, 4)
    assert [e.person.given_name for e in desk.roster()] == ["Amina", "Lina", "Omar", "Ștefan"]
    assert desk.search("احمد")[0].status is None  # found, though not on this session's roster


def test_check_in_and_undo_restore_exactly(db: Database, roster) -> None:
    session_id, ids = roster
    clock = Clock()
    desk = desk_for(db, session_id, clock)
    before = records(db, session_id)
    action = desk.check_in([ids["Amina"]])
    assert action.kind == "check_in" and [c.participant_id for c in action.changes] == [ids["Amina"]]
    after = records(db, session_id)
    assert after[ids["Amina"]][0] == "present" and after[ids["Amina"]][1] == clock.now
    assert desk.counts().present == 1

    again = desk.check_in([ids["Amina"]])  # a second Enter: nothing changes, nothing to undo
    assert again.changes == () and again.unchanged == (ids["Amina"],)

    assert desk.undo() is not None
    assert records(db, session_id) == before  # status, time and note as they were
    assert desk.counts().present == 0 and not desk.can_undo
    assert desk.undo() is None


def test_a_walk_in_gets_a_record_and_undo_deletes_it(db: Database, roster) -> None:
    session_id, ids = roster
    desk = desk_for(db, session_id)
    desk.check_in([ids["أَحْمَد"]], status="late")
    assert records(db, session_id)[ids["أَحْمَد"]][0] == "late"
    assert desk.counts().expected == 5
    desk.undo()
    status, _, _, active = records(db, session_id)[ids["أَحْمَد"]]
    assert not active  # a tombstone: the deletion syncs too
    assert desk.counts().expected == 4
    desk.check_in([ids["أَحْمَد"]])  # and checking in again brings the record back
    assert records(db, session_id)[ids["أَحْمَد"]][::3] == ("present", True)
    assert desk_for(db, session_id).counts().expected == 5  # as read back from the file


def test_whole_household_in_one_action_and_one_undo(db: Database, roster) -> None:
    session_id, ids = roster
    desk = desk_for(db, session_id)
    desk.check_in([ids["Omar"]])
    household = [e.person.id for e in desk.household(ids["Amina"])]
    assert sorted(household) == sorted([ids["Amina"], ids["Omar"], ids["Lina"]])
    action = desk.check_in(household)
    assert len(action.changes) == 2 and action.unchanged == (ids["Omar"],)
    assert desk.counts().present == 3
    desk.undo()
    statuses = {pid: rec[0] for pid, rec in records(db, session_id).items()}
    assert statuses[ids["Omar"]] == "present"  # checked in by the earlier action, which stands
    assert statuses[ids["Amina"]] == statuses[ids["Lina"]] == "absent"


def test_status_changes_keep_the_arrival_time_and_undo_in_order(db: Database, roster) -> None:
    session_id, ids = roster
    desk = desk_for(db, session_id)
    desk.check_in([ids["Amina"]])
    arrived = records(db, session_id)[ids["Amina"]][1]
    desk.set_status([ids["Amina"]], "left_early", note="Clinic appointment")
    status, at, note, _ = records(db, session_id)[ids["Amina"]]
    assert (status, at, note) == ("left_early", arrived, "Clinic appointment")
    assert desk.counts().attended == 1 and desk.counts().left_early == 1
    desk.undo()
    assert records(db, session_id)[ids["Amina"]][:3] == ("present", arrived, "")
    desk.undo()
    assert records(db, session_id)[ids["Amina"]][0] == "absent"
    with pytest.raises(CheckInError):
        desk.set_status([ids["Amina"]], "asleep")
    with pytest.raises(CheckInError):
        desk.check_in([ids["Amina"]], status="absent")


def test_scanner_input_finds_the_case(db: Database, roster) -> None:
    session_id, ids = roster
    desk = desk_for(db, session_id)
    assert [e.person.id for e in desk.scan("ROU-24C00077")] == [ids["Ștefan"]]
    assert len(desk.scan("syr-24c00012")) == 3
    assert desk.scan("SYR-24C0001") == []  # a scanner types it whole: no prefix matches


def test_a_participant_deleted_meanwhile_is_refused_without_a_partial_write(db: Database, roster) -> None:
    session_id, ids = roster
    desk = desk_for(db, session_id)
    with db.session() as s:
        people.delete_participant(s, ids["Lina"])
    with pytest.raises(CheckInError):
        desk.check_in([ids["Amina"], ids["Lina"]])
    assert records(db, session_id)[ids["Amina"]][0] == "absent"


def test_search_ranks_this_sessions_list_first_waiting_then_here_then_everyone_else() -> None:
    """'yara' with Yara Darwish checked in here and Yara Al-Khatib on another session's
    list: Darwish comes first although Al-Khatib comes first by name."""
    index = SearchIndex([
        Person("khatib", "SYR-24C00500", "Yara", "Al-Khatib"),
        Person("darwish", "SYR-24C00501", "Yara", "Darwish"),
        Person("yasmin", "SYR-24C00502", "Yarin", "Zaki"),
        Person("other", "SYR-24C00503", "Yara", "Baker"),
    ])
    assert [p.id for p in index.search("yar")] == ["khatib", "other", "darwish", "yasmin"]  # by name alone
    assert [p.id for p in index.search("yara")] == ["khatib", "other", "darwish"]
    assert [p.id for p in index.search("yara", groups=[set(), {"darwish"}])] == ["darwish", "khatib", "other"]
    ranked = index.search("yar", groups=[{"yasmin"}, {"darwish"}])
    assert [p.id for p in ranked] == ["yasmin", "darwish", "khatib", "other"]
    # An exact case number still comes first: it names one person for certain.
    assert [p.id for p in index.search("SYR-24C00500", groups=[{"yasmin"}, {"darwish"}])][:1] == ["khatib"]


def test_desk_search_puts_the_not_yet_here_then_the_here_then_others(db: Database, roster) -> None:
    session_id, ids = roster
    with db.session() as s:
        other = create_session(s, day=TODAY, place="Irbid", facilitator="Sami", language="ar", destination_towns=[])
        early = people.add_participant(s, ParticipantData(case_number="SYR-24C00900", given_name="Amal",
                                                          family_name="Abbas"), session_id=other.id, today=TODAY)
    desk = desk_for(db, session_id)
    desk.check_in([ids["Amina"]])
    found = desk.search("am")
    assert [e.person.given_name for e in found] == ["Amina", "Amal"]
    assert [e.on_list for e in found] == [True, False] and found[0].attended
    assert found[1].person.id == early.id and found[1].status is None
    desk.check_in([ids["Omar"]])
    assert [e.person.given_name for e in desk.search("haddad")] == ["Lina", "Amina", "Omar"]
