"""One set of definitions (issue 18, point 4): the screen's report, the CSV, the XLSX's
summary, the command line and the office's report computed by the database give the same
figures on the same data — people, attendances, absences, expected, not here (yet) — and
the same breakdowns by sex, age group, nationality and destination."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from co_app.core.attendance import definitions, reports
from co_app.core.attendance.export import ExportOptions, export_attendance
from co_app.core.db.engine import Database
from co_app.core.db.models import AttendanceRecord, CoSession, Participant
from co_app.core.office.report import ReportFilter, compute
from tests.core.sync_helpers import laptop, populate

REPO = Path(__file__).resolve().parents[3]


def tricky(db: Database) -> dict[str, list[str]]:
    """Three sessions (two closed) where the figures part ways when counted carelessly:
    absences at a closed session and 'not here yet' at an open one, a deleted check-in, a
    person whose town is only their household's, a nationality typed in lower case, a
    child whose age group changes between her sessions (one of them the next year)."""
    ids = populate(db, sessions=3)
    first, second, third = ids["sessions"]
    amina, yusuf, layla, farid, zahra, senait = ids["participants"]
    with db.session() as s, s.begin():
        s.get(CoSession, first).status = "closed"
        s.get(CoSession, second).status = "closed"
        s.get(CoSession, third).session_date = date(2027, 1, 15)
        for record in s.scalars(select(AttendanceRecord)):
            if record.participant_id == amina and record.session_id in (second, third):
                record.status = "absent"  # an absence, then 'not here yet' at the open session
            if record.participant_id == farid and record.session_id == first:
                record.status = "left_early"
            if record.participant_id == senait and record.session_id == first:
                record.deleted_at = record.created_at  # a deleted check-in never counts
            if record.participant_id == zahra:
                record.status = "absent"  # expected three times, never came
        s.get(Participant, layla).destination = ""  # the household's town
        s.get(Participant, layla).birth_year = 2022  # 4 in 2026 ("0-4"), 5 in 2027
        s.get(Participant, yusuf).nationality = "sy"
    return ids


@pytest.fixture
def db(tmp_path: Path):
    database = laptop(tmp_path, "laptop")
    tricky(database)
    yield database
    database.dispose()


def _screen(db: Database) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    with Session(db.engine) as s:
        report = reports.overall_report(s, date(2000, 1, 1), date(2100, 1, 1))
    people = report.people
    return ({"people": people.total, "attendances": report.attendances, "absences": report.absences,
             "not_here_yet": report.not_here_yet,
             "expected": report.attendances + report.absences + report.not_here_yet},
            {"sex": {k: v for k, v in people.by_sex.items() if v}, "age_group": {k: v for k, v in
                                                                                people.by_age_group.items() if v},
             "nationality": people.by_nationality, "destination": people.by_destination})


def _csv(db: Database, tmp_path: Path) -> dict[str, int]:
    out = tmp_path / "attendance.csv"
    export_attendance(db.engine, out, "csv", ExportOptions())
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    counted = Counter(row["counts_as"] for row in rows)
    return {"people": len({row["participant"] for row in rows if row["counts_as"] == definitions.ATTENDANCE}),
            "attendances": counted[definitions.ATTENDANCE], "absences": counted[definitions.ABSENCE],
            "not_here_yet": counted[definitions.NOT_HERE_YET], "expected": len(rows)}


def _xlsx(db: Database, tmp_path: Path) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    out = tmp_path / "attendance.xlsx"
    export_attendance(db.engine, out, "xlsx", ExportOptions())
    rows = list(load_workbook(out)["summary"].iter_rows(min_row=2, values_only=True))
    summary = {(measure, group): count for measure, group, count in rows}
    figures = {"people": summary[("participants attending", "all")],
               "attendances": summary[("attendances", "all")], "absences": summary[("absences", "all")],
               "not_here_yet": summary[("not here yet (open session)", "all")],
               "expected": summary[("expected", "all")]}
    by = {name: {group: count for measure, group, count in rows
                 if measure == f"participants attending by {name.replace('_', ' ')}"}
          for name in ("sex", "age_group", "nationality", "destination")}
    return figures, by


def _cli(db: Database) -> dict:
    folder = Path(str(db.engine.url.database)).parent
    done = subprocess.run([sys.executable, "main.py", "--data-dir", str(folder), "report", "--json"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _office(report_json: dict) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    totals = report_json["totals"]
    figures = {k: totals[k] for k in ("people", "attendances", "absences", "not_here_yet", "expected")}
    by = {name: {row["key"]: row["people"] for row in report_json["breakdowns"][name] if row["people"]}
          for name in ("sex", "age_group", "nationality", "destination")}
    return figures, by


def test_screen_csv_xlsx_cli_and_the_database_agree(db: Database, tmp_path: Path) -> None:
    screen, screen_by = _screen(db)
    # What the data holds, counted by hand: 18 records, one deleted (17 expected); Amina
    # absent at a closed session and not here (yet) at the open one; Zahra absent at both
    # closed sessions and not here (yet) at the open one, so never one of the people.
    assert screen == {"people": 5, "attendances": 12, "absences": 3, "not_here_yet": 2, "expected": 17}
    assert screen_by["nationality"] == {"SY": 3, "AF": 1, "ER": 1}  # "sy" is Syria
    assert screen_by["age_group"] == {"0-4": 1, "18-59": 4}  # Layla at her first session, in 2026
    assert screen_by["destination"] == {"jena": 5}  # Layla's town is her household's
    assert _csv(db, tmp_path) == screen
    xlsx, xlsx_by = _xlsx(db, tmp_path)
    assert xlsx == screen and xlsx_by == screen_by
    cli, cli_by = _office(_cli(db))
    assert cli == screen and cli_by == screen_by
    database, database_by = _office(compute(db.engine, ReportFilter()).as_json())
    assert database == screen and database_by == screen_by


def test_a_date_range_and_a_destination_agree_with_the_screen(db: Database) -> None:
    start, end = date(2026, 11, 22), date(2027, 12, 31)
    with Session(db.engine) as s:
        screen = reports.overall_report(s, start, end, destination="jena")
        other = reports.overall_report(s, start, end, destination="biella")
    report = compute(db.engine, ReportFilter(start=start, end=end, destination="germany-jena"))
    assert (report.people, report.attendances, report.absences, report.not_here_yet) == (
        screen.people.total, screen.attendances, screen.absences, screen.not_here_yet)
    assert report.sessions == len(screen.sessions) == 1
    # Layla is 5 at her first session in this range (2027): "5-11", as the screen says.
    ages = {r.key: r.people for r in report.breakdown("age_group").rows if r.people}
    assert ages == {k: v for k, v in screen.people.by_age_group.items() if v} and ages["5-11"] == 1
    nobody = compute(db.engine, ReportFilter(start=start, end=end, destination="biella"))
    assert (nobody.people, nobody.sessions, other.people.total, len(other.sessions)) == (0, 0, 0, 0)


def test_a_merged_duplicate_is_one_person_and_one_visit_everywhere(db: Database, tmp_path: Path) -> None:
    """Amina registered again on another laptop (merged into her): her check-ins at the
    sessions where Amina was absent or not here (yet) make those visits attendances, once."""
    from co_app.core.db.models import Household

    with db.session() as s, s.begin():
        amina = s.scalars(select(Participant).where(Participant.given_name == "Amina")).one()
        household = s.get(Household, amina.household_id)
        again = Participant(household=household, case_number=amina.case_number, given_name="Amina",
                            family_name="Haddad", sex="female", birth_year=1988, nationality="SY",
                            languages=["ar"], destination="germany-jena", merged_into=amina.id)
        s.add(again)
        sessions = list(s.scalars(select(CoSession).order_by(CoSession.session_date)))
        for day in sessions[1:]:
            s.add(AttendanceRecord(session=day, participant=again, status="present"))
    screen, screen_by = _screen(db)
    assert screen == {"people": 5, "attendances": 14, "absences": 2, "not_here_yet": 1, "expected": 17}
    xlsx, xlsx_by = _xlsx(db, tmp_path)
    assert xlsx == screen and xlsx_by == screen_by
    database, database_by = _office(compute(db.engine, ReportFilter()).as_json())
    assert database == screen and database_by == screen_by
    assert _office(_cli(db)) == (database, database_by)
    # The CSV names the kept person on the duplicate's rows, one row per visit: the screen's figures.
    assert _csv(db, tmp_path) == screen


def test_a_merged_duplicate_counts_with_the_kept_persons_details(db: Database, tmp_path: Path) -> None:
    """Registered again with another sex and birth year by mistake, and merged: the kept
    person's details count, on the screen and in the database's report alike."""
    with db.session() as s, s.begin():
        senait = s.scalars(select(Participant).where(Participant.given_name == "Senait")).one()
        again = Participant(given_name="Senait", family_name="Tesfaye", sex="male", birth_year=2015,
                            nationality="ET", languages=["ti"], destination="italy-biella", merged_into=senait.id)
        s.add(again)
        first = s.scalars(select(CoSession).order_by(CoSession.session_date)).first()
        s.add(AttendanceRecord(session=first, participant=again, status="present"))
        first_id = first.id
    screen, screen_by = _screen(db)
    database, database_by = _office(compute(db.engine, ReportFilter()).as_json())
    assert (database, database_by) == (screen, screen_by) == _xlsx(db, tmp_path)
    assert screen["people"] == 5 and "ET" not in screen_by["nationality"]
    assert screen_by["sex"] == {"female": 3, "male": 2}
    with Session(db.engine) as s:
        one = reports.session_report(s, first_id)
    assert one.attended.total == 5 and one.attended.by_sex["male"] == 2  # Yusuf and Farid; Senait once


def _merge_amina_again(database: Database) -> None:
    """Amina registered again on another laptop, merged into her, with check-ins at the
    sessions where Amina herself has a record too (absent, then not here yet)."""
    from co_app.core.db.models import Household

    with database.session() as s, s.begin():
        amina = s.scalars(select(Participant).where(Participant.given_name == "Amina")).one()
        household = s.get(Household, amina.household_id)
        again = Participant(household=household, case_number=amina.case_number, given_name="Amina",
                            family_name="Haddad", sex="female", birth_year=1988, nationality="SY",
                            languages=["ar"], destination="germany-jena", merged_into=amina.id)
        s.add(again)
        for day in list(s.scalars(select(CoSession).order_by(CoSession.session_date)))[1:]:
            s.add(AttendanceRecord(session=day, participant=again, status="present"))


def _cli_csv(folder: Path, out: Path, db_url: str | None) -> list[dict[str, str]]:
    command = [sys.executable, "main.py", "--data-dir", str(folder), "attendance", "export", "--format", "csv",
               "--out", str(out), *(["--db", db_url] if db_url else [])]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_export_lists_one_row_per_person_per_session_after_a_merge(hub, tmp_path: Path) -> None:
    """Issue 18: after a merge, where the duplicate and the kept person both have a record at
    one session, the CSV, the XLSX, the command line's export and its report count what the
    screen counts — one visit, the stronger record — on a SQLite hub and on PostgreSQL."""
    database = hub.database()
    tricky(database)
    _merge_amina_again(database)
    screen, screen_by = _screen(database)
    assert screen == {"people": 5, "attendances": 14, "absences": 2, "not_here_yet": 1, "expected": 17}
    assert _csv(database, tmp_path) == screen
    xlsx, xlsx_by = _xlsx(database, tmp_path)
    assert (xlsx, xlsx_by) == (screen, screen_by)
    url = database.engine.url
    db_url = (url.render_as_string(hide_password=False) if url.get_backend_name() == "postgresql"
              else str(url.database))
    rows = _cli_csv(tmp_path / "office-data", tmp_path / "cli.csv", db_url)
    assert len(rows) == screen["expected"] == len({(r["session_id"], r["participant"]) for r in rows})
    amina = {r["counts_as"] for r in rows if r["participant"] == _amina_id(database)}
    assert amina == {definitions.ATTENDANCE}  # her duplicate's check-ins, folded into her visits
    done = subprocess.run([sys.executable, "main.py", "--data-dir", str(tmp_path / "office-data"), "report",
                           "--json", "--db", db_url], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _office(json.loads(done.stdout)) == (screen, screen_by)


def _amina_id(database: Database) -> str:
    with database.session() as s:
        return s.scalars(select(Participant.id).where(Participant.given_name == "Amina",
                                                      Participant.merged_into.is_(None))).one()


def test_the_export_names_each_sessions_laptop_and_its_period(hub, tmp_path: Path) -> None:
    """The attendance export names the laptop each session was made on, as the office knows
    it, in the CSV and both XLSX sheets, and its summary gives the sessions' date range."""
    from co_app.core.db import identity
    from co_app.core.db.models import SyncPeer

    database = hub.database()
    ids = tricky(database)
    with database.engine.begin() as conn:  # one session made on a laptop the office knows by name
        conn.execute(SyncPeer.__table__.insert().values(device_id="laptop-kakuma", name="Kakuma 2",
                                                        role="laptop"))
        conn.execute(CoSession.__table__.update().where(CoSession.id == ids["sessions"][0])
                     .values(origin_device="laptop-kakuma"))
        own = identity.device_name(conn)
    export_attendance(database.engine, tmp_path / "a.csv", "csv", ExportOptions())
    with (tmp_path / "a.csv").open(encoding="utf-8-sig", newline="") as fh:
        laptops = {row["session_id"]: row["laptop"] for row in csv.DictReader(fh)}
    assert laptops[ids["sessions"][0]] == "Kakuma 2"
    assert {laptops[sid] for sid in ids["sessions"][1:]} == {own} and own
    export_attendance(database.engine, tmp_path / "a.xlsx", "xlsx", ExportOptions())
    book = load_workbook(tmp_path / "a.xlsx")
    sessions = [dict(zip([c.value for c in book["sessions"][1]], row))
                for row in book["sessions"].iter_rows(min_row=2, values_only=True)]
    assert {row["session_id"]: row["laptop"] for row in sessions}[ids["sessions"][0]] == "Kakuma 2"
    header = [c.value for c in book["attendance"][1]]
    assert "Kakuma 2" in {row[header.index("laptop")] for row in book["attendance"].iter_rows(min_row=2,
                                                                                            values_only=True)}
    summary = {(m, g): v for m, g, v in book["summary"].iter_rows(min_row=2, values_only=True)}
    assert (summary[("period", "from")].date(), summary[("period", "to")].date()) == (date(2026, 11, 20),
                                                                                       date(2027, 1, 15))


