"""The database on real SQLite files: pragmas, sync columns, device id, migrations,
and the files it must refuse (newer schema, not a database)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from co_app.core.db import migrate
from co_app.core.db.base import Base, SyncMixin
from co_app.core.db.engine import Database, open_database
from co_app.core.db.migrate import HEAD_REVISION, alembic_config, current_revision, upgrade_to_head
from co_app.core.db.models import (
    SYNCED_MODELS,
    AttendanceRecord,
    CoSession,
    Household,
    ModuleCoverage,
    Participant,
)
from co_app.core.foundation.errors import CoError, DatabaseError, DatabaseTooNewError

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(tmp_path / "co_app.sqlite3", backups_dir=tmp_path / "backups")
    yield database
    database.dispose()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _is_uuid4(value: str) -> bool:
    parsed = uuid.UUID(value)
    return parsed.version == 4 and str(parsed) == value


def _make_too_new(path: Path) -> None:
    """A database as a future version of the application would leave it."""
    database = open_database(path)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    database.dispose()


# --- connection settings ----------------------------------------------------------


def test_wal_and_foreign_keys_on_a_real_file(db: Database, tmp_path: Path) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    # WAL is recorded in the file itself: any other reader sees it.
    raw = sqlite3.connect(tmp_path / "co_app.sqlite3")
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()


def test_every_pooled_connection_has_foreign_keys(db: Database) -> None:
    conns = [db.engine.connect() for _ in range(3)]
    try:
        assert [c.exec_driver_sql("PRAGMA foreign_keys").scalar() for c in conns] == [1, 1, 1]
    finally:
        for c in conns:
            c.close()


# --- the columns every synced record carries --------------------------------------


def test_every_synced_model_has_the_sync_columns() -> None:
    assert set(SYNCED_MODELS) >= {CoSession, Household, Participant, AttendanceRecord, ModuleCoverage}
    for model in SYNCED_MODELS:
        table = model.__table__
        assert issubclass(model, SyncMixin)
        assert [c.name for c in table.primary_key.columns] == ["id"], model
        for name in ("created_at", "updated_at", "device_id"):
            assert not table.c[name].nullable, (model, name)


def test_insert_gets_uuid4_utc_times_and_this_device(db: Database) -> None:
    before = datetime.now(timezone.utc)
    with db.session() as s, s.begin():
        session = CoSession(session_date=date(2025, 11, 3), place="Amman", facilitator="Rana")
        household = Household(case_number="JOR-123")
        person = Participant(given_name="Amal", family_name="Haddad", household=household)
        s.add_all([session, household, person])
    after = datetime.now(timezone.utc)

    with db.session() as s:
        rows = [s.get(CoSession, session.id), s.get(Household, household.id), s.get(Participant, person.id)]
    ids = set()
    for row in rows:
        assert row is not None
        assert _is_uuid4(row.id)
        ids.add(row.id)
        for stamp in (row.created_at, row.updated_at):
            assert stamp.tzinfo is not None and stamp.utcoffset() == timedelta(0)
            assert before - timedelta(seconds=1) <= stamp <= after + timedelta(seconds=1)
        assert row.device_id == db.device_id
        assert row.deleted_at is None
    assert len(ids) == 3
    assert rows[2].household_id == rows[1].id


def test_a_local_insert_is_always_stamped_with_this_device(db: Database) -> None:
    with db.session() as s, s.begin():
        row = CoSession(session_date=date(2025, 1, 1), device_id=str(uuid.uuid4()))
        s.add(row)
    with db.session() as s:
        assert s.get(CoSession, row.id).device_id == db.device_id


def test_update_bumps_updated_at_and_device(db: Database) -> None:
    with db.session() as s, s.begin():
        row = Participant(given_name="Yonas", family_name="Tesfay")
        s.add(row)
    # As if the record had come from another laptop, a while ago.
    other_device = str(uuid.uuid4())
    long_ago = datetime(2024, 1, 1, 12, 0, 0)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE participants SET device_id = :d, updated_at = :t, created_at = :t WHERE id = :i"),
                     {"d": other_device, "t": long_ago, "i": row.id})

    with db.session() as s:
        loaded = s.get(Participant, row.id)
        assert loaded.device_id == other_device
        assert loaded.updated_at == long_ago.replace(tzinfo=timezone.utc)
        loaded.given_name = "Yonas Tesfay"
        s.commit()

    with db.session() as s:
        changed = s.get(Participant, row.id)
        assert changed.given_name == "Yonas Tesfay"
        assert changed.device_id == db.device_id
        assert changed.updated_at > datetime.now(timezone.utc) - timedelta(minutes=1)
        assert changed.created_at == long_ago.replace(tzinfo=timezone.utc)  # never moves


def test_reading_without_changes_does_not_touch_the_record(db: Database) -> None:
    with db.session() as s, s.begin():
        row = Household(case_number="ETH-7")
        s.add(row)
    with db.session() as s:
        first = s.get(Household, row.id).updated_at
    with db.session() as s, s.begin():
        loaded = s.get(Household, row.id)
        _ = loaded.case_number
        s.flush()
    with db.session() as s:
        assert s.get(Household, row.id).updated_at == first


def test_times_are_stored_as_utc(db: Database) -> None:
    amman = timezone(timedelta(hours=3))
    with db.session() as s, s.begin():
        row = CoSession(session_date=date(2025, 6, 1), closed_at=datetime(2025, 6, 1, 15, 0, tzinfo=amman))
        s.add(row)
    with db.session() as s:
        closed = s.get(CoSession, row.id).closed_at
    assert closed == datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)
    assert closed.utcoffset() == timedelta(0)


def test_naive_datetime_is_refused(db: Database) -> None:
    with db.session() as s:
        s.add(CoSession(session_date=date(2025, 6, 1), closed_at=datetime(2025, 6, 1, 15, 0)))
        with pytest.raises(StatementError, match="naive datetime"):
            s.commit()


# --- the device id ----------------------------------------------------------------


def test_device_id_is_stable_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "co_app.sqlite3"
    first = open_database(path)
    device = first.device_id
    first.dispose()
    assert _is_uuid4(device)
    for _ in range(2):
        again = open_database(path)
        assert again.device_id == device
        again.dispose()


def test_two_data_folders_have_different_devices(tmp_path: Path) -> None:
    a = open_database(tmp_path / "a.sqlite3")
    b = open_database(tmp_path / "b.sqlite3")
    try:
        assert a.device_id != b.device_id
    finally:
        a.dispose()
        b.dispose()


# --- integrity --------------------------------------------------------------------


def test_foreign_key_violation_is_rejected(db: Database) -> None:
    with db.session() as s:
        s.add(AttendanceRecord(session_id=str(uuid.uuid4()), participant_id=str(uuid.uuid4())))
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            s.commit()
    with db.session() as s:
        assert s.scalars(select(AttendanceRecord)).all() == []


def test_foreign_key_violation_rejected_for_raw_sql_too(db: Database) -> None:
    with pytest.raises(IntegrityError):
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO participants (id, household_id, case_number, given_name, family_name, sex, "
                "nationality, languages, destination, needs, consent, created_at, updated_at, device_id) "
                "VALUES (:id, :hh, '', '', '', 'unknown', '', '[]', '', '[]', 0, :t, :t, :d)"),
                {"id": str(uuid.uuid4()), "hh": str(uuid.uuid4()), "t": datetime(2025, 1, 1), "d": db.device_id})


def test_module_covered_once_per_session(db: Database) -> None:
    with db.session() as s, s.begin():
        session = CoSession(session_date=date(2025, 1, 1))
        s.add(session)
    with db.session() as s:
        s.add_all([ModuleCoverage(session_id=session.id, module_id="housing"),
                   ModuleCoverage(session_id=session.id, module_id="housing")])
        with pytest.raises(IntegrityError):
            s.commit()


# --- migrations -------------------------------------------------------------------


def test_head_revision_constant_matches_the_scripts() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    heads = script.get_heads()
    assert heads == [HEAD_REVISION]  # one head, and the constant names it


def test_migrations_use_batch_mode() -> None:
    env = (migrate.MIGRATIONS_DIR / "env.py").read_text(encoding="utf-8")
    assert "render_as_batch=True" in env


def test_upgrading_an_empty_database_gives_exactly_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_revision() == HEAD_REVISION

        found = inspect(conn)
        model_tables = set(Base.metadata.tables)
        assert set(found.get_table_names()) == model_tables | {"alembic_version"}
        for name, table in Base.metadata.tables.items():
            columns = {c["name"]: c for c in found.get_columns(name)}
            assert set(columns) == {c.name for c in table.columns}, name
            for column in table.columns:
                assert columns[column.name]["nullable"] == column.nullable, (name, column.name)
            assert {ix["name"] for ix in found.get_indexes(name)} == {ix.name for ix in table.indexes}, name
            assert {fk["name"] for fk in found.get_foreign_keys(name)} == {
                fk.name for fk in table.foreign_key_constraints}, name
            assert {uq["name"] for uq in found.get_unique_constraints(name)} == {
                c.name for c in table.constraints if c.__class__.__name__ == "UniqueConstraint"}, name
            assert found.get_pk_constraint(name)["constrained_columns"] == [c.name for c in table.primary_key]


def test_an_empty_file_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "co_app.sqlite3"
    path.write_bytes(b"")  # e.g. created by a crash before the first write
    database = open_database(path)
    try:
        assert current_revision(database.engine) == HEAD_REVISION
        assert "participants" in inspect(database.engine).get_table_names()
    finally:
        database.dispose()


def test_upgrade_reports_whether_it_migrated(tmp_path: Path) -> None:
    database = open_database(tmp_path / "co_app.sqlite3")
    try:
        assert upgrade_to_head(database.engine) is False  # already at head: nothing to do
    finally:
        database.dispose()


def test_database_at_head_opens_without_running_alembic(tmp_path: Path) -> None:
    """Start-up fast path: Alembic is not even imported when nothing needs doing."""
    path = tmp_path / "co_app.sqlite3"
    open_database(path).dispose()
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from co_app.core.db.engine import open_database
        db = open_database(Path({str(path)!r}))
        db.dispose()
        loaded = sorted(m for m in sys.modules if m == "alembic" or m.startswith("alembic."))
        assert not loaded, loaded
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


SECOND_REVISION = '''
"""a later schema (test only)"""
from alembic import op
import sqlalchemy as sa

revision = "0002_test_upgrade"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("upgrade_probe", sa.Column("id", sa.Integer(), primary_key=True))
    with op.batch_alter_table("households") as batch_op:
        batch_op.add_column(sa.Column("probe_note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("households") as batch_op:
        batch_op.drop_column("probe_note")
    op.drop_table("upgrade_probe")
'''


def test_older_database_is_backed_up_and_upgraded_keeping_its_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only one real revision exists yet, so a copy of the migrations gains a second one:
    a database written at today's head must be backed up, upgraded, and keep its rows."""
    path = tmp_path / "co_app.sqlite3"
    backups = tmp_path / "backups"
    old = open_database(path, backups_dir=backups)
    device = old.device_id
    with old.session() as s, s.begin():
        household = Household(case_number="SYR-42", notes="keep me")
        s.add(household)
    old.dispose()

    migrations = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    (migrations / "versions" / "0002_test_upgrade.py").write_text(
        SECOND_REVISION.format(down=HEAD_REVISION), encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", migrations)
    monkeypatch.setattr(migrate, "HEAD_REVISION", "0002_test_upgrade")

    new = open_database(path, backups_dir=backups)
    try:
        assert current_revision(new.engine) == "0002_test_upgrade"
        assert new.device_id == device
        columns = {c["name"] for c in inspect(new.engine).get_columns("households")}
        assert "probe_note" in columns
        with new.engine.connect() as conn:
            assert conn.execute(text("SELECT case_number, notes FROM households")).all() == [("SYR-42", "keep me")]
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    finally:
        new.dispose()

    copies = list(backups.glob(f"before-upgrade-{HEAD_REVISION}-*.sqlite3"))
    assert len(copies) == 1
    backup = sqlite3.connect(copies[0])
    try:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
        assert backup.execute("SELECT case_number FROM households").fetchall() == [("SYR-42",)]
    finally:
        backup.close()


# --- files the application must refuse --------------------------------------------


def test_database_from_a_newer_version_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "co_app.sqlite3"
    _make_too_new(path)
    before = _digest(path)
    names_before = sorted(p.name for p in tmp_path.iterdir())

    with pytest.raises(DatabaseTooNewError) as info:
        open_database(path, backups_dir=tmp_path / "backups")
    message = str(info.value)
    assert str(path) in message
    assert "newer version" in message
    assert "\n" not in message
    assert info.value.exit_code == 2

    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == names_before  # no backup, no journal left
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "ffff_future"
    finally:
        raw.close()


@pytest.mark.parametrize("content", [b"this is not a database at all\n" * 200, bytes(range(256)) * 32],
                         ids=["text", "binary"])
def test_file_that_is_not_a_database_gives_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "co_app.sqlite3"
    path.write_bytes(content)
    with pytest.raises(DatabaseError) as info:
        open_database(path)
    assert isinstance(info.value, CoError)
    assert not isinstance(info.value, sqlite3.Error)
    message = str(info.value)
    assert str(path) in message
    assert "\n" not in message
    assert path.read_bytes() == content


def test_database_in_a_missing_folder_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "gone" / "co_app.sqlite3"
    with pytest.raises(DatabaseError) as info:
        open_database(path)
    assert str(path) in str(info.value)
