"""How synced records travel: one canonical JSON form for every column, read in batches.

A record is a JSON object holding every column of its table:

* timestamps as UTC text ``"YYYY-MM-DD HH:MM:SS.ffffff"`` (or null),
* dates as ``"YYYY-MM-DD"``, booleans as ``true``/``false``, JSON columns as JSON,
* numbers and text as themselves.

That is also how SQLAlchemy stores these values in SQLite, so a laptop's export lets SQLite
itself write each line (``json_object``): no Python object per row.  Any other database
(the PostgreSQL hub) goes through the generic Python path, which gives the same records.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Connection, Date, Integer, MetaData, Table, Text, func, select

from co_app.core.db import validation
from co_app.core.db.base import UTCDateTime
# The canonical text of a timestamp is how SQLAlchemy stores one on SQLite (naive UTC).
from co_app.core.db.plain import format_datetime as format_timestamp
from co_app.core.db.plain import parse_datetime as parse_timestamp
from co_app.core.db.models import SYNCED_MODELS
from co_app.core.foundation.errors import sentence
from co_app.core.foundation.i18n import N_

#: Synced tables in an order that satisfies foreign keys (parents first).
TABLES: tuple[Table, ...] = tuple(model.__table__ for model in SYNCED_MODELS)  # type: ignore[attr-defined]
TABLE_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}

#: Tables whose records identify people (participants, households, check-ins) or name
#: staff (a session's facilitator and interpreter): a package holding any is encrypted.
PERSONAL_TABLES = frozenset({"co_sessions", "households", "participants", "attendance", "learning_answers"})

#: Unique keys besides the id: two laptops may record the same check-in under two ids.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "attendance": ("session_id", "participant_id"),
    "module_coverage": ("session_id", "module_id"),
    "learning_answers": ("session_id", "module_id", "question_id", "phase", "slot"),
}

#: Columns that say *who changed a record when*, not what it holds.
VERSION_COLUMNS = ("updated_at", "device_id", "versions")
#: Columns local to one database: its arrival order (never in a package).  A session's and a
#: person's ``origin_device`` travels (write-once, unversioned like ``created_at``): an office
#: that accepts a held record makes it again under its own dots, and the laptop that created
#: it must still be named everywhere (co_app/core/db/origins.py).
LOCAL_COLUMNS = frozenset({"sync_seq"})
#: Fields newer than the package format, and their value in a package written before them
#: (a laptop not updated yet): its records are read as if they held this value.
LATER_FIELDS: dict[str, dict[str, Any]] = {
    "participants": {"merged_into": None, "origin_device": None},  # schema 0006; origin_device: None = from the dots
    "co_sessions": {"origin_device": None},
}

BATCH = 2000


class RecordError(ValueError):
    """A value in a record is not what its column holds; the message names the column.
    ``notice``: the same problem, translatable (co_app/core/db/validation.py)."""

    def __init__(self, message: str, notice: Any = None) -> None:
        super().__init__(message)
        self.notice = notice


def _kind(column) -> str:  # a sqlalchemy Column
    column_type = column.type
    if isinstance(column_type, UTCDateTime):
        return "datetime"
    if isinstance(column_type, Date):
        return "date"
    if isinstance(column_type, Boolean):
        return "bool"
    if isinstance(column_type, JSON):
        return "json"
    if isinstance(column_type, Integer):
        return "int"
    return "text"


def as_datetime(value: datetime | str) -> datetime:
    """A timestamp as an aware datetime, whether it came typed or as stored text."""
    return parse_timestamp(value) if isinstance(value, str) else value


# --- canonical form <-> database values -----------------------------------------------
#
# Two views of each table: the typed one (datetimes, dates, lists), used on PostgreSQL,
# and on SQLite a "stored" one whose timestamps, dates and JSON are the text SQLite keeps.
# The canonical text *is* SQLite's stored text, so a SQLite import compares and writes
# strings and never builds a datetime per value (timestamps of one fixed-width format
# order as text exactly as in time).

def _to_canonical(kind: str, stored: bool) -> Callable[[Any], Any]:
    if stored:
        if kind == "json":
            return lambda v: json.loads(v) if isinstance(v, str) else v
        if kind == "bool":
            return lambda v: None if v is None else bool(v)
        return lambda v: v
    if kind == "datetime":
        return lambda v: None if v is None else format_timestamp(v)
    if kind == "date":
        return lambda v: None if v is None else v.isoformat()
    if kind == "bool":
        return lambda v: None if v is None else bool(v)
    return lambda v: v


def _check(condition: bool, column: str, expected: str, value: Any) -> None:
    if not condition:
        raise RecordError(sentence(N_("the field '{column}' should be {expected}, not {value}"),
                                   column=column, expected=expected, value=json.dumps(value)[:40]))


def _from_canonical(kind: str, column: str, nullable: bool, length: int | None,
                    stored: bool) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        if value is None:
            _check(nullable, column, "filled in", value)
            return None
        try:
            if kind == "datetime":
                _check(isinstance(value, str) and len(value) == 26 and value[10] == " ", column,
                       "a date and time", value)
                return datetime.fromisoformat(value) and value if stored else parse_timestamp(value)
            if kind == "date":
                _check(isinstance(value, str) and len(value) == 10, column, "a date", value)
                parsed_date = date.fromisoformat(value)
                return value if stored else parsed_date
        except ValueError as exc:
            if isinstance(exc, RecordError):
                raise
            raise RecordError(sentence(N_("the field '{column}' holds an invalid date {value}"),
                                       column=column, value=json.dumps(value)[:40])) from None
        if kind == "bool":
            _check(isinstance(value, bool), column, "true or false", value)
            return value
        if kind == "int":
            _check(isinstance(value, int) and not isinstance(value, bool), column, "a whole number", value)
            return value
        if kind == "text":
            _check(isinstance(value, str), column, "text", value)
            _check(length is None or len(value) <= length, column, f"at most {length} characters", value)
            return value
        _check(isinstance(value, (list, dict)), column, "a list", value)
        return json.dumps(value) if stored else value

    return parse


def _stored_table(table: Table) -> Table:
    """``table`` as SQLite stores it: timestamps, dates and JSON as text."""
    columns = [Column(c.name, Text() if _kind(c) in ("datetime", "date", "json") else c.type,
                      primary_key=c.primary_key, nullable=c.nullable) for c in table.columns]
    return Table(table.name, MetaData(), *columns)


class TableCodec:
    """Converts one table's rows between database values and the canonical JSON form."""

    def __init__(self, table: Table, *, stored: bool = False) -> None:
        self.table = _stored_table(table) if stored else table
        self.name = table.name
        travelling = [column for column in table.columns if column.name not in LOCAL_COLUMNS]
        self.columns = tuple(column.name for column in travelling)
        self.column_set = frozenset(self.columns)
        self.kinds = {column.name: _kind(column) for column in travelling}
        self._out = {name: _to_canonical(kind, stored) for name, kind in self.kinds.items()}
        self._in = {column.name: _from_canonical(self.kinds[column.name], column.name, bool(column.nullable),
                                                 getattr(column.type, "length", None), stored)
                    for column in travelling}
        # Every field's rule (types, ranges, list contents, text without control characters,
        # canonical dates and times): the validation layer's, the same as the forms'.
        self._batch_checks = [(column.name, validation.batch_check(self.name, column.name))
                              for column in travelling]
        self._json_columns = [name for name, kind in self.kinds.items() if kind == "json"]
        self._later = LATER_FIELDS.get(self.name, {})
        self.natural_key = NATURAL_KEYS.get(self.name)
        self.stored = stored
        names = ", ".join(f'"{name}"' for name in self.columns)
        #: For SQLite's own executemany: stored values need no SQLAlchemy type processing;
        #: the last value is the record's place in this database's arrival order.
        marks = ", ".join("?" * (len(self.columns) + 1))
        self.insert_sql = f'INSERT INTO "{self.name}" ({names}, "sync_seq") VALUES ({marks})'  # noqa: S608 - table and column names from our own models
        self.select_sql = f'SELECT {names} FROM "{self.name}"'  # noqa: S608 - table and column names from our own models

    def field_canonical(self, name: str, value: Any) -> Any:
        """One field's database value -> its canonical JSON-ready form."""
        return self._out[name](value)

    def canonical(self, values: dict[str, Any]) -> dict[str, Any]:
        """Database (Python) values -> the canonical JSON-ready dict."""
        return {name: self._out[name](values[name]) for name in self.columns}

    def parse(self, record: Any) -> dict[str, Any]:
        """A canonical record (from a package) -> values for the database; RecordError if bad."""
        if not isinstance(record, dict):
            raise RecordError(sentence(N_("a record is not a JSON object")))
        for name, value in self._later.items():
            record.setdefault(name, value)
        keys = record.keys()
        if keys != self.column_set:
            unknown = sorted(set(keys) - self.column_set)
            missing = sorted(self.column_set - set(keys))
            if unknown:
                raise RecordError(sentence(N_("it has fields this version does not know: {fields}"),
                                           fields=", ".join(unknown[:5])))
            raise RecordError(sentence(N_("it lacks the fields {fields}"), fields=", ".join(missing[:5])))
        found = validation.record_problem(self.name, record)
        if found is not None:
            raise RecordError(str(found[1]), found[1])
        return {name: self._in[name](record[name]) for name in self.columns}

    def parse_batch(self, batch: list[tuple[int, Any]]) -> list[dict[str, Any]]:
        """``parse`` for a batch of (line number, record); a RecordError names the line in
        ``.line``.  On the stored view the records are checked column by column and kept."""
        if not self.stored:
            rows = self._typed_batch([raw for _, raw in batch])
            if rows is not None:
                return rows
            rows = []
            for line, raw in batch:
                try:
                    rows.append(self.parse(raw))
                except RecordError as exc:
                    exc.line = line  # type: ignore[attr-defined]
                    raise
            return rows
        rows = [raw for _, raw in batch]
        for name, value in self._later.items():
            for raw in rows:
                if type(raw) is dict:
                    raw.setdefault(name, value)
        columns = self.column_set
        if not all(type(raw) is dict and raw.keys() == columns for raw in rows) or not all(
                check([raw[name] for raw in rows]) for name, check in self._batch_checks):
            for line, raw in batch:  # find the culprit, for a message that names it
                try:
                    self.parse(raw)
                except RecordError as exc:
                    exc.line = line  # type: ignore[attr-defined]
                    raise
            raise RecordError(sentence(N_("it holds a value of the wrong kind")))
        dumps = json.dumps
        for name in self._json_columns:
            for raw in rows:
                raw[name] = dumps(raw[name])
        return rows

    def _typed_batch(self, rows: list[Any]) -> list[dict[str, Any]] | None:
        """The typed view's fast path (the PostgreSQL hub): the stored view's column-by-column
        checks, then only dates and times converted — None when a record fails, for ``parse``
        to name it.  One call per value instead of a rule per field of every record: the
        office imports a USB stick of 20 laptops close to a plain executemany."""
        for name, value in self._later.items():
            for raw in rows:
                if type(raw) is dict:
                    raw.setdefault(name, value)
        columns = self.column_set
        if not all(type(raw) is dict and raw.keys() == columns for raw in rows) or not all(
                check([raw[name] for raw in rows]) for name, check in self._batch_checks):
            return None
        converters = [(name, parse_timestamp if kind == "datetime" else date.fromisoformat)
                      for name, kind in self.kinds.items() if kind in ("datetime", "date")]
        for raw in rows:
            for name, convert in converters:
                value = raw[name]
                if value is not None:
                    raw[name] = convert(value)
        return rows

    def content(self, values: dict[str, Any]) -> dict[str, Any]:
        """What a record holds, without who changed it when: the part a conflict is about."""
        canonical = self.canonical(values)
        for name in VERSION_COLUMNS:
            canonical.pop(name)
        return canonical