def test_a_merged_away_duplicate_is_not_a_participant_of_its_own_in_the_export(db: Database,
                                                                               tmp_path: Path) -> None:
    """The officer's run: 'attendance export' said 819 participants and its participants
    sheet listed the 17 people merged away, while the report said 621 people.  The sheet now
    lists the kept person only, and the export's people figure — in the command line's words
    and its JSON — is the report's and the screen's."""
    _merge_amina_again(db)
    screen, _by = _screen(db)
    summary = export_attendance(db.engine, tmp_path / "a.xlsx", "xlsx", ExportOptions())
    book = load_workbook(tmp_path / "a.xlsx")
    listed = [row[0] for row in book["participants"].iter_rows(min_row=2, values_only=True)]
    with Session(db.engine) as s:
        kept = set(s.scalars(select(Participant.id).where(Participant.merged_into.is_(None),
                                                          Participant.deleted_at.is_(None))))
        registered = s.scalar(select(func.count()).select_from(Participant))
    assert sorted(listed) == sorted(kept) and len(kept) == registered - 1 == summary.participants
    assert summary.people == screen["people"] == compute(db.engine, ReportFilter()).people == 5
    folder = Path(str(db.engine.url.database)).parent
    done = subprocess.run([sys.executable, "main.py", "--data-dir", str(folder), "attendance", "export", "--format",
                           "csv", "--out", str(tmp_path / "a.csv"), "--json"], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    assert (said["people"], said["participants"]) == (screen["people"], len(kept))
    done = subprocess.run([sys.executable, "main.py", "--data-dir", str(folder), "attendance", "export", "--format",
                           "csv", "--out", str(tmp_path / "b.csv")], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert "5 people attending" in " ".join(done.stdout.split()), done.stdout
