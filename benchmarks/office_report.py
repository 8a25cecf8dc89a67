"""The office's report across laptops over 200,000 attendance records — all dates, and one
month — against plain SQL ``GROUP BY`` queries of the same breakdowns, on SQLite and on
PostgreSQL (a server the benchmark starts; skipped with the reason printed only when
PostgreSQL's programs are not installed).

Ours: ``co_app.core.office.report.compute`` — the filter, the definitions (attendances,
absences, expected, people counted once, age at the first session attended, destination
with the household's), every breakdown, the laptops' names, in one read transaction.
The baseline: hand-written SQL, one ``GROUP BY`` per breakdown (people and attendances by
sex, age group, nationality, destination, module and laptop, and the totals) over the same
joins, run with the database's own driver.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks import Result, median
from benchmarks._office_data import build_hub, copy_to_postgres
from benchmarks._postgres import pg_bin, postgres_server
from benchmarks._support import interleaved, timed_queries

NAME = "office_report"
TARGET_RATIO = 3.0
YEAR = {"sqlite": "CAST(strftime('%Y', s.session_date) AS INTEGER)",
        "postgresql": "CAST(EXTRACT(YEAR FROM s.session_date) AS INTEGER)"}
JOINS = ("FROM attendance a JOIN co_sessions s ON s.id = a.session_id JOIN participants p ON p.id = a.participant_id "
         "{extra}WHERE a.deleted_at IS NULL AND s.deleted_at IS NULL AND p.deleted_at IS NULL "
         "AND a.status IN ('present', 'late', 'left_early'){range}")
COUNTS = "COUNT(DISTINCT a.participant_id), COUNT(*)"


def baseline_queries(dialect: str, month: tuple[date, date] | None) -> list[str]:
    """The plain SQL: the totals and one GROUP BY per breakdown."""
    span = " AND s.session_date BETWEEN '{}' AND '{}'".format(*month) if month else ""
    age = (f"CASE WHEN p.birth_year IS NULL THEN 'unknown' WHEN {YEAR[dialect]} - p.birth_year <= 4 THEN '0-4' "
           f"WHEN {YEAR[dialect]} - p.birth_year <= 11 THEN '5-11' WHEN {YEAR[dialect]} - p.birth_year <= 17 "
           f"THEN '12-17' WHEN {YEAR[dialect]} - p.birth_year <= 59 THEN '18-59' ELSE '60+' END")
    plain = JOINS.format(extra="", range=span)
    module = JOINS.format(extra="JOIN module_coverage m ON m.session_id = a.session_id AND m.covered "
                          "AND m.deleted_at IS NULL ", range=span)
    return [f"SELECT {COUNTS} {plain}",
            *(f"SELECT {column}, {COUNTS} {plain} GROUP BY {column}"
              for column in ("p.sex", age, "p.nationality", "p.destination", "s.origin_device")),
            f"SELECT m.module_id, {COUNTS} {module} GROUP BY m.module_id"]


def middle_month(engine) -> tuple[date, date]:
    """The calendar month of the middle session (the data's dates follow today's)."""
    from sqlalchemy import text

    with engine.connect() as conn:
        days = [row[0] for row in conn.execute(text("SELECT session_date FROM co_sessions ORDER BY session_date"))]
    middle = days[len(days) // 2]
    middle = middle if isinstance(middle, date) else date.fromisoformat(str(middle))
    first = middle.replace(day=1)
    last = (first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1) - timedelta(days=1))
    return first, last


def _measure(engine, dialect: str, runs: int) -> list[Result]:
    from co_app.core.office.report import ReportFilter, compute

    results = []
    month = middle_month(engine)
    for span, flt in (("all dates", ReportFilter()), ("one month", ReportFilter(start=month[0], end=month[1]))):
        queries = baseline_queries(dialect, month if flt.start else None)
        found: dict[str, int] = {}

        def ours(flt=flt, found=found) -> float:
            start = time.perf_counter()
            report = compute(engine, flt)
            found["attendances"] = report.attendances
            return time.perf_counter() - start

        def baseline(queries=queries) -> float:
            return timed_queries(engine, queries)

        samples = interleaved({"ours": ours, "baseline": baseline}, runs)
        results.append(Result(name=f"{NAME}_{dialect}_{span.replace(' ', '_')}",
                              ours=round(1000 * median(samples["ours"]), 1),
                              baseline=round(1000 * median(samples["baseline"]), 1), target=TARGET_RATIO,
                              unit="ms", baseline_label="plain SQL GROUP BY per breakdown",
                              extra={"attendances": found["attendances"]}))
    return results


def run(runs: int, quick: bool = False) -> list[Result]:
    from co_app.core.db.engine import make_engine, sqlite_url
    from co_app.core.sync.hub import normalise_url

    with tempfile.TemporaryDirectory(prefix="co-bench-office-") as tmp:
        hub = Path(tmp) / "hub.sqlite3"
        build_hub(hub, quick)
        engine = make_engine(sqlite_url(hub))
        try:
            results = _measure(engine, "sqlite", runs)
        finally:
            engine.dispose()
        if pg_bin() is None:
            print("  office_report on PostgreSQL skipped: PostgreSQL's programs (initdb, pg_ctl) are not installed",
                  file=sys.stderr, flush=True)
            return results
        with postgres_server() as url:
            copy_to_postgres(hub, url)
            engine = make_engine(normalise_url(url))
            try:
                results += _measure(engine, "postgresql", runs)
            finally:
                engine.dispose()
    return results
