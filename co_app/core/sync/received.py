"""The log of packages this database imported (``sync_received``): which device wrote each,
when, the dates of the sessions it held records of, and what it changed — the office's list
of laptops shows each laptop's last package from it (co_app/core/office/laptops.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from co_app.core.db.models import CoSession, SyncReceived
from co_app.core.sync import records

#: Values per IN list (SQLite's parameter limit).
IN_CHUNK = 900


def session_dates(conn: Connection, session_ids: set[str]) -> tuple[date | None, date | None]:
    """The first and last date of these sessions (as this database now holds them)."""
    first: date | None = None
    last: date | None = None
    ids = sorted(session_ids)
    table = CoSession.__table__
    for start in range(0, len(ids), IN_CHUNK):
        low, high = conn.execute(select(func.min(table.c.session_date), func.max(table.c.session_date))
                                 .where(table.c.id.in_(ids[start:start + IN_CHUNK]))).one()
        low, high = _date(low), _date(high)
        if low is not None and (first is None or low < first):
            first = low
        if high is not None and (last is None or high > last):
            last = high
    return first, last


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def record(conn: Connection, manifest: dict[str, Any], counts: dict[str, int], session_ids: set[str],
           package: str, now: datetime) -> None:
    """One line of the log for a package just merged (in the merge's transaction); none for
    a package imported before that changed nothing this time."""
    device = manifest["device_id"]
    counter = int(manifest["seen"].get(device, 0))
    table = SyncReceived.__table__
    if not (counts["inserted"] or counts["updated"] or counts["conflicts"]) and conn.execute(
            select(table.c.id).where(table.c.device_id == device, table.c.counter == counter,
                                     table.c.package == package[:200]).limit(1)).first():
        return
    first, last = session_dates(conn, session_ids)
    conn.execute(SyncReceived.__table__.insert().values(
        device_id=device, package=package[:200], created_at=records.parse_timestamp(manifest["created_at"]),
        imported_at=now, first_date=first, last_date=last, counter=counter,
        inserted=counts["inserted"], updated=counts["updated"], unchanged=counts["unchanged"],
        conflicts=counts["conflicts"]))
