"""The laptops that report to the office: who they are, what they hold, when each last
sent a package — and the laptop every session (and person) was created on.

Public API::

    from co_app.core.office import laptops

    rows = laptops.list_laptops(engine, silent_after=14, now=None)   # list[Laptop], by name
    row.device_id, row.name, row.facilitators            # str, str, tuple[str, ...]
    row.last_package, row.last_written, row.last_imported  # file name, when written / imported
    row.first_date, row.last_date                        # the session dates that package held (or,
                                                         # when it held none, of the laptop's sessions)
    row.sessions, row.people                             # created on that laptop, not deleted
    row.held                                             # its changes held for review (sync held)
    row.last_received                                    # when the office received its latest package
    row.silent_days, row.silent                          # days since the office RECEIVED a package from
                                                         # it; silent: more than ``silent_after``
    row.clock_offset_days, row.clock_wrong               # its clock against the office's (see below)
    laptops.session_laptops(engine, ids=None)            # {session id: SessionLaptop(device, name)}
    laptops.names(conn), laptops.device_owners(conn)     # device id -> name; device -> its laptop

``silent_after`` is the office's setting ``Settings.office_silent_days`` (default
``SILENT_AFTER_DAYS``).  A laptop is every device that sent this database a package as a
laptop (``sync_peers``).  Where a record was created is ``origin_device``
(co_app/core/db/origins.py); a device a laptop used before its data folder was restored
(its *predecessor*) counts as that laptop, unless the predecessor reports on its own (a
copied folder: the original laptop keeps its id).

**A laptop with a wrong clock.**  Silence is judged by the office's own clock: when it
received the laptop's latest package (``sync_received.imported_at``), never by the dates the
laptop wrote (a laptop two years behind that sent a package today is not silent).  Its own
dates are shown apart, and the latest package received is checked against its receipt:
written more than ``CLOCK_AHEAD_DAYS`` after the office received it — the laptop's clock is
ahead — or written more than ``CLOCK_BEHIND_DAYS`` before — far behind.  The sessions a
package holds say nothing of the clock: a facilitator plans next month's sessions ahead.
``clock_offset_days`` is then how far (positive: ahead, negative: behind), else 0.

Command line: ``python main.py office laptops [--db URL] [--silent-after DAYS] [--json]``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from co_app.core.db.models import CoSession, Participant, SyncHeld, SyncReceived
from co_app.core.db.origins import device_owners, names, peers

SILENT_AFTER_DAYS = 14
#: A package written more than this after the office received
#: it comes from a clock running ahead (a few hours either way are time zones set wrong).
CLOCK_AHEAD_DAYS = 1
#: A package written more than this before the office received it comes from a clock far
#: behind: a USB stick rarely takes three months to reach the office.
CLOCK_BEHIND_DAYS = 90


@dataclass(frozen=True)
class Laptop:
    device_id: str
    name: str
    facilitators: tuple[str, ...]
    last_package: str
    #: When the laptop wrote its last package, and when the office imported it.
    last_written: datetime | None
    last_imported: datetime | None
    #: The first and last date of the sessions that package held records of.
    first_date: date | None
    last_date: date | None
    sessions: int
    people: int
    silent_days: int | None
    silent: bool
    #: Its changes dated in the future, held for the office's review (``sync held``).
    held: int = 0
    #: When the office received its latest package (the office's clock).
    last_received: datetime | None = None
    #: How far its clock seems off, in days (positive: ahead, negative: behind), else 0.
    clock_offset_days: int = 0

    @property
    def clock_wrong(self) -> bool:
        return self.clock_offset_days != 0

    def as_dict(self) -> dict[str, Any]:
        def text(value: date | datetime | None) -> str | None:
            return None if value is None else value.isoformat()

        return {"device_id": self.device_id, "name": self.name, "facilitators": list(self.facilitators),
                "last_package": self.last_package, "last_written": text(self.last_written),
                "last_imported": text(self.last_imported), "first_date": text(self.first_date),
                "last_date": text(self.last_date), "sessions": self.sessions, "people": self.people,
                "silent_days": self.silent_days, "silent": self.silent, "held": self.held,
                "last_received": text(self.last_received), "clock_offset_days": self.clock_offset_days,
                "clock_wrong": self.clock_wrong}


@dataclass(frozen=True)
class SessionLaptop:
    device_id: str | None
    name: str


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def _per_laptop(conn: Connection, owners: dict[str, str]) -> tuple[dict, dict, dict]:
    """Sessions, people and facilitators per reporting device."""
    s, p = CoSession.__table__, Participant.__table__
    sessions: dict[str, int] = {}
    people: dict[str, int] = {}
    facilitators: dict[str, set[str]] = {}
    for device, count in conn.execute(select(s.c.origin_device, func.count()).where(s.c.deleted_at.is_(None))
                                      .group_by(s.c.origin_device)):
        key = owners.get(device, device)
        sessions[key] = sessions.get(key, 0) + count
    for device, count in conn.execute(select(p.c.origin_device, func.count()).where(p.c.deleted_at.is_(None))
                                      .group_by(p.c.origin_device)):
        key = owners.get(device, device)
        people[key] = people.get(key, 0) + count
    for device, name in conn.execute(select(s.c.origin_device, s.c.facilitator).distinct().where(
            s.c.deleted_at.is_(None), s.c.facilitator != "")):
        facilitators.setdefault(owners.get(device, device), set()).add(" ".join(name.split()))
    return sessions, people, facilitators


def _session_dates(conn: Connection, owners: dict[str, str]) -> dict[str, tuple[date, date]]:
    """The first and last date of each reporting device's sessions (not deleted): a laptop
    whose last package held no sessions (its held changes accepted later) still shows them."""
    s = CoSession.__table__
    out: dict[str, tuple[date, date]] = {}
    for device, first, last in conn.execute(select(s.c.origin_device, func.min(s.c.session_date),
                                                   func.max(s.c.session_date))
                                            .where(s.c.deleted_at.is_(None)).group_by(s.c.origin_device)):
        key = owners.get(device, device)
        known = out.get(key)
        out[key] = (first, last) if known is None else (min(known[0], first), max(known[1], last))
    return out


def _held(conn: Connection, owners: dict[str, str]) -> dict[str, int]:
    """Open held changes per reporting device (the device of the held change's newest dot)."""
    out: dict[str, int] = {}
    for (dot,) in conn.execute(select(SyncHeld.dot).where(SyncHeld.state == "held")):
        dot = json.loads(dot) if isinstance(dot, str) else dot
        newest = dot if isinstance(dot, list) else max(dot.values(), key=lambda d: d[2])
        key = owners.get(str(newest[0]), str(newest[0]))
        out[key] = out.get(key, 0) + 1
    return out


def _last_received(conn: Connection) -> dict[str, Any]:
    """Each device's last package: the one it wrote last (by its own change counter, then the
    time written), whatever order the office imported them in."""
    r = SyncReceived.__table__
    top = select(r.c.device_id, func.max(r.c.counter).label("counter")).group_by(r.c.device_id).subquery()
    rows = conn.execute(select(r).join(top, (top.c.device_id == r.c.device_id) & (top.c.counter == r.c.counter))
                        .order_by(r.c.created_at, r.c.id))
    return {row.device_id: row for row in rows}  # the latest written of equal counters wins


def _latest_received(conn: Connection) -> dict[str, Any]:
    """Each device's package the office received last (by the office's clock)."""
    r = SyncReceived.__table__
    rows = conn.execute(select(r.c.device_id, r.c.created_at, r.c.imported_at, r.c.last_date)
                        .order_by(r.c.imported_at, r.c.id))
    return {row.device_id: row for row in rows}  # the latest received wins


def clock_offset(written: datetime | None, received: datetime | None) -> int:
    """How far a laptop's clock seems off, in whole days (positive: ahead, negative: behind,
    0: it looks right), from a package it ``written`` by its clock and the office ``received``
    by its own.  Session dates are not evidence: a session planned ahead is normal."""
    if written is None or received is None:
        return 0
    ahead = (written - received).total_seconds() / 86400
    if ahead > CLOCK_AHEAD_DAYS:
        return max(1, round(ahead))
    if -ahead > CLOCK_BEHIND_DAYS:
        return -round(-ahead)
    return 0


def list_laptops(engine: Engine, *, silent_after: int = SILENT_AFTER_DAYS,
                 now: datetime | None = None) -> list[Laptop]:
    """Every laptop that ever sent this database a package, by name."""
    now = now or datetime.now(timezone.utc)
    with engine.connect() as conn:
        owners = device_owners(conn)
        sessions, people, facilitators = _per_laptop(conn, owners)
        held = _held(conn, owners)
        dates = _session_dates(conn, owners)
        received, latest = _last_received(conn), _latest_received(conn)
        laptop_peers = [row for row in peers(conn) if row.role == "laptop"]
    out = []
    for peer in laptop_peers:
        last, newest = received.get(peer.device_id), latest.get(peer.device_id)
        written = _aware(last.created_at if last is not None else peer.last_package_at) or _aware(
            peer.last_package_at)
        # Silence by the office's clock; a hub from before the log: when the laptop wrote it.
        got = _aware(newest.imported_at) if newest is not None else written
        days = None if got is None else max(0, (now - got).days)
        offset = 0 if newest is None else clock_offset(_aware(newest.created_at), got)
        span = ((last.first_date, last.last_date) if last is not None and (last.first_date or last.last_date)
                else dates.get(peer.device_id, (None, None)))  # a package of held changes only: its sessions
        out.append(Laptop(
            device_id=peer.device_id, name=peer.name or peer.device_id,
            facilitators=tuple(sorted(facilitators.get(peer.device_id, ()), key=str.casefold)),
            last_package=(last.package if last is not None else peer.last_package) or "",
            last_written=written, last_imported=_aware(last.imported_at) if last is not None else None,
            first_date=span[0], last_date=span[1],
            sessions=sessions.get(peer.device_id, 0), people=people.get(peer.device_id, 0),
            silent_days=days, silent=days is None or days > silent_after, held=held.get(peer.device_id, 0),
            last_received=got if newest is not None else None, clock_offset_days=offset))
    out.sort(key=lambda row: (row.name.casefold(), row.device_id))
    return out


def session_laptops(engine: Engine, ids: list[str] | None = None) -> dict[str, SessionLaptop]:
    """The laptop each session was created on (all sessions, or these)."""
    s = CoSession.__table__
    with engine.connect() as conn:
        owners, known = device_owners(conn), names(conn)
        query = select(s.c.id, s.c.origin_device)
        rows: list[Any] = []
        if ids is None:
            rows = list(conn.execute(query))
        else:
            for start in range(0, len(ids), 900):
                rows.extend(conn.execute(query.where(s.c.id.in_(ids[start:start + 900]))))
    out = {}
    for session_id, device in rows:
        owner = owners.get(device, device)
        out[session_id] = SessionLaptop(owner, known.get(owner or "", owner or ""))
    return out
