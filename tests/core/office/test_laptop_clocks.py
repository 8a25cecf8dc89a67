"""A laptop with a wrong clock (issue 18): the office judges silence by when IT received a
laptop's latest package, shows the laptop's own dates apart, and warns when that package
was written far from its receipt — on a SQLite hub and on the real PostgreSQL server."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from co_app.core.db.models import CoSession
from co_app.core.office import laptops
from co_app.core.sync import package
from tests.core.office.world import World
from tests.core.sync_helpers import populate

REPO = Path(__file__).resolve().parents[3]


def _send_with_clock(world: World, db, monkeypatch: pytest.MonkeyPatch, off: timedelta, name: str) -> None:
    """The laptop writes its package by a clock ``off`` from the real one."""
    real = package.utcnow
    monkeypatch.setattr(package, "utcnow", lambda: real() + off)
    world.to_hub(db, name)
    monkeypatch.setattr(package, "utcnow", real)


@pytest.fixture
def clocks(world: World, monkeypatch: pytest.MonkeyPatch) -> dict[str, laptops.Laptop]:
    behind, ahead, right = world.laptop("Kakuma 2"), world.laptop("Amman 1"), world.laptop("Irbid 3")
    for db in (behind, ahead, right):
        populate(db, sessions=1)
    laptop_today = (datetime.now(timezone.utc) + timedelta(days=3)).date()
    with ahead.session() as s, s.begin():  # a session of the laptop's "today", three days from now
        s.add(CoSession(session_date=laptop_today, place="Amman", facilitator="R. Nasser"))
    planned = (datetime.now(timezone.utc) + timedelta(days=10)).date()
    with right.session() as s, s.begin():  # a right clock, and a session planned ten days ahead
        s.add(CoSession(session_date=planned, place="Irbid", facilitator="S. Haddad"))
    _send_with_clock(world, behind, monkeypatch, -timedelta(days=730), "kakuma.cosync")
    _send_with_clock(world, ahead, monkeypatch, timedelta(days=3), "amman.cosync")
    world.to_hub(right, "irbid.cosync")
    return {row.name: row for row in laptops.list_laptops(world.hub.engine, silent_after=14)}


def test_a_laptop_two_years_behind_that_reported_today_is_not_silent_and_is_warned_about(clocks) -> None:
    row = clocks["Kakuma 2"]
    assert (row.silent, row.silent_days) == (False, 0)  # the office received it today
    assert row.clock_wrong and -731 <= row.clock_offset_days <= -729
    assert row.last_written is not None and row.last_received is not None
    assert (row.last_received - row.last_written).days in (729, 730)  # its own date, shown apart
    assert row.as_dict()["clock_offset_days"] == row.clock_offset_days and row.as_dict()["clock_wrong"]


def test_a_laptop_three_days_ahead_is_warned_about_and_a_right_clock_is_not(clocks) -> None:
    ahead, right = clocks["Amman 1"], clocks["Irbid 3"]
    assert ahead.clock_offset_days == 3 and (ahead.silent, ahead.silent_days) == (False, 0)
    assert ahead.last_date == (datetime.now(timezone.utc) + timedelta(days=3)).date()
    assert (right.clock_offset_days, right.clock_wrong, right.silent) == (0, False, False)
    assert right.last_date == (datetime.now(timezone.utc) + timedelta(days=10)).date()  # planned, not a clock


def test_silence_is_counted_from_the_offices_receipt(world: World, clocks) -> None:
    later = datetime.now(timezone.utc) + timedelta(days=15)
    rows = {row.name: row for row in laptops.list_laptops(world.hub.engine, silent_after=14, now=later)}
    assert {name: (row.silent, row.silent_days) for name, row in rows.items()} == {
        "Amman 1": (True, 15), "Irbid 3": (True, 15), "Kakuma 2": (True, 15)}


def test_the_clock_rule() -> None:
    now = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
    assert laptops.clock_offset(now - timedelta(hours=20), now) == 0  # a time zone set wrong
    assert laptops.clock_offset(now - timedelta(days=30), now) == 0  # a stick that took a month
    assert laptops.clock_offset(now - timedelta(days=400), now) == -400
    assert laptops.clock_offset(now + timedelta(days=3), now) == 3
    assert laptops.clock_offset(None, now) == 0


def test_office_laptops_prints_the_warning_and_its_json(world: World, clocks) -> None:
    engine_url = world.hub.engine.url
    url = (engine_url.render_as_string(hide_password=False) if engine_url.get_backend_name() == "postgresql"
           else str(engine_url.database))
    base = [sys.executable, "main.py", "--data-dir", str(world.tmp / "office-data"), "office", "laptops",
            "--db", url]
    done = subprocess.run(base, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "this laptop's clock seems wrong: it is about 730 days behind" in done.stdout.replace("729", "730")
    assert "this laptop's clock seems wrong: it is about 3 days ahead" in done.stdout
    assert "SILENT" not in done.stdout
    as_json = json.loads(subprocess.run([*base, "--json"], cwd=REPO, capture_output=True, text=True,
                                        timeout=120).stdout)
    offsets = {row["name"]: row["clock_offset_days"] for row in as_json["laptops"]}
    assert offsets["Amman 1"] == 3 and offsets["Irbid 3"] == 0 and offsets["Kakuma 2"] < -700
