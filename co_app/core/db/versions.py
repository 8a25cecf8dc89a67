"""Every change a database makes, stamped with who made it and in what order — never with
the clock alone.

Each synced record carries, in its ``versions`` column, the **dot** of the last change to
each of its fields: ``[device id, counter, hlc]``.  Stored compactly: the key ``""`` holds
the dot most fields share (a record made in one change and never edited has only that),
and a field whose dot differs is listed by name (``compact`` / ``expand``; ``compact`` is
canonical, so every database holds one mapping in the same form).

* The **counter** belongs to the device and only grows: one step per record changed in a
  flush.  It is what exports and merges rely on, whatever the clock did.
* The **hlc** (a hybrid logical clock, in milliseconds) is never smaller than the last one
  this database wrote or applied, so a change made after seeing another is also later in
  hlc.  It only decides between two *concurrent* changes of one field.  When the clock was
  put back by more than a day (it had run ahead), the hlc starts again from the real time,
  so a wrong date does not stay in every later change.
* ``sync_seq`` is this database's own arrival order: every row written here, by an edit or
  by an import, gets the next number.  Exports take the rows above the number the
  receiving side is known to hold.

``updated_at`` and ``device_id`` stay as the record's "last changed when, where", derived
from its newest dot.  Check-ins and module marks get an id made from their natural key
(session + participant, session + module), so two laptops that record the same check-in
record the same record.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, select, update

from co_app.core.db.base import SyncMixin
from co_app.core.db.glance import DEVICE_ID_KEY
from co_app.core.db.models import AppMeta, AttendanceRecord, LearningAnswer, ModuleCoverage

COUNTER_KEY = "sync_counter"
SEQ_KEY = "sync_seq"
HLC_KEY = "sync_hlc"
DAY_MS = 24 * 3600 * 1000
#: Columns that say who changed a record when, or where it sits in this database: not content.
META_COLUMNS = frozenset({"id", "created_at", "updated_at", "device_id", "versions", "sync_seq", "origin_device"})
_NAMESPACE = uuid.UUID("6f0e2c1a-3b0c-4f8e-9a59-0c0a7d4b2e11")


def dot_of(versions: dict[str, Any], field: str) -> Any:
    """The dot of ``field`` in a stored ``versions`` mapping (None when it has none)."""
    return versions.get(field, versions.get(""))


def expand(versions: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """Every field's dot, from the compact form."""
    default = versions.get("")
    return {name: versions.get(name, default) for name in fields if versions.get(name, default) is not None}


def compact(full: dict[str, Any]) -> dict[str, Any]:
    """The canonical compact form: the commonest dot (ties: the greatest) under ``""``."""
    if not full:
        return {}
    counts: dict[tuple, int] = {}
    for dot in full.values():
        key = tuple(dot)
        counts[key] = counts.get(key, 0) + 1
    default = max(counts, key=lambda key: (counts[key], key))
    out: dict[str, Any] = {"": list(default)}
    out.update((name, list(dot)) for name, dot in sorted(full.items()) if tuple(dot) != default)
    return out


def natural_id(kind: str, first: str, second: str) -> str:
    """The id of a check-in (``kind`` "attendance") or a module mark ("module_coverage"):
    the same on every laptop for the same session and person (or module)."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}/{first}/{second}"))


def content_columns(table: Any) -> tuple[str, ...]:
    """The columns of a synced table whose changes are versioned field by field."""
    return tuple(c.name for c in table.columns if c.name not in META_COLUMNS)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def hlc_datetime(hlc: int) -> datetime:
    return datetime.fromtimestamp(hlc / 1000, tz=timezone.utc)


def next_hlc(last: int | None, wall: int) -> int:
    """The hlc of a new change: after ``last`` unless ``last`` is more than a day ahead of
    the wall clock (the clock had run ahead and was put right: start again from now)."""
    if last is None or last > wall + DAY_MS:
        return wall
    return max(wall, last + 1)


def meta_int(conn: Connection, key: str) -> int | None:
    value = conn.execute(select(AppMeta.value).where(AppMeta.key == key)).scalar()
    return int(value) if value is not None else None


def meta_text(conn: Connection, key: str) -> str | None:
    return conn.execute(select(AppMeta.value).where(AppMeta.key == key)).scalar()


def set_meta(conn: Connection, key: str, value: int | str) -> None:
    done = conn.execute(update(AppMeta).where(AppMeta.key == key).values(value=str(value))).rowcount
    if not done:
        conn.execute(AppMeta.__table__.insert().values(key=key, value=str(value)))


class Clock:
    """The counters of one transaction: read once, advanced in memory, written back."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.counter = meta_int(conn, COUNTER_KEY) or 0
        self.seq = meta_int(conn, SEQ_KEY) or 0
        self.hlc = meta_int(conn, HLC_KEY)

    def next_counter(self) -> int:
        self.counter += 1
        return self.counter

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def tick(self) -> int:
        self.hlc = next_hlc(self.hlc, now_ms())
        return self.hlc

    def observe(self, hlc: int) -> None:
        """An applied change from elsewhere: later changes here come after it."""
        if hlc <= now_ms() + DAY_MS and (self.hlc is None or hlc > self.hlc):
            self.hlc = hlc

    def save(self) -> None:
        set_meta(self.conn, COUNTER_KEY, self.counter)
        set_meta(self.conn, SEQ_KEY, self.seq)
        if self.hlc is not None:
            set_meta(self.conn, HLC_KEY, self.hlc)


