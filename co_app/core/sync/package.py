"""Writing a sync package: every synced record changed since the last export (or all of
them), deletions included as tombstones, in one file.

Inside, a zip holds ``manifest.json`` and one ``<table>.jsonl`` per table (a record per
line, see ``records``).  The manifest names the format version, the schema version, the
device, the creation time, the record counts and the SHA-256 of every member.  When any
record identifies a person (``records.PERSONAL_TABLES``), the zip is encrypted with a
passphrase (``container``) — in practice, always.

An incremental export never looks at a clock: it takes every record whose last change
arrived in this database (``sync_seq``, co_app/core/db/versions.py) after what the other
side is known to hold — what the office said it held in its newest package, for a laptop;
what every laptop said, for the office.  Until the other side has answered, an export holds
everything: a lost package, a clock put right or an export cut short lose nothing.  The
manifest carries what this database holds of every device (its *seen vector*) and the
contexts of the changes in it (co_app/core/sync/causality.py), so the receiver can tell
which of two changes of a field came first.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import threading
import zipfile
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from co_app import __version__
from co_app.core.safety import audit
from co_app.core.db import glance
from co_app.core.db.base import utcnow
from co_app.core.db import identity, versions
from co_app.core.db.models import AppMeta, SyncConflict, SyncExport, SyncPeer
from co_app.core.db.plain import raw_connection
from co_app.core.db.revision import HEAD_REVISION
from co_app.core.foundation.errors import Cancelled, sentence
from co_app.core.sync import causality, records
from co_app.core.foundation.fileio import atomic_output
from co_app.core.sync.container import PackageError
from co_app.core.foundation.i18n import N_

FORMAT_NAME = "welcoming-communities-co-sync"
#: 2: field-level versions, counters and seen vectors (schema 0005).  1 was whole records
#: ordered by their clocks; such packages are refused (reader.py says what to do).
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
SUFFIX = ".cosync"
#: The start time of the last successful export, in app_meta (canonical UTC text).
LAST_EXPORT_KEY = glance.LAST_EXPORT_KEY
#: The plain zip stays in memory up to this size before it spills to a private temp file.
SPOOL_BYTES = 128 << 20


def member_name(table: str) -> str:
    return f"{table}.jsonl"


@dataclass(frozen=True)
class ExportProgress:
    done: int
    total: int
    table: str


@dataclass(frozen=True)
class ExportResult:
    path: Path
    kind: str  # "full" or "incremental"
    #: The records above this place in the arrival order (0: all of them).
    from_seq: int
    created_at: datetime
    counts: dict[str, int]
    tombstones: dict[str, int]
    encrypted: bool
    size: int = 0
    manifest: dict[str, Any] = field(default_factory=dict, repr=False)
    #: The package was written but not noted in the database (its audit entry, what it
    #: held): a sentence; the file stays, and the next package carries its changes again.
    warning: str | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "kind": self.kind, "from_seq": self.from_seq,
                "created_at": records.format_timestamp(self.created_at), "records": self.counts,
                "tombstones": self.tombstones, "total": self.total, "encrypted": self.encrypted, "bytes": self.size,
                "warning": self.warning}


def last_export_time(db: Session) -> datetime | None:
    value = db.scalar(select(AppMeta.value).where(AppMeta.key == LAST_EXPORT_KEY))
    return records.parse_timestamp(value) if value else None


def export_base(conn: Any, own_role: str) -> int:
    """The place in the arrival order above which the other side may lack records: the
    smallest that any peer of the other role acknowledged (0, everything, when one has not
    answered yet or there is none)."""
    other = "office" if own_role == "laptop" else "laptop"
    acked = [seq for (seq,) in conn.execute(select(SyncPeer.acked_seq).where(SyncPeer.role == other))]
    return min(acked) if acked else 0


def pending_changes(db: Session) -> int:
    """How many synced records changed after the last export (all of them before the first);
    the query Home runs without the ORM (``glance.pending_changes``), on this session.  On
    the office's PostgreSQL hub the same count, written with SQLAlchemy."""
    if db.get_bind().dialect.name == "sqlite":
        return glance.pending_changes(raw_connection(db))
    from sqlalchemy import func, union_all

    from co_app.core.db.models import SYNCED_MODELS

    exported = db.scalar(select(func.max(union_all(
        select(func.max(SyncExport.seq_max).label("seq")),
        select(func.max(SyncPeer.acked_seq)).where(SyncPeer.role == "office")).subquery().c.seq)))
    device = db.scalar(select(AppMeta.value).where(AppMeta.key == glance.DEVICE_ID_KEY))
    total = 0
    for model in SYNCED_MODELS:
        query = select(func.count()).select_from(model)
        if device is not None:
            query = query.where(model.device_id == device)
        if exported is not None:
            query = query.where(model.sync_seq > exported)
        total += int(db.scalar(query) or 0)
    return total


