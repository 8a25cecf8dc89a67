"""Merging a checked sync package into a database — a laptop's, or the hub's.

The rule (also in README.md, "Export and sync"):

* A record whose id is not in the database is **inserted**.  So is a check-in or a module
  mark whose natural key (session + participant, session + module) is not there either;
  when only the natural key is there — two laptops recorded the same check-in under two
  ids — the two are treated as versions of one record, kept under the local id.
* Of two versions of one record, the one with the **newer ``updated_at`` wins**; when both
  were changed at the same instant, the **greater ``device_id``** wins (plain text order),
  so every database that sees both versions picks the same one.  The same ``updated_at``
  *and* device means the same version: **unchanged**.
* When the versions differ in content and were last changed by different devices (or are
  two ids for one check-in), the **loser is kept in ``sync_conflicts``** with all its
  fields, for the programme office to review.  A version that another device simply edited
  later is kept too: the log errs on the side of losing nothing.
* Deletions travel as tombstones (``deleted_at`` set) and follow the same rule.

Everything happens in **one transaction**: any problem leaves the database as it was.
Importing the same package again changes nothing (every record is then unchanged, and a
conflict already logged is not logged twice).

The merge writes with SQLAlchemy Core statements, which keep the incoming ``updated_at``
and ``device_id``: the ORM's flush hook would stamp them with this device and this time.
"""

from __future__ import annotations

