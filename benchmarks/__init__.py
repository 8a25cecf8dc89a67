"""Benchmarks that compare the application with a baseline measured in the same run.

Each benchmark is a module with ``run(runs: int) -> Result``, listed in
``benchmarks/__main__.py``.  A figure alone says little on an unknown machine, so every
result carries a baseline taken on the same machine, in the same run, and the target is
a ratio to it rather than an absolute time.
"""

from __future__ import annotations

import os
import sys
from dataclasses import asdict, dataclass, field


class BenchmarkUnavailable(Exception):
    """The benchmark cannot run here (no screen, the program failed); the message says why."""


def require_screen() -> None:
    """Qt aborts with a long plugin dump when Linux has no X display; say it in one sentence."""
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
        raise BenchmarkUnavailable("The benchmarks need a screen: run them through 'python3 dev.py bench' "
                                   "or 'xvfb-run -a .venv/bin/python -m benchmarks'.")


@dataclass(frozen=True)
class Result:
    name: str
    ours: float  #: median of our samples, in ``unit``
    baseline: float  #: median of the baseline's samples, in ``unit``
    target: float  #: the largest acceptable ``ours / baseline``
    unit: str
    #: Figures reported beside the comparison but not judged (e.g. the first-run time).
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline

    @property
    def passed(self) -> bool:
        return self.ratio <= self.target

    def to_dict(self) -> dict:
        return {**asdict(self), "ratio": round(self.ratio, 3), "passed": self.passed}
