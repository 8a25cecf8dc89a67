"""Attendance exports for people: CSV read back with the csv module, XLSX with openpyxl;
formula injection neutralised; names only when asked; stable pseudonyms."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from openpyxl import load_workbook

from co_app.core.safety import audit
from co_app.core.db.models import Participant
from co_app.core.attendance.export import (
    ExportError, ExportOptions, export_attendance, neutralise, programme_secret, pseudonym,
)
from tests.core.sync_helpers import laptop, populate

REPO = Path(__file__).resolve().parents[3]
HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+2+3", "-cmd|' /C calc'!A0", "@SUM(A1)",
           "\tTabbed", "\rReturned"]


@pytest.fixture
def db(tmp_path: Path):
    database = laptop(tmp_path, "laptop")
    ids = populate(database)
    with database.session() as s, s.begin():
        for pid, name in zip(ids["participants"], HOSTILE):
            s.get(Participant, pid).given_name = name
        s.get(Participant, ids["participants"][0]).family_name = "حداد"
        s.get(Participant, ids["participants"][1]).nationality = "=1+1"
    database.ids = ids  # type: ignore[attr-defined]
    return database


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_neutralise() -> None:
    assert [neutralise(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert [neutralise(v) for v in ("Amina", "", "a=b", 12, None)] == ["Amina", "", "a=b", 12, None]


def test_csv_has_a_bom_and_shows_hostile_cells_neutralised(db, tmp_path: Path) -> None:
    out = tmp_path / "attendance.csv"

    summary = export_attendance(db.engine, out, "csv", ExportOptions(with_names=True))

    assert summary.attendance == 12
    assert out.read_bytes().startswith("\ufeff".encode("utf-8"))
    rows = read_csv(out)
    assert len(rows) == 12
    given = {row["given_name"] for row in rows}
    assert given == {"'" + name for name in HOSTILE}
    assert {row["nationality"] for row in rows} >= {"'=1+1"}
    assert "حداد" in {row["family_name"] for row in rows}
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row.values())
    assert {row["status"] for row in rows} == {"present", "late"}
    assert {row["modules_covered"] for row in rows} == {"housing"}
    assert [f for f in out.parent.iterdir() if f.name.endswith(".tmp")] == []
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_names_are_left_out_unless_asked(db, tmp_path: Path) -> None:
    out = tmp_path / "attendance.csv"
    export_attendance(db.engine, out, "csv")
    text = out.read_text(encoding="utf-8-sig")
    rows = read_csv(out)
    assert "given_name" not in rows[0] and "case_number" not in rows[0] and "note" not in rows[0]
    assert "Haddad" not in text and "CASE-" not in text and "حداد" not in text
    assert {row["participant"] for row in rows} == set(db.ids["participants"])
    assert {row["age_group"] for row in rows} == {"18-59", "5-11"}


def test_pseudonyms_are_stable_and_come_from_the_secret(db, tmp_path: Path) -> None:
    secret = programme_secret(tmp_path)
    assert (tmp_path / "pseudonym-secret.key").exists()
    assert programme_secret(tmp_path) == secret  # made once, then read
    first, second = tmp_path / "one.csv", tmp_path / "two.csv"
    export_attendance(db.engine, first, "csv", ExportOptions(secret=secret))
    export_attendance(db.engine, second, "csv", ExportOptions(secret=secret))
    other = tmp_path / "other.csv"
    (tmp_path / "office.key").write_text("another programme's secret, long enough")
    export_attendance(db.engine, other, "csv", ExportOptions(secret=programme_secret(tmp_path,
                                                                                    tmp_path / "office.key")))

    one, two, three = read_csv(first), read_csv(second), read_csv(other)
    assert [r["participant"] for r in one] == [r["participant"] for r in two]
    assert {r["participant"] for r in one}.isdisjoint({r["participant"] for r in three})
    assert all(r["participant"].startswith("P-") and len(r["participant"]) == 14 for r in one)
    assert all(r["household"].startswith("H-") for r in one)
    assert pseudonym(secret, "participant", db.ids["participants"][0]) in {r["participant"] for r in one}
    text = first.read_text(encoding="utf-8-sig")
    assert not any(pid in text for pid in db.ids["participants"]) and "Haddad" not in text


def test_names_and_pseudonyms_together_are_refused() -> None:
    with pytest.raises(ExportError, match="not both"):
        ExportOptions(with_names=True, secret=b"0123456789abcdef0123")


def test_a_short_secret_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "weak.key").write_text("abc")
    with pytest.raises(ExportError, match="weak.key is too short"):
        programme_secret(tmp_path, tmp_path / "weak.key")


def test_xlsx_has_four_sheets_with_inert_text(db, tmp_path: Path) -> None:
    out = tmp_path / "attendance.xlsx"
    export_attendance(db.engine, out, "xlsx", ExportOptions(with_names=True))

    book = load_workbook(out)
    assert book.sheetnames == ["sessions", "participants", "attendance", "summary"]
    attendance = book["attendance"]
    headers = [cell.value for cell in attendance[1]]
    column = headers.index("given_name") + 1
    cells = [attendance.cell(row=r, column=column) for r in range(2, attendance.max_row + 1)]
    # XML reads a carriage return back as a line feed; the leading ' is what matters
    assert {c.value for c in cells} == {"'" + name.replace("\r", "\n") for name in HOSTILE}
    assert all(c.data_type == "s" for c in cells)  # text, never a formula
    assert attendance.max_row == 13 and book["sessions"].max_row == 3 and book["participants"].max_row == 7
    summary = {(row[0], row[1]): row[2] for row in book["summary"].iter_rows(min_row=2, values_only=True)}
    assert summary[("participants attending", "all")] == 6
    assert summary[("participants attending by sex", "female")] == 4
    assert summary[("records by status", "late")] == 2
    assert summary[("participants reached by module", "housing")] == 6


def test_the_summary_counts_as_the_report_does(db, tmp_path: Path) -> None:
    """Nobody is "absent" from a session still open (the report says "not here (yet)"), an
    absent row carries no arrival time, and the groups come in the forms' order."""
    from co_app.core.db.models import AttendanceRecord, CoSession

    first, second = db.ids["sessions"]
    amina = db.ids["participants"][0]
    with db.session() as s, s.begin():
        for record in s.scalars(select(AttendanceRecord).where(AttendanceRecord.participant_id == amina)):
            record.status = "absent"
        s.get(CoSession, second).status = "closed"

    out = tmp_path / "attendance.xlsx"
    export_attendance(db.engine, out, "xlsx", ExportOptions())
    book = load_workbook(out)
    rows = [row for row in book["summary"].iter_rows(min_row=2, values_only=True)]
    summary = {(measure, group): count for measure, group, count in rows}
    # One set of definitions (co_app/core/attendance/definitions.py): an absence is no attendance.
    assert summary[("attendances", "all")] == 10
    assert summary[("absences", "all")] == 1
    assert summary[("not here yet (open session)", "all")] == 1
    assert summary[("expected", "all")] == 12
    assert summary[("records by status", "absent")] == 1  # at the closed session
    assert summary[("records by status", "not here yet (open session)")] == 1  # at the open one
    ages = [group for measure, group, _ in rows if measure == "participants attending by age group"]
    assert ages == sorted(ages, key=["0-4", "5-11", "12-17", "18-59", "60+", "unknown"].index)
    sheet = book["attendance"]
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        record = dict(zip(headers, row))
        assert (record["checked_in_at_utc"] in (None, "")) == (record["status"] == "absent")
        assert record["counts_as"] == ("attendance" if record["status"] != "absent" else
                                       "absence" if record["session_id"] == second else "not here yet")


