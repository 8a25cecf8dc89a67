"""The benchmarks' throwaway PostgreSQL server: the one the tests start too (tools/pg_server.py),
failing as ``BenchmarkUnavailable`` when it cannot start here.

    with server() as admin_url:                 # postgresql://postgres@127.0.0.1:PORT/postgres
        url = create_database(admin_url, "hub")  # a new, empty database; its URL
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from benchmarks import BenchmarkUnavailable
from tools.pg_server import create_database, programs
from tools.pg_server import server as _start

__all__ = ["create_database", "pg_bin", "postgres_server", "server"]
pg_bin = programs  # None when PostgreSQL is not installed: a benchmark says so and measures SQLite alone


@contextmanager
def server(*, fsync: bool = True) -> Iterator[str]:
    """A running server; yields the URL of its ``postgres`` database (for CREATE DATABASE).
    Durable by default: what office_import measures includes PostgreSQL's own writes."""
    with _start(fsync=fsync, error=BenchmarkUnavailable) as pg:
        yield pg.admin_url


@contextmanager
def postgres_server() -> Iterator[str]:
    """A running server (fsync off: the reports read, they do not write); yields the URL of its
    empty ``hub`` database."""
    with server(fsync=False) as admin_url:
        yield create_database(admin_url, "hub")
