"""The office's benchmark data: a hub holding 200,000 attendance records (40,000 people,
5,000 sessions over about five years, from four laptops), written with ``executemany``
into a database the application created; the same rows copied into a PostgreSQL server
the benchmark starts as the tests do (benchmarks/_postgres.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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
