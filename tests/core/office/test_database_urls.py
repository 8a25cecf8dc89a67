"""Any valid database URL opens the hub (issue 18, point 8): a password holding ``%``, ``@``
and ``/`` (percent-encoded in the URL) and a socket folder given as ``?host=/path`` once
crashed the import with "invalid interpolation syntax" — the URL reached Alembic's
configparser unescaped.

A PostgreSQL server of its own, started like the suite's (tools/pg_server.py) but asking
for passwords over TCP (scram-sha-256) and trusting its Unix socket, so the password really
is checked."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from sqlalchemy import text

from co_app.core.sync.hub import open_target
from co_app.core.sync.package import export_package
from tests.core.sync_helpers import enrol, laptop, populate
from tools import pg_server

REPO = Path(__file__).resolve().parents[3]
PASSWORD = "p%40ss@w/rd%"  # '%', '@' and '/' (and something that looks percent-encoded)


@pytest.fixture(scope="module")
def server() -> Iterator[dict[str, str]]:
    """The server's port and socket folder; a role ``officer`` with ``PASSWORD`` owning
    the databases ``hub_tcp`` and ``hub_socket``."""
    with pg_server.server(auth=("--auth-local=trust", "--auth-host=scram-sha-256")) as pg:
        with psycopg.connect(pg.socket_admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE ROLE officer LOGIN PASSWORD '{PASSWORD}'")
            conn.execute("CREATE DATABASE hub_tcp OWNER officer")
            conn.execute("CREATE DATABASE hub_socket OWNER officer")
        yield {"port": str(pg.port), "socket": str(pg.socket_dir)}


def test_a_password_with_percent_at_and_slash_imports_and_reports(server: dict[str, str], tmp_path: Path) -> None:
    url = f"postgresql://officer:{quote(PASSWORD, safe='')}@127.0.0.1:{server['port']}/hub_tcp"
    wrong = f"postgresql://officer:{quote('not it', safe='')}@127.0.0.1:{server['port']}/hub_tcp"
    amman = laptop(tmp_path, "amman")
    populate(amman)
    hub = open_target(url)  # the migrations ran through Alembic with this URL
    try:
        enrol(hub, amman, folder=tmp_path)
    finally:
        hub.dispose()
    package = tmp_path / "amman.cosync"
    export_package(amman.engine, amman.device_id, package, passphrase=None)
    data = str(tmp_path / "office")
    done = subprocess.run([sys.executable, "main.py", "--data-dir", data, "sync", "import", str(package), "--db",
                           url, "--enrol", "--json"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["inserted"] == 25
    done = subprocess.run([sys.executable, "main.py", "--data-dir", data, "report", "--db", url, "--json"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["totals"]["attendances"] == 12
    done = subprocess.run([sys.executable, "main.py", "--data-dir", data, "report", "--db", wrong],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "password" in done.stderr
    assert PASSWORD not in done.stderr and quote(PASSWORD, safe="") not in done.stderr
    amman.dispose()


@pytest.mark.parametrize("encoded", [False, True])
def test_a_socket_folder_as_host(server: dict[str, str], tmp_path: Path, encoded: bool) -> None:
    folder = quote(server["socket"], safe="") if encoded else server["socket"]
    url = f"postgresql://officer@/hub_socket?host={folder}&port={server['port']}"
    hub = open_target(url)
    try:
        assert hub.engine.dialect.name == "postgresql"
        with hub.engine.connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar() == "officer"
    finally:
        hub.dispose()
    done = subprocess.run([sys.executable, "main.py", "--data-dir", str(tmp_path / "office"), "report", "--db",
                           url, "--json"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["totals"]["people"] == 0
