"""The office's report with learning figures (issue 21): 200,000 attendance records and
500,000 learning check answers, on SQLite and on PostgreSQL (a throwaway server the
benchmark starts, as the office report's does; skipped with the reason printed only when
PostgreSQL's programs are not installed) — all dates.

Ours: the office's report (``co_app.core.office.report.compute``) with its learning figures
(``Report.learning``, ``co_app.core.learning.report``: per module the share correct before and after,
by sex and age group, and the questions most often missed), as the office computes them.
The baseline: hand-written SQL in the same run — the office report's plain ``GROUP BY`` per
breakdown (benchmarks/office_report.py) and one ``GROUP BY`` per learning breakdown (module
and phase; with sex; with age group; per question) over the same joins.  The target is the
office report's: at most 3 times the plain SQL.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import Result, median
from benchmarks._office_data import TABLES, build_hub, copy_to_postgres
from benchmarks._postgres import pg_bin, postgres_server
from benchmarks._support import interleaved, timed_queries
from benchmarks.office_report import TARGET_RATIO, YEAR, baseline_queries

NAME = "learning_report"
ANSWERS = 500_000
MODULES = ("housing", "work-and-money", "health-and-wellbeing", "school-and-childcare", "the-first-year")


def add_answers(path: Path, quick: bool) -> int:
    """Up to ``ANSWERS`` per-person answers: for each attendance a question before the
    module, the same after and a second after (the session's module from its rowid), about
    two thirds right; written with one INSERT … SELECT.  Returns how many."""
    limit = ANSWERS // 100 if quick else ANSWERS
    modules = " ".join(f"WHEN {n} THEN '{m}'" for n, m in enumerate(MODULES))
    con = sqlite3.connect(path)
    try:
        with con:
            con.execute(f"""
                INSERT INTO learning_answers (id, created_at, updated_at, device_id, deleted_at, versions, sync_seq,
                    session_id, module_id, question_id, phase, slot, participant_id, answer, correct, count, present,
                    recorded_by)
                SELECT lower(hex(randomblob(18))), a.created_at, a.updated_at, a.device_id, NULL, '{{}}', 0,
                       a.session_id, CASE s.rowid % {len(MODULES)} {modules} END, q.question, q.phase,
                       a.participant_id, a.participant_id, abs(random()) % 3, abs(random()) % 3 < 2, 1, NULL, 'bench'
                FROM attendance a JOIN co_sessions s ON s.id = a.session_id
                CROSS JOIN (SELECT 'q1' AS question, 'before' AS phase UNION ALL SELECT 'q1', 'after'
                            UNION ALL SELECT 'q2', 'after') q
                WHERE a.status IN ('present', 'late', 'left_early')
                LIMIT {limit}""")  # noqa: S608 - the benchmark's own constants
        con.execute("ANALYZE")
        return con.execute("SELECT count(*) FROM learning_answers").fetchone()[0]
    finally:
        con.close()


def learning_baseline(dialect: str) -> list[str]:
    age = (f"CASE WHEN p.birth_year IS NULL THEN 'unknown' WHEN {YEAR[dialect]} - p.birth_year <= 4 THEN '0-4' "
           f"WHEN {YEAR[dialect]} - p.birth_year <= 11 THEN '5-11' WHEN {YEAR[dialect]} - p.birth_year <= 17 "
           f"THEN '12-17' WHEN {YEAR[dialect]} - p.birth_year <= 59 THEN '18-59' ELSE '60+' END")
    sums = "SUM(l.count), SUM(CASE WHEN l.correct THEN l.count ELSE 0 END)"
    joins = ("FROM learning_answers l JOIN co_sessions s ON s.id = l.session_id "
             "LEFT JOIN participants p ON p.id = l.participant_id "
             "WHERE l.deleted_at IS NULL AND s.deleted_at IS NULL")
    return [f"SELECT l.module_id, l.phase, {sums} {joins} GROUP BY l.module_id, l.phase",
            f"SELECT l.module_id, l.phase, p.sex, {sums} {joins} GROUP BY l.module_id, l.phase, p.sex",
            f"SELECT l.module_id, l.phase, {age}, {sums} {joins} GROUP BY l.module_id, l.phase, {age}",
            f"SELECT l.module_id, l.question_id, l.phase, {sums} {joins} GROUP BY l.module_id, l.question_id, l.phase"]


def _measure(engine, dialect: str, runs: int, answers: int) -> Result:
    from co_app.core.office.report import ReportFilter, compute

    queries = baseline_queries(dialect, None) + learning_baseline(dialect)
    found: dict[str, int] = {}

    def ours() -> float:
        start = time.perf_counter()
        office = compute(engine, ReportFilter())
        figures = office.learning
        found["attendances"] = office.attendances
        found["answers"] = sum(m.overall.before_answers + m.overall.after_answers for m in figures.modules)
        return time.perf_counter() - start

    def baseline() -> float:
        return timed_queries(engine, queries)

    samples = interleaved({"ours": ours, "baseline": baseline}, runs)
    assert found["answers"] == answers, found  # every answer counted once
    return Result(name=f"{NAME}_{dialect}_all_dates", ours=round(1000 * median(samples["ours"]), 1),
                  baseline=round(1000 * median(samples["baseline"]), 1), target=TARGET_RATIO, unit="ms",
                  baseline_label="plain SQL GROUP BY per breakdown, attendance and learning",
                  extra={"attendances": found["attendances"], "answers": found["answers"]})


def run(runs: int, quick: bool = False) -> list[Result]:
    from co_app.core.db.engine import make_engine, sqlite_url
    from co_app.core.sync.hub import normalise_url

    with tempfile.TemporaryDirectory(prefix="co-bench-learning-") as tmp:
        hub = Path(tmp) / "hub.sqlite3"
        build_hub(hub, quick)
        answers = add_answers(hub, quick)
        engine = make_engine(sqlite_url(hub))
        try:
            results = [_measure(engine, "sqlite", runs, answers)]
        finally:
            engine.dispose()
        if pg_bin() is None:
            print(f"  {NAME} on PostgreSQL skipped: PostgreSQL's programs (initdb, pg_ctl) are not installed",
                  file=sys.stderr, flush=True)
            return results
        with postgres_server() as url:  # the same rows, answers too, in the office's PostgreSQL hub
            copy_to_postgres(hub, url, (*TABLES, "learning_answers"))
            engine = make_engine(normalise_url(url))
            try:
                results.append(_measure(engine, "postgresql", runs, answers))
            finally:
                engine.dispose()
    return results
