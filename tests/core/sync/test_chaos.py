"""Sync under chaos (issue 17): five laptops and a hub, random edits of random fields,
deletions, clocks offset by days and moved back and forth, a copied data folder, packages
exported at random moments, imported in random orders, twice, and some lost.

At the end every database that received every package is identical to the hub, no change
that was not concurrently overwritten is lost (the run keeps its own ground truth of every
edit), and every lost concurrent value is in the hub's conflict log or held for review.
Seeded and quick; ``pytest --deep`` plays many more seeds, longer (tests/core/sync/chaos.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.sync.chaos import Settings, play

QUICK_SEEDS = (1, 2, 3, 5, 6)
DEEP_SEEDS = tuple(range(100, 120))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "seed" in metafunc.fixturenames:
        deep = metafunc.config.getoption("--deep")
        metafunc.parametrize("seed", DEEP_SEEDS if deep else QUICK_SEEDS)


@pytest.fixture
def settings(request: pytest.FixtureRequest) -> Settings:
    if request.config.getoption("--deep"):
        return Settings(steps=300, copies=2, reimport_sample=12)
    return Settings(steps=80, copies=1)


def test_chaos(tmp_path: Path, seed: int, settings: Settings) -> None:
    world, found = play(tmp_path, seed, settings)
    summary = f"seed {seed}: {dict(world.stats)}; {found}"
    print(summary)
    assert not world.problems, "\n".join([summary, f"{len(world.problems)} problems:", *world.problems[:20]])
    assert found["final values"] > 0 and world.stats["imports again"] > 0, summary
