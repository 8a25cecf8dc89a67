"""Sync import of 100,000 attendance records into an empty and into a full database,
against a plain ``executemany`` insert of the same rows into the same database.

The package: a full, encrypted export of a laptop holding 20,000 participants, 2,500
sessions, 100,000 attendance records and 10,000 module marks.  The targets: a new,
migrated database ("empty"), and one already holding another laptop's records of the
same size ("full": every index already deep).  Ours: ``co_app.core.sync.service.
import_package`` — decrypt, check every member, parse, compare with what is there, insert
in one transaction.  The baseline: the same rows, already in memory as tuples, inserted
by ``sqlite3``'s ``executemany`` table by table in one transaction into a copy of the
same target.  Each run starts from a fresh copy of the target (the copy is not timed).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks import Result, median
from benchmarks._data import Sizes, build, create_database
from benchmarks._support import interleaved

NAME = "sync_import"
TARGET_RATIO = 3.0
PASSPHRASE = "benchmark passphrase"
TABLES = ("co_sessions", "households", "participants", "attendance", "module_coverage")


def _rows(database: Path) -> dict[str, tuple[str, list[tuple]]]:
    """Every synced row of ``database``, as stored: table → (INSERT statement, rows)."""
    con = sqlite3.connect(database)
    try:
        found = {}
        for table in TABLES:
            columns = [row[1] for row in con.execute(f'PRAGMA table_info("{table}")')]
            names = ", ".join(f'"{c}"' for c in columns)
            sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'  # noqa: S608 - the benchmark's own table names
            found[table] = (sql, con.execute(f'SELECT {names} FROM "{table}"').fetchall())  # noqa: S608 - the benchmark's own table names
        return found
    finally:
        con.close()


def plain_insert(database: Path, rows: dict[str, tuple[str, list[tuple]]]) -> None:
    con = sqlite3.connect(database)
    try:
        with con:
            for sql, values in rows.values():
                con.executemany(sql, values)
    finally:
        con.close()


def _copy(source: Path, target: Path) -> Path:
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def run(runs: int, quick: bool = False) -> list[Result]:
    from co_app.core.db.engine import make_engine, sqlite_url
    from co_app.core.sync.package import export_package
    from co_app.core.sync.service import import_package

    sizes = Sizes().scaled(0.02) if quick else Sizes()
    results = []
    with tempfile.TemporaryDirectory(prefix="co-bench-import-") as tmp:
        tmp_path = Path(tmp)
        source = tmp_path / "source.sqlite3"
        device_id = build(source, sizes, seed=1)
        package = tmp_path / "laptop.cosync"
        engine = make_engine(sqlite_url(source))
        export_package(engine, device_id, package, passphrase=PASSPHRASE, full=True)
        engine.dispose()
        rows = _rows(source)
        empty = tmp_path / "empty.sqlite3"
        create_database(empty)
        full = tmp_path / "full.sqlite3"
        build(full, sizes, seed=2)  # another laptop's records, as many
        work = tmp_path / "target.sqlite3"
        for label, target in (("empty", empty), ("full", full)):
            def ours(target: Path = target) -> float:
                engine = make_engine(sqlite_url(_copy(target, work)))
                try:
                    start = time.perf_counter()
                    report = import_package(engine, package, PASSPHRASE)
                    elapsed = time.perf_counter() - start
                finally:
                    engine.dispose()
                assert report.inserted == sum(len(v) for _, v in rows.values()), report.as_dict()
                return elapsed

            def baseline(target: Path = target) -> float:
                _copy(target, work)
                start = time.perf_counter()
                plain_insert(work, rows)
                return time.perf_counter() - start

            samples = interleaved({"ours": ours, "baseline": baseline}, runs)
            results.append(Result(name=f"{NAME}_{label}", ours=round(1000 * median(samples["ours"]), 1),
                                  baseline=round(1000 * median(samples["baseline"]), 1), target=TARGET_RATIO,
                                  unit="ms", baseline_label="sqlite3 executemany",
                                  extra={"records": sum(len(v) for _, v in rows.values())}))
    return results
