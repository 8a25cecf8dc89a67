"""A programme office's week: two named laptops with sessions in different towns, the same
family registered on both, and their sealed packages on a USB stick folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from co_app.core.db import identity
from co_app.core.sync.hub import open_target
from co_app.core.sync.package import export_package
from tests.core.sync_helpers import enrol, laptop, populate
from tools.pg_server import create_database

LAPTOPS = (("Amman laptop 1", "germany-jena", 2), ("Irbid laptop 2", "italy-biella", 1))


@dataclass
class Stick:
    folder: Path
    #: Device id -> laptop name.
    laptops: dict[str, str]


def make_stick(tmp_path: Path, hub_url: str) -> Stick:
    """Each laptop enrolled with the hub, its full package sealed for the office in the folder."""
    hub = open_target(hub_url, create=True)
    folder = tmp_path / "stick"
    folder.mkdir()
    laptops = {}
    try:
        dbs = []
        for name, town, sessions in LAPTOPS:
            db = laptop(tmp_path, name.replace(" ", "-"))
            with db.engine.begin() as conn:
                identity.set_name(conn, name)
            populate(db, sessions=sessions, town=town)
            dbs.append(db)
            laptops[db.device_id] = name
        enrol(hub.database(), *dbs, folder=tmp_path)
        for index, db in enumerate(dbs):
            export_package(db.engine, db.device_id, folder / f"laptop-{index + 1}.cosync", passphrase=None, full=True)
            db.dispose()
    finally:
        hub.dispose()
    return Stick(folder, laptops)


def sqlite_hub(tmp_path: Path) -> str:
    return str(tmp_path / "office-hub.sqlite3")


def fresh_postgres_database(server_url: str, name: str) -> str:
    """A new, empty database on the suite's PostgreSQL server: each test its own hub."""
    return create_database(server_url.rsplit("/", 1)[0] + "/postgres", name)