def _changed_columns(session: Any, obj: SyncMixin, table: Any) -> list[str]:
    from sqlalchemy import inspect as sa_inspect

    state = sa_inspect(obj)
    names = []
    for name in content_columns(table):
        attr = state.attrs.get(name) if name in state.attrs else None
        if attr is not None and attr.history.has_changes():
            names.append(name)
    return names


def _ensure_ids(obj: SyncMixin) -> None:
    if isinstance(obj, AttendanceRecord):
        session_id = obj.session_id or (obj.session.id if obj.session is not None else None)
        person_id = obj.participant_id or (obj.participant.id if obj.participant is not None else None)
        if session_id and person_id:
            obj.id = natural_id("attendance", session_id, person_id)
    elif isinstance(obj, ModuleCoverage):
        session_id = obj.session_id or (obj.session.id if obj.session is not None else None)
        if session_id and obj.module_id:
            obj.id = natural_id("module_coverage", session_id, obj.module_id)
    elif isinstance(obj, LearningAnswer):
        session_id = obj.session_id
        if session_id and obj.module_id and obj.question_id and obj.phase and obj.slot:
            obj.id = natural_id("learning_answers", session_id,
                                f"{obj.module_id}/{obj.question_id}/{obj.phase}/{obj.slot}")
    if obj.id is None:
        obj.id = str(uuid.uuid4())


def stamp_changes(session: Any, _flush_context: Any, _instances: Any) -> None:
    """The ORM's before_flush hook: every new or changed synced record gets this device's
    dots on the fields that changed, the next ``sync_seq`` and its "last changed" columns."""
    device_id = session.info.get(DEVICE_ID_KEY)
    new = [obj for obj in session.new if isinstance(obj, SyncMixin)]
    for obj in new:  # parents first, so a check-in's natural id can use its session's id
        if not isinstance(obj, (AttendanceRecord, ModuleCoverage, LearningAnswer)) and obj.id is None:
            obj.id = str(uuid.uuid4())
    for obj in new:
        _ensure_ids(obj)
    dirty = [obj for obj in session.dirty if isinstance(obj, SyncMixin)
             and session.is_modified(obj, include_collections=False)]
    if not new and not dirty:
        return
    clock = Clock(session.connection())
    for obj, created in [(o, True) for o in new] + [(o, False) for o in dirty]:
        table = obj.__table__  # type: ignore[attr-defined]
        names = list(content_columns(table)) if created else _changed_columns(session, obj, table)
        if not names:
            continue
        hlc = clock.tick()
        dot = [device_id or obj.device_id, clock.next_counter(), hlc]
        full = {} if created else expand(obj.versions or {}, content_columns(table))
        full.update({name: dot for name in names})
        obj.versions = compact(full)
        obj.sync_seq = clock.next_seq()
        # "Last changed" is the record's newest dot — as the merge derives it — not this
        # edit's: a laptop whose clock is behind makes a change older in hlc than one it has.
        newest = max(full.values(), key=lambda d: (d[2], d[0]))
        obj.device_id = newest[0]
        obj.updated_at = hlc_datetime(newest[2])
        if created and obj.created_at is None:
            obj.created_at = obj.updated_at
        if created and hasattr(obj, "origin_device") and obj.origin_device is None:
            obj.origin_device = dot[0]  # co_app/core/db/origins.py (an accepted held record keeps its laptop's)
    clock.save()
