"""Check-in search among 20,000 participants, keystroke to results shown: median ≤ 15 ms.

The database holds 20,000 participants in about 4,400 households (Syrian, Afghan,
Eritrean, Sudanese and Congolese names, a third of the Syrian and Sudanese ones in Arabic
script) and 50 sessions of 40.  ``checkin_child.py`` opens the check-in page of a session
in the real window and types 60 queries a facilitator would — a family name, or its start
and a given name's start, or a case number — one key at a time.  The figure is the median
keystroke; the 90th percentile and the slowest are reported beside it.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import statistics
import tempfile
from pathlib import Path

from benchmarks import Result, require_screen
from benchmarks._data import Sizes, build
from benchmarks._support import child_json

NAME = "checkin_search"
LIMIT_MS = 15.0
QUERIES = 60


def queries(database: Path, count: int, seed: int = 7) -> list[str]:
    """What a facilitator types for people on the roster: names as said at the door."""
    rng = random.Random(seed)
    con = sqlite3.connect(database)
    try:
        people = con.execute("SELECT given_name, family_name, case_number FROM participants").fetchall()
    finally:
        con.close()
    found = []
    for given, family, case in rng.sample(people, count):
        kind = rng.random()
        if kind < 0.5:
            found.append(family.lower())
        elif kind < 0.8:
            found.append(f"{family[:4].lower()} {given[:3].lower()}")
        else:
            found.append(case[:9])
    return found


def run(runs: int, quick: bool = False) -> list[Result]:
    from co_app.core.foundation.paths import DataPaths

    require_screen()
    sizes = Sizes(participants=2_000 if quick else 20_000, sessions=50)
    with tempfile.TemporaryDirectory(prefix="co-bench-checkin-") as tmp:
        data = Path(tmp) / "data"
        database = DataPaths(data).ensure().database
        build(database, sizes)
        query_file = Path(tmp) / "queries.json"
        query_file.write_text(json.dumps(queries(database, 10 if quick else QUERIES), ensure_ascii=False),
                              encoding="utf-8")
        samples: list[float] = []
        medians: list[float] = []
        for _ in range(runs):
            ms = child_json(["benchmarks.checkin_child", str(data), str(query_file)], env=dict(os.environ))["ms"]
            samples.extend(ms)
            medians.append(statistics.median(ms))
    deciles = statistics.quantiles(samples, n=10)
    return [Result(name=NAME, ours=round(statistics.median(samples), 2), baseline=None, target=LIMIT_MS, unit="ms",
                   extra={"p90_ms": round(deciles[-1], 1), "slowest_ms": round(max(samples), 1),
                          "keystrokes": len(samples), "participants": sizes.participants})]