def test_the_export_is_audited_without_personal_data(db, tmp_path: Path) -> None:
    export_attendance(db.engine, tmp_path / "a.csv", "csv", ExportOptions(with_names=True))
    with db.session() as s:
        [entry] = audit.entries(s)
    assert entry.action == "export" and "a.csv" in entry.detail and "with names" in entry.detail
    assert "Haddad" not in entry.detail and "CASE" not in entry.detail


def test_an_unwritable_destination_is_one_sentence(db, tmp_path: Path) -> None:
    from co_app.core.foundation.fileio import OutputFileError

    with pytest.raises(OutputFileError, match="missing.*does not exist"):
        export_attendance(db.engine, tmp_path / "missing" / "a.csv", "csv")


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CO_APP_")} | (env or {})
    return subprocess.run([sys.executable, "main.py", *args], cwd=REPO, env=environ, capture_output=True,
                          text=True, timeout=120)


def as_a_form_saves(db) -> None:
    """The hostile cells of the export tests (a name starting with a tab or a carriage return,
    a formula for a nationality) are values no form stores, and the office refuses a package
    holding one (tests/core/sync/test_bad_values.py): a laptop that syncs holds what a form saves."""
    with db.session() as s, s.begin():
        for person in s.scalars(select(Participant)):
            person.given_name, person.nationality = person.given_name.strip(), "SY"


