"""Import a roster (the list of people expected at orientation) from CSV or XLSX.

Three steps, so the interface can show each: ``read_table`` reads the file (any common
encoding and delimiter; a bad file is one ``RosterError`` naming it), ``guess_mapping``
proposes which column holds which field (headers in English, French or Arabic; the user
may change it), and ``preview`` checks every row — each problem names the line, the column
and what is wrong.  ``import_roster`` then writes in one transaction: nothing at all when
a row has a problem, unless the caller asks for the valid rows only.  Every row needs a
case number and a name (given, family or both, with at least one letter): a row without
either is a row error, never a participant nobody can find again.  A row whose case
number and names match a participant already on this computer updates that participant
instead of adding a second one, so importing the same file twice adds no one.

Nationalities may be ISO codes (SY, SYR) or country names in English, French or Arabic
(Babel's territory names, with the common older English names such as "Turkey").
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from co_app.core.db.models import CoSession, Participant
from co_app.core.foundation.errors import CoError, Notice
from co_app.core.foundation.i18n import N_
from co_app.core.foundation.textdecode import (BinaryDataError, DamagedBomError, TextDecodeError, decode_text,
                                               encoding_label, unicode_family)
from co_app.core.people import roster_values as parse
from co_app.core.people.names import case_key, normalise
from co_app.core.people.participants import ParticipantData, apply_update, clean, expect_at_session, save_new, validate
from co_app.core.safety import audit

#: The fields a column can hold, in the order the mapping offers them.
FIELDS = ("case_number", "given_name", "family_name", "full_name", "sex", "birth_year", "age", "age_group",
          "nationality", "languages", "destination", "needs", "consent", "consent_date")
FIELD_LABELS = {
    "case_number": N_("Case number"), "given_name": N_("Given name"), "family_name": N_("Family name"),
    "full_name": N_("Full name (given names, then family name)"), "sex": N_("Sex"),
    "birth_year": N_("Birth year or date of birth"), "age": N_("Age in years"), "age_group": N_("Age group"),
    "nationality": N_("Nationality"), "languages": N_("Languages"), "destination": N_("Destination town"),
    "needs": N_("Needs"), "consent": N_("Consent"), "consent_date": N_("Consent date"),
}
#: Header spellings (compared after ``normalise``), English, French and Arabic.
HEADERS = {
    "case_number": ["case", "case number", "case no", "case nr", "case id", "case #", "case ref", "file number",
                    "unhcr case", "progres case", "numero de dossier", "n dossier", "dossier", "numero du cas",
                    "رقم الحالة", "رقم الملف", "رقم القضية"],
    "given_name": ["given name", "given names", "first name", "firstname", "forename", "prenom", "prenoms",
                   "الاسم الأول", "الاسم الاول", "الاسم"],
    "family_name": ["family name", "last name", "lastname", "surname", "nom", "nom de famille",
                    "اسم العائلة", "الكنية", "اللقب", "العائلة"],
    "full_name": ["full name", "name", "names", "nom complet", "nom et prenom", "الاسم الكامل", "الاسم الثلاثي"],
    "sex": ["sex", "gender", "sexe", "genre", "الجنس", "النوع"],
    "birth_year": ["birth year", "year of birth", "yob", "date of birth", "dob", "birth date", "birthdate",
                   "annee de naissance", "date de naissance", "سنة الميلاد", "تاريخ الميلاد", "تاريخ الولادة"],
    "age": ["age", "age years", "العمر", "السن"],
    "age_group": ["age group", "age range", "age bracket", "tranche d age", "groupe d age", "الفئة العمرية"],
    "nationality": ["nationality", "citizenship", "country of origin", "origin", "nationalite", "pays d origine",
                    "الجنسية", "بلد الأصل"],
    "languages": ["language", "languages", "spoken languages", "mother tongue", "langue", "langues",
                  "اللغة", "اللغات"],
    "destination": ["destination", "destination town", "town", "city", "municipality", "ville", "commune",
                    "ville de destination", "الوجهة", "المدينة", "مدينة الوصول"],
    "needs": ["needs", "special needs", "specific needs", "besoins", "besoins specifiques", "الاحتياجات",
              "احتياجات خاصة"],
    "consent": ["consent", "consent given", "consentement", "الموافقة"],
    "consent_date": ["consent date", "date of consent", "date du consentement", "date de consentement",
                     "تاريخ الموافقة"],
}
MAX_ROWS = 20_000


class RosterError(CoError):
    """The file cannot be read as a roster; the message names it."""


@dataclass(frozen=True)
class Table:
    """A spreadsheet's cells as text, with each data row's line (CSV) or row (XLSX) number."""

    source: str
    headers: list[str]
    rows: list[list[str]]
    lines: list[int]
    #: How it was read: "xlsx", or the CSV's encoding and delimiter ("windows-1256, ;").
    detail: str = ""
    #: The CSV's encoding as people name it ("UTF-8", "Windows-1256"); "" for a workbook.
    encoding: str = ""
    #: The CSV's delimiter ("," ";" "\t" "|"); "" for a workbook.
    delimiter: str = ""


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str  # the header, as in the file ("" when the problem is the row as a whole)
    message: Notice

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RowResult:
    line: int
    cells: list[str]
    data: ParticipantData | None
    problems: tuple[RowProblem, ...] = ()
    #: Columns (indexes) with a problem, for highlighting.
    bad_columns: frozenset[int] = frozenset()
    #: The participant fields this row gives a value for (an update changes only those).
    provided: frozenset[str] = frozenset()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Preview:
    table: Table
    mapping: list[str | None]
    rows: list[RowResult]
    #: Problems with the mapping itself (no name column, a field mapped twice).
    mapping_problems: tuple[Notice, ...] = ()

    @property
    def valid_rows(self) -> list[RowResult]:
        return [] if self.mapping_problems else [r for r in self.rows if r.ok]

    @property
    def problems(self) -> list[RowProblem]:
        return [p for r in self.rows for p in r.problems]

    @property
    def ok(self) -> bool:
        return not self.mapping_problems and all(r.ok for r in self.rows)


@dataclass(frozen=True)
class ImportResult:
    added: int = 0
    updated: int = 0
    skipped: int = 0  # rows with problems left out
    participant_ids: tuple[str, ...] = field(default=(), repr=False)


# --- reading the file ---------------------------------------------------------------


def read_table(path: Path) -> Table:
    """The first sheet (XLSX) or the whole file (CSV), header row first; empty rows dropped."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RosterError(f"Cannot read {path.name}: {exc.strerror or exc}.") from exc
    if not raw.strip():
        raise RosterError(f"{path.name} is empty.")
    if raw.startswith(b"PK\x03\x04") or path.suffix.lower() in (".xlsx", ".xlsm"):
        table = _read_xlsx(path, raw)
    elif raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterError(f"{path.name} is an old Excel (.xls) workbook; save it as .xlsx or .csv and try again.")
    else:
        table = _read_csv(path, raw)
    if not table.headers or not any(h.strip() for h in table.headers):
        raise RosterError(f"{path.name} has no header row with column names.")
    if not table.rows:
        raise RosterError(f"{path.name} has column names but no rows of people.")
    if len(table.rows) > MAX_ROWS:
        raise RosterError(f"{path.name} has {len(table.rows)} rows; a roster can have at most {MAX_ROWS}.")
    return table


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    """The CSV's text and its encoding as the table reports it ("utf-8", "utf-16", "cp1256")."""
    try:
        text, encoding = decode_text(raw)
    except DamagedBomError as err:
        name = unicode_family(err.encoding) or err.encoding
        raise RosterError(f"{path.name} cannot be read: it begins as {name.upper()} text but is damaged "
                          "or cut short.") from None
    except BinaryDataError:
        raise RosterError(f"{path.name} is not a spreadsheet (CSV or XLSX) that can be read.") from None
    except TextDecodeError:
        raise RosterError(f"{path.name} is not a text file in an encoding that can be recognised.") from None
    return text, unicode_family(encoding) or encoding


