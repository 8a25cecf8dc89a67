"""A USB stick of 20 laptops' packages imported into the office's PostgreSQL hub, against
a plain ``executemany`` of the same rows into the same database.

The stick: 20 laptops, each with 1,000 participants, 125 sessions, 5,000 attendance records
and 500 module marks (100,000 attendance records in all), each laptop enrolled with the
office and its full package sealed for it.  The target: a fresh copy (``CREATE DATABASE …
TEMPLATE``, not timed) of a migrated hub that knows its own keys and nothing else.  Ours:
``co_app.core.office.usb_import.import_folder(enrol=True)`` — find the packages, check each
(signature, decryption, checksums), then merge them one transaction per package, in order.
The baseline: the same rows, already in memory as tuples, inserted with psycopg's
``executemany`` table by table, in one transaction, into another fresh copy.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks import Result, median
from benchmarks._data import Sizes, build
from benchmarks._postgres import create_database, server
from benchmarks._support import interleaved

NAME = "office_import"
TARGET_RATIO = 3.0
LAPTOPS = 20
TABLES = ("co_sessions", "households", "participants", "attendance", "module_coverage")
BOOLEANS = {"participants": ("consent",), "module_coverage": ("covered",)}


def _rows(database: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """A laptop's synced rows as stored, typed for PostgreSQL where SQLite's storage differs."""
    con = sqlite3.connect(database)
    try:
        found = {}
        for table in TABLES:
            columns = [row[1] for row in con.execute(f'PRAGMA table_info("{table}")')]
            names = ", ".join(f'"{c}"' for c in columns)
            flags = [columns.index(name) for name in BOOLEANS.get(table, ())]
            rows = []
            for row in con.execute(f'SELECT {names} FROM "{table}"'):  # noqa: S608 - the benchmark's own tables
                row = list(row)
                for index in flags:
                    row[index] = None if row[index] is None else bool(row[index])
                rows.append(tuple(row))
            found[table] = (columns, rows)
        return found
    finally:
        con.close()


def plain_insert(url: str, laptops: list[dict[str, tuple[list[str], list[tuple]]]]) -> None:
    import psycopg

    with psycopg.connect(url) as conn, conn.cursor() as cur:
        for table in TABLES:
            columns = laptops[0][table][0]
            sql = (f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) '  # noqa: S608 - our tables
                   f'VALUES ({", ".join(["%s"] * len(columns))})')
            for rows in laptops:
                cur.executemany(sql, rows[table][1])
        conn.commit()


def _office(admin: str, folder: Path) -> tuple[str, Path]:
    """The template hub (migrated, named, its keys made) and its key file."""
    from co_app.core.sync.hub import open_target
    from co_app.core.sync.keys import write_office_key

    url = create_database(admin, "hub_template")
    target = open_target(url)
    with target.engine.begin() as conn:
        write_office_key(conn, folder / "office.key")
    target.dispose()
    return url, folder / "office.key"


def _stick(folder: Path, key: Path, sizes: Sizes, laptops: int) -> list[dict]:
    """Every laptop built, enrolled and exported to ``folder/stick``; their rows."""
    from co_app.core.db.engine import make_engine, sqlite_url
    from co_app.core.sync.keys import enrol_with_office
    from co_app.core.sync.package import export_package

    stick = folder / "stick"
    stick.mkdir()
    rows = []
    for number in range(laptops):
        path = folder / f"laptop-{number:02d}.sqlite3"
        device_id = build(path, sizes, seed=100 + number)
        engine = make_engine(sqlite_url(path))
        with engine.begin() as conn:
            enrol_with_office(conn, key)
        export_package(engine, device_id, stick / f"laptop-{number:02d}.cosync", passphrase=None, full=True)
        engine.dispose()
        rows.append(_rows(path))
    return rows


def run(runs: int, quick: bool = False) -> list[Result]:
    from co_app.core.db.engine import make_engine
    from co_app.core.office.usb_import import import_folder
    from co_app.core.sync.hub import normalise_url

    per_laptop = Sizes(1_000, 125, 40, 4)
    sizes = Sizes(50, 5, 40, 4) if quick else per_laptop
    with tempfile.TemporaryDirectory(prefix="co-bench-office-") as tmp, server() as admin:
        folder = Path(tmp)
        template, key = _office(admin, folder)
        laptops = 3 if quick else LAPTOPS
        rows = _stick(folder, key, sizes, laptops)
        records = sum(len(r[table][1]) for r in rows for table in TABLES)
        template_name = template.rsplit("/", 1)[1]

        def ours() -> float:
            engine = make_engine(normalise_url(create_database(admin, "ours", template=template_name)))
            try:
                start = time.perf_counter()
                report = import_folder(engine, folder / "stick", enrol=True)
                elapsed = time.perf_counter() - start
            finally:
                engine.dispose()
            assert report.total("inserted") == records and not report.refusals, report.as_dict()
            return elapsed

        def baseline() -> float:
            url = create_database(admin, "baseline", template=template_name)
            start = time.perf_counter()
            plain_insert(url, rows)
            return time.perf_counter() - start

        samples = interleaved({"ours": ours, "baseline": baseline}, runs)
    return [Result(name=NAME, ours=round(1000 * median(samples["ours"]), 1),
                   baseline=round(1000 * median(samples["baseline"]), 1), target=TARGET_RATIO, unit="ms",
                   baseline_label="psycopg executemany", extra={"records": records, "laptops": laptops})]