def test_command_line_export_and_sync(db, tmp_path: Path) -> None:
    """The keyed flow on the command line: the laptop is named and enrolled with the office's
    key file, its package is sealed for the office, which enrols the laptop on its first
    import (after comparing fingerprints) and answers with a package sealed for it."""
    import json

    as_a_form_saves(db)
    data = tmp_path / "laptop"
    db.dispose()
    csv_out = tmp_path / "out.csv"
    result = _cli("--data-dir", str(data), "attendance", "export", "--format", "csv", "--out", str(csv_out))
    assert result.returncode == 0, result.stderr
    assert "12 check-ins" in result.stdout and len(read_csv(csv_out)) == 12

    result = _cli("--data-dir", str(data), "sync", "name", "Amman laptop 1")
    assert result.returncode == 0 and "Amman laptop 1" in result.stdout, result.stderr
    package = tmp_path / "p.cosync"
    result = _cli("--data-dir", str(data), "sync", "export", "--out", str(package))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "not enrolled with an office yet" in result.stderr and "sync enrol FILE" in result.stderr
    assert not package.exists()

    hub, key_file = tmp_path / "hub.sqlite3", tmp_path / "office.key"
    result = _cli("--data-dir", str(tmp_path / "office"), "sync", "office-key", "--db", str(hub), "--out",
                  str(key_file))
    assert result.returncode == 0 and key_file.exists(), result.stderr
    result = _cli("--data-dir", str(data), "sync", "enrol", str(key_file))
    assert result.returncode == 0 and "Enrolled with \"Office\"" in result.stdout, result.stderr
    result = _cli("--data-dir", str(data), "sync", "export", "--out", str(package))
    assert result.returncode == 0, result.stderr
    assert f"Wrote {package} (full, sealed and signed): 25 records" in result.stdout

    # The office refuses a laptop it has not enrolled, showing the fingerprint to compare.
    status = json.loads(_cli("--data-dir", str(data), "sync", "status", "--json").stdout)
    assert status["role"] == "laptop" and status["office"]["name"] == "Office"
    result = _cli("--data-dir", str(tmp_path / "office"), "sync", "import", str(package), "--db", str(hub))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "has not enrolled" in result.stderr and status["fingerprint"] in result.stderr
    assert "Amman laptop 1" in result.stderr
    result = _cli("--data-dir", str(tmp_path / "office"), "sync", "import", str(package), "--db", str(hub),
                  "--enrol", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["inserted"], report["updated"], report["unchanged"], report["conflicts"]) == (25, 0, 0, 0)
    result = _cli("--data-dir", str(tmp_path / "office"), "sync", "import", str(package), "--db", str(hub),
                  "--dry-run")
    assert result.returncode == 0 and "0 inserted, 0 updated, 25 unchanged" in result.stdout, result.stderr
    office_status = json.loads(_cli("--data-dir", str(tmp_path / "office"), "sync", "status", "--db", str(hub),
                                    "--json").stdout)
    assert office_status["role"] == "office"
    assert [(p["name"], p["enrolled"]) for p in office_status["peers"]] == [("Amman laptop 1", True)]

    # A hand-over between laptops is locked with a passphrase; the office refuses those.
    (tmp_path / "pass").write_text("a long enough passphrase\n")
    handover = tmp_path / "handover.cosync"
    result = _cli("--data-dir", str(data), "sync", "export", "--full", "--out", str(handover),
                  "--passphrase-file", str(tmp_path / "pass"))
    assert result.returncode == 0 and "locked with the passphrase" in result.stdout, result.stderr
    result = _cli("--data-dir", str(tmp_path / "office"), "sync", "import", str(handover), "--db", str(hub),
                  env={"CO_APP_SYNC_PASSPHRASE": "a long enough passphrase"})
    assert result.returncode == 2 and "locked with a passphrase" in result.stderr, result.stderr
    second = tmp_path / "second"
    result = _cli("--data-dir", str(second), "sync", "import", str(handover),
                  env={"CO_APP_SYNC_PASSPHRASE": "not the passphrase"})
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: Wrong passphrase for the sync package {handover}."

    # Into a laptop's own database: a backup first, once the package has passed its checks.
    backups = second / "backups"
    result = _cli("--data-dir", str(second), "sync", "import", str(handover), "--dry-run",
                  env={"CO_APP_SYNC_PASSPHRASE": "a long enough passphrase"})
    assert result.returncode == 0 and not list(backups.glob("*before-sync*")), result.stderr
    result = _cli("--data-dir", str(second), "sync", "import", str(handover),
                  env={"CO_APP_SYNC_PASSPHRASE": "a long enough passphrase"})
    assert result.returncode == 0 and "25 inserted" in result.stdout, result.stderr
    [before] = backups.glob("*before-sync.sqlite3")
    con = sqlite3.connect(before)
    try:
        assert con.execute("SELECT count(*) FROM participants").fetchone() == (0,)  # as it was before
    finally:
        con.close()

    # The office's answer is sealed for the laptop it enrolled, and only that laptop reads it.
    answer = tmp_path / "answer.cosync"
    result = _cli("--data-dir", str(tmp_path / "office"), "sync", "export", "--db", str(hub), "--out", str(answer))
    assert result.returncode == 0 and "sealed and signed" in result.stdout, result.stderr
    result = _cli("--data-dir", str(data), "sync", "import", str(answer), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["unchanged"] == 25
    assert list((data / "backups").glob("*before-sync.sqlite3"))
    result = _cli("--data-dir", str(second), "sync", "import", str(answer))
    assert result.returncode == 2 and "not enrolled with an office" in result.stderr, result.stderr


def test_cli_says_how_to_give_a_passphrase_and_why_records_repeat(db, tmp_path: Path) -> None:
    data, hub, key_file = tmp_path / "laptop", tmp_path / "hub.sqlite3", tmp_path / "office.key"
    as_a_form_saves(db)
    db.dispose()
    result = _cli("--data-dir", str(tmp_path / "office"), "sync", "office-key", "--db", str(hub), "--out",
                  str(key_file))
    assert result.returncode == 0, result.stderr
    result = _cli("--data-dir", str(data), "sync", "enrol", str(key_file))
    assert result.returncode == 0, result.stderr
    full = tmp_path / "full.cosync"
    result = _cli("--data-dir", str(data), "sync", "export", "--full", "--out", str(full))
    assert result.returncode == 0, result.stderr
    assert "changed since" not in result.stdout

    # Until the office has answered, every export holds everything, on purpose, and says why.
    again = tmp_path / "again.cosync"
    result = _cli("--data-dir", str(data), "sync", "export", "--out", str(again))
    assert result.returncode == 0, result.stderr
    assert f"Wrote {again} (full, sealed and signed): 25 records, all of them (the office has not answered " \
           "yet, so nothing is left out)." in result.stdout

    # The office imports it and answers; then the laptop's export holds only what the
    # office does not hold yet, and says it is counted by change counters, not the clock.
    result = _cli("--data-dir", str(tmp_path / "office"), "sync", "import", str(again), "--db", str(hub), "--enrol")
    assert result.returncode == 0, result.stderr
    answer = tmp_path / "answer.cosync"
    result = _cli("--data-dir", str(tmp_path / "office"), "sync", "export", "--db", str(hub), "--out", str(answer))
    assert result.returncode == 0, result.stderr
    result = _cli("--data-dir", str(data), "sync", "import", str(answer))
    assert result.returncode == 0, result.stderr
    edited = laptop(tmp_path, "laptop")
    try:
        with edited.session() as s, s.begin():
            s.get(Participant, db.ids["participants"][2]).family_name = "Haddad-Nour"
    finally:
        edited.dispose()
    later = tmp_path / "later.cosync"
    result = _cli("--data-dir", str(data), "sync", "export", "--out", str(later))
    assert result.returncode == 0, result.stderr
    assert (f"Wrote {later} (incremental, sealed and signed): 1 record the office does not hold yet (by this "
            "laptop's change counters, whatever the clock says; records it may already have are recognised "
            "there).") in result.stdout
    assert "  participants           1" in result.stdout

    # A hand-over imported without the passphrase (no terminal to ask it on) says how to give it.
    (tmp_path / "pass").write_text("a long enough passphrase\n")
    handover = tmp_path / "handover.cosync"
    result = _cli("--data-dir", str(data), "sync", "export", "--full", "--out", str(handover), "--passphrase-file",
                  str(tmp_path / "pass"))
    assert result.returncode == 0, result.stderr
    result = _cli("--data-dir", str(tmp_path / "other"), "sync", "import", str(handover))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (f"error: The sync package {handover} is encrypted: give its passphrase. "
                                     "Use --passphrase-file FILE or the environment variable "
                                     "CO_APP_SYNC_PASSPHRASE.")


def test_a_file_name_that_says_the_other_format_is_refused(db, tmp_path: Path) -> None:
    """--format xlsx --out hub.csv had replaced a CSV with a workbook under a .csv name."""
    existing = tmp_path / "hub.csv"
    existing.write_text("kept\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r"hub.csv ends in .csv, but the format asked for is xlsx"):
        export_attendance(db.engine, existing, "xlsx", ExportOptions())
    assert existing.read_text(encoding="utf-8") == "kept\n"
    export_attendance(db.engine, tmp_path / "hub.CSV", "csv", ExportOptions())  # its own format, any case
    export_attendance(db.engine, tmp_path / "hub", "xlsx", ExportOptions())  # no suffix: as asked


def test_what_an_interrupted_export_left_is_cleared_by_the_next(db, tmp_path: Path) -> None:
    """A power cut during an export leaves '.<file>.<hex>.tmp' beside it: the next export to
    that folder removes those an hour old, and leaves a fresh one (an export still running),
    and files that are not ours."""
    old_time = time.time() - 2 * 3600
    stale = tmp_path / ".sync-1a2b3c4d-20261124-0930.cosync.0123456789ab.tmp"
    fresh = tmp_path / ".attendance.xlsx.ba9876543210.tmp"
    foreign = tmp_path / ".notes.txt.0123456789ab.tmp"
    for leftover in (stale, fresh, foreign):
        leftover.write_bytes(b"half")
    for leftover in (stale, foreign):
        os.utime(leftover, (old_time, old_time))
    export_attendance(db.engine, tmp_path / "attendance.csv", "csv", ExportOptions())
    assert not stale.exists() and fresh.exists() and foreign.exists()
