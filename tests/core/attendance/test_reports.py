"""Report totals against a small group counted by hand.

The fixture is the table below; every expected number in the tests can be counted from
it with a finger.  Sessions:  S1 2025-03-10 (Jena, closed), S2 2025-03-12 (Biella, closed),
S3 2025-04-20 (Jena, still *open*: today's), and a *deleted* session SX 2025-03-11 that must
never count.

    person  sex     born  group  nat  destination         household  S1          S2       S3       SX
    amal    female  1990  -      SY   jena                CASE-1     present     late     -        present
    omar    male    2021  -      SY   jena                CASE-1     present     -        present  -
    lina    female  -     5-11   SY   (household: jena)   CASE-1     late        absent   -        -
    yusuf   male    1960  -      AF   biella              CASE-2     left_early  present  (absent) -
    zahra   female  -     -      AF   (household: biella) CASE-2     absent      present  -        -
    nabil   other   2013  -      -    -                   -          (deleted)   present  -        -
    ghost   male    1980  -      ER   jena  (deleted participant)    present     -        -        -
    samir   male    1985  -      IQ   germany-jena        CASE-3     -           -        -        -

Ages at the 2025 sessions: amal 35 → 18-59, omar 4 → 0-4, lina 5-11 (recorded),
yusuf 65 → 60+, zahra unknown, nabil 12 → 12-17.

S3 is open: yusuf's "absent" record there means *not here (yet)*, never an absence.

Modules covered: S1 housing, work (health recorded as *not* covered); S2 housing (and a
deleted "work" row); S3 the-first-year; SX school.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from co_app.core.attendance import reports
from co_app.core.db.engine import open_database
from co_app.core.db.models import AttendanceRecord, CoSession, Household, ModuleCoverage, Participant

DELETED = datetime(2025, 3, 20, tzinfo=timezone.utc)
MODULE_ORDER = ("housing", "work", "health", "the-first-year", "school")

PEOPLE = {
    # key: (sex, birth_year, age_group, nationality, destination, household)
    "amal": ("female", 1990, None, "SY", "jena", "CASE-1"),
    "omar": ("male", 2021, None, "SY", "jena", "CASE-1"),
    "lina": ("female", None, "5-11", "SY", "", "CASE-1"),
    "yusuf": ("male", 1960, None, "AF", "biella", "CASE-2"),
    "zahra": ("female", None, None, "AF", "", "CASE-2"),
    "nabil": ("other", 2013, None, "", "", None),
    "ghost": ("male", 1980, None, "ER", "jena", None),
    "samir": ("male", 1985, None, "IQ", "germany-jena", "CASE-3"),
}
HOUSEHOLDS = {"CASE-1": "jena", "CASE-2": "biella", "CASE-3": "jena"}
SESSIONS = {
    # key: (date, destination towns, status, deleted)
    "S1": (date(2025, 3, 10), ["germany-jena"], "closed", False),
    "S2": (date(2025, 3, 12), ["italy-biella"], "closed", False),
    "S3": (date(2025, 4, 20), ["germany-jena"], "open", False),
    "SX": (date(2025, 3, 11), ["germany-jena"], "closed", True),
}
ATTENDANCE = [
    # (session, person, status, record deleted)
    ("S1", "amal", "present", False), ("S1", "omar", "present", False), ("S1", "lina", "late", False),
    ("S1", "yusuf", "left_early", False), ("S1", "zahra", "absent", False), ("S1", "nabil", "present", True),
    ("S1", "ghost", "present", False),
    ("S2", "amal", "late", False), ("S2", "lina", "absent", False), ("S2", "yusuf", "present", False),
    ("S2", "zahra", "present", False), ("S2", "nabil", "present", False),
    ("S3", "omar", "present", False), ("S3", "yusuf", "absent", False),
    ("SX", "amal", "present", False),
]
COVERAGE = [
    # (session, module, covered, row deleted)
    ("S1", "housing", True, False), ("S1", "work", True, False), ("S1", "health", False, False),
    ("S2", "housing", True, False), ("S2", "work", True, True),
    ("S3", "the-first-year", True, False),
    ("SX", "school", True, False),
]


@pytest.fixture
def group(tmp_path: Path):
    database = open_database(tmp_path / "co_app.sqlite3")
    ids: dict[str, str] = {}
    with database.session() as db:
        households = {case: Household(case_number=case, destination=dest) for case, dest in HOUSEHOLDS.items()}
        db.add_all(households.values())
        for key, (sex, born, group_, nat, dest, case) in PEOPLE.items():
            person = Participant(case_number=f"{case or 'IND'}-{key}", given_name=key.title(), family_name="Test",
                                 sex=sex, birth_year=born, age_group=group_, nationality=nat, destination=dest,
                                 household=households.get(case),
                                 deleted_at=DELETED if key == "ghost" else None)
            db.add(person)
            db.flush()
            ids[key] = person.id
        for key, (day, towns, status, deleted) in SESSIONS.items():
            session = CoSession(session_date=day, place=f"Room {key}", facilitator="F", language="ar",
                                destination_towns=towns, status=status, deleted_at=DELETED if deleted else None)
            db.add(session)
            db.flush()
            ids[key] = session.id
        for session, person, status, deleted in ATTENDANCE:
            db.add(AttendanceRecord(session_id=ids[session], participant_id=ids[person], status=status,
                                    deleted_at=DELETED if deleted else None))
        for session, module, covered, deleted in COVERAGE:
            db.add(ModuleCoverage(session_id=ids[session], module_id=module, covered=covered,
                                  deleted_at=DELETED if deleted else None))
        db.commit()
    yield database, ids
    database.dispose()


def test_age_group_comes_from_the_birth_year_at_the_session_date() -> None:
    assert reports.age_group(2020, None, date(2024, 12, 31)) == "0-4"
    assert reports.age_group(2020, None, date(2025, 1, 1)) == "5-11"
    assert reports.age_group(2007, "18-59", date(2025, 6, 1)) == "18-59"
    assert reports.age_group(2008, "18-59", date(2025, 6, 1)) == "12-17"  # the birth year wins
    assert reports.age_group(1965, None, date(2025, 6, 1)) == "60+"
    assert reports.age_group(None, "60+", date(2025, 6, 1)) == "60+"
    assert reports.age_group(None, None, date(2025, 6, 1)) == "unknown"
    assert reports.age_group(None, "adult", date(2025, 6, 1)) == "unknown"


def test_town_key_joins_film_ids_and_town_ids() -> None:
    assert reports.town_key("germany-jena") == "jena"
    assert reports.town_key("romania-somcuta-mare") == "somcuta-mare"
    assert reports.town_key("jena") == "jena"
    assert reports.town_key("") == ""


def test_one_session_totals(group) -> None:
    database, ids = group
    with database.session() as db:
        report = reports.session_report(db, ids["S1"], MODULE_ORDER)
    # amal, omar, lina, yusuf came; zahra did not; nabil's record and ghost are deleted.
    assert report.attended.total == 4
    assert report.by_status == {"present": 2, "late": 1, "left_early": 1, "absent": 1}
    assert report.attended.by_sex == {"female": 2, "male": 2, "other": 0, "unknown": 0}
    assert report.attended.by_age_group == {"0-4": 1, "5-11": 1, "12-17": 0, "18-59": 1, "60+": 1, "unknown": 0}
    assert report.attended.by_age_and_sex["0-4"] == {"female": 0, "male": 1, "other": 0, "unknown": 0}
    assert report.attended.by_age_and_sex["60+"] == {"female": 0, "male": 1, "other": 0, "unknown": 0}
    assert report.attended.by_nationality == {"SY": 3, "AF": 1}
    assert report.attended.by_destination == {"jena": 3, "biella": 1}
    assert report.absent.total == 1
    assert report.absent.by_sex["female"] == 1
    assert report.absent.by_age_group["unknown"] == 1
    assert report.absent.by_destination == {"biella": 1}  # zahra's household goes to Biella
    assert report.modules_covered == ("housing", "work")  # health was marked not covered


def test_second_session_counts_unknowns(group) -> None:
    database, ids = group
    with database.session() as db:
        report = reports.session_report(db, ids["S2"], MODULE_ORDER)
    assert report.attended.total == 4  # amal, yusuf, zahra, nabil
    assert report.attended.by_sex == {"female": 2, "male": 1, "other": 1, "unknown": 0}
    assert report.attended.by_age_group == {"0-4": 0, "5-11": 0, "12-17": 1, "18-59": 1, "60+": 1, "unknown": 1}
    assert report.attended.by_nationality == {"AF": 2, "SY": 1, "unknown": 1}
    assert report.attended.by_destination == {"biella": 2, "jena": 1, "unknown": 1}
    assert report.absent.total == 1  # lina
    assert report.modules_covered == ("housing",)  # the deleted "work" row does not count


def test_a_deleted_session_has_no_report(group) -> None:
    database, ids = group
    with database.session() as db, pytest.raises(reports.SessionNotFoundError):
        reports.session_report(db, ids["SX"])


def test_across_sessions_people_are_counted_once_and_attendances_each_time(group) -> None:
    database, ids = group
    with database.session() as db:
        march = reports.overall_report(db, date(2025, 3, 1), date(2025, 3, 31), module_order=MODULE_ORDER)
    assert [line.session_id for line in march.sessions] == [ids["S1"], ids["S2"]]  # SX is deleted
    assert [(line.attended, line.absent, line.modules_covered) for line in march.sessions] == [(4, 1, 2), (4, 1, 1)]
    assert march.attendances == 8
    assert march.people.total == 6  # amal, omar, lina, yusuf, zahra, nabil
    assert march.absences == 2  # zahra at S1, lina at S2
    assert march.people.by_sex == {"female": 3, "male": 2, "other": 1, "unknown": 0}
    assert march.people.by_age_group == {"0-4": 1, "5-11": 1, "12-17": 1, "18-59": 1, "60+": 1, "unknown": 1}
    assert march.people.by_nationality == {"SY": 3, "AF": 2, "unknown": 1}
    assert march.people.by_destination == {"jena": 3, "biella": 2, "unknown": 1}
    reach = {m.module_id: (m.sessions_covered, m.people_reached) for m in march.modules}
    assert reach == {"housing": (2, 6), "work": (1, 4), "health": (0, 0), "the-first-year": (0, 0), "school": (0, 0)}


def test_a_longer_range_adds_attendances_but_not_people(group) -> None:
    database, _ids = group
    with database.session() as db:
        spring = reports.overall_report(db, date(2025, 3, 1), date(2025, 4, 30), module_order=MODULE_ORDER)
    assert len(spring.sessions) == 3
    assert spring.attendances == 9  # omar came again at S3
    assert spring.people.total == 6
    # zahra at S1, lina at S2; yusuf is not here (yet) at the open S3: not an absence.
    assert (spring.absences, spring.not_here_yet) == (2, 1)
    assert {m.module_id: m.people_reached for m in spring.modules}["the-first-year"] == 1


@pytest.mark.parametrize("destination", ["jena", "germany-jena"])
def test_filtered_by_destination(group, destination: str) -> None:
    database, ids = group
    with database.session() as db:
        jena = reports.overall_report(db, date(2025, 3, 1), date(2025, 3, 31), destination=destination)
    # amal, omar, lina go to Jena: S1 all three came, S2 amal came and lina was absent.
    assert jena.people.total == 3
    assert jena.attendances == 4
    assert jena.absences == 1
    assert [line.session_id for line in jena.sessions] == [ids["S1"], ids["S2"]]
    assert [line.attended for line in jena.sessions] == [3, 1]


def test_filtered_by_a_town_without_sessions_is_empty(group) -> None:
    database, _ids = group
    with database.session() as db:
        none = reports.overall_report(db, date(2025, 3, 1), date(2025, 3, 31), destination="zaanstad")
    assert (none.people.total, none.attendances, none.absences, none.sessions) == (0, 0, 0, ())


def test_who_is_expected_and_who_gets_a_certificate(group) -> None:
    database, ids = group
    with database.session() as db:
        expected = reports.expected_participants(db, ids["S1"])
        came = reports.attended_participants(db, ids["S1"])
        new = CoSession(session_date=date(2025, 5, 1), destination_towns=["germany-jena"], language="ar")
        db.add(new)
        db.commit()
        newcomers = reports.expected_participants(db, new.id)
        assert reports.session_date_range(db) == (date(2025, 3, 10), date(2025, 5, 1))
    # Households stay together on the sheet: CASE-1 (amal, lina, omar) then CASE-2.
    assert [line.given_name for line in expected] == ["Amal", "Lina", "Omar", "Yusuf", "Zahra"]
    assert [line.given_name for line in came] == ["Amal", "Lina", "Omar", "Yusuf"]
    assert expected[0].household_case == "CASE-1"
    assert [line.status for line in expected] == ["present", "late", "present", "left_early", "absent"]
    # Nobody on the new session's list yet: its sign-in sheet will be empty lines only.
    assert newcomers == []


def test_at_an_open_session_people_not_checked_in_are_not_here_yet_not_absent(group) -> None:
    database, ids = group
    with database.session() as db:
        open_session = reports.session_report(db, ids["S3"], MODULE_ORDER)
        closed_session = reports.session_report(db, ids["S1"], MODULE_ORDER)
        april = reports.overall_report(db, date(2025, 4, 1), date(2025, 4, 30))
        biella = reports.overall_report(db, date(2025, 4, 1), date(2025, 4, 30), destination="biella")
    assert (open_session.closed, closed_session.closed) == (False, True)
    assert (open_session.attended.total, open_session.absent.total) == (1, 1)  # omar came, yusuf not yet
    [line] = april.sessions
    assert (line.closed, line.attended, line.absent, line.not_here_yet) == (False, 1, 0, 1)
    assert (april.attendances, april.absences, april.not_here_yet) == (1, 0, 1)
    # Yusuf goes to Biella: the open Jena session is listed for him, with no absence.
    assert [(line.session_id, line.absent, line.not_here_yet) for line in biella.sessions] == [(ids["S3"], 0, 1)]
    assert (biella.people.total, biella.absences, biella.not_here_yet) == (0, 0, 1)