import threading
from operator import itemgetter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from co_app.core.safety import audit
from co_app.core.db.base import utcnow
from co_app.core.db.engine import DEVICE_ID_KEY
from co_app.core.db.models import AppMeta, SyncConflict
from co_app.core.foundation.errors import Cancelled
from co_app.core.sync import records
from co_app.core.sync.container import PackageError
from co_app.core.sync.reader import Package

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
    #: them has a wrong date, and they win over every later change until then.
    future_dated: int = 0
    latest: datetime | None = None

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
                "future_dated": self.future_dated,
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

    def note_future(self, parsed: list[dict[str, Any]]) -> None:
        """Count the records dated after tomorrow (stored text compares as text: same format)."""
        limit = self.now + FUTURE_SLACK
        limit_text = records.format_timestamp(limit)
        ahead = [v["updated_at"] for v in parsed
                 if (v["updated_at"] > limit_text if isinstance(v["updated_at"], str) else v["updated_at"] > limit)]
        if ahead:
            self.report.future_dated += len(ahead)
            latest = max(records.as_datetime(v) for v in ahead)
            if latest.tzinfo is None:
                latest = latest.replace(tzinfo=timezone.utc)
            if self.report.latest is None or latest > self.report.latest:
                self.report.latest = latest

    def bad(self, codec: records.TableCodec, line: int, problem: str) -> PackageError:
        return PackageError(f"The sync package {self.package.path} was refused: record {line} of "
                            f"{codec.name}.jsonl is not valid ({problem}). Nothing was imported.")

    def table(self, codec: records.TableCodec, progress: Callable[[int], None]) -> None:
        counts = self.report.tables.setdefault(codec.name, TableCounts())
        seen: set[str] = set()
        for batch in self.package.batches(codec.name):
            try:
                parsed = codec.parse_batch(batch)
            except records.RecordError as exc:
                raise self.bad(codec, getattr(exc, "line", 0), str(exc)) from None
            ids = [values["id"] for values in parsed]
            fresh = set(ids)
            if len(fresh) != len(ids) or not seen.isdisjoint(fresh):
                raise self.bad(codec, _first_repeat(batch, ids, seen), "its id appears twice")
            seen |= fresh
            self.note_future(parsed)
            self.batch(codec, parsed, counts)
            progress(len(batch))

    def _locals(self, codec: records.TableCodec, parsed: list[dict[str, Any]]) -> tuple[dict, dict]:
        table = codec.table
        by_id: dict[str, dict[str, Any]] = {}
        ids = [values["id"] for values in parsed]
        for start in range(0, len(ids), IN_CHUNK):
            chunk = ids[start:start + IN_CHUNK]
            if codec.stored:  # SQLite: no SQLAlchemy compilation of 900 parameters per query
                sql = f"{codec.select_sql} WHERE id IN ({', '.join('?' * len(chunk))})"
                found = (dict(zip(codec.columns, row)) for row in self.conn.exec_driver_sql(sql, tuple(chunk)))
                by_id.update((values["id"], values) for values in found)
            else:
                query = select(table).where(table.c.id.in_(chunk))
                by_id.update((row["id"], dict(row)) for row in self.conn.execute(query).mappings())
        by_key: dict[tuple, dict[str, Any]] = {}
        if codec.natural_key:
            # Both key columns are in one unique index: "a IN (…) AND b IN (…)" probes it
            # (a row-value IN list would scan); the few extra rows are filtered here.
            first, second = codec.natural_key
            wanted = {(v[first], v[second]) for v in parsed if v["id"] not in by_id}
            firsts = sorted({key[0] for key in wanted})
            seconds = sorted({key[1] for key in wanted})
            size_a = max(1, min(len(firsts), IN_CHUNK // 2))
            size_b = IN_CHUNK - size_a
            for i in range(0, len(firsts), size_a):
                for j in range(0, len(seconds), size_b):
                    query = select(table).where(table.c[first].in_(firsts[i:i + size_a]),
                                                table.c[second].in_(seconds[j:j + size_b]))
                    for row in self.conn.execute(query).mappings():
                        key = (row[first], row[second])
                        if key in wanted:
                            by_key[key] = dict(row)
        return by_id, by_key

    def batch(self, codec: records.TableCodec, parsed: list[dict[str, Any]], counts: TableCounts) -> None:
        by_id, by_key = self._locals(codec, parsed)
        inserts, updates, conflicts = [], [], []
        for incoming in parsed:
            local = by_id.get(incoming["id"])
            if local is None and codec.natural_key:
                local = by_key.get(tuple(incoming[n] for n in codec.natural_key))
            if local is None:
                inserts.append(incoming)
                counts.inserted += 1
                continue
            incoming_version = (incoming["updated_at"], incoming["device_id"])
            local_version = (local["updated_at"], local["device_id"])
            if incoming_version == local_version:
                counts.unchanged += 1
                continue
            if incoming_version > local_version:
                counts.updated += 1
                row = {name: value for name, value in incoming.items() if name != "id"}
                row["_target"] = local["id"]
                updates.append(row)
                winner, loser, side = incoming, local, "incoming"
            else:
                counts.unchanged += 1
                winner, loser, side = local, incoming, "local"
            if self._is_conflict(codec, winner, loser):
                conflicts.append(self._conflict(codec, local["id"], side, winner, loser))
        if inserts and codec.stored:
            row_tuple = itemgetter(*codec.columns)
            self.conn.exec_driver_sql(codec.insert_sql, [row_tuple(row) for row in inserts])
        elif inserts:
            self.conn.execute(codec.table.insert(), inserts)
        if updates:
            table = codec.table
            self.conn.execute(update(table).where(table.c.id == bindparam("_target")), updates)
        counts.conflicts += self._log(codec, conflicts)

    @staticmethod
    def _is_conflict(codec: records.TableCodec, winner: dict, loser: dict) -> bool:
        if winner["device_id"] == loser["device_id"] and winner["id"] == loser["id"]:
            return False  # the same device changed it again: an ordinary update
        win, lose = codec.content(winner), codec.content(loser)
        win.pop("id")
        lose.pop("id")
        return win != lose

    def _conflict(self, codec: records.TableCodec, record_id: str, side: str, winner: dict,
                  loser: dict) -> dict[str, Any]:
        return {"detected_at": self.now, "table_name": codec.name, "record_id": record_id, "winner": side,
                "winner_updated_at": records.as_datetime(winner["updated_at"]),
                "winner_device_id": winner["device_id"],
                "loser_updated_at": records.as_datetime(loser["updated_at"]), "loser_device_id": loser["device_id"],
                "loser_data": codec.canonical(loser), "package": self.label, "reviewed": False}

    def _log(self, codec: records.TableCodec, conflicts: list[dict[str, Any]]) -> int:
        """Log the losing versions not logged before; returns how many were new."""
        if not conflicts:
            return 0
        log = SyncConflict.__table__
        ids = list({c["record_id"] for c in conflicts})
        known = {(row.record_id, row.loser_updated_at, row.loser_device_id) for row in self.conn.execute(
            select(log.c.record_id, log.c.loser_updated_at, log.c.loser_device_id)
            .where(log.c.table_name == codec.name, log.c.record_id.in_(ids)))}
        fresh = []
        for conflict in conflicts:
            key = (conflict["record_id"], conflict["loser_updated_at"], conflict["loser_device_id"])
            if key not in known:
                known.add(key)
                fresh.append(conflict)
        if fresh:
            self.conn.execute(log.insert(), fresh)
        return len(fresh)


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
            raise Cancelled(f"Importing {package.path} was cancelled; nothing was changed.")
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
            raise PackageError(f"The sync package {package.path} clashes with records in this database "
                               f"({reason}). Nothing was imported.") from None
        raise PackageError(
            f"The sync package {package.path} refers to records that are neither in it nor in this database "
            "(an incremental package whose earlier packages were not imported here?). Import those first, or "
            "a full package from that laptop. Nothing was imported.") from None
    except SQLAlchemyError as exc:
        raise PackageError(f"Importing {package.path} failed: {_short(exc)}. Nothing was imported.") from None
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

