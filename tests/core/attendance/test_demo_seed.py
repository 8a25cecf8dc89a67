"""``demo seed``: made-up sessions and people that fill every view, once."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from co_app.core.attendance.checkin import CheckInDesk
from co_app.core.db.engine import Database, open_database
from co_app.core.db.models import AttendanceRecord, CoSession, ModuleCoverage, Participant
from co_app.core.attendance.demo_seed import AlreadySeededError, is_seeded, seed_demo
from co_app.core.people.participants import age_group_on

REPO = Path(__file__).resolve().parents[3]
TODAY = date(2025, 3, 10)
TOWNS = [("jena", "germany-jena"), ("biella", "italy-biella"), ("somcuta-mare", "romania-somcuta-mare")]
MODULES = [("journey-and-arrival", 45), ("housing", 45), ("work-and-money", 60), ("health-and-wellbeing", 45),
           ("the-first-year", 60)]


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(tmp_path / "co_app.sqlite3")
    yield database
    database.dispose()


def test_seed_fills_sessions_people_and_attendance(db: Database) -> None:
    with db.session() as s:
        report = seed_demo(s, towns=TOWNS, modules=MODULES, sessions=8, today=TODAY)
    with db.session() as s:
        sessions = s.scalars(select(CoSession).order_by(CoSession.session_date)).all()
        people = s.scalars(select(Participant)).all()
        records = s.scalars(select(AttendanceRecord)).all()
        coverage = s.scalars(select(ModuleCoverage)).all()
        assert is_seeded(s)
    assert report.sessions == len(sessions) == 8 and report.participants == len(people)
    assert len({x.session_date for x in sessions}) == 8 and sessions[-1].session_date == TODAY
    assert sessions[-1].status == "open" and all(x.status == "closed" for x in sessions[:-1])
    assert (TODAY - sessions[0].session_date).days >= 21  # spread over recent weeks
    assert len({x.place for x in sessions}) >= 4 and len({x.facilitator for x in sessions}) >= 4
    assert len({x.language for x in sessions}) >= 4
    assert {t for x in sessions for t in x.destination_towns} <= {film for _, film in TOWNS}
    assert all(x.agenda for x in sessions) and coverage
    assert {p.nationality for p in people} >= {"SY", "AF", "ER", "SO", "CD"}
    assert any("\u0600" <= p.given_name[0] <= "\u06ff" for p in people)  # some names in Arabic script
    assert {age_group_on(p.birth_year, p.age_group, TODAY) for p in people} == {"0-4", "5-11", "12-17",
                                                                                  "18-59", "60+"}
    assert {p.sex for p in people} == {"female", "male"}
    past = Counter(r.status for r in records if r.session_id != sessions[-1].id)
    assert set(past) == {"present", "late", "left_early", "absent"}
    assert past["present"] > past["absent"]


def test_todays_session_is_ready_for_check_in(db: Database) -> None:
    with db.session() as s:
        seed_demo(s, towns=TOWNS, modules=MODULES, sessions=3, today=TODAY)
        today_id = s.scalars(select(CoSession.id).where(CoSession.session_date == TODAY)).one()
    counts = CheckInDesk(db.session, today_id).counts()
    assert counts.expected >= 20 and 0 < counts.attended < counts.expected


def test_seeding_twice_is_refused_unless_forced(db: Database) -> None:
    with db.session() as s:
        seed_demo(s, towns=TOWNS, modules=MODULES, sessions=2, today=TODAY)
        with pytest.raises(AlreadySeededError, match="already holds demo data"):
            seed_demo(s, towns=TOWNS, modules=MODULES, sessions=2, today=TODAY)
        first = len(s.scalars(select(CoSession)).all())
        seed_demo(s, towns=TOWNS, modules=MODULES, sessions=2, today=TODAY, force=True)
        assert len(s.scalars(select(CoSession)).all()) == first + 2
        cases = [p.case_number for p in s.scalars(select(Participant))]
        numbers = s.scalars(select(CoSession.number_of_day).where(CoSession.session_date == TODAY)).all()
    assert sorted(numbers) == [1, 2]  # a second session that day gets the next number
    households = Counter(cases)
    assert all(n <= 8 for n in households.values())  # the second batch made new cases, not bigger ones


def test_the_command_line_seeds_then_says_it_is_done(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "main.py", "--data-dir", str(tmp_path / "d"), "demo", "seed", *args],
                              cwd=REPO, capture_output=True, text=True, timeout=120)

    first = run("--sessions", "3")
    assert first.returncode == 0, first.stderr
    assert "3 sessions" in first.stdout and "made up" in first.stdout
    again = run()
    assert again.returncode == 1 and again.stderr.startswith("error: This database already holds demo data")
    assert run("--if-needed").returncode == 0
    bad = run("--sessions", "0")
    assert bad.returncode == 2 and "at least 1" in bad.stderr
