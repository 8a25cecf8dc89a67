"""Merging a checked sync package into a database — a laptop's, or the hub's — field by field.

The rule (also in README.md, "Export and sync"):

* A record whose id is not here is **inserted** as it came.  Check-ins and module marks have
  ids made from their natural key, so one check-in recorded on two laptops is one record.
* Of a record that is here, each **field** is taken on its own, by its dot
  (co_app/core/db/versions.py): an incoming change made *after* the local one (its laptop
  had seen the local one) replaces it; an older or the same change is skipped; two changes
  made without knowing of each other are **concurrent** — only they conflict.  Then the
  greater hlc wins, and at equal hlc the greater device id (co_app/core/sync/causality.py),
  so every database that sees both keeps the same one, and the **loser is logged** in
  ``sync_conflicts`` with both values, for the office to review and reverse.  Two laptops
  that change different fields of one person both win.
* A change dated **more than a day ahead** of this computer, from a laptop, is **held**
  (``sync_held``), not applied: it would win over every later change until its date.  The
  office accepts it (then it becomes the office's own change) or rejects it (review.py).
* Deletions travel as tombstones: ``deleted_at`` is a field like the others.

Afterwards this database holds everything the sender held: its seen vector takes the
package's, the sender's contexts are kept, and the sender is recorded as a peer with what it
holds (the base of the next export to it).  Everything happens in **one transaction**: any
problem leaves the database as it was.  Importing the same package again changes nothing.

The merge writes with SQLAlchemy Core statements, which keep the incoming dots: the ORM's
flush hook would stamp them as this device's changes.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from co_app.core.safety import audit
from co_app.core.db.base import utcnow
from co_app.core.db.engine import DEVICE_ID_KEY
from co_app.core.db import origins, versions
from co_app.core.db.models import AppMeta, SyncHeld
from co_app.core.foundation.errors import Cancelled, Notice, sentence
from co_app.core.foundation.i18n import N_
from co_app.core.sync import causality, conflict_log, peers, received, records
from co_app.core.sync import inserts as inserts_module
from co_app.core.sync.conflict_log import SAME
from co_app.core.sync.record_refusal import record_id_at, refused
from co_app.core.sync.container import PackageError
from co_app.core.sync.reader import Package

#: The columns that refer to another synced record.
PARENT_KEYS = {"participants": ("household_id",), "attendance": ("session_id", "participant_id"),
               "module_coverage": ("session_id",), "learning_answers": ("session_id", "participant_id")}
#: Values per IN list: under the 999 parameters of older SQLite builds.
IN_CHUNK = 900
#: A record dated more than this after the importing computer's clock is "from the future".
FUTURE_SLACK = timedelta(days=1)


@dataclass
class TableCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Losing versions logged (each record is also counted as updated or unchanged).
    conflicts: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
                "conflicts": self.conflicts}


@dataclass
class MergeReport:
    package: str
    device_id: str
    dry_run: bool
    tables: dict[str, TableCounts] = field(default_factory=dict)
    #: Records dated more than a day after this computer's clock: the laptop that wrote
    #: them has a wrong date; its changes are held for review rather than applied.
    future_dated: int = 0
    latest: datetime | None = None
    #: Field changes (or whole new records) held for review (sync_held).
    held: int = 0

    def total(self, what: str) -> int:
        return sum(getattr(counts, what) for counts in self.tables.values())

    @property
    def inserted(self) -> int:
        return self.total("inserted")

    @property
    def updated(self) -> int:
        return self.total("updated")

    @property
    def unchanged(self) -> int:
        return self.total("unchanged")

    @property
    def conflicts(self) -> int:
        return self.total("conflicts")

    @property
    def changes(self) -> int:
        return self.inserted + self.updated + self.conflicts

    def as_dict(self) -> dict[str, Any]:
        return {"package": self.package, "device_id": self.device_id, "dry_run": self.dry_run,
                "inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
                "conflicts": self.conflicts, "tables": {name: c.as_dict() for name, c in self.tables.items()},
                "future_dated": self.future_dated, "held": self.held,
                "latest": records.format_timestamp(self.latest) if self.latest is not None else None}


@dataclass(frozen=True)
class MergeProgress:
    done: int
    total: int
    table: str


class _Merge:
    def __init__(self, conn: Connection, package: Package, report: MergeReport) -> None:
        self.conn = conn
        self.package = package
        self.report = report
        self.now = utcnow()
        self.label = package.path.name[:200]
        self.clock = versions.Clock(conn)
        self.contexts = causality.Contexts.load(conn)
        for device, first, vector in package.manifest["contexts"]:
            self.contexts.add(device, first, vector)
        #: Only a laptop's changes are held; the office's decisions are the office's.
        self.hold_future = package.manifest["role"] == "laptop"
        #: New records held whole: a record that refers to one is held with it (it could
        #: not exist without it), so the laptop's later packages are not refused.
        self.held_records = set(conn.execute(select(SyncHeld.record_id).where(
            SyncHeld.field == "*", SyncHeld.state == "held")).scalars())
        #: Records with a field change still held: a package imported again says so again.
        self.held_fields = {(table, record) for table, record in conn.execute(select(
            SyncHeld.table_name, SyncHeld.record_id).where(SyncHeld.field != "*", SyncHeld.state == "held"))}
        #: What this database had received before this import: a change already received was
        #: applied, skipped, held or logged then; meeting it again changes nothing and is no
        #: new conflict (it may since have been overwritten by a change made after it).
        self.received = causality.seen_vector(conn, versions.meta_text(conn, DEVICE_ID_KEY) or "")
        #: The office's package is the office's state: a local change the office had received
        #: when it wrote the package was decided there (applied, overwritten, held, accepted
        #: or rejected), so the office's value replaces it — else a change the office holds
        #: would keep winning on its own laptop and never agree with the office.
        self.office_seen = package.manifest["seen"] if package.manifest["role"] == "office" else None
        self.limit_hlc = versions.now_ms() + versions.DAY_MS
        self.limit_text = records.format_timestamp(self.now + FUTURE_SLACK)
        self.applied_hlc = 0
        #: The fields changed by this import: (codec, record id, field, value, dot).
        self.applied: list[tuple[Any, str, str, Any, causality.Dot]] = []
        #: The sessions the package holds records of (its dates, in sync_received).
        self.sessions: set[str] = set()

    def note_future(self, parsed: list[dict[str, Any]]) -> None:
        """Count the records dated after tomorrow (stored text compares as text: same format)."""
        ahead = [v["updated_at"] for v in parsed if self._is_future(v)]
        if ahead:
            self.report.future_dated += len(ahead)
            latest = max(records.as_datetime(v) for v in ahead)
            if latest.tzinfo is None:
                latest = latest.replace(tzinfo=timezone.utc)
            if self.report.latest is None or latest > self.report.latest:
                self.report.latest = latest

    def bad(self, codec: records.TableCodec, line: int, problem: str | Notice,
            record_id: str | None = None) -> PackageError:
        """The whole package refused for one record: one translated sentence (``problem``: a
        Notice, or an English phrase marked with N_)."""
        return refused(self.package.path, codec.name, line, problem, record_id)

    def table(self, codec: records.TableCodec, progress: Callable[[int], None]) -> None:
        counts = self.report.tables.setdefault(codec.name, TableCounts())
        seen: set[str] = set()
        fields = versions.content_columns(codec.table)
        for batch in self.package.batches(codec.name):
            # The versions as the package's JSON gave them (parse_batch turns them into stored
            # text on SQLite): parsed once, not read back from that text.
            given = [raw.get("versions") if type(raw) is dict else None for _line, raw in batch]
            try:
                parsed = codec.parse_batch(batch)
            except records.RecordError as exc:
                line = getattr(exc, "line", 0)
                raise self.bad(codec, line, exc.notice or str(exc), record_id_at(batch, line)) from None
            ids = [values["id"] for values in parsed]
            fresh = set(ids)
            if len(fresh) != len(ids) or not seen.isdisjoint(fresh):
                raise self.bad(codec, _first_repeat(batch, ids, seen), N_("its id appears twice"))
            seen |= fresh
            self.sessions.update(ids if codec.name == "co_sessions" else
                                 (v["session_id"] for v in parsed) if "session_id" in codec.column_set else ())
            dots = _Dots(codec, parsed, batch, given, self)
            self.note_future(parsed)
            self.batch(codec, fields, parsed, dots, counts)
            progress(len(batch))

    def _locals(self, codec: records.TableCodec, ids: list[str]) -> dict[str, dict[str, Any]]:
        if not codec.stored and self.conn.dialect.name == "postgresql":
            return inserts_module.existing_postgres(self.conn, codec, ids)
        table = codec.table
        by_id: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), IN_CHUNK):
            chunk = ids[start:start + IN_CHUNK]
            if codec.stored:  # SQLite: no SQLAlchemy compilation of 900 parameters per query
                sql = f"{codec.select_sql} WHERE id IN ({', '.join('?' * len(chunk))})"
                found = (dict(zip(codec.columns, row)) for row in self.conn.exec_driver_sql(sql, tuple(chunk)))
                by_id.update((values["id"], values) for values in found)
            else:
                query = select(*[table.c[name] for name in codec.columns]).where(table.c.id.in_(chunk))
                by_id.update((row["id"], dict(row)) for row in self.conn.execute(query).mappings())
        return by_id

    def batch(self, codec: records.TableCodec, fields: tuple[str, ...], parsed: list[dict[str, Any]],
              dots: "_Dots", counts: TableCounts) -> None:
        by_id = self._locals(codec, [values["id"] for values in parsed])
        inserts, updates, conflicts = [], [], []
        for incoming in parsed:
            local = by_id.get(incoming["id"])
            if local is None:
                if self._all_received(dots.of(incoming)):
                    if incoming["id"] in self.held_records:
                        self.report.held += 1  # still held for review: said again, not "unchanged"
                    else:
                        counts.unchanged += 1  # made here, or held once and decided since
                    continue
                if (self.hold_future and self._is_future(incoming) and dots.any_future(incoming)) or any(
                        incoming.get(key) in self.held_records for key in PARENT_KEYS.get(codec.name, ())):
                    self._hold(codec, incoming, "*", None, dots.of(incoming), whole=True)
                    self.held_records.add(incoming["id"])
                    continue
                inserts.append(incoming)
                counts.inserted += 1
                continue
            change = self._merge_fields(codec, fields, local, incoming, dots, conflicts)
            if change is None and (codec.name, incoming["id"]) in self.held_fields and self._all_received(
                    dots.of(incoming)):
                self.report.held += 1  # a change of it still held for review (imported again)
            elif change is None:
                counts.unchanged += 1
            else:
                counts.updated += 1
                updates.append(change)
        if inserts:
            if codec.name in origins.TABLE_NAMES:  # where each session and person was created: as sent,
                for row in inserts:  # else (a package from before it travelled) from the dots
                    if row["origin_device"] is None:
                        row["origin_device"] = origins.origin_of(dots.of(row), row["created_at"])
            inserts_module.insert(self.conn, codec, inserts, self.clock.next_seq)
            newest = max(records.as_datetime(row["updated_at"]) for row in inserts)
            self.applied_hlc = max(self.applied_hlc, int(newest.replace(tzinfo=timezone.utc).timestamp() * 1000))
        if updates:
            table = codec.table
            for row in updates:  # rows change different fields: one statement each
                target = row.pop("_target")
                self.conn.execute(update(table).where(table.c.id == target).values(**row))
        counts.conflicts += conflict_log.log(self.conn, codec.name, [c for c in conflicts if c["winner"] != SAME])
        conflict_log.log(self.conn, codec.name, [c for c in conflicts if c["winner"] == SAME])
        conflict_log.reopen(self.conn, self.applied, self.contexts)
        self.applied.clear()

    def _all_received(self, dots: dict[str, Any]) -> bool:
        return bool(dots) and all(0 < d[1] <= self.received.get(d[0], 0) for d in dots.values())

    def _is_future(self, incoming: dict[str, Any]) -> bool:
        when = incoming["updated_at"]
        return when > self.limit_text if isinstance(when, str) else when > self.now + FUTURE_SLACK

    def _merge_fields(self, codec: records.TableCodec, fields: tuple[str, ...], local: dict[str, Any],
                      incoming: dict[str, Any], dots: "_Dots", conflicts: list) -> dict[str, Any] | None:
        """The update that brings ``local`` up to ``incoming`` field by field (None: nothing
        to change); concurrent changes go to ``conflicts``, future ones are held."""
        stored_dots = _loads(local["versions"])
        given = dots.of(incoming)
        if stored_dots == given and local["created_at"] == incoming["created_at"]:
            return None  # the same versions of every field: the same record (a package seen before)
        local_dots = versions.expand(stored_dots, fields)
        incoming_dots = versions.expand(given, fields)
        changed: dict[str, Any] = {}
        for name in fields:
            raw = incoming_dots.get(name)
            if raw is None:
                continue
            new = causality.as_dot(raw)
            old = causality.as_dot(local_dots[name]) if name in local_dots else None
            if (self.office_seen is not None and old is not None and old != new
                    and 0 < old[1] <= self.office_seen.get(old[0], 0)):
                verdict = causality.APPLY  # the office decided, knowing the local change
            elif 0 < new[1] <= self.received.get(new[0], 0):
                continue  # received before: its fate was decided then
            else:
                verdict = causality.resolve(old, new, self.contexts)
            if verdict == causality.SKIP:
                continue
            # Two laptops that wrote the same value lost nothing: the loser is kept as "absorbed"
            # (reviewed, out of the officer's list) and reopened if the kept change is later
            # overwritten by one its laptop did not know (conflict_log.reopen).
            same = local[name] == incoming[name]
            if verdict == causality.LOSE:
                conflicts.append(self._conflict(codec, local["id"], name, SAME if same else "local", local[name],
                                                old, incoming[name], new))
                continue
            if self.hold_future and new[2] > self.limit_hlc:
                self._hold(codec, incoming, name, incoming[name], raw)
                continue
            if verdict == causality.WIN and old is not None:
                conflicts.append(self._conflict(codec, local["id"], name, SAME if same else "incoming",
                                                incoming[name], new, local[name], old))
            self.applied.append((codec, local["id"], name, incoming[name], new))
            changed[name] = incoming[name]
            local_dots[name] = list(new)
            self.applied_hlc = max(self.applied_hlc, new[2])
        created = min(local["created_at"], incoming["created_at"])
        if not changed and created == local["created_at"]:
            return None
        newest = max((causality.as_dot(d) for d in local_dots.values()), key=lambda d: (d[2], d[0]))
        when = versions.hlc_datetime(newest[2])
        merged = versions.compact(local_dots)
        changed.update(versions=json.dumps(merged) if codec.stored else merged,
                       updated_at=records.format_timestamp(when) if codec.stored else when,
                       device_id=newest[0], created_at=created, sync_seq=self.clock.next_seq(),
                       _target=local["id"])
        return changed

    def _hold(self, codec: records.TableCodec, incoming: dict[str, Any], name: str, value: Any, dot: Any,
              whole: bool = False) -> None:
        canonical = codec.canonical(incoming) if whole else None
        self.conn.execute(SyncHeld.__table__.insert().values(
            held_at=self.now, table_name=codec.name, record_id=incoming["id"], field=name,
            value=None if whole else codec.field_canonical(name, value),
            dot=dot, record=canonical, package=self.label, state="held"))
        self.report.held += 1

    def _conflict(self, codec: records.TableCodec, record_id: str, name: str, side: str, win_value: Any,
                  win_dot: causality.Dot, lose_value: Any, lose_dot: causality.Dot) -> dict[str, Any]:
        return conflict_log.entry(codec, record_id, name, side, win_value, win_dot, lose_value, lose_dot,
                                  now=self.now, package=self.label)

    def finish(self) -> None:
        """This database now holds what the sender held (peers.py), the laptop's conflicts
        join this log, and the hlc goes past what was applied."""
        manifest = self.package.manifest
        own = versions.meta_text(self.conn, DEVICE_ID_KEY) or ""
        peers.learn_seen_and_contexts(self.conn, manifest, own)
        for table, entries in conflict_log.from_laptop(manifest, now=self.now, package=self.label).items():
            self.report.tables.setdefault(table, TableCounts()).conflicts += conflict_log.log(
                self.conn, table, entries)
        peers.remember_peer(self.conn, manifest, self.package.sender, self.label)
        received.record(self.conn, manifest, {k: self.report.total(k) for k in ("inserted", "updated", "unchanged",
                        "conflicts")}, self.sessions, self.label, self.now)
        self.clock.observe(self.applied_hlc)
        self.clock.save()


class _Dots:
    """The incoming records' versions, parsed once (stored records carry them as text)."""

    def __init__(self, codec: records.TableCodec, parsed: list[dict[str, Any]], batch: list, given: list,
                 merge: _Merge) -> None:
        self._cache: dict[str, dict[str, Any]] = {}
        self.merge = merge
        self.codec = codec
        columns = codec.column_set
        for (line, _raw), values, dots in zip(batch, parsed, given):
            if not _valid_dots(dots, columns):
                raise merge.bad(codec, line, N_("its field versions are not valid"))
            self._cache[values["id"]] = dots

    def of(self, values: dict[str, Any]) -> dict[str, Any]:
        return self._cache[values["id"]]

    def any_future(self, values: dict[str, Any]) -> bool:
        return any(int(d[2]) > self.merge.limit_hlc for d in self.of(values).values())


