"""Any valid database URL opens the hub (issue 18, point 8): a password holding ``%``, ``@``
and ``/`` (percent-encoded in the URL) and a socket folder given as ``?host=/path`` once
crashed the import with "invalid interpolation syntax" — the URL reached Alembic's
configparser unescaped.

A PostgreSQL server of its own, started like the suite's (tests/core/sync/
test_hub_postgres.py) but asking for passwords over TCP (scram-sha-256) and trusting its
Unix socket, so the password really is checked."""

from __future__ import annotations

import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from co_app.core.sync.hub import open_target
from co_app.core.sync.package import export_package
from tests.core.sync_helpers import enrol, laptop, populate

REPO = Path(__file__).resolve().parents[3]
PASSWORD = "p%40ss@w/rd%"  # '%', '@' and '/' (and something that looks percent-encoded)


@pytest.fixture(scope="module")
def server() -> Iterator[dict[str, str]]:
    """The server's port and socket folder; a role ``officer`` with ``PASSWORD`` owning
    the databases ``hub_tcp`` and ``hub_socket``."""
    bindir = _pg_bin()
    folder = Path(tempfile.mkdtemp(prefix="co-app-pgpw-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres" if _exists("postgres") else "nobody")
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        prefix = ["runuser", "-u", entry.pw_name, "--"]
    data, log, port = folder / "data", folder / "server.log", _free_port()

    def run(*cmd: str) -> None:
        result = subprocess.run([*prefix, *cmd], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"{cmd[0]} failed: {result.stdout}{result.stderr}"

    run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth-local=trust",
        "--auth-host=scram-sha-256", "-E", "UTF8", "--no-instructions")
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
        f"-h 127.0.0.1 -p {port} -k {folder} -F", "start")
    try:
        admin = create_engine(f"postgresql+psycopg://postgres@/postgres?host={folder}&port={port}",
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE ROLE officer LOGIN PASSWORD '{PASSWORD}'"))
            conn.execute(text("CREATE DATABASE hub_tcp OWNER officer"))
            conn.execute(text("CREATE DATABASE hub_socket OWNER officer"))
        admin.dispose()
        yield {"port": str(port), "socket": str(folder)}
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found and shutil.which("initdb"):
        found = [str(shutil.which("initdb"))]
    assert found, "PostgreSQL is not installed: run the tests with 'python3 dev.py test' (it installs postgresql)"
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True


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
