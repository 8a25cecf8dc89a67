"""The office's benchmark data: a hub holding 200,000 attendance records (40,000 people,
5,000 sessions over about five years, from four laptops), written with ``executemany``
into a database the application created; the same rows copied into a PostgreSQL server
the benchmark starts as the tests do (tests/core/sync/test_hub_postgres.py)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks import BenchmarkUnavailable
from benchmarks._data import Sizes, build

TABLES = ("households", "participants", "co_sessions", "attendance", "module_coverage")
LAPTOPS = 4


def office_sizes(quick: bool) -> Sizes:
    full = Sizes(participants=40_000, sessions=5_000, per_session=40)  # 200,000 records
    return full.scaled(0.01) if quick else full


def build_hub(path: Path, quick: bool) -> str:
    """The SQLite hub at ``path``; every session given one of ``LAPTOPS`` laptops as the
    device that created it (as co_app/core/db/origins.py derives it).  Returns its device id."""
    device_id = build(path, office_sizes(quick))
    con = sqlite3.connect(path)
    try:
        with con:
            con.execute("UPDATE co_sessions SET origin_device = 'laptop-' || (rowid % ?)", (LAPTOPS,))
            con.execute("UPDATE participants SET origin_device = device_id")
        con.execute("ANALYZE")
    finally:
        con.close()
    return device_id


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found and shutil.which("initdb"):
        found = [str(shutil.which("initdb"))]
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on loopback; yields the URL of its empty ``hub``
    database.  ``BenchmarkUnavailable`` when it cannot start."""
    bindir = pg_bin()
    if bindir is None:
        raise BenchmarkUnavailable("PostgreSQL's programs (initdb, pg_ctl) are not installed")
    folder = Path(tempfile.mkdtemp(prefix="co-bench-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        user = "postgres" if _user_exists("postgres") else "nobody"
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        prefix = ["runuser", "-u", user, "--"]
    data, log, port = folder / "data", folder / "server.log", _free_port()

    def run(*cmd: str) -> None:
        done = subprocess.run([*prefix, *cmd], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise BenchmarkUnavailable(f"{Path(cmd[0]).name} failed: {(done.stderr or done.stdout).strip()[:300]}")

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--no-instructions")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
            f"-h 127.0.0.1 -p {port} -k {folder} -F", "start")
        from sqlalchemy import create_engine, text

        admin = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE hub"))
        admin.dispose()
        yield f"postgresql://postgres@127.0.0.1:{port}/hub"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def copy_to_postgres(source: Path, url: str, tables: tuple[str, ...] = TABLES) -> None:
    """Every row of ``tables`` of the SQLite hub ``source`` into the migrated PostgreSQL hub
    ``url`` (made by the application, so the schema and indexes are ours), then ANALYZE."""
    from co_app.core.sync.hub import open_target

    target = open_target(url)
    con = sqlite3.connect(source)
    try:
        with target.engine.begin() as conn:
            cursor = conn.connection.driver_connection.cursor()
            for table in tables:
                columns = [row[1] for row in con.execute(f'PRAGMA table_info("{table}")')]
                names = ", ".join(f'"{c}"' for c in columns)
                rows = con.execute(f'SELECT {names} FROM "{table}"')  # noqa: S608 - the benchmark's own tables
                with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
        with target.engine.connect() as conn:
            conn.connection.driver_connection.autocommit = True
            conn.connection.driver_connection.execute("ANALYZE")
    finally:
        con.close()
        target.dispose()