def _valid_dots(dots: Any, columns: frozenset[str]) -> bool:
    """Every field's dot is [device id, counter, hlc] with a counter and hlc in range."""
    if type(dots) is not dict or not dots.keys() <= columns | {""}:
        return False
    for dot in dots.values():
        if type(dot) is not list or len(dot) != 3:
            return False
        device, counter, hlc = dot
        if (type(device) is not str or type(counter) is not int or type(hlc) is not int or len(device) > 36
                or not 0 <= counter < 2**62 or not 0 <= hlc < 2**62):
            return False
    return True


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _first_repeat(batch: list[tuple[int, Any]], ids: list[str], seen: set[str]) -> int:
    """The line of the first record whose id came before (in this batch or an earlier one)."""
    earlier = set(seen)
    for (line, _), record_id in zip(batch, ids):
        if record_id in earlier:
            return line
        earlier.add(record_id)
    return 0


def merge_package(engine: Engine, package: Package, *, dry_run: bool = False,
                  progress: Callable[[MergeProgress], None] | None = None,
                  cancel: threading.Event | None = None) -> MergeReport:
    """Merge ``package`` (already opened and checked) into the database behind ``engine``.

    With ``dry_run`` everything is computed inside the transaction, which is then rolled
    back: the report says what an import would change, and nothing is written.
    """
    report = MergeReport(package.path.name, package.device_id, dry_run)
    total = sum(package.counts.values())
    done = 0

    def step(count: int) -> None:
        nonlocal done
        if cancel is not None and cancel.is_set():
            raise Cancelled(sentence(N_("Importing {path} was cancelled; nothing was changed."), path=package.path))
        done += count
        if progress:
            progress(MergeProgress(done, total, current))

    try:
        with engine.connect() as conn:
            transaction = conn.begin()
            try:
                # A first write takes the database's write lock (SQLite) or the row lock
                # (PostgreSQL) now, so what the merge reads cannot change under it.
                conn.execute(update(AppMeta.__table__).where(AppMeta.key == DEVICE_ID_KEY)
                             .values(value=AppMeta.value))
                merge = _Merge(conn, package, report)
                for codec in records.codecs_for(conn).values():
                    current = codec.name
                    merge.table(codec, step)
                merge.finish()
                if not dry_run:
                    _audit(conn, report)
            except BaseException:
                transaction.rollback()
                raise
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
    except IntegrityError as exc:
        reason = _short(exc)
        if "foreign key" not in reason.lower():
            raise PackageError(sentence(N_("The sync package {path} clashes with records in this database "
                                           "({reason}). Nothing was imported."),
                                        path=package.path, reason=reason)) from None
        raise PackageError(
            sentence(N_("The sync package {path} refers to records that are neither in it nor in this database (an "
                        "incremental package whose earlier packages were not imported here?). Import those first, or "
                        "a full package from that laptop. Nothing was imported."), path=package.path)) from None
    except SQLAlchemyError as exc:
        raise PackageError(sentence(N_("Importing {path} failed: {problem}. Nothing was imported."),
                                    path=package.path, problem=_short(exc))) from None
    return report


def _audit(conn: Connection, report: MergeReport) -> None:
    with Session(bind=conn) as db:
        db.info["device_id"] = conn.execute(select(AppMeta.value).where(AppMeta.key == DEVICE_ID_KEY)).scalar() or ""
        audit.record(db, "sync_import", subject=report.device_id,
                     detail=(f"sync package {report.package}: inserted {report.inserted}, updated {report.updated}, "
                             f"unchanged {report.unchanged}, conflicts {report.conflicts}"), commit=False)
        db.flush()


def _short(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]

