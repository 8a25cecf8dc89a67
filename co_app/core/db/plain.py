"""The database file through the standard library's ``sqlite3``, without the ORM.

Importing SQLAlchemy and mapping the models costs about 35 MiB of memory — more than half
of a bare PySide6 window (benchmarks/idle_memory.py).  The pages a facilitator opens
first, and the only ones a participant ever sees in the viewer — Home, Films, Towns —
read a few rows (today's sessions, whether a PIN is set, how many changes wait for the
office) and write two local-only tables (where each film was left, what each film's check
found).  They do it through this module; the ORM is loaded when a page that edits
sessions, people or attendance is first opened (``Services.db``).

Values are read and written as SQLAlchemy stores them on SQLite, so each side reads the
other's rows: a date as ``YYYY-MM-DD``, a datetime as naive UTC ``YYYY-MM-DD
HH:MM:SS.ffffff``, JSON as its text.  A file is only opened here once ``Services`` has
made sure it exists at the current schema (``bootstrap``), so no migration happens here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from co_app.core.foundation.errors import DatabaseError, sentence
from co_app.core.foundation.i18n import N_

#: How SQLAlchemy's DateTime stores a value on SQLite (naive UTC).
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to the database at ``path`` with the pragmas the ORM's engine sets;
    committed when the block ends normally, rolled back otherwise, always closed.

    Raises ``DatabaseError`` naming the file when it cannot be opened or read."""
    if not path.is_file():
        raise DatabaseError(sentence(N_("Cannot open the database {path}: the file is missing."), path=path))
    try:
        conn = sqlite3.connect(path, timeout=5.0)
    except sqlite3.Error as exc:
        raise DatabaseError(sentence(N_("Cannot open the database {path}: {problem}."),
                                     path=path, problem=exc)) from exc
    try:
        # As co_app/core/db/engine.py: a confirmed write survives a power cut, foreign keys hold.
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=FULL")
        yield conn
        conn.commit()
    except sqlite3.Error as exc:
        conn.rollback()
        raise DatabaseError(sentence(N_("Cannot read the database {path}: {problem}."),
                                     path=path, problem=exc)) from exc
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()


def raw_connection(session: Any) -> sqlite3.Connection:  # a SQLAlchemy Session
    """The ``sqlite3`` connection under an ORM session, inside its transaction: lets the
    ORM's callers share one implementation of a query with the pages that do without it."""
    connection = session.connection().connection.driver_connection
    if not isinstance(connection, sqlite3.Connection):
        raise TypeError("this query is written for SQLite")
    return connection


def format_datetime(value: datetime) -> str:
    """An aware datetime as SQLAlchemy stores it in a UTC column on SQLite."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.strftime(DATETIME_FORMAT)


def parse_datetime(text: str) -> datetime:
    """A stored datetime (naive UTC text, or ISO with an offset) as an aware UTC datetime."""
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def utcnow_text() -> str:
    return format_datetime(datetime.now(timezone.utc))
