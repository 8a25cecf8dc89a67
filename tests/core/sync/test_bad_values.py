"""Every record that enters is valid (issue 19, point 2): each kind of bad value is fed both
ways — in a sync package, and through a roster file or the participant form — and is
either refused with a sentence naming it, or what was accepted is clean enough that every
later export (CSV, XLSX, with names, pseudonymised) and report still works.

The kinds: control characters in names (they broke the XLSX export and reached the log),
numbers and objects in list fields (every later attendance export failed), integers too
big for any database (an "unexpected OverflowError"), negative birth years, week dates
(``2026-W45-3``) and ``+0530`` offsets (stored as they came, sorted wrongly), text too long,
lone surrogates, values of the wrong type."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from co_app.core.db import validation
from co_app.core.db.engine import Database
from co_app.core.db.models import AttendanceRecord, Participant
from co_app.core.foundation import i18n
from co_app.core.people import roster
from co_app.core.people.participants import InvalidParticipantError, ParticipantData, add_participant
from co_app.core.sync.container import PackageError
from co_app.core.sync.package import export_package
from co_app.core.sync.service import import_package
from tests.core.sync.test_sync_rejections import members, refused, repack
from tests.core.sync_helpers import PASSPHRASE, enrol, laptop, office, populate, snapshot
from tests.core.valid_data import assert_every_record_valid, assert_exports_and_reports_work

TODAY = date(2026, 11, 20)
TOWNS = {"germany-jena": ["Jena"], "italy-biella": ["Biella"]}


# --- the sync way -------------------------------------------------------------------

#: (what, table, field, value): each replaces one field of the second record of a table.
SYNC_CASES = [
    ("an escape code in a name", "participants", "given_name", "Ami\x1b[31mna"),
    ("a NUL in a place", "co_sessions", "place", "Amman\x00IOM"),
    ("a bell in a note", "attendance", "note", "late\x07"),
    ("a lone surrogate", "households", "case_number", "CASE-\ud800"),
    ("numbers in a list", "participants", "languages", [1, 2]),
    ("an object in a list", "participants", "needs", [{"need": "literacy"}]),
    ("a number among towns", "co_sessions", "destination_towns", [7]),
    ("an agenda step of 10^30 minutes", "co_sessions", "agenda", [{"kind": "film", "ref": "x", "minutes": 10**30}]),
    ("an integer beyond 64 bits", "participants", "birth_year", 10**20),
    ("an integer beyond 64 bits", "co_sessions", "number_of_day", 2**64),
    ("a negative birth year", "participants", "birth_year", -1985),
    ("a fractional birth year", "participants", "birth_year", 1985.5),
    ("a week date", "participants", "consent_date", "2026-W45-3"),
    ("a week date", "co_sessions", "session_date", "2026-W47-5"),
    ("an offset of +0530", "attendance", "checked_in_at", "2026-11-20 10:00:00.1+0530"),
    ("an ISO time with an offset", "attendance", "updated_at", "2026-11-20T10:00:00+05:30"),
    ("a date without its dashes", "co_sessions", "closed_at", "20261120 10:00:00.000000"),
    ("a name of 201 characters", "participants", "family_name", "x" * 201),
    ("a country's name for its code", "participants", "nationality", "Syria"),
    ("text for true", "participants", "consent", "yes"),
    ("a module id with a slash", "module_coverage", "module_id", "../housing"),
]


@pytest.fixture
def setup(tmp_path: Path):
    """A package from laptop A, and laptop B that has data of its own."""
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    populate(a)
    populate(b, sessions=1, town="italy-biella")
    package = tmp_path / "a.cosync"
    export_package(a.engine, a.device_id, package, passphrase=PASSPHRASE)
    yield package, b
    a.dispose()
    b.dispose()


@pytest.mark.parametrize(("what", "table", "field", "value"), SYNC_CASES, ids=[c[0] + "-" + c[2] for c in SYNC_CASES])
def test_a_package_with_one_bad_value_is_refused_naming_table_record_and_field(
        setup, tmp_path: Path, what: str, table: str, field: str, value: Any) -> None:
    package, b = setup
    parts = members(package)
    member = f"{table}.jsonl"
    lines = parts[member].splitlines(keepends=True)
    record = json.loads(lines[1])
    record[field] = value
    lines[1] = (json.dumps(record) + "\n").encode()
    parts[member] = b"".join(lines)
    message = refused(b, repack(tmp_path / "bad.cosync", parts), f"record 2 of {member}")
    assert f"(id {record['id']})" in message and f"'{field}" in message and "Nothing was imported" in message
    assert message.isprintable(), "the refusal must not carry the control character itself"
    assert_every_record_valid(b)


def test_the_refusal_is_one_sentence_in_the_user_s_language(setup, tmp_path: Path) -> None:
    package, b = setup
    parts = members(package)
    lines = parts["participants.jsonl"].splitlines(keepends=True)
    record = json.loads(lines[0])
    record["languages"] = ["ar", 5]
    lines[0] = (json.dumps(record) + "\n").encode()
    parts["participants.jsonl"] = b"".join(lines)
    bad = repack(tmp_path / "bad.cosync", parts)
    english = refused(b, bad, "record 1 of participants.jsonl")
    assert "the field 'languages[2]' should be text, not 5" in english
    i18n.set_language("fr")
    try:
        french = refused(b, bad, "participants.jsonl")
    finally:
        i18n.set_language("en")
    assert french != english and "languages[2]" in french and record["id"] in french
    assert "Nothing was imported" not in french  # said in French


@pytest.mark.parametrize(("field", "sql_value"), [
    ("given_name", "'Ami' || char(27) || '[2Jna'"),
    ("languages", "'[1, {\"a\": 2}]'"),
    ("consent_date", "'2026-W45-3'"),
    ("birth_year", "-1985"),
])
def test_the_office_refuses_a_signed_package_holding_a_bad_value(tmp_path: Path, field: str, sql_value: str) -> None:
    """A laptop that holds a bad value (written by an older version, or by hand) signs and
    seals it like any other: the office refuses the package and stays as it was."""
    hub, a = office(tmp_path), laptop(tmp_path, "a")
    enrol(hub, a)
    populate(a)
    with a.engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE participants SET {field} = {sql_value} WHERE given_name = 'Zahra'")  # noqa: S608 - the test's own values
    package = tmp_path / "a.cosync"
    export_package(a.engine, a.device_id, package, passphrase=None)
    before = snapshot(hub)
    expected = f"of participants.jsonl \\(id [0-9a-f-]+\\) is not valid \\(the field '{field}"
    with pytest.raises(PackageError, match=expected):
        import_package(hub.engine, package, None, trust_new=True)
    assert snapshot(hub) == before
    hub.dispose()
    a.dispose()


# --- the roster and form way ---------------------------------------------------------

HEADER = "Case number,Given name,Family name,Sex,Year of birth,Nationality,Languages,Destination,Needs,Consent date\n"
GOOD_ROW = ["SYR-1", "Amina", "Haddad", "F", "1988", "SY", "ar", "Jena", "literacy", "2026-11-01"]

#: (what, column, cell, the problem said, or None when the value is accepted, cleaned).
ROSTER_CASES = [
    ("an escape code in a name", 1, "Ami\x1b[31mna\x07", None),
    ("a line break and a tab in a name", 2, "Had\tdad\x0b", None),
    ("C1 controls in a case number", 0, "SYR-\x85\x9b1", None),
    ("numbers in a list", 6, "1, 2", "is not a language this import recognises"),
    ("an object in a list", 8, '{"need": "literacy"}', "is not a need this import recognises"),
    ("an integer beyond 64 bits", 4, "100000000000000000000", "is neither a year"),
    ("a negative birth year", 4, "-1985", "is neither a year"),
    ("a birth year of 0005", 4, "0005", "is not between"),
    ("a week date", 9, "2026-W45-3", "is not a date"),
    ("an offset of +0530", 9, "2026-11-01T10:00:00+05:30", "is not a date"),
    ("a name of 201 characters", 2, "x" * 201, "longer than 200 characters"),
]


def _roster(db: Database, tmp_path: Path, column: int, cell: str) -> roster.Preview:
    row = list(GOOD_ROW)
    row[column] = cell
    text = io.StringIO()
    csv.writer(text).writerow(row)
    path = tmp_path / "roster.csv"
    path.write_bytes((HEADER + text.getvalue()).encode("utf-8"))
    table = roster.read_table(path)
    return roster.preview(table, roster.guess_mapping(table.headers), towns=TOWNS, today=TODAY)


@pytest.fixture
def db(tmp_path: Path):
    """A laptop with a session everyone attended, so the exports and reports have rows."""
    database = laptop(tmp_path, "roster")
    populate(database, sessions=1)
    yield database
    database.dispose()


@pytest.mark.parametrize(("what", "column", "cell", "said"), ROSTER_CASES, ids=[c[0] for c in ROSTER_CASES])
def test_a_bad_roster_value_is_refused_on_its_row_or_cleaned(db: Database, tmp_path: Path, what: str, column: int,
                                                               cell: str, said: str | None) -> None:
    preview = _roster(db, tmp_path, column, cell)
    if said is not None:
        [problem] = preview.problems
        assert problem.line == 2 and said in str(problem.message)
        assert str(problem).isprintable()
        with pytest.raises(roster.RosterError):
            roster.import_roster(db.session(), preview)
        return
    assert preview.ok, [str(p) for p in preview.problems]
    with db.session() as s:
        roster.import_roster(s, preview)
    with db.session() as s:
        stored = s.scalars(select(Participant).where(Participant.case_number.like("SYR-%"))).one()
        assert all(validation.single_line(v) == v for v in (stored.given_name, stored.family_name, stored.case_number))
        s.add(AttendanceRecord(session_id=s.scalars(select(AttendanceRecord.session_id)).first(),
                               participant_id=stored.id, status="present"))
        s.commit()
    assert_every_record_valid(db)
    assert_exports_and_reports_work(db, tmp_path / "out")


#: (what, the form's data, the problem said, or None when it is saved, cleaned).
FORM_CASES = [
    ("an escape code and a NUL in a name", dict(given_name="Ami\x1b[2J\x00na"), None),
    ("a lone surrogate in a name", dict(family_name="Had\ud800dad"), None),
    ("control characters in codes", dict(case_number="SYR\x00-2", languages=("ar\x07",), needs=("\x1bliteracy",)),
     None),
    ("numbers for languages", dict(languages=("12",)), "The language '12' is not a language code"),
    ("an unknown need", dict(needs=("7",)), "The need '7' is not one of those"),
    ("an integer beyond 64 bits", dict(birth_year=10**20), "The birth year 100000000000000000000 is not between"),
    ("a negative birth year", dict(birth_year=-1985), "The birth year -1985 is not between"),
    ("a name of 201 characters", dict(family_name="x" * 201), "longer than 200 characters"),
    ("a consent date in the future", dict(consent=True, consent_date=TODAY + timedelta(days=3)), "in the future"),
]


@pytest.mark.parametrize(("what", "fields", "said"), FORM_CASES, ids=[c[0] for c in FORM_CASES])
def test_a_bad_form_value_is_refused_or_cleaned(db: Database, tmp_path: Path, what: str, fields: dict[str, Any],
                                                said: str | None) -> None:
    data = ParticipantData(**{"given_name": "Amina", "family_name": "Haddad", "case_number": "SYR-2", **fields})
    session_id = _first_session(db)
    with db.session() as s:
        if said is not None:
            with pytest.raises(InvalidParticipantError) as caught:
                add_participant(s, data, session_id=session_id, today=TODAY)
            assert said in str(caught.value) and str(caught.value).isprintable()
            return
        saved = add_participant(s, data, session_id=session_id, today=TODAY)
    for value in (saved.given_name, saved.family_name, saved.case_number, *saved.languages, *saved.needs):
        assert validation.single_line(value) == value and value.isprintable()
    assert_every_record_valid(db)
    assert_exports_and_reports_work(db, tmp_path / "out")


def test_times_and_dates_from_the_forms_are_stored_canonical(db: Database, tmp_path: Path) -> None:
    """The other way in for a time or a date is the application itself: an arrival time in
    +05:30 and a consent date are stored as canonical UTC text and ISO dates, which the
    sync import takes and every export reads."""
    india = timezone(timedelta(hours=5, minutes=30))
    with db.session() as s:
        record = s.scalars(select(AttendanceRecord)).first()
        record.checked_in_at = datetime(2026, 11, 20, 10, 0, tzinfo=india)
        s.commit()
    with db.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT checked_in_at FROM attendance WHERE id = ?", (record.id,)).scalar()
    assert stored == "2026-11-20 04:30:00.000000"
    assert_every_record_valid(db)
    assert_exports_and_reports_work(db, tmp_path / "out")


def _first_session(db: Database) -> str:
    with db.session() as s:
        return s.scalars(select(AttendanceRecord.session_id)).first()