def _check_cancel(cancel: threading.Event | None, out: Path) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled(sentence(N_("Writing the sync package {out} was cancelled; nothing was written."), out=out))


def _write_member(zf: zipfile.ZipFile, writer: ThreadPoolExecutor, conn: Any, table: Any, from_seq: int, done: int,
                  total: int, progress: Callable[[ExportProgress], None] | None,
                  check_cancel: Callable[[], None]) -> tuple[int, dict[str, Any]]:
    """One table's changed records into its zip member, batch by batch: deflating and
    hashing (which release the GIL) run on ``writer`` while SQLite reads the next batch.
    Returns the running count of records written and the member's manifest entry."""
    name = member_name(table.name)
    digest, size, lines = hashlib.sha256(), 0, 0
    with zf.open(name, "w", force_zip64=True) as member:
        pending: deque[Future] = deque()
        try:
            for batch in records.json_lines(conn, table, from_seq):
                check_cancel()
                data = ("\n".join(batch) + "\n").encode("utf-8")
                pending.append(writer.submit(_write_hashed, member, digest, data))
                if len(pending) > 2:  # at most two batches in memory, waiting
                    pending.popleft().result()
                size += len(data)
                lines += len(batch)
                done += len(batch)
                if progress:
                    progress(ExportProgress(done, total, table.name))
        finally:
            wait(pending)  # the member closes only once nothing writes to it
        for future in pending:
            future.result()
    return done, {"member": name, "records": lines, "bytes": size, "sha256": digest.hexdigest()}


def export_package(engine: Engine, device_id: str, out: Path, *, passphrase: str | None, full: bool = False,
                   progress: Callable[[ExportProgress], None] | None = None,
                   cancel: threading.Event | None = None) -> ExportResult:
    """Write the package to ``out`` (atomically) and remember this export for the next one.

    Without ``passphrase`` the package is sealed with keys (co_app/core/sync/keyed.py): a
    laptop's to its enrolled office, the office's to every laptop it enrolled, and signed.
    With one it is a hand-over between laptops, locked with that passphrase (the office
    refuses those).  Raises ``PackageError`` when there is nobody to seal it for,
    ``PassphraseError`` for a passphrase too short, ``Cancelled`` when ``cancel`` is set
    (nothing is written then), ``OutputFileError`` when ``out`` cannot be written.
    """
    # Here, not at the top: the cryptography library costs 7 MB of memory and import time
    # that nobody needs until a package is written.
    from co_app.core.sync.container import check_passphrase_strength, encrypt_file
    from co_app.core.sync.keyed import write_keyed

    out = Path(out)
    if passphrase:
        check_passphrase_strength(passphrase)
    started = utcnow()
    with engine.connect() as conn, conn.begin():  # one snapshot for counts and records
        own_role = identity.role(conn)
        sealing = None if passphrase else _sealing(conn, own_role)
        from_seq = 0 if full else export_base(conn, own_role)
        counts = {t.name: records.count_changed(conn, t, from_seq) for t in records.TABLES}
        tombstones = {t.name: records.count_tombstones(conn, t, from_seq) for t in records.TABLES}
        total = sum(counts.values())
        members: dict[str, dict[str, Any]] = {}
        seen = causality.seen_vector(conn, device_id)
        seq_max = versions.meta_int(conn, versions.SEQ_KEY) or 0
        # Deflating and hashing (which release the GIL) run on a second thread while SQLite
        # writes the next batch: the two halves take about as long as each other.
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool, \
                ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-export") as writer:
            done = 0
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
                for table in records.TABLES:
                    done, members[table.name] = _write_member(zf, writer, conn, table, from_seq, done, total,
                                                              progress, lambda: _check_cancel(cancel, out))
                    members[table.name]["tombstones"] = tombstones[table.name]
                manifest = _manifest(conn, device_id, own_role, started, from_seq, seq_max, seen, members)
                zf.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
            _check_cancel(cancel, out)
            data_dir = Path(engine.url.database).parent if engine.dialect.name == "sqlite" else None
            with atomic_output(out, data_dir=data_dir) as fh:
                if passphrase:
                    encrypt_file(spool, fh, passphrase, cancel=lambda: _check_cancel(cancel, out))
                else:
                    own, recipients = sealing
                    write_keyed(spool, fh, own, recipients, cancel=lambda: _check_cancel(cancel, out))
                size = fh.tell()
    counts = {name: m["records"] for name, m in members.items()}
    warning = audit.after_written(out, lambda: _remember_export(engine, started, out, counts, manifest["kind"],
                                                                 seq_max, seen))
    return ExportResult(out, manifest["kind"], from_seq, started, counts, tombstones, True, size, manifest, warning)


