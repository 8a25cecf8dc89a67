"""The office's demonstration (issue 18): laptops seeded with ``demo seed`` each make people
of their own — case numbers and names with birth years no other laptop uses — save a few
families every laptop shares on purpose, so the hub's possible duplicates are exactly those
families' members, on a SQLite hub and on the real PostgreSQL server."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import select

from co_app.core.attendance.demo_seed import SHARED_FAMILIES, laptop_slot, seed_demo
from co_app.core.db.models import Household, Participant
from co_app.core.office import duplicates
from tests.core.attendance.test_demo_seed import MODULES, TOWNS
from tests.core.office.world import World

REPO = Path(__file__).resolve().parents[3]
TODAY = date(2026, 12, 1)
#: A shared family's case number: laptop number 0 ("SYR-26C00037"); a laptop's own carry 1-8 there.
SHARED = re.compile(r"^[A-Z]{3}-\d\dC0\d{4}$")


def _seed(world: World, name: str, laptop: int | None) -> None:
    db = world.laptop(name)
    with db.session() as s:
        seed_demo(s, towns=TOWNS, modules=MODULES, sessions=6, today=TODAY, laptop=laptop)
    world.to_hub(db)


def test_only_the_shared_families_are_possible_duplicates_at_the_office(world: World) -> None:
    _seed(world, "Amman 1", 1)
    _seed(world, "Irbid 2", 2)
    _seed(world, "Kakuma 3", 3)
    with world.hub.database().session() as s:
        people = s.scalars(select(Participant)).all()
        shared_cases = {h.case_number for h in s.scalars(select(Household)) if SHARED.match(h.case_number)}
    assert len(shared_cases) == SHARED_FAMILIES
    shared = [p for p in people if p.case_number in shared_cases]
    per_laptop = len(shared) // 3
    assert per_laptop >= SHARED_FAMILIES and len(shared) == 3 * per_laptop  # the same families on each laptop
    own = [p for p in people if p.case_number not in shared_cases]
    cases: dict[str, set[str]] = {}
    for person in own:
        cases.setdefault(person.case_number, set()).add(person.origin_device)
    assert all(len(devices) == 1 for devices in cases.values())  # no case number on two laptops
    groups = duplicates.find(world.hub.engine)
    assert len(groups) == per_laptop  # each shared person, once, on all three laptops
    assert all(len(g.people) == 3 and {p.case_number for p in g.people} <= shared_cases for g in groups)
    assert {len({p.laptop for p in g.people}) for g in groups} == {3}


def test_demo_seed_takes_a_laptop_number(tmp_path: Path) -> None:
    def seed(folder: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "main.py", "--data-dir", str(tmp_path / folder), "demo", "seed",
                               "--sessions", "2", *args], cwd=REPO, capture_output=True, text=True, timeout=120)

    assert seed("a", "--laptop", "1").returncode == 0
    assert seed("b", "--laptop", "2").returncode == 0
    bad = seed("c", "--laptop", "9")
    assert bad.returncode != 0 and "from 1 to 8" in bad.stderr
    from co_app.core.db.engine import open_database

    found = []
    for folder in ("a", "b"):
        db = open_database(tmp_path / folder / "co_app.sqlite3")
        with db.session() as s:
            found.append({(p.case_number, p.given_name, p.family_name, p.birth_year)
                          for p in s.scalars(select(Participant))})
        db.dispose()
    both = found[0] & found[1]
    assert both and all(SHARED.match(case) for case, *_ in both)  # only the shared families' people
    assert {laptop_slot(str(n)) for n in range(200)} == set(range(1, 9))  # without --laptop: 1 to 8
