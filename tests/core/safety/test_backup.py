"""Backups: the online backup API, the daily rule, rotation, integrity and restore."""

from __future__ import annotations

import sqlite3
import stat
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from co_app.core.safety import backup

from co_app.core.sessions import service as sessions
from co_app.core.safety.audit import entries
from co_app.core.safety.backup import BackupError
from co_app.core.bootstrap import bootstrap
from co_app.core.db.engine import open_database
from co_app.core.db.models import AttendanceRecord, Participant

T0 = datetime(2026, 5, 9, 8, 30, tzinfo=timezone.utc)


def _seed(db, *, sessions_n: int, people: int, day: date = date(2026, 5, 9)) -> list[str]:
    ids = []
    with db.session() as s:
        for n in range(sessions_n):
            summary = sessions.create_session(s, day=day, place=f"Room {n}", facilitator="F", language="ar",
                                              destination_towns=["germany-jena"])
            ids.append(summary.id)
        for n in range(people):
            person = Participant(given_name=f"Given{n}", family_name="Family", case_number=f"CASE-{n}")
            s.add(person)
            s.flush()
            s.add(AttendanceRecord(session_id=ids[0], participant_id=person.id))
        s.commit()
    return ids


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def data(tmp_path: Path):
    db_path, backups = tmp_path / "co.sqlite3", tmp_path / "backups"
    db = open_database(db_path)
    yield db, db_path, backups
    db.dispose()


def test_a_backup_is_a_checked_owner_only_copy_named_with_time_and_reason(data) -> None:
    db, db_path, backups = data
    _seed(db, sessions_n=2, people=3)
    made = backup.make_backup(db_path, backups, "manual", now=T0)
    assert made.name == "co_app-20260509T083000Z-manual.sqlite3"
    assert _mode(made) == 0o600 and _mode(backups) == 0o700
    assert backup.check_integrity(made)
    [info] = backup.list_backups(backups)
    assert (info.reason, info.taken_at, info.size) == ("manual", T0, made.stat().st_size)
    assert (info.counts.sessions, info.counts.participants, info.counts.attendance) == (2, 3, 3)
    assert info.counts.last_session == date(2026, 5, 9) and info.counts.last_change is not None
    # A second backup in the same second gets its own name; no partial files are left behind.
    again = backup.make_backup(db_path, backups, "manual", now=T0)
    assert again != made and backup.parse_backup_name(again.name) == (T0, "manual")
    assert sorted(p.name for p in backups.iterdir()) == sorted([made.name, again.name])


def test_the_backup_sees_committed_changes_while_the_app_holds_the_database_open(data) -> None:
    db, db_path, backups = data
    _seed(db, sessions_n=1, people=0)
    with db.session() as s:  # a reader in the middle of a transaction does not block a backup
        s.execute(select(sessions.CoSession)).all()
        made = backup.make_backup(db_path, backups, "session-closed", now=T0)
    assert backup.database_counts(made).sessions == 1


def test_the_daily_backup_is_due_once_every_24_hours(data) -> None:
    _db, db_path, backups = data
    assert backup.backup_if_due(db_path, backups, now=T0) is not None
    assert backup.backup_if_due(db_path, backups, now=T0 + timedelta(hours=23, minutes=59)) is None
    assert backup.backup_if_due(db_path, backups, now=T0 + timedelta(hours=24)) is not None
    # Other reasons do not count as the day's backup.
    later = T0 + timedelta(days=3)
    backup.make_backup(db_path, backups, "session-closed", now=later)
    assert backup.backup_if_due(db_path, backups, now=later + timedelta(minutes=1)) is not None
    # A clock set back (a daily backup "from the future") does not stop today's.
    assert backup.backup_if_due(db_path, backups, now=T0 - timedelta(days=30)) is not None
    assert [b.reason for b in backup.list_backups(backups)].count("daily") == 4


def test_no_daily_backup_without_a_database(tmp_path: Path) -> None:
    assert backup.backup_if_due(tmp_path / "none.sqlite3", tmp_path / "backups", now=T0) is None
    with pytest.raises(BackupError, match="no database"):
        backup.make_backup(tmp_path / "none.sqlite3", tmp_path / "backups", "manual", now=T0)


def test_rotation_keeps_the_newest_of_each_reason(data) -> None:
    _db, db_path, backups = data
    for day in range(14):
        backup.make_backup(db_path, backups, "daily", now=T0 + timedelta(days=day))
    for n in range(25):
        backup.make_backup(db_path, backups, "session-closed", now=T0 + timedelta(minutes=n))
    (backups / "notes.txt").write_text("not a backup")  # left alone
    kept = backup.list_backups(backups)
    daily = [b.taken_at for b in kept if b.reason == "daily"]
    closed = [b.taken_at for b in kept if b.reason == "session-closed"]
    assert len(daily) == backup.KEEP["daily"] == 10 and len(closed) == backup.KEEP["session-closed"] == 20
    assert min(daily) == T0 + timedelta(days=4) and max(daily) == T0 + timedelta(days=13)
    assert min(closed) == T0 + timedelta(minutes=5)
    assert (backups / "notes.txt").exists()


