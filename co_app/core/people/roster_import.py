"""Checking and importing a roster's rows: ``preview`` checks every row against the
mapping — each problem names the line, the column and what is wrong — and
``import_roster`` writes them in one transaction, updating a participant already on this
computer rather than adding a second one (``co_app.core.people.roster``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from co_app.core.db.models import CoSession, Participant
from co_app.core.db.validation import single_line
from co_app.core.foundation.errors import Notice, sentence
from co_app.core.foundation.i18n import N_
from co_app.core.people import roster_values as parse
from co_app.core.people.names import case_key, normalise
from co_app.core.people.participants import ParticipantData, apply_update, clean, expect_at_session, save_new, validate
from co_app.core.people.roster_table import RosterError, Table, mapping_problems
from co_app.core.safety import audit

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


# --- the preview --------------------------------------------------------------------


_NAME_FIELDS = frozenset({"given_name", "family_name", "full_name"})
_LETTER = re.compile(r"[^\W\d_]")


def _cell_values(name: str, text: str, towns: Mapping[str, Iterable[str]], today: date) -> dict[str, Any]:
    """The participant's fields one roster cell gives; parse.BadValue says what is wrong."""
    if name in ("case_number", "given_name", "family_name"):
        return {name: text}
    if name == "full_name":
        parts = text.split()
        return {"given_name": " ".join(parts[:-1]) if len(parts) > 1 else text,
                "family_name": parts[-1] if len(parts) > 1 else ""}
    readers = {
        "sex": ("sex", lambda: parse.sex(text)), "birth_year": ("birth_year", lambda: parse.birth_year(text, today)),
        "age": ("age_group", lambda: parse.age_group_from_age(text)),
        "age_group": ("age_group", lambda: parse.age_group(text)),
        "nationality": ("nationality", lambda: parse.nationality(text)),
        "languages": ("languages", lambda: parse.languages(text)),
        "destination": ("destination", lambda: parse.destination(text, towns)),
        "needs": ("needs", lambda: parse.needs(text)), "consent": ("consent", lambda: parse.consent(text)),
        "consent_date": ("consent_date", lambda: parse.consent_date(text)),
    }
    if name not in readers:
        return {}
    field, read = readers[name]
    return {field: read()}


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
        # Control characters (a spreadsheet's stray line feed or escape code) are dropped: they
        # are invisible, and would break the XLSX export and reach the log.
        text = single_line(cells[index]) if index < len(cells) else ""
        if name in _NAME_FIELDS and not _LETTER.search(text):
            text = ""  # "-", "?", "..": a placeholder, not a name
        if name == "case_number" and not case_key(text):
            text = ""
        if not text:
            continue
        try:
            values.update(_cell_values(name, text, towns, today))
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
                  valid_only: bool = False, dry_run: bool = False) -> ImportResult:
    """Write the rows in one transaction.  With a problem anywhere, nothing is written
    (``RosterError``) unless ``valid_only``: then the rows without problems are.  With
    ``session_id`` everyone imported is expected at that session.  ``dry_run`` does all
    of it, counts included, and rolls back (``roster import --dry-run``)."""
    if result.mapping_problems:
        raise RosterError(f"{result.table.source}: {result.mapping_problems[0]}")
    if not result.ok and not valid_only:
        first = result.problems[0]
        raise RosterError(sentence(N_("{source} has {problems} problem(s), first {first}; nothing was imported."),
                                   source=result.table.source, problems=len(result.problems), first=first))
    rows = result.valid_rows
    if not rows:
        raise RosterError(sentence(N_("{source} has no row without a problem; nothing was imported."),
                                   source=result.table.source))
    if session_id is not None and db.get(CoSession, session_id) is None:
        raise RosterError(sentence(N_("That session no longer exists on this computer.")))
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
        if dry_run:
            db.rollback()
        else:
            db.commit()
    except BaseException:
        db.rollback()
        raise
    return ImportResult(added, updated, skipped, tuple(ids))
