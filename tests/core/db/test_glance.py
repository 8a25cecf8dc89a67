"""The plain-SQL reads (co_app/core/db/glance.py) against what the ORM wrote and reads, on a
real SQLite file: the pages that skip the ORM must see exactly what the others see."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from co_app.core.safety import audit

from co_app.core.db import glance

from co_app.core.sessions import service as sessions
from co_app.core.bootstrap import bootstrap
from co_app.core.db.engine import open_database
from co_app.core.db.models import SYNCED_MODELS, CoSession
from co_app.core.db.plain import connect, format_datetime, parse_datetime
from co_app.core.foundation.errors import DatabaseError
from co_app.core.safety.pin import pin_is_set, set_pin
from co_app.core.sync.package import LAST_EXPORT_KEY, export_package, pending_changes

TODAY = date(2026, 11, 24)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "co_app.sqlite3"
    open_database(path).dispose()
    return path


def test_the_synced_tables_and_keys_are_the_orms():
    from co_app.core.safety import pin
    from co_app.core.db.engine import DEVICE_ID_KEY

    assert glance.SYNCED_TABLES == tuple(model.__tablename__ for model in SYNCED_MODELS)
    assert (glance.PIN_KEY, glance.DEVICE_ID_KEY, glance.LAST_EXPORT_KEY) == (pin.PIN_KEY, DEVICE_ID_KEY,
                                                                               LAST_EXPORT_KEY)


def test_todays_sessions_read_without_the_orm_equal_the_orms(db_path: Path):
    db = open_database(db_path)
    with db.session() as s:
        first = sessions.create_session(s, day=TODAY, place="Hall, Amman", facilitator="Layla", language="ar",
                                        destination_towns=["germany-jena", "italy-biella"])
        second = sessions.create_session(s, day=TODAY, place="Şişli «hall»", facilitator="Abebe", interpreter="Ruth",
                                         language="ti", destination_towns=[])
        deleted = sessions.create_session(s, day=TODAY, place="x", facilitator="y", language="en",
                                          destination_towns=[])
        sessions.create_session(s, day=TODAY - timedelta(days=1), place="yesterday", facilitator="z",
                                language="fa_AF", destination_towns=["austria-gaenserndorf"])
        row = s.get(CoSession, deleted.id)
        row.deleted_at = datetime.now(timezone.utc)
        s.commit()
        orm_view = [sessions.get_session(s, first.id), sessions.get_session(s, second.id)]
    db.dispose()
    with connect(db_path) as conn:
        today = glance.sessions_on(conn, TODAY)
        assert glance.sessions_on(conn, TODAY + timedelta(days=1)) == []
    assert today == orm_view  # same values, same types (date, tuple), deleted one left out, in order
    assert [t.number_of_day for t in today] == [1, 2]


def test_pin_and_pending_changes_agree_with_the_orm(db_path: Path, tmp_path: Path):
    db = open_database(db_path)
    with connect(db_path) as conn:
        assert not glance.pin_is_set(conn) and glance.pending_changes(conn) == 0
        assert glance.device_id(conn) == db.device_id
    with db.session() as s:
        set_pin(s, "4821")
        sessions.create_session(s, day=TODAY, place="Hall", facilitator="Layla", language="ar",
                                destination_towns=[])
        assert pin_is_set(s) and pending_changes(s) == 1
    with connect(db_path) as conn:
        assert glance.pin_is_set(conn) and glance.pending_changes(conn) == 1
        assert glance.last_export_time(conn) is None
    export_package(db.engine, db.device_id, tmp_path / "out.cosync", passphrase="a long enough passphrase 7")
    with connect(db_path) as conn:
        assert glance.pending_changes(conn) == 0
        assert glance.last_export_time(conn) is not None
    db.dispose()


def test_counting_this_laptops_changes_reads_an_index_not_the_rows(db_path: Path, tmp_path: Path):
    """Home and the export dialog count on the GUI thread: with or without a last export,
    each table's count is answered from the (device_id, updated_at) index alone.  A
    database made before that index (revision 0003) gains it on opening, data kept."""
    from alembic import command

    from co_app.core.db.migrate import alembic_config

    queries = [(table, condition) for table in glance.SYNCED_TABLES
               for condition in ("device_id = :device", "device_id = :device AND updated_at > :since")]

    def plans(path: Path, tables: tuple[str, ...] = glance.SYNCED_TABLES) -> list[str]:
        with connect(path) as conn:
            params = {"device": glance.device_id(conn), "since": "2026-11-24 10:00:00.000000"}
            return [" ".join(str(part) for row in conn.execute(
                        f"EXPLAIN QUERY PLAN SELECT count(*) FROM {table} WHERE {condition}", params) for part in row)  # noqa: S608 - the test's own table names
                    for table, condition in queries if table in tables]

    for (table, _condition), plan in zip(queries, plans(db_path), strict=True):
        assert f"USING COVERING INDEX ix_{table}_device_id_updated_at" in plan, plan

    old = tmp_path / "old.sqlite3"
    db = open_database(old)
    with db.session() as s:
        sessions.create_session(s, day=TODAY, place="Hall", facilitator="Layla", language="ar", destination_towns=[])
    command.downgrade(alembic_config(db.engine), "0003_audit_conflicts")
    db.dispose()
    before_0004 = tuple(t for t in glance.SYNCED_TABLES if t != "learning_answers")  # that table came in 0007
    assert not any("device_id_updated_at" in plan for plan in plans(old, before_0004))
    db = open_database(old)  # upgraded on opening
    db.dispose()
    assert all("device_id_updated_at" in plan for plan in plans(old))
    with connect(old) as conn:
        assert glance.pending_changes(conn) == 1


def test_datetimes_round_trip_in_the_orms_format():
    moment = datetime(2026, 11, 24, 9, 5, 3, 120, tzinfo=timezone(timedelta(hours=3)))
    text = format_datetime(moment)
    assert text == "2026-11-24 06:05:03.000120"
    assert parse_datetime(text) == moment


def test_the_days_backup_is_audited_without_opening_the_orm(tmp_path: Path):
    bootstrap(tmp_path / "data").close()  # a first run: the database at its schema
    services = bootstrap(tmp_path / "data", open_db=False)
    target = services.backup_now("daily")
    assert not services.db_is_open
    with services.db.session() as s:
        [entry] = audit.entries(s, action="backup")
        assert entry.detail == f"daily: {target.name}" and entry.device_id == services.db.device_id
    services.close()


def test_a_damaged_or_missing_file_is_one_message_naming_it(tmp_path: Path):
    missing = tmp_path / "nowhere.sqlite3"
    with pytest.raises(DatabaseError, match="nowhere.sqlite3"), connect(missing):
        pass
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database at all" * 200)
    with pytest.raises(DatabaseError, match="damaged.sqlite3.*not a database"), connect(damaged) as conn:
        glance.pin_is_set(conn)
