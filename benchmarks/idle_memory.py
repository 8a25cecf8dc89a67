"""Idle memory: the application's RSS once it is ready and idle, against a bare PySide6 window.

Ours: ``main.py`` on a returning user's data folder with ``CO_APP_STARTUP_PROBE=idle`` (it
prints "co-app: ready" once Home shows the database's data, and keeps running); the
baseline: ``bare_window.py --stay``.  Each is left idle for ``SETTLE_S`` after its line —
long enough for the day's backup, which starts 3 s after ready — then its RSS is read from
/proc and it is ended.  Fresh processes, interleaved.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from benchmarks import ROOT, Result, median, require_screen
from benchmarks._support import interleaved, require_proc, rss_after_line

NAME = "idle_memory"
TARGET_RATIO = 1.6
SETTLE_S = 4.0
BARE_WINDOW = Path(__file__).with_name("bare_window.py")


def run(runs: int, quick: bool = False) -> list[Result]:
    require_screen()
    require_proc()
    settle = 0.5 if quick else SETTLE_S
    with tempfile.TemporaryDirectory(prefix="co-bench-idle-") as tmp:
        data = str(Path(tmp) / "data")
        env = {**os.environ, "CO_APP_STARTUP_PROBE": "idle"}
        main = [sys.executable, str(ROOT / "main.py"), "--data-dir", data]
        samples = interleaved({
            "ours": lambda: rss_after_line(main, "co-app: ready", env, settle),
            "bare": lambda: rss_after_line([sys.executable, str(BARE_WINDOW), "--stay"], "bare: window shown",
                                           env, settle),
        }, runs)
    return [Result(name=NAME, ours=round(median(samples["ours"]), 1), baseline=round(median(samples["bare"]), 1),
                   target=TARGET_RATIO, unit="MiB", baseline_label="bare PySide6 window")]
