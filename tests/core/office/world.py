"""The office's world for its tests: laptops with attendance, and a hub — a SQLite file or
a database of the real PostgreSQL server the suite starts (co_app/core/sync/hub.py opens both)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from co_app.core.db.engine import Database
from co_app.core.sync.hub import Target, open_target
from co_app.core.sync.package import export_package
from co_app.core.sync.service import import_package
from tests.core.sync.test_hub_postgres import postgres
from tests.core.sync_helpers import enrol, laptop
from tools.pg_server import create_database

__all__ = ["World", "hub", "postgres"]


class World:
    """Laptops and a hub exchanging keyed packages in ``folder`` (the USB stick)."""

    def __init__(self, tmp_path: Path, hub: Target) -> None:
        self.tmp = tmp_path
        self.hub = hub
        self.stick = tmp_path / "stick"
        self.stick.mkdir(exist_ok=True)
        self.laptops: list[Database] = []
        self.enrolled: set[str] = set()

    def laptop(self, name: str) -> Database:
        from co_app.core.db import identity

        db = laptop(self.tmp, name)
        with db.engine.begin() as conn:
            identity.set_name(conn, name)
        enrol(self.hub, db, folder=self.tmp)
        self.laptops.append(db)
        return db

    def export(self, db: Database, file_name: str, **kwargs) -> Path:
        path = self.stick / file_name
        export_package(db.engine, db.device_id, path, passphrase=None, **kwargs)
        return path

    def to_hub(self, db: Database, file_name: str | None = None):
        path = self.export(db, file_name or f"{db.device_id[:8]}-{len(list(self.stick.iterdir()))}.cosync")
        report = import_package(self.hub.engine, path, None, trust_new=db.device_id not in self.enrolled)
        self.enrolled.add(db.device_id)
        return report

    def answer(self, *laptops: Database) -> None:
        """The office's package into ``laptops``."""
        path = self.tmp / f"office-{uuid.uuid4().hex[:6]}.cosync"
        export_package(self.hub.engine, self.hub.device_id, path, passphrase=None)
        for db in laptops:
            import_package(db.engine, path, None)

    def close(self) -> None:
        for db in self.laptops:
            db.dispose()
        self.hub.dispose()


def _fresh_postgres_database(server_url: str) -> str:
    return create_database(server_url.rsplit("/", 1)[0] + "/postgres", f"office_{uuid.uuid4().hex[:12]}")


@pytest.fixture(params=["sqlite", "postgresql"])
def hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Target]:
    """The office's hub: a SQLite file, then a fresh database on the real PostgreSQL server."""
    if request.param == "sqlite":
        target = open_target(str(tmp_path / "hub.sqlite3"), create=True)
    else:
        target = open_target(_fresh_postgres_database(request.getfixturevalue("postgres")))
    yield target
    target.dispose()


@pytest.fixture
def world(tmp_path: Path, hub: Target) -> Iterator[World]:
    made = World(tmp_path, hub)
    yield made
    made.close()
