"""The hub on a real PostgreSQL server: the same migrations, the same import, the same rule.

The fixture starts a throwaway cluster with Debian's initdb and pg_ctl (the postgresql
package, which ``python3 dev.py test`` installs) in a temporary folder, on loopback and a
free port, as a non-root user (tools/pg_server.py, which the benchmarks use too).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import inspect, select, text

from co_app.core.db import identity, versions
from co_app.core.db.models import Participant, SyncConflict
from co_app.core.db.revision import HEAD_REVISION
from co_app.core.sync.hub import normalise_url, open_target
from co_app.core.sync.package import export_package
from co_app.core.sync.container import PackageError
from co_app.core.sync.reader import UnknownSenderError, open_package
from co_app.core.sync.service import import_package
from tests.core.sync_helpers import PASSPHRASE, enrol, laptop, populate, snapshot
from tools.pg_server import create_database, server


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A running PostgreSQL server (tools/pg_server.py); yields the URL of its (empty) ``hub`` database."""
    with server() as pg:
        yield create_database(pg.admin_url, "hub")


def test_postgresql_url_uses_psycopg_3() -> None:
    assert normalise_url("postgresql://u:p@db.example/hub").startswith("postgresql+psycopg://u:p@db.example")


def test_hub_on_postgresql_gets_the_migrations_and_merges_two_laptops(tmp_path: Path, postgres: str) -> None:
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    ids = populate(a)
    populate(b, sessions=1, town="italy-biella")

    hub = open_target(postgres)
    try:
        assert hub.engine.dialect.name == "postgresql"
        with hub.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
            assert {"participants", "attendance", "sync_conflicts", "audit_log"} <= set(inspect(conn).get_table_names())
            assert identity.role(conn) == "office"
        enrol(hub, a, b, folder=tmp_path)
        export_package(a.engine, a.device_id, tmp_path / "a.cosync", passphrase=None)
        export_package(b.engine, b.device_id, tmp_path / "b.cosync", passphrase=None)

        # The first package of each laptop enrols it (the officer compared fingerprints).
        with pytest.raises(UnknownSenderError, match="has not enrolled"):
            import_package(hub.engine, tmp_path / "a.cosync", None)
        first = import_package(hub.engine, tmp_path / "a.cosync", None, trust_new=True)
        second = import_package(hub.engine, tmp_path / "b.cosync", None, trust_new=True)
        assert (first.inserted, second.inserted) == (25, 6 + 3 + 1 + 6 + 1)
        again = import_package(hub.engine, tmp_path / "a.cosync", None)  # enrolled now
        assert (again.inserted, again.updated, again.unchanged, again.conflicts) == (0, 0, 25, 0)

        hub_rows = _snapshot_engine(hub.engine)
        for machine in (a, b):
            for table, rows in snapshot(machine).items():
                for record_id, row in rows.items():
                    assert hub_rows[table][record_id] == row

        # B edits A's participant after receiving A's records (in the office's package, sealed
        # for both laptops): its change came after A's, so it replaces A's value at the hub
        # with no conflict logged.
        export_package(hub.engine, hub.device_id, tmp_path / "hub1.cosync", passphrase=None)
        assert import_package(b.engine, tmp_path / "hub1.cosync", None).inserted == 25
        pid = ids["participants"][0]
        with b.session() as s, s.begin():
            s.get(Participant, pid).family_name = "Haddad-Nour"
        export_package(b.engine, b.device_id, tmp_path / "b2.cosync", passphrase=None, full=True)
        report = import_package(hub.engine, tmp_path / "b2.cosync", None)
        assert (report.tables["participants"].updated, report.conflicts) == (1, 0)
        assert _family_name(hub.engine, pid) == "Haddad-Nour"
        assert _conflicts(hub.engine) == []

        # A, not having seen B's change, renames her too a minute later: concurrent, so
        # the greater hlc (A's) wins and B's value is logged with its field, on PostgreSQL.
        later = versions.now_ms() + 60_000
        with mock.patch.object(versions, "now_ms", lambda: later), a.session() as s, s.begin():
            s.get(Participant, pid).family_name = "Haddad-Saleh"
        export_package(a.engine, a.device_id, tmp_path / "a2.cosync", passphrase=None, full=True)
        report = import_package(hub.engine, tmp_path / "a2.cosync", None)
        assert (report.tables["participants"].updated, report.conflicts) == (1, 1)
        assert _family_name(hub.engine, pid) == "Haddad-Saleh"
        [logged] = _conflicts(hub.engine)
        assert (logged["record_id"], logged["field"], logged["winner"]) == (pid, "family_name", "incoming")
        assert (logged["winner_value"], logged["loser_data"]) == ("Haddad-Saleh", {"family_name": "Haddad-Nour"})
        assert (logged["winner_dot"][0], logged["loser_dot"][0]) == (a.device_id, b.device_id)
        assert logged["winner_dot"][2] == later
        assert import_package(hub.engine, tmp_path / "a2.cosync", None).conflicts == 0  # logged once

        # The office's answer brings both laptops to the hub's state.
        export_package(hub.engine, hub.device_id, tmp_path / "hub2.cosync", passphrase=None)
        for machine in (a, b):
            import_package(machine.engine, tmp_path / "hub2.cosync", None)
            assert snapshot(machine) == _snapshot_engine(hub.engine)
    finally:
        hub.dispose()


def test_a_bad_package_leaves_the_postgresql_hub_unchanged(tmp_path: Path, postgres: str) -> None:
    a = laptop(tmp_path, "a")
    populate(a)
    hub = open_target(postgres)
    try:
        enrol(hub, a, folder=tmp_path)
        package = tmp_path / "a.cosync"
        export_package(a.engine, a.device_id, package, passphrase=None)
        before = _snapshot_engine(hub.engine)
        assert import_package(hub.engine, package, None, trust_new=True, dry_run=True).inserted == 25
        assert _snapshot_engine(hub.engine) == before  # a dry run changes nothing

        data = bytearray(package.read_bytes())
        data[-200] ^= 1  # inside the sealed payload
        (tmp_path / "bad.cosync").write_bytes(bytes(data))
        with pytest.raises(PackageError, match="altered"):
            import_package(hub.engine, tmp_path / "bad.cosync", None, trust_new=True)
        assert _snapshot_engine(hub.engine) == before

        # A hand-over between laptops (a passphrase package) is refused by the office.
        export_package(a.engine, a.device_id, tmp_path / "handover.cosync", passphrase=PASSPHRASE)
        with open_package(tmp_path / "handover.cosync", PASSPHRASE) as opened:
            assert opened.counts["attendance"] == 12
        with pytest.raises(PackageError, match="locked with a passphrase"):
            import_package(hub.engine, tmp_path / "handover.cosync", PASSPHRASE, trust_new=True)
        assert _snapshot_engine(hub.engine) == before
    finally:
        hub.dispose()


def _family_name(engine, participant_id: str) -> str:
    with engine.connect() as conn:
        return conn.execute(select(Participant.__table__.c.family_name)
                            .where(Participant.__table__.c.id == participant_id)).scalar()


def _conflicts(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(select(SyncConflict.__table__).order_by("id")).mappings()]


def _snapshot_engine(engine) -> dict:
    from co_app.core.sync import records

    out = {}
    with engine.connect() as conn:
        for table in records.TABLES:
            codec = records.CODECS[table.name]
            out[table.name] = {row["id"]: codec.canonical(row) for row in conn.execute(select(table)).mappings()}
    return out