def _manifest(conn: Any, device_id: str, own_role: str, started: datetime, from_seq: int, seq_max: int,
              seen: dict[str, int], members: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What the package says about itself, its maker and what its maker holds."""
    return {
        "format": FORMAT_NAME, "format_version": FORMAT_VERSION, "schema_version": HEAD_REVISION,
        "app_version": __version__, "device_id": device_id, "device_name": identity.device_name(conn),
        "role": own_role, "predecessors": identity.predecessors(conn),
        "created_at": records.format_timestamp(started),
        "kind": "incremental" if from_seq else "full", "from_seq": from_seq, "seq_max": seq_max,
        "seen": seen, "contexts": [[d, first, dict(v)] for d, first, v in causality.Contexts.load(conn).rows()],
        "conflicts": _conflicts_for_office(conn) if own_role == "laptop" else [],
        "encrypted": True, "tables": members,
    }


#: A laptop's conflict log travels to the office (a value lost on the laptop, when the
#: laptop imported the office's package, would otherwise never reach the office's log).
MAX_SHIPPED_CONFLICTS = 2000


def _conflicts_for_office(conn: Any) -> list[dict[str, Any]]:
    log = SyncConflict.__table__
    rows = conn.execute(select(log.c.table_name, log.c.record_id, log.c.field, log.c.winner_value,
                               log.c.loser_data, log.c.winner_dot, log.c.loser_dot)
                        .where(log.c.field.is_not(None)).order_by(log.c.id.desc()).limit(MAX_SHIPPED_CONFLICTS))
    # The JSON columns come back as Python values (SQLAlchemy's JSON type reads them).
    return [{"table": table, "record_id": record_id, "field": name, "winner_value": winner_value,
             "loser_value": (loser_data or {}).get(name), "winner_dot": winner_dot, "loser_dot": loser_dot}
            for table, record_id, name, winner_value, loser_data, winner_dot, loser_dot in rows]


def _sealing(conn: Any, own_role: str) -> tuple[Any, list[Any]]:
    """This database's keys and the recipients of a keyed package, or a PackageError."""
    from co_app.core.sync.keys import PublicKeys, enrolled_office, own_keys, unb64

    own = own_keys(conn)
    if own_role == "laptop":
        office = enrolled_office(conn)
        if office is None:
            raise PackageError(sentence(N_("This laptop is not enrolled with an office yet, so there is no key to "
                                           "seal its package for: enrol it with the office's key file (sync enrol "
                                           "FILE), or give a passphrase for a hand-over to another laptop.")))
        return own, [office]
    laptops = [PublicKeys(device, name, "laptop", unb64(sign), unb64(box)) for device, name, sign, box in
               conn.execute(select(SyncPeer.device_id, SyncPeer.name, SyncPeer.sign_key, SyncPeer.box_key)
                            .where(SyncPeer.role == "laptop", SyncPeer.box_key.is_not(None)))]
    if not laptops:
        raise PackageError(sentence(N_("No laptop is enrolled with this office yet: import a package from each "
                                       "laptop first (its key is enrolled then).")))
    return own, laptops


def _write_hashed(member: Any, digest: Any, data: bytes) -> None:
    member.write(data)
    digest.update(data)


def _remember_export(engine: Engine, started: datetime, out: Path, counts: dict[str, int], kind: str,
                     seq_max: int, seen: dict[str, int]) -> None:
    """What the export held (so an answer can acknowledge it), its time (shown to the
    user, never used to choose records) and the audit entry, in one transaction."""
    with Session(engine) as db, db.begin():
        db.add(SyncExport(created_at=started, seq_max=seq_max, vector=seen, file_name=out.name[:200]))
        row = db.get(AppMeta, LAST_EXPORT_KEY)
        stamp = records.format_timestamp(started)
        if row is None:
            db.add(AppMeta(key=LAST_EXPORT_KEY, value=stamp))
        else:
            row.value = stamp
        db.info["device_id"] = _device_id(db)
        audit.record(db, "sync_export", detail=f"{kind} sync package {out.name}: {sum(counts.values())} records",
                     commit=False)


def _device_id(db: Session) -> str:
    from co_app.core.db.engine import DEVICE_ID_KEY

    return db.scalar(select(AppMeta.value).where(AppMeta.key == DEVICE_ID_KEY)) or ""
