"""Damaged rosters against the roster import: a valid CSV or XLSX list of people, then
bytes flipped or cut, cells changed, rows and columns added or lost, other encodings and
delimiters, a workbook's zip truncated or one of its XML parts damaged.  The whole way a
file goes in the interface — read, guess the columns, check every row, import the valid
rows — may end only in the project's own errors, with a message; a refused import leaves
every row of the database as it was."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from co_app.core.people import roster
from co_app.core.db.engine import Database, open_database
from co_app.core.foundation.errors import CoError
from co_app.core.sessions.service import create_session
from tests.fuzz.mutations import ODD_TEXT, checksum, mutated_bytes

#: Three quarters of the profile's examples (150 of the default 200): each one imports into a
#: database, and the whole tests/fuzz run stays well under a minute.
EXAMPLES = settings(max_examples=max(1, settings.default.max_examples * 3 // 4))
TODAY = date(2025, 3, 10)
TOWNS = {"jena": ["Jena"], "somcuta-mare": ["Șomcuta Mare"], "biella": ["Biella"]}
HEADER = ["Case number", "Given name", "Family name", "Sex", "Year of birth", "Nationality", "Languages",
          "Destination", "Needs", "Consent"]
ROWS = [
    ["SYR-24C00012", "Amina", "Haddad", "F", "1988", "Syria", "Arabic, Kurdish", "Jena", "literacy", "yes"],
    ["SYR-24C00012", "Omar", "Haddad", "M", "2015", "SY", "ar", "jena", "", "no"],
    ["ROU-24C00077", "Ștefan", "Popescu", "male", "21/03/1979", "RO", "Romanian", "Somcuta Mare", "", "oui"],
    ["AFG-24C00016", "زهرا", "رحیمی", "أنثى", "1995", "AF", "fa_AF", "Biella", "", "نعم"],
    ["ERI-24C00020", "Senait", "Tesfaye", "female", "2001-05-04", "ER", "ti", "biella", "hearing", "1"],
]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1256", "latin-1", "utf-16-le"]
DELIMITERS = [",", ";", "\t", "|"]


class Desk:
    """A database with a session to import into (a plain class: hypothesis prints a
    dataclass whole in its report of a failing example)."""

    def __init__(self, folder: Path, db: Database, session_id: str) -> None:
        self.folder, self.db, self.session_id = folder, db, session_id

    def __repr__(self) -> str:
        return f"Desk({self.folder})"


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("fuzz-roster")
    db = open_database(folder / "co_app.sqlite3")
    with db.session() as s:
        session = create_session(s, day=TODAY, place="Amman", facilitator="Leila", language="ar",
                                 destination_towns=["jena"])
    yield Desk(folder, db, session.id)
    db.dispose()


def attempt(desk: Desk, data: bytes, suffix: str) -> str | None:
    """Read, map, check and import ``data`` as the roster dialog does; the error message
    when it is refused (None when rows were imported).  Anything but a ``CoError`` escapes
    and fails the property."""
    path = desk.folder / f"roster{suffix}"
    path.write_bytes(data)
    before = checksum(desk.db.engine)
    try:
        table = roster.read_table(path)
        result = roster.preview(table, roster.guess_mapping(table.headers), towns=TOWNS, today=TODAY)
        for problem in result.problems:  # what the preview shows, in English and translated
            assert str(problem).strip() and problem.message.translated().strip()
        with desk.db.session() as s:
            roster.import_roster(s, result, session_id=desk.session_id, valid_only=True)
    except CoError as exc:
        assert str(exc).strip(), f"{type(exc).__name__} without a message"
        assert checksum(desk.db.engine) == before, f"refused ({exc}) but the database changed"
        return str(exc)
    return None


def csv_bytes(rows: list[list[str]], encoding: str, delimiter: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


GOOD_XLSX = xlsx_bytes([HEADER, *ROWS])
CELL_TEXT = st.one_of(ODD_TEXT, st.text(max_size=20), st.sampled_from([
    "=1+1", "=HYPERLINK(\"x\")", "@SUM(A1)", "1e400", "-0", "NaN", "٢٠١٥", "۱۳۷۰", "31/02/1990", "2099", "0000",
    "yes;no", "\"", "\"unclosed", "a\"b", "\r", "\n\n", ",,,", "\t", "F", "M", "Syria", "XX", "Atlantis",
]))
XLSX_VALUES = st.one_of(
    CELL_TEXT.filter(lambda t: t.isprintable() or not t),
    st.integers(min_value=-(2**53), max_value=2**53), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.none(), st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
)


@st.composite
def mutated_rows(draw: st.DrawFn, values: st.SearchStrategy[Any]) -> list[list[Any]]:
    """The roster with cells, rows and columns changed."""
    rows = [list(r) for r in [HEADER, *ROWS]]
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["cell", "cell", "cell", "header", "drop_row", "dup_row", "add_row",
                                   "drop_col", "add_col", "short_row", "long_row"]))
        r = draw(st.integers(0, len(rows) - 1)) if rows else 0
        if op == "cell" and rows and rows[r]:
            rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(values)
        elif op == "header" and rows and rows[0]:
            rows[0][draw(st.integers(0, len(rows[0]) - 1))] = draw(values)
        elif op == "drop_row" and rows:
            del rows[r]
        elif op == "dup_row" and rows:
            rows.insert(r, list(rows[r]))
        elif op == "add_row":
            rows.insert(r, draw(st.lists(values, max_size=12)))
        elif op == "drop_col":
            col = draw(st.integers(0, len(HEADER) - 1))
            rows = [row[:col] + row[col + 1:] for row in rows]
        elif op == "add_col":
            col = draw(st.integers(0, len(HEADER)))
            rows = [row[:col] + [draw(values)] + row[col:] for row in rows]
        elif op == "short_row" and rows and rows[r]:
            rows[r] = rows[r][:draw(st.integers(0, len(rows[r]) - 1))]
        elif op == "long_row" and rows:
            rows[r] = rows[r] + draw(st.lists(values, min_size=1, max_size=4))
    return rows


@EXAMPLES
@given(data=st.data(), encoding=st.sampled_from(ENCODINGS), delimiter=st.sampled_from(DELIMITERS))
def test_csv_with_damaged_bytes(desk: Desk, data: st.DataObject, encoding: str, delimiter: str) -> None:
    raw = csv_bytes([HEADER, *ROWS], encoding, delimiter)
    attempt(desk, data.draw(mutated_bytes(raw)), ".csv")


@EXAMPLES
@given(rows=mutated_rows(CELL_TEXT), encoding=st.sampled_from(ENCODINGS), delimiter=st.sampled_from(DELIMITERS))
def test_csv_with_changed_cells_rows_and_columns(desk: Desk, rows: list[list[str]], encoding: str,
                                                 delimiter: str) -> None:
    attempt(desk, csv_bytes(rows, encoding, delimiter), ".csv")


@EXAMPLES
@given(text=st.text(max_size=300), encoding=st.sampled_from(ENCODINGS), suffix=st.sampled_from([".csv", ".xlsx",
                                                                                                 ".txt", ""]))
def test_any_text_at_all(desk: Desk, text: str, encoding: str, suffix: str) -> None:
    attempt(desk, text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace"), suffix)


@EXAMPLES
@given(rows=mutated_rows(XLSX_VALUES))
def test_xlsx_with_changed_cells_rows_and_columns(desk: Desk, rows: list[list[Any]]) -> None:
    try:
        raw = xlsx_bytes(rows)
    except (ValueError, TypeError):  # openpyxl will not write it (a control character…)
        assume(False)
    attempt(desk, raw, ".xlsx")


@EXAMPLES
@given(data=st.data(), suffix=st.sampled_from([".xlsx", ".csv"]))
def test_xlsx_with_damaged_or_truncated_bytes(desk: Desk, data: st.DataObject, suffix: str) -> None:
    if data.draw(st.booleans()):
        raw = GOOD_XLSX[:data.draw(st.integers(0, len(GOOD_XLSX) - 1))]  # a copy cut short
    else:
        raw = data.draw(mutated_bytes(GOOD_XLSX))
    attempt(desk, raw, suffix)


@EXAMPLES
@given(data=st.data())
def test_xlsx_with_a_damaged_part(desk: Desk, data: st.DataObject) -> None:
    """A well-formed zip whose XML parts are damaged, missing or doubled."""
    with zipfile.ZipFile(io.BytesIO(GOOD_XLSX)) as zf:
        parts = [(info.filename, zf.read(info)) for info in zf.infolist()]
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(parts) - 1))
        op = data.draw(st.sampled_from(["damage", "damage", "drop", "empty", "text"]))
        name, content = parts[at]
        if op == "damage":
            parts[at] = (name, data.draw(mutated_bytes(content)))
        elif op == "drop" and len(parts) > 1:
            del parts[at]
        elif op == "empty":
            parts[at] = (name, b"")
        else:
            parts[at] = (name, data.draw(st.text(max_size=80)).encode("utf-8", "surrogatepass"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts:
            zf.writestr(name, content)
    attempt(desk, out.getvalue(), ".xlsx")


def test_the_untouched_rosters_import(desk: Desk) -> None:
    """The baseline the mutations start from is a good roster, in every encoding."""
    for encoding in ENCODINGS:
        outcome = attempt(desk, csv_bytes([HEADER, *ROWS], encoding, ";"), ".csv")
        if encoding == "utf-16-le":  # UTF-16 without its byte-order mark is refused, with a message
            assert outcome == "roster.csv is not a spreadsheet (CSV or XLSX) that can be read."
        else:
            assert outcome is None, encoding
    assert attempt(desk, GOOD_XLSX, ".xlsx") is None