def _read_csv(path: Path, raw: bytes) -> Table:
    text, encoding = _decode(path, raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = next((line for line in text.split("\n") if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    delimiter = max(counts, key=counts.get)  # type: ignore[arg-type]
    if counts[delimiter] == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    headers: list[str] | None = None
    rows, lines = [], []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            cells = [cell.strip() for cell in record]
            if headers is None:
                headers = cells
            else:
                rows.append(cells)
                lines.append(reader.line_num)
    except csv.Error as exc:
        raise RosterError(f"{path.name} is not a readable CSV file (line {reader.line_num}: {exc}).") from exc
    shown = {"\t": "tab"}.get(delimiter, delimiter)
    return Table(path.name, headers or [], rows, lines, f"{encoding}, {shown}", encoding_label(encoding), delimiter)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(path: Path, raw: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as exc:
        raise RosterError(f"{path.name} is not a readable XLSX workbook (it may be damaged or cut short).") from exc
    except Exception as exc:  # openpyxl raises its own kinds for a broken workbook
        raise RosterError(f"{path.name} is not a readable XLSX workbook ({type(exc).__name__}).") from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise RosterError(f"{path.name} has no worksheet.")
        headers: list[str] | None = None
        rows, lines = [], []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if not any(cells):
                continue
            if headers is None:
                headers = cells
            else:
                rows.append(cells)
                lines.append(number)
    except RosterError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise RosterError(f"{path.name} is not a readable XLSX workbook (it may be damaged or cut short).") from exc
    except Exception as exc:  # the sheet is parsed as it is read: a damaged one fails here (ParseError…)
        raise RosterError(f"{path.name} is not a readable XLSX workbook ({type(exc).__name__}).") from exc
    finally:
        workbook.close()
    width = len(headers or [])
    while width and not (headers or [])[width - 1]:
        width -= 1
    return Table(path.name, (headers or [])[:width], [r[:width] for r in rows], lines, "xlsx")


# --- the mapping --------------------------------------------------------------------


_HEADER_INDEX = {parse.fold(h): name for name, spellings in HEADERS.items() for h in spellings}


def guess_mapping(headers: list[str]) -> list[str | None]:
    """A field for each column where the header says which (each field at most once)."""
    mapping: list[str | None] = [None] * len(headers)
    used: set[str] = set()
    keys = [parse.fold(h) for h in headers]
    for i, key in enumerate(keys):  # exact spellings first
        name = _HEADER_INDEX.get(key)
        if name and name not in used:
            mapping[i], _ = name, used.add(name)
    by_length = sorted(_HEADER_INDEX.items(), key=lambda kv: -len(kv[0]))
    for i, key in enumerate(keys):  # then a known spelling inside a longer header
        if mapping[i] or not key:
            continue
        for spelling, name in by_length:
            if name not in used and len(spelling) > 3 and re.search(rf"(^| ){re.escape(spelling)}( |$)", key):
                mapping[i], _ = name, used.add(name)
                break
    if "full_name" in used and ({"given_name", "family_name"} & used):
        mapping = [None if m == "full_name" else m for m in mapping]
    return mapping


def mapping_problems(mapping: list[str | None]) -> list[Notice]:
    problems = []
    chosen = [m for m in mapping if m]
    for name in dict.fromkeys(m for m in chosen if chosen.count(m) > 1):
        problems.append(Notice(N_("Two columns are set to '{field}'; choose one."), field=FIELD_LABELS[name]))
    if not {"given_name", "family_name", "full_name"} & set(chosen):
        problems.append(Notice(N_("No column is set to a name: choose the column of the given name, "
                                  "the family name or the full name.")))
    if "case_number" not in chosen:
        problems.append(Notice(N_("No column is set to the case number: choose the column that holds it.")))
    if "birth_year" in chosen and "age" in chosen:
        problems.append(Notice(N_("Choose either the birth year or the age, not both.")))
    return problems


# --- the preview --------------------------------------------------------------------


_NAME_FIELDS = frozenset({"given_name", "family_name", "full_name"})
_LETTER = re.compile(r"[^\W\d_]")


def _row(line: int, cells: list[str], mapping: list[str | None], headers: list[str],
         towns: Mapping[str, Iterable[str]], today: date) -> RowResult:
    values: dict[str, Any] = {}
    problems: list[RowProblem] = []
    bad_columns: set[int] = set()
    column_of: dict[str, int] = {}
    for index, name in enumerate(mapping):
        if not name:
            continue
        column_of[name] = index
        text = cells[index].strip() if index < len(cells) else ""
        if name in _NAME_FIELDS and not _LETTER.search(text):
            text = ""  # "-", "?", "..": a placeholder, not a name
        if name == "case_number" and not case_key(text):
            text = ""
        if not text:
            continue
        try:
            if name in ("case_number", "given_name", "family_name"):
                values[name] = text
            elif name == "full_name":
                parts = text.split()
                values["given_name"] = " ".join(parts[:-1]) if len(parts) > 1 else text
                values["family_name"] = parts[-1] if len(parts) > 1 else ""
            elif name == "sex":
                values["sex"] = parse.sex(text)
            elif name == "birth_year":
                values["birth_year"] = parse.birth_year(text, today)
            elif name == "age":
                values["age_group"] = parse.age_group_from_age(text)
            elif name == "age_group":
                values["age_group"] = parse.age_group(text)
            elif name == "nationality":
                values["nationality"] = parse.nationality(text)
            elif name == "languages":
                values["languages"] = parse.languages(text)
            elif name == "destination":
                values["destination"] = parse.destination(text, towns)
            elif name == "needs":
                values["needs"] = parse.needs(text)
            elif name == "consent":
                values["consent"] = parse.consent(text)
            elif name == "consent_date":
                values["consent_date"] = parse.consent_date(text)
        except parse.BadValue as bad:
            problems.append(RowProblem(line, headers[index] if index < len(headers) else "", bad.notice))
            bad_columns.add(index)
    if values.get("consent_date") and "consent" not in column_of:
        values["consent"] = True  # a consent date says consent was given
    if "case_number" in column_of and "case_number" not in values:
        index = column_of["case_number"]
        problems.append(RowProblem(line, headers[index] if index < len(headers) else "",
                                   Notice(N_("The case number is needed."))))
        bad_columns.add(index)
    data = clean(ParticipantData(**values), today=today)
    field_to_column = {**column_of}
    if "full_name" in column_of:
        field_to_column.setdefault("given_name", column_of["full_name"])
        field_to_column.setdefault("family_name", column_of["full_name"])
    if "age" in column_of:
        field_to_column.setdefault("age_group", column_of["age"])
    already = {p.column for p in problems}
    for problem in validate(data, today=today, towns=list(towns)):
        index = field_to_column.get(problem.field)
        column = headers[index] if index is not None and index < len(headers) else ""
        if column and column in already:
            continue  # the cell's own problem says it better
        problems.append(RowProblem(line, column, problem.message))
        if index is not None:
            bad_columns.add(index)
    return RowResult(line, cells, None if problems else data, tuple(problems), frozenset(bad_columns),
                     frozenset(values))


def _identity(data: ParticipantData) -> tuple[str, str, str]:
    return (case_key(data.case_number), " ".join(normalise(data.given_name).split()),
            " ".join(normalise(data.family_name).split()))


def preview(table: Table, mapping: list[str | None], *, towns: Mapping[str, Iterable[str]],
            today: date | None = None) -> Preview:
    """Every row checked against ``mapping``.  ``towns``: town id → its names (any language)."""
    today = today or date.today()
    mapping = list(mapping) + [None] * (len(table.headers) - len(mapping))
    rows = [_row(line, cells, mapping, table.headers, towns, today) for line, cells in zip(table.lines, table.rows)]
    seen: dict[tuple[str, str, str], int] = {}
    for i, row in enumerate(rows):
        if row.data is None:
            continue
        identity = _identity(row.data)
        if identity in seen:
            rows[i] = replace(row, data=None, problems=(RowProblem(row.line, "", Notice(
                N_("The same person (case number and names) is already on line {line}."), line=seen[identity])),))
        else:
            seen[identity] = row.line
    return Preview(table, mapping, rows, tuple(mapping_problems(mapping)))


# --- the import ---------------------------------------------------------------------


def _data_of(row: Participant) -> ParticipantData:
    return ParticipantData(
        case_number=row.case_number, given_name=row.given_name, family_name=row.family_name, sex=row.sex,
        birth_year=row.birth_year, age_group=row.age_group, nationality=row.nationality,
        languages=tuple(row.languages or ()), destination=row.destination, needs=tuple(row.needs or ()),
        consent=row.consent, consent_date=row.consent_date)


def import_roster(db: Session, result: Preview, *, session_id: str | None = None,
                  valid_only: bool = False) -> ImportResult:
    """Write the rows in one transaction.  With a problem anywhere, nothing is written
    (``RosterError``) unless ``valid_only``: then the rows without problems are.  With
    ``session_id`` everyone imported is expected at that session."""
    if result.mapping_problems:
        raise RosterError(f"{result.table.source}: {result.mapping_problems[0]}")
    if not result.ok and not valid_only:
        first = result.problems[0]
        raise RosterError(f"{result.table.source} has {len(result.problems)} problem(s), first {first}; "
                          "nothing was imported.")
    rows = result.valid_rows
    if not rows:
        raise RosterError(f"{result.table.source} has no row without a problem; nothing was imported.")
    if session_id is not None and db.get(CoSession, session_id) is None:
        raise RosterError("That session no longer exists on this computer.")
    existing = {}
    for row in db.scalars(select(Participant).where(Participant.deleted_at.is_(None))):
        existing.setdefault(_identity(ParticipantData(case_number=row.case_number, given_name=row.given_name,
                                                      family_name=row.family_name)), row)
    added = updated = 0
    ids = []
    try:
        for row in rows:
            assert row.data is not None
            match = existing.get(_identity(row.data)) if row.data.case_number else None
            if match is not None:
                # Only what the roster says changes: an empty cell or a column not in this
                # file keeps what was recorded before, and so does the spelling of the
                # case number and names that identified the person ("AMINA" is Amina).
                changed = row.provided - {"case_number", "given_name", "family_name"}
                merged = replace(_data_of(match), **{name: getattr(row.data, name) for name in changed})
                if "age_group" in row.provided and "birth_year" not in row.provided:
                    merged = replace(merged, birth_year=None)
                apply_update(db, match, clean(merged, today=date.today()))
                participant = match
                updated += 1
            else:
                participant = save_new(db, row.data)
                added += 1
            ids.append(participant.id)
            if session_id is not None:
                expect_at_session(db, session_id, participant.id)
        skipped = len(result.rows) - len(rows)
        audit.record(db, "import", subject=session_id or "",
                     detail=f"roster {result.table.source}: {added} added, {updated} updated, {skipped} rows left out",
                     commit=False)
        db.commit()
    except BaseException:
        db.rollback()
        raise
    return ImportResult(added, updated, skipped, tuple(ids))
