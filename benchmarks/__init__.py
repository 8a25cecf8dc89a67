"""Benchmarks that compare the application with a baseline measured in the same run.

Each benchmark is a module with ``NAME`` and ``run(runs: int, quick: bool) -> list[Result]``,
listed in ``benchmarks/__main__.py``.  A figure alone says little on an unknown machine,
so wherever issue 9 names one, a result carries a baseline taken on the same machine, in
the same run (interleaved with ours, medians), and the target is a ratio to it.  A few
targets are absolute (a check-in keystroke, memory while a film plays, the longest stall
of the event loop): those results have no baseline and are judged against the target.

``quick`` makes the inputs small, so the test suite can prove every benchmark still runs;
its figures mean nothing.
"""

from __future__ import annotations

import os
import statistics
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: How a result is judged.
AT_MOST = "at_most"    #: ours / baseline ≤ target (or ours ≤ target without a baseline)
AT_LEAST = "at_least"  #: ours / baseline ≥ target (throughputs)
BELOW = "below"        #: ours < target (strictly; absolute only)


class BenchmarkUnavailable(Exception):
    """The benchmark cannot run here (no screen, the program failed); the message says why."""


def require_screen() -> None:
    """Qt aborts with a long plugin dump when Linux has no X display; say it in one sentence."""
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
        raise BenchmarkUnavailable("The benchmarks need a screen: run them through 'python3 dev.py bench' "
                                   "or 'xvfb-run -a .venv/bin/python -m benchmarks'.")


def median(values: list[float]) -> float:
    return statistics.median(values)


@dataclass(frozen=True)
class Result:
    name: str
    ours: float  #: median of our samples, in ``unit``
    baseline: float | None  #: median of the baseline's samples, in ``unit``; None: an absolute target
    target: float  #: the ratio (or, without a baseline, the figure) that must be met
    unit: str
    judge: str = AT_MOST
    #: What the baseline is, in a few words ("bare PySide6 window").
    baseline_label: str = ""
    #: Figures reported beside the comparison but not judged (e.g. the first-run time).
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        """ours / baseline, or without a baseline ours / target (≤ 1 meets an upper bound)."""
        if self.baseline is None:
            return self.ours / self.target
        return self.ours / self.baseline if self.baseline else float("inf")

    @property
    def passed(self) -> bool:
        if self.baseline is None:
            return self.ours < self.target if self.judge == BELOW else self.ours <= self.target
        return self.ratio >= self.target if self.judge == AT_LEAST else self.ratio <= self.target

    def to_dict(self) -> dict:
        return {**asdict(self), "ratio": round(self.ratio, 3), "passed": self.passed}
