"""A throwaway PostgreSQL server, the one the tests and the benchmarks start.

Debian's initdb and pg_ctl (the postgresql package, which ``python3 dev.py test`` installs)
make a cluster in a temporary folder, listening on loopback at a free port and on a Unix
socket in that folder.  PostgreSQL refuses to run as root, so under root the commands run
as the ``postgres`` user (made by the package), else ``nobody``.  The cluster is stopped
and its folder removed when the ``with`` block ends::

    with server() as pg:                                  # pg.admin_url: .../postgres
        url = create_database(pg.admin_url, "hub")         # a new, empty database; its URL

Standard library only (and psycopg for CREATE DATABASE): it does not import co_app, so
the tests (tests/core/sync/test_hub_postgres.py) and the benchmarks (benchmarks/_postgres.py)
share it without one depending on the other.
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
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(Exception):
    """The server cannot start here (not installed, initdb or pg_ctl failed); the message says why."""


@dataclass(frozen=True)
class Server:
    port: int
    socket_dir: Path  # the Unix socket's folder (also the cluster's)

    @property
    def admin_url(self) -> str:
        """The ``postgres`` database as the ``postgres`` user over TCP (trusted unless ``auth`` said otherwise)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def socket_admin_url(self) -> str:
        """The same over the Unix socket (trusted whatever ``auth`` asks of TCP)."""
        return f"postgresql://postgres@/postgres?host={self.socket_dir}&port={self.port}"


def programs() -> Path | None:
    """The folder of PostgreSQL's initdb and pg_ctl (the newest version installed), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found and shutil.which("initdb"):
        found = [str(shutil.which("initdb"))]
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_as() -> tuple[list[str], pwd.struct_passwd | None]:
    """The command prefix that runs a program as a non-root user (none unless root), and that user."""
    if os.geteuid() != 0:
        return [], None
    try:
        entry = pwd.getpwnam("postgres")
    except KeyError:
        entry = pwd.getpwnam("nobody")
    return ["runuser", "-u", entry.pw_name, "--"], entry


@contextmanager
def server(*, fsync: bool = False, auth: tuple[str, ...] = ("--auth=trust",),
           error: type[Exception] = PostgresUnavailable) -> Iterator[Server]:
    """A running server for the ``with`` block.  ``fsync=False`` (the default) spares the disk:
    the data is thrown away anyway; ``auth`` are initdb's authentication options; a failure
    to start raises ``error`` (a benchmark passes its own "cannot run here")."""
    bindir = programs()
    if bindir is None:
        raise error("PostgreSQL is not installed (its initdb and pg_ctl): 'python3 dev.py test' installs it")
    folder = Path(tempfile.mkdtemp(prefix="co-pg-"))
    prefix, user = _run_as()
    if user is not None:
        os.chown(folder, user.pw_uid, user.pw_gid)
    data, log, port = folder / "data", folder / "server.log", _free_port()

    def run(*cmd: str) -> None:
        done = subprocess.run([*prefix, *cmd], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            server_log = log.read_text(errors="replace") if log.exists() else ""
            raise error(f"{Path(cmd[0]).name} failed: {(done.stderr or done.stdout).strip()[-1000:]}"
                        + (f"\nserver log: {server_log[-1000:]}" if server_log else ""))

    made = False  # a cluster to stop (pg_ctl start may fail after the server started)
    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", *auth, "-E", "UTF8", "--no-instructions")
        made = True
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
            f"-h 127.0.0.1 -p {port} -k {folder}" + ("" if fsync else " -F"), "start")
        yield Server(port, folder)
    finally:
        if made:
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def create_database(admin_url: str, name: str, *, template: str | None = None) -> str:
    """A new, empty database ``name`` (a copy of ``template`` when given) on the server of
    ``admin_url`` (a TCP one: ``Server.admin_url``); returns its URL."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return admin_url.rsplit("/", 1)[0] + f"/{name}"
