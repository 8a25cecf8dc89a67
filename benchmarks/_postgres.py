"""A throwaway PostgreSQL server for the benchmarks, as the tests start one
(tests/core/sync/test_hub_postgres.py): Debian's initdb and pg_ctl in a temporary folder,
on loopback and a free port, as a non-root user (``postgres``, else ``nobody``, under root).

    with server() as admin_url:                 # postgresql://postgres@127.0.0.1:PORT/postgres
        url = create_database(admin_url, "hub")  # a new, empty database; its URL
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks import BenchmarkUnavailable


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or ([shutil.which("initdb")]
                                                                     if shutil.which("initdb") else [])
    if not found:
        raise BenchmarkUnavailable("PostgreSQL is not installed (python3 dev.py test installs it).")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server() -> Iterator[str]:
    """A running server; yields the URL of its ``postgres`` database (for CREATE DATABASE)."""
    bindir = _bindir()
    folder = Path(tempfile.mkdtemp(prefix="co-bench-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        try:
            entry = pwd.getpwnam("postgres")
        except KeyError:
            entry = pwd.getpwnam("nobody")
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        prefix = ["runuser", "-u", entry.pw_name, "--"]
    data, log, port = folder / "data", folder / "server.log", _free_port()

    def run(*cmd: str) -> None:
        result = subprocess.run([*prefix, *cmd], capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise BenchmarkUnavailable(f"{Path(cmd[0]).name} failed: {(result.stderr or result.stdout).strip()}")

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--no-instructions")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
            f"-h 127.0.0.1 -p {port} -k {folder}", "start")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                           capture_output=True, timeout=60)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def create_database(admin_url: str, name: str, *, template: str | None = None) -> str:
    """A new database ``name`` (a copy of ``template`` when given); returns its URL."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return admin_url.rsplit("/", 1)[0] + f"/{name}"
