"""What Home, Films, Towns and the viewer read from the database, in plain SQL.

These pages must not pay for the ORM (co_app/core/db/plain.py says why), so their
queries are written once here against a ``sqlite3`` connection; the ORM's callers use the
same functions on their session's connection (``plain.raw_connection``).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from co_app.core.db.plain import parse_datetime

#: app_meta keys.
DEVICE_ID_KEY = "device_id"
PIN_KEY = "facilitator_pin"
LAST_EXPORT_KEY = "sync_last_export_at"

#: The synced tables (models.SYNCED_MODELS; a test keeps the two lists equal).
SYNCED_TABLES = ("co_sessions", "households", "participants", "attendance", "module_coverage", "learning_answers")


@dataclass(frozen=True)
class SessionSummary:
    id: str
    session_date: date
    number_of_day: int
    place: str
    facilitator: str
    interpreter: str
    language: str
    destination_towns: tuple[str, ...]
    status: str


def sessions_on(conn: sqlite3.Connection, day: date) -> list[SessionSummary]:
    """The day's sessions (not deleted), in their order of the day."""
    rows = conn.execute(
        "SELECT id, session_date, number_of_day, place, facilitator, interpreter, language,"
        " destination_towns, status FROM co_sessions"
        " WHERE session_date = ? AND deleted_at IS NULL ORDER BY number_of_day",
        (day.isoformat(),),
    )
    return [
        SessionSummary(id=r[0], session_date=date.fromisoformat(r[1]), number_of_day=r[2], place=r[3],
                       facilitator=r[4], interpreter=r[5], language=r[6],
                       destination_towns=tuple(json.loads(r[7]) if r[7] else ()), status=r[8])
        for r in rows
    ]


def meta_value(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM app_meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def pin_is_set(conn: sqlite3.Connection) -> bool:
    return meta_value(conn, PIN_KEY) is not None


def device_id(conn: sqlite3.Connection) -> str | None:
    return meta_value(conn, DEVICE_ID_KEY)


def last_export_time(conn: sqlite3.Connection) -> datetime | None:
    value = meta_value(conn, LAST_EXPORT_KEY)
    return parse_datetime(value) if value else None


def pending_changes(conn: sqlite3.Connection) -> int:
    """How many synced records this laptop changed after its last export (all it changed
    before the first).  Records that came in a sync package from another laptop do not
    count: their own laptop sends them to the office, and a laptop that only received
    must not look as if it had unsent work."""
    exported = conn.execute("SELECT max(seq) FROM (SELECT max(seq_max) AS seq FROM sync_exports UNION ALL "
                            "SELECT max(acked_seq) FROM sync_peers WHERE role = 'office')").fetchone()[0]
    device = device_id(conn)
    where, params = [], []
    if device is not None:
        where.append("device_id = ?")
        params.append(device)
    if exported is not None:  # the arrival order, never the clock (co_app/core/db/versions.py)
        where.append("sync_seq > ?")
        params.append(exported)
    condition = f" WHERE {' AND '.join(where)}" if where else ""
    total = 0
    for table in SYNCED_TABLES:  # names from the constant above, never from input
        total += int(conn.execute(f"SELECT count(*) FROM {table}{condition}", params).fetchone()[0])  # noqa: S608
    return total
