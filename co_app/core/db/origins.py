"""Where a record was created: the device (laptop or office) whose change made it.

It travels with the record (write-once, without a dot of its own, like ``created_at``), so
an office that accepts a laptop's held new record (co_app/core/sync/review.py) — made again
here under the office's dots — still names that laptop, and so does every laptop that
receives it from the office.  Where a package leaves it out or null (written before it
travelled), every database derives it alike from what does travel — the record's dots
(co_app/core/db/versions.py) and its ``created_at``.  A record made in one
change has every field under that change's dot, and ``created_at`` is that dot's hlc; a
field nobody changed since keeps the dot.  So the creating device is the device of the
dot whose hlc is ``created_at``; when every field was changed since (or the record comes
from before field versions, schema 0004), the device of its oldest dot.

``co_sessions.origin_device`` and ``participants.origin_device`` hold it, so a query can
filter and group by laptop in SQL: the ORM's flush hook fills it for records made here, the
package (or else the merge, co_app/core/sync/merge.py) for records that arrive, migration 0006 for records
made before it, and ``fill`` for records written some other way (plain SQL).

Which laptop a device is (``names``, ``device_owners``, ``creator_names``): a device a laptop
used before its data folder was restored (its *predecessor*) counts as that laptop, unless
the predecessor reports on its own.  The office's list of laptops (co_app/core/office/laptops.py)
and the attendance export's laptop column (co_app/core/attendance/export.py) read them.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select, update

from co_app.core.db.models import CoSession, Participant, SyncPeer

#: The synced tables that keep their creating device.
TABLES: tuple[Table, ...] = (CoSession.__table__, Participant.__table__)  # type: ignore[assignment]
TABLE_NAMES = frozenset(table.name for table in TABLES)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS = timedelta(milliseconds=1)


def as_ms(value: datetime | str | None) -> int | None:
    """A stored timestamp in milliseconds since the epoch (a dot's hlc)."""
    if value is None:
        return None
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return round((when - _EPOCH) / _MS)


def origin_of(versions: dict[str, Any] | str | None, created_at: datetime | str | None) -> str | None:
    """The device that created a record, from its stored ``versions`` and ``created_at``."""
    if isinstance(versions, str):
        versions = json.loads(versions or "{}")
    dots = [dot for dot in (versions or {}).values() if isinstance(dot, list) and len(dot) == 3]
    if not dots:
        return None
    created = as_ms(created_at)
    at_creation = sorted(dot for dot in dots if dot[2] == created)
    if at_creation:
        return str(at_creation[0][0])
    return str(min(dots, key=lambda dot: (dot[2], dot[1], dot[0]))[0])


def fill(conn: Connection) -> int:
    """Give every record without one its creating device; returns how many were filled."""
    filled = 0
    for table in TABLES:
        rows = conn.execute(select(table.c.id, table.c.versions, table.c.created_at)
                            .where(table.c.origin_device.is_(None))).all()
        values = [{"_id": row[0], "_origin": origin_of(row[1], row[2])} for row in rows]
        values = [v for v in values if v["_origin"] is not None]
        if values:
            conn.execute(update(table).where(table.c.id == bindparam("_id"))
                         .values(origin_device=bindparam("_origin")), values)
            filled += len(values)
    return filled



# --- which laptop a device is ----------------------------------------------------------


def peers(conn: Connection) -> list[Any]:
    """Every device that sent this database a package (``sync_peers``)."""
    return list(conn.execute(select(SyncPeer.device_id, SyncPeer.name, SyncPeer.role, SyncPeer.predecessors,
                                    SyncPeer.last_package, SyncPeer.last_package_at)))


def names(conn: Connection) -> dict[str, str]:
    """Every device this database knows by name: its peers and itself."""
    from co_app.core.db import identity
    from co_app.core.db.glance import DEVICE_ID_KEY
    from co_app.core.db.versions import meta_text

    out = {row.device_id: row.name for row in peers(conn)}
    own = meta_text(conn, DEVICE_ID_KEY)
    if own:
        out[own] = identity.device_name(conn)
    return out


def device_owners(conn: Connection) -> dict[str, str]:
    """Device id -> the device that reports for it: itself, or the laptop it became."""
    from co_app.core.db import identity
    from co_app.core.db.glance import DEVICE_ID_KEY
    from co_app.core.db.versions import meta_text

    known_peers = peers(conn)
    own = meta_text(conn, DEVICE_ID_KEY) or ""
    known = {row.device_id for row in known_peers} | {own}
    owners = {device: device for device in known}
    successors = [(row.device_id, _list(row.predecessors)) for row in known_peers]
    successors.append((own, identity.predecessors(conn)))
    for device, before in successors:
        for old in before:
            if old and old not in known:
                owners[old] = device
    return owners


def creator_names(conn: Connection) -> dict[str, str]:
    """Device id -> the name of the laptop it is (its owner's name; the id when unnamed)."""
    owners, known = device_owners(conn), names(conn)
    return {device: known.get(owner) or owner for device, owner in owners.items()}


def _list(value: Any) -> list[str]:
    return json.loads(value) if isinstance(value, str) else list(value or [])