def test_the_migrations_own_backups_are_listed(data) -> None:
    _db, db_path, backups = data
    backups.mkdir()
    src = sqlite3.connect(db_path)
    dst = sqlite3.connect(backups / "before-upgrade-0002_media_files-20260101-101010.sqlite3")
    src.backup(dst)
    src.close(), dst.close()
    [info] = backup.list_backups(backups)
    assert info.reason == "before-upgrade" and info.taken_at == datetime(2026, 1, 1, 10, 10, 10, tzinfo=timezone.utc)


def test_restore_replaces_the_database_and_keeps_a_copy_of_what_it_replaced(data) -> None:
    db, db_path, backups = data
    _seed(db, sessions_n=1, people=2)
    old = backup.make_backup(db_path, backups, "daily", now=T0)
    _seed(db, sessions_n=3, people=5)
    db.dispose()  # the application closes its engine first
    safety = backup.restore(old, db_path, backups, now=T0 + timedelta(hours=1))
    assert safety is not None and backup.parse_backup_name(safety.name)[1] == "before-restore"
    assert (backup.database_counts(safety).sessions, backup.database_counts(safety).participants) == (4, 7)
    restored = backup.database_counts(db_path)
    assert (restored.sessions, restored.participants, restored.attendance) == (1, 2, 2)
    assert backup.check_integrity(db_path) and _mode(db_path) == 0o600
    reopened = open_database(db_path)  # the application opens it again as usual
    with reopened.session() as s:
        assert {p.given_name for p in s.scalars(select(Participant))} == {"Given0", "Given1"}
    reopened.dispose()


def test_a_damaged_or_foreign_backup_is_refused_and_nothing_changes(data) -> None:
    db, db_path, backups = data
    _seed(db, sessions_n=2, people=0)
    db.dispose()
    backups.mkdir()
    damaged = backups / backup.backup_name("daily", T0)
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(BackupError, match="damaged"):
        backup.restore(damaged, db_path, backups)
    foreign = backups / backup.backup_name("manual", T0)
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(BackupError, match="not written by this version"):
        backup.restore(foreign, db_path, backups)
    assert backup.database_counts(db_path).sessions == 2
    assert not any(b.reason == "before-restore" for b in backup.list_backups(backups))


def test_closing_a_session_runs_the_backup_hook_once(tmp_path: Path) -> None:
    services = bootstrap(tmp_path / "data", language="en")
    try:
        [session_id] = _seed(services.db, sessions_n=1, people=1)
        with services.db.session() as s:
            sessions.close_session(s, session_id, after_close=lambda: services.backup_now("session-closed"))
            sessions.close_session(s, session_id, after_close=lambda: services.backup_now("session-closed"))
        [info] = backup.list_backups(services.paths.backups)
        assert info.reason == "session-closed" and info.counts.sessions == 1
        with services.db.session() as s:
            [line] = entries(s, action="backup")
        assert "session-closed" in line.detail and "Given0" not in line.detail
    finally:
        services.close()


def test_services_restore_reopens_the_database_and_audits_it(tmp_path: Path) -> None:
    services = bootstrap(tmp_path / "data", language="en")
    try:
        _seed(services.db, sessions_n=1, people=1)
        first = services.backup_now("manual")
        _seed(services.db, sessions_n=1, people=1)
        old_engine = services.db.engine
        safety = services.restore_backup(first)
        assert services.db.engine is not old_engine
        assert backup.database_counts(safety).sessions == 2
        with services.db.session() as s:
            assert len(s.scalars(select(sessions.CoSession)).all()) == 1
            assert [e.action for e in entries(s)][:1] == ["restore"]
    finally:
        services.close()


def test_a_copy_half_written_when_the_power_failed_is_cleared_later(data) -> None:
    import os
    import time

    _db, db_path, backups = data
    backups.mkdir()
    stale, fresh = backups / ".co_app-x-daily.sqlite3.ab.partial", backups / ".co_app-y-daily.sqlite3.cd.partial"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"being written")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    backup.make_backup(db_path, backups, "manual", now=T0)
    assert not stale.exists() and fresh.exists()  # another backup may still be writing that one
    assert [b.reason for b in backup.list_backups(backups)] == ["manual"]


def test_the_application_takes_the_days_backup_by_the_same_rule(tmp_path: Path) -> None:
    """Services.daily_backup_if_due (what the window runs after start-up) follows the rule
    of backup_if_due and writes the audit entry of an application backup."""
    from co_app.core.bootstrap import bootstrap
    from co_app.core.db.models import AuditEntry

    services = bootstrap(tmp_path / "data")
    try:
        services.db  # noqa: B018 - creates the database
        first = services.daily_backup_if_due()
        assert first is not None and first.parent == services.paths.backups
        assert services.daily_backup_if_due() is None  # one a day
        with services.db.session() as db:
            assert [e.action for e in db.scalars(select(AuditEntry))].count("backup") == 1
    finally:
        services.close()
