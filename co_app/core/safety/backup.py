"""Backups of the database: taken through SQLite's online backup API, rotated, restorable.

A backup is a complete SQLite file in ``<data>/backups/``, named with the UTC time and the
reason it was taken — ``co_app-20260509T101500Z-daily.sqlite3`` — readable by the owner
only, and checked with ``PRAGMA integrity_check`` before it gets its final name (a backup
that would not restore is never kept under a backup's name).

When backups are taken (the callers decide; this module only keeps count):

- ``daily``: at start-up, when the newest daily backup is 24 hours old or more;
- ``session-closed``: after a facilitator closes a session (``sessions.close_session``'s
  ``after_close`` callback);
- ``manual``: "Back up now" in Settings;
- ``before-restore``: the current database, just before a restore replaces it;
- ``before-sync``: before a sync package is merged into this laptop's database (once the
  package has passed every check), so a merge can be undone;
- ``before-upgrade``: before a schema migration (``db/migrate.py``; its older files are
  named ``before-upgrade-<revision>-<stamp>.sqlite3`` and are listed too).

Rotation keeps the newest ``KEEP[reason]`` files of each reason: 10 daily, 20
session-closed, 10 manual, 5 before-restore, 10 before-sync, 5 before-upgrade.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from co_app.core.foundation.errors import CoError, sentence
from co_app.core.foundation.fileio import make_private_dirs
from co_app.core.foundation.i18n import N_

log = logging.getLogger(__name__)

#: How many backups of each reason are kept (the newest ones).
KEEP: dict[str, int] = {"daily": 10, "session-closed": 20, "manual": 10, "before-restore": 5, "before-sync": 10,
                        "before-upgrade": 5}
REASONS = tuple(KEEP)
DAILY_INTERVAL = timedelta(hours=24)

_STAMP = "%Y%m%dT%H%M%SZ"
_NAME_RE = re.compile(r"^co_app-(\d{8}T\d{6}Z)(?:-(\d+))?-([a-z-]+)\.sqlite3$")
#: What db/migrate.py writes before a schema upgrade.
_UPGRADE_RE = re.compile(r"^before-upgrade-.+-(\d{8})-(\d{6})\.sqlite3$")


class BackupError(CoError):
    """A backup could not be written, read or restored; the message says which and why."""


@dataclass(frozen=True)
class Counts:
    """What a database holds, for "what will this restore replace?" (None = unreadable)."""

    sessions: int | None
    participants: int | None
    attendance: int | None
    #: The date of the most recent session in it, and the last time a record changed.
    last_session: date | None = None
    last_change: datetime | None = None

    @property
    def readable(self) -> bool:
        return self.sessions is not None


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # aware, UTC
    reason: str
    size: int
    counts: Counts


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def backup_name(reason: str, taken_at: datetime, serial: int = 0) -> str:
    stamp = taken_at.astimezone(timezone.utc).strftime(_STAMP)
    return f"co_app-{stamp}{f'-{serial}' if serial else ''}-{reason}.sqlite3"


def parse_backup_name(name: str) -> tuple[datetime, str] | None:
    """(time taken, reason) for a file this module (or the migration) wrote; else None."""
    match = _NAME_RE.match(name)
    if match and match.group(3) in KEEP:
        return datetime.strptime(match.group(1), _STAMP).replace(tzinfo=timezone.utc), match.group(3)
    match = _UPGRADE_RE.match(name)
    if match:
        taken = datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
        return taken, "before-upgrade"
    return None


def _backups(backups_dir: Path) -> list[tuple[datetime, str, Path]]:
    """Every backup file in the folder, newest first."""
    try:
        names = os.listdir(backups_dir)
    except OSError:
        return []
    found = []
    for name in names:
        parsed = parse_backup_name(name)
        if parsed:
            found.append((parsed[0], parsed[1], backups_dir / name))
    found.sort(key=lambda item: (item[0], item[2].name), reverse=True)
    return found


def _connect_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)


def _integrity_ok(conn: sqlite3.Connection) -> bool:
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    return rows == [("ok",)]


def check_integrity(path: Path) -> bool:
    """True when ``path`` is an SQLite database that passes ``PRAGMA integrity_check``."""
    try:
        conn = _connect_readonly(path)
        try:
            return _integrity_ok(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def _copy_database(source: Path, target: Path) -> None:
    """Copy ``source`` (possibly in use) into the new file ``target`` with the backup API,
    check the copy, and leave it in rollback-journal mode so it opens read-only anywhere."""
    src = sqlite3.connect(source)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            if not _integrity_ok(dst):
                raise BackupError(sentence(N_("The backup copy {name} failed SQLite's integrity check."),
                                           name=target.name))
        finally:
            dst.close()
    finally:
        src.close()
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())


def make_backup(db_path: Path, backups_dir: Path, reason: str, *, now: datetime | None = None) -> Path:
    """Back up ``db_path`` into ``backups_dir`` now; returns the new file.  Rotates afterwards."""
    if reason not in KEEP:
        raise ValueError(f"unknown backup reason {reason!r}")
    if not db_path.is_file():
        raise BackupError(sentence(N_("There is no database to back up at {db_path}."), db_path=db_path))
    now = now or _utcnow()
    try:
        make_private_dirs(backups_dir)
    except OSError as exc:
        raise BackupError(sentence(N_("Cannot create the backups folder {backups_dir}: {reason}."),
                                   backups_dir=backups_dir, reason=exc.strerror or exc)) from exc
    _check_room(db_path, backups_dir)
    serial = 0
    while (backups_dir / backup_name(reason, now, serial)).exists():
        serial += 1  # two backups of one reason in the same second
    final = backups_dir / backup_name(reason, now, serial)
    partial = backups_dir / f".{final.name}.{os.urandom(4).hex()}.partial"
    try:
        _copy_database(db_path, partial)
        os.replace(partial, final)
    except (OSError, sqlite3.Error) as exc:
        _unlink(partial)
        reason_text = getattr(exc, "strerror", None) or str(exc)
        raise BackupError(sentence(N_("The backup of {name} could not be written: {reason}."),
                                   name=db_path.name, reason=reason_text)) from exc
    except BaseException:
        _unlink(partial)
        raise
    log.info("backup written: %s", final.name)
    rotate_backups(backups_dir)
    return final


def _check_room(db_path: Path, backups_dir: Path) -> None:
    """A backup is a copy of the database: it must not take the room the database itself needs."""
    from co_app.core.foundation.diskspace import megabytes, reserve_bytes, room_left

    needed = sum(p.stat().st_size for p in (db_path, db_path.with_name(db_path.name + "-wal")) if p.is_file())
    free = room_left(backups_dir, db_path.parent, needed)
    if free is not None:
        raise BackupError(sentence(N_("No backup of {name} was made: it needs {needed}, and the disk has "
                                      "{free} free, of which {kept} are kept for the database. Free some "
                                      "space (older backups can go), then back up again."),
                                   name=db_path.name, needed=megabytes(needed), free=megabytes(free),
                                   kept=megabytes(reserve_bytes())))


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def rotate_backups(backups_dir: Path, keep: dict[str, int] | None = None) -> list[Path]:
    """Delete all but the newest ``keep[reason]`` backups of each reason; returns the deleted."""
    keep = KEEP if keep is None else keep
    seen: dict[str, int] = {}
    deleted = _remove_stale_partials(backups_dir)
    for _taken, reason, path in _backups(backups_dir):
        seen[reason] = seen.get(reason, 0) + 1
        if seen[reason] > keep.get(reason, 0):
            try:
                path.unlink()
                deleted.append(path)
            except OSError as exc:
                log.warning("could not delete the old backup %s: %s", path.name, exc)
    return deleted


def _remove_stale_partials(backups_dir: Path, older_than_s: float = 3600) -> list[Path]:
    """Half-written copies left by a backup the power cut (never one still being written)."""
    import time

    removed = []
    for path in backups_dir.glob(".*.partial"):
        try:
            if time.time() - path.stat().st_mtime > older_than_s:
                path.unlink()
                removed.append(path)
        except OSError:
            pass
    return removed


def last_backup_time(backups_dir: Path, reason: str) -> datetime | None:
    return next((taken for taken, r, _path in _backups(backups_dir) if r == reason), None)


def backup_is_due(backups_dir: Path, now: datetime) -> bool:
    """True when no daily backup was taken in the 24 hours before ``now``.  A newest daily
    backup dated *after* ``now`` (the computer's clock was wrong) does not stop one either."""
    last = last_backup_time(backups_dir, "daily")
    return last is None or not (now - DAILY_INTERVAL < last <= now)


def backup_if_due(db_path: Path, backups_dir: Path, now: datetime | None = None, *,
                  take: Callable[[], Path] | None = None) -> Path | None:
    """The daily rule, in one place: take the day's backup when there is a database and
    none was taken in the last 24 hours; returns it or None.  ``take`` makes the backup
    (the application's audited ``Services.backup_now("daily")``), by default
    :func:`make_backup`."""
    now = now or _utcnow()
    if not db_path.is_file() or not backup_is_due(backups_dir, now):
        return None
    return take() if take is not None else make_backup(db_path, backups_dir, "daily", now=now)


# --- reading backups -----------------------------------------------------------------

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _count(conn: sqlite3.Connection, table: str) -> int:
    columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    where = " WHERE deleted_at IS NULL" if "deleted_at" in columns else ""
    return int(conn.execute(f"SELECT count(*) FROM {table}{where}").fetchone()[0])  # noqa: S608 - fixed names


def _max(conn: sqlite3.Connection, sql: str) -> str | None:
    try:
        value = conn.execute(sql).fetchone()[0]
    except sqlite3.Error:
        return None
    return value if isinstance(value, str) and _DATE_RE.match(value) else None


def database_counts(path: Path) -> Counts:
    """How many sessions, participants and attendance records ``path`` holds (read-only)."""
    try:
        conn = _connect_readonly(path)
    except sqlite3.Error:
        return Counts(None, None, None)
    try:
        sessions = _count(conn, "co_sessions")
        participants = _count(conn, "participants")
        attendance = _count(conn, "attendance")
        last_session = _max(conn, "SELECT max(session_date) FROM co_sessions WHERE deleted_at IS NULL")
        changes = [_max(conn, f"SELECT max(updated_at) FROM {t}") for t in  # noqa: S608 - fixed names
                   ("co_sessions", "participants", "attendance", "households")]
    except sqlite3.Error:
        return Counts(None, None, None)
    finally:
        conn.close()
    latest = max((c for c in changes if c), default=None)
    return Counts(
        sessions, participants, attendance,
        date.fromisoformat(last_session[:10]) if last_session else None,
        datetime.fromisoformat(latest[:19]).replace(tzinfo=timezone.utc) if latest else None,
    )


def list_backups(backups_dir: Path) -> list[BackupInfo]:
    """Every backup, newest first, with its size and what it holds."""
    infos = []
    for taken, reason, path in _backups(backups_dir):
        try:
            size = path.stat().st_size
        except OSError:
            continue
        infos.append(BackupInfo(path, taken, reason, size, database_counts(path)))
    return infos


# --- restoring -----------------------------------------------------------------------


def _revision(path: Path) -> str | None:
    try:
        conn = _connect_readonly(path)
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def check_restorable(backup: Path) -> None:
    """Raise ``BackupError`` unless ``backup`` is a sound database this version can open."""
    from co_app.core.db.revision import HEAD_REVISION

    if not backup.is_file():
        raise BackupError(sentence(N_("The backup {name} no longer exists."), name=backup.name))
    if not check_integrity(backup):
        raise BackupError(sentence(N_("The backup {name} is damaged (SQLite's integrity check failed); choose "
                                      "another one."), name=backup.name))
    revision = _revision(backup)
    known = _known_revisions()
    if revision is None or (revision != HEAD_REVISION and revision not in known):
        raise BackupError(sentence(N_("The backup {name} was not written by this version of Welcoming Communities "
                                      "CO; it cannot be restored here."), name=backup.name))


def _known_revisions() -> set[str]:
    from co_app.core.db.migrate import known_revisions  # imports Alembic: only when restoring

    return known_revisions()


def restore(backup: Path, db_path: Path, backups_dir: Path, *, now: datetime | None = None) -> Path | None:
    """Replace the database at ``db_path`` with ``backup``; returns the "before-restore"
    backup of what was replaced (None when there was no database).

    The caller must have closed every connection of its own to ``db_path`` first.  The
    replacement is one write transaction of the backup API on the destination: a power
    cut leaves either the old database or the restored one, never a mixture.
    """
    check_restorable(backup)
    safety = make_backup(db_path, backups_dir, "before-restore", now=now) if db_path.is_file() else None
    try:
        src = _connect_readonly(backup)
        try:
            dst = sqlite3.connect(db_path)
            try:
                src.backup(dst)
                dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                ok = _integrity_ok(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        if safety:
            raise BackupError(sentence(N_("The backup {backup} could not be restored: {problem}. The database was not "
                                          "changed; a copy of it is in {copy}."),
                                       backup=backup.name, problem=exc, copy=safety.name)) from exc
        raise BackupError(sentence(N_("The backup {backup} could not be restored: {problem}. The database was not "
                                      "changed."), backup=backup.name, problem=exc)) from exc
    if not ok:
        if safety:
            raise BackupError(sentence(N_("The restored database failed SQLite's integrity check; the copy taken "
                                          "just before is {copy}."), copy=safety.name))
        raise BackupError(sentence(N_("The restored database failed SQLite's integrity check; the copy taken just "
                                      "before is missing.")))
    for path in (db_path, db_path.with_name(db_path.name + "-wal"), db_path.with_name(db_path.name + "-shm")):
        if path.exists():
            os.chmod(path, 0o600)
    log.info("database restored from %s", backup.name)
    return safety
