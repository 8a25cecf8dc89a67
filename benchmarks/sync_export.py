"""Sync export of 100,000 attendance records, against SQLite's own JSON output of the same rows.

The database holds 20,000 participants in 4,400 households, 2,500 sessions of 40 people
(100,000 attendance records) and 10,000 module marks.  Ours: a full, encrypted sync
package (``co_app.core.sync.package.export_package``: JSON lines, zip, AES-GCM, written
atomically).  The baseline: for each of the same tables, ``SELECT json_object(…)`` over
every column written line by line to a file and flushed to disk — what SQLite alone
does to turn the rows into JSON.  Interleaved, same database file, warm page cache.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks import Result, median
from benchmarks._data import Sizes, build
from benchmarks._support import interleaved

NAME = "sync_export"
TARGET_RATIO = 2.0
PASSPHRASE = "benchmark passphrase"
TABLES = ("co_sessions", "households", "participants", "attendance", "module_coverage")


def sqlite_json(database: Path, out: Path) -> None:
    """The baseline: SQLite writes each row as a JSON object; we only put them in a file."""
    con = sqlite3.connect(database)
    try:
        with open(out, "w", encoding="utf-8") as fh:
            for table in TABLES:
                columns = [row[1] for row in con.execute(f'PRAGMA table_info("{table}")')]
                pairs = ", ".join(f"'{c}', \"{c}\"" for c in columns)
                cursor = con.execute(f'SELECT json_object({pairs}) FROM "{table}"')  # noqa: S608 - the benchmark's own table names
                while rows := cursor.fetchmany(2000):
                    fh.writelines(row[0] + "\n" for row in rows)
            fh.flush()
            os.fsync(fh.fileno())
    finally:
        con.close()


def run(runs: int, quick: bool = False) -> list[Result]:
    from co_app.core.db.engine import make_engine, sqlite_url
    from co_app.core.sync.package import export_package

    sizes = Sizes().scaled(0.02) if quick else Sizes()
    with tempfile.TemporaryDirectory(prefix="co-bench-export-") as tmp:
        database = Path(tmp) / "co_app.sqlite3"
        device_id = build(database, sizes)
        engine = make_engine(sqlite_url(database))
        sizes_out: dict[str, int] = {}

        def ours() -> float:
            out = Path(tmp) / "ours.cosync"
            start = time.perf_counter()
            export_package(engine, device_id, out, passphrase=PASSPHRASE, full=True)
            elapsed = time.perf_counter() - start
            sizes_out["ours"] = out.stat().st_size
            out.unlink()
            return elapsed

        def baseline() -> float:
            out = Path(tmp) / "sqlite.jsonl"
            start = time.perf_counter()
            sqlite_json(database, out)
            elapsed = time.perf_counter() - start
            sizes_out["baseline"] = out.stat().st_size
            out.unlink()
            return elapsed

        try:
            samples = interleaved({"ours": ours, "baseline": baseline}, runs)
        finally:
            engine.dispose()
    return [Result(name=NAME, ours=round(1000 * median(samples["ours"]), 1),
                   baseline=round(1000 * median(samples["baseline"]), 1), target=TARGET_RATIO, unit="ms",
                   baseline_label="SQLite json_object to a file",
                   extra={"attendance_records": sizes.attendance, "package_mb": round(sizes_out["ours"] / 1e6, 1),
                          "json_mb": round(sizes_out["baseline"] / 1e6, 1)})]