CODECS: dict[str, TableCodec] = {table.name: TableCodec(table) for table in TABLES}
STORED_CODECS: dict[str, TableCodec] = {table.name: TableCodec(table, stored=True) for table in TABLES}


def codecs_for(conn: Connection) -> dict[str, TableCodec]:
    return STORED_CODECS if conn.dialect.name == "sqlite" else CODECS


# --- reading records in batches -------------------------------------------------------

def count_changed(conn: Connection, table: Table, from_seq: int) -> int:
    """Records whose last change arrived here after ``from_seq`` (sync_seq order)."""
    query = select(func.count()).select_from(table)
    if from_seq:  # as json_lines: 0 is every record
        query = query.where(table.c.sync_seq > from_seq)
    return int(conn.execute(query).scalar_one())


def count_tombstones(conn: Connection, table: Table, from_seq: int) -> int:
    query = select(func.count()).select_from(table).where(table.c.deleted_at.is_not(None))
    if from_seq:
        query = query.where(table.c.sync_seq > from_seq)
    return int(conn.execute(query).scalar_one())


def _sqlite_json_sql(codec: TableCodec, with_since: bool) -> str:
    parts = []
    for name in codec.columns:
        kind = codec.kinds[name]
        quoted = f'"{name}"'
        if kind == "bool":
            expr = f"CASE WHEN {quoted} IS NULL THEN NULL WHEN {quoted} THEN json('true') ELSE json('false') END"
        elif kind == "json":
            expr = f"json({quoted})"
        else:
            expr = quoted
        parts.append(f"'{name}', {expr}")
    where = ' WHERE "sync_seq" > ?' if with_since else ""
    return f'SELECT json_object({", ".join(parts)}) FROM "{codec.name}"{where}'  # noqa: S608 - table and column names from our own models


def json_lines(conn: Connection, table: Table, from_seq: int = 0, *,
               fast: bool = True) -> Iterator[list[str]]:
    """The table's records whose last change arrived after ``from_seq`` (all when 0), as
    batches of JSON lines, in arrival order.

    On SQLite, SQLite writes each line itself; elsewhere (or with ``fast=False``) rows go
    through ``TableCodec`` — both give the same records.
    """
    codec = CODECS[table.name]
    if fast and conn.dialect.name == "sqlite":
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            params = (from_seq,) if from_seq else ()
            cursor.execute(_sqlite_json_sql(codec, bool(from_seq)), params)
            while True:
                rows = cursor.fetchmany(BATCH)
                if not rows:
                    return
                yield [row[0] for row in rows]
        finally:
            cursor.close()
    query = select(table)
    if from_seq:
        query = query.where(table.c.sync_seq > from_seq)
    result = conn.execution_options(yield_per=BATCH).execute(query)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for partition in result.mappings().partitions(BATCH):
        yield [dumps(codec.canonical(row)) for row in partition]
