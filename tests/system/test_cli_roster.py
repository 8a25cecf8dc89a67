"""`python main.py roster import FILE`: the Participants page's roster import for offices
and scripts — the same reader, checks and import as the dialog, real processes, a real
data folder each time."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

from co_app.core.db.engine import open_database
from co_app.core.foundation.i18n import translator_for
from co_app.core.foundation.paths import DataPaths
from co_app.core.sessions.service import close_session, create_session
from tests.system.test_cli import assert_one_line_error, run

ROSTER = ("Case number;Given name;Family name;Sex;Birth year\n"
          "SYR-0001;Amina;Haddad;F;1990\n"
          "SYR-0001;Omar;Haddad;M;1985\n"
          "SYR-0002;Layla;Khalil;F;abc\n")


def write_roster(folder: Path, text: str = ROSTER, name: str = "roster.csv") -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def people(data: Path) -> list[tuple[str, str, int | None]]:
    with sqlite3.connect(data / "co_app.sqlite3") as conn:
        return conn.execute("SELECT case_number, given_name, birth_year FROM participants "
                            "WHERE deleted_at IS NULL ORDER BY given_name").fetchall()


def audit_entries(data: Path) -> int:
    with sqlite3.connect(data / "co_app.sqlite3") as conn:
        return conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def test_a_row_with_a_problem_imports_nothing_and_names_line_and_column(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run("--data-dir", str(data), "roster", "import", str(write_roster(tmp_path)))
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "roster.csv: 3 rows · UTF-8 · separated by semicolons" in out
    assert "Column “Birth year”: Birth year or date of birth" in out
    assert "Line 4, column “Birth year”: 'abc' is neither a year" in out
    assert "1 of 3 rows has a problem. Nothing was imported" in out and "--valid-only" in out
    assert people(data) == []


def test_valid_only_with_json_says_what_was_read_added_updated_and_skipped(tmp_path: Path) -> None:
    data = tmp_path / "data"
    roster = write_roster(tmp_path)
    result = run("--data-dir", str(data), "roster", "import", str(roster), "--valid-only", "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["ok"] and doc["imported"] and not doc["dry_run"]
    assert doc["read"] == {"format": "csv", "encoding": "UTF-8", "delimiter": ";"}
    assert [c["field"] for c in doc["columns"]] == ["case_number", "given_name", "family_name", "sex", "birth_year"]
    assert (doc["rows_read"], doc["rows_valid"], doc["added"], doc["updated"], doc["skipped"]) == (3, 2, 2, 0, 1)
    assert doc["skipped_rows"] == [{"line": 4, "problems": [{"column": "Birth year", "message": (
        "'abc' is neither a year (1985) nor a date (1985-03-21 or 21/03/1985).")}]}]
    assert people(data) == [("SYR-0001", "Amina", 1990), ("SYR-0001", "Omar", 1985)]

    # The same file again adds no one (the dialog's rule): the two are updated.
    (tmp_path / "roster.csv").write_text(ROSTER.replace("Amina;Haddad;F;1990", "Amina;Haddad;F;1991"), "utf-8")
    again = json.loads(run("--data-dir", str(data), "roster", "import", str(roster), "--valid-only",
                           "--json").stdout)
    assert (again["added"], again["updated"], again["skipped"]) == (0, 2, 1)
    assert people(data)[0] == ("SYR-0001", "Amina", 1991)


def test_dry_run_counts_everything_and_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    roster = write_roster(tmp_path, ROSTER.replace("abc", "1970"))
    run("--data-dir", str(data), "media", "list")  # the data folder and its database, empty
    before = audit_entries(data)
    result = run("--data-dir", str(data), "roster", "import", str(roster), "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["ok"] and doc["dry_run"] and not doc["imported"] and (doc["added"], doc["skipped"]) == (3, 0)
    assert people(data) == [] and audit_entries(data) == before
    text = run("--data-dir", str(data), "roster", "import", str(roster), "--dry-run")
    assert text.returncode == 0 and "Nothing was written (--dry-run). The import would give: 3 people added" in (
        text.stdout)
    assert people(data) == []


def test_session_expects_everyone_and_a_closed_or_unknown_session_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    roster = write_roster(tmp_path, ROSTER.replace("abc", "1970"))
    paths = DataPaths(data).ensure()
    db = open_database(paths.database)
    with db.session() as s:
        open_id = create_session(s, day=date(2026, 5, 9), place="Hall", facilitator="F", language="ar",
                                 destination_towns=[]).id
        closed_id = create_session(s, day=date(2026, 5, 8), place="Hall", facilitator="F", language="ar",
                                   destination_towns=[]).id
        close_session(s, closed_id)
    db.dispose()

    result = run("--data-dir", str(data), "roster", "import", str(roster), "--session", open_id)
    assert result.returncode == 0, result.stderr
    assert "Roster imported: 3 people added and 0 people updated." in result.stdout
    with sqlite3.connect(data / "co_app.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM attendance WHERE session_id = ?", (open_id,)).fetchone()[0] == 3

    closed = run("--data-dir", str(data), "roster", "import", str(roster), "--session", closed_id)
    assert closed.returncode == 1 and "is closed" in closed.stderr and "PIN" in closed.stderr
    unknown = run("--data-dir", str(data), "roster", "import", str(roster), "--session", "no-such-session")
    assert "There is no session no-such-session on this computer." in assert_one_line_error(unknown)
    assert len(people(data)) == 3


def test_columns_can_be_set_when_the_guess_is_wrong(tmp_path: Path) -> None:
    data = tmp_path / "data"
    roster = write_roster(tmp_path, "Ref,Nom complet\nSYR-9,Amina Haddad\n")
    unmapped = run("--data-dir", str(data), "roster", "import", str(roster))
    assert unmapped.returncode == 1
    assert "Columns: No column is set to the case number" in unmapped.stdout
    assert "--column HEADER=FIELD" in unmapped.stdout and people(data) == []
    mapped = run("--data-dir", str(data), "roster", "import", str(roster), "--column", "Ref=case_number")
    assert mapped.returncode == 0, mapped.stdout + mapped.stderr
    assert people(data) == [("SYR-9", "Amina", None)]
    bad = run("--data-dir", str(data), "roster", "import", str(roster), "--column", "Nowhere=case_number")
    assert "--column Nowhere=case_number" in assert_one_line_error(bad)


def test_an_xlsx_roster_through_the_same_reader(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (("Case no", "First name", "Last name", "Year of birth"), ("ET-1", "Yohannes", "Tesfay", 1988)):
        sheet.append(row)
    book.save(tmp_path / "roster.xlsx")
    result = run("--data-dir", str(tmp_path / "data"), "roster", "import", str(tmp_path / "roster.xlsx"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "roster.xlsx: 1 row · Excel workbook" in result.stdout
    assert people(tmp_path / "data") == [("ET-1", "Yohannes", 1988)]


def test_messages_in_the_language_asked_for(tmp_path: Path) -> None:
    ar = translator_for("ar")
    result = run("--data-dir", str(tmp_path / "data"), "--lang", "ar", "roster", "import",
                 str(write_roster(tmp_path)))
    assert result.returncode == 1
    line = ar("Line {line}, column “{column}”: {problem}").split("{line}")[0]
    assert line and line != "Line " and line in result.stdout
    assert ar("Birth year or date of birth") in result.stdout
    assert "Nothing was imported" not in result.stdout  # said in Arabic


def test_a_file_name_with_a_newline_and_an_escape_code_is_printed_escaped(tmp_path: Path) -> None:
    """A name that would forge a second line, or turn the terminal red, reaches it as text."""
    name = "roster\n\x1b[31mred.csv"
    empty = write_roster(tmp_path, "", name=name)
    line = assert_one_line_error(run("--data-dir", str(tmp_path / "data"), "roster", "import", str(empty)))
    assert "roster\\n\\x1b[31mred.csv is empty." in line and "\x1b" not in line
    good = write_roster(tmp_path, "Case number,Full name\nSYR-1,Amina\x1b[2J Haddad\n", name=name)
    result = run("--data-dir", str(tmp_path / "data"), "roster", "import", str(good), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "roster\\n\\x1b[31mred.csv: 1 row" in result.stdout
