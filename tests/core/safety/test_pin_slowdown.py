"""Wrong PIN attempts slow down (remembered across restarts) and PIN changes are audited."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from co_app.core.safety.audit import entries
from co_app.core.db.engine import open_database
from co_app.core.safety.pin import FREE_ATTEMPTS, MAX_WAIT_S, check_pin, seconds_to_wait, set_pin, wait_after

T0 = datetime(2026, 5, 9, 9, 0, tzinfo=timezone.utc)


def test_the_wait_grows_with_each_wrong_attempt_and_is_capped() -> None:
    assert [wait_after(n) for n in range(FREE_ATTEMPTS)] == [0] * FREE_ATTEMPTS
    assert [wait_after(n) for n in range(3, 8)] == [30, 60, 120, 240, 480]
    assert wait_after(9) == wait_after(500) == MAX_WAIT_S


def test_wrong_attempts_slow_down_and_the_wait_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "co.sqlite3"
    db = open_database(path)
    with db.session() as s:
        set_pin(s, "2468")
        for _n in range(FREE_ATTEMPTS - 1):
            assert not check_pin(s, "1111", now=T0)
            assert seconds_to_wait(s, T0) == 0
        assert not check_pin(s, "1111", now=T0)  # the third wrong one in a row
        assert seconds_to_wait(s, T0) == 30
        # While waiting even the right PIN is refused, and the refusal is not counted.
        assert not check_pin(s, "2468", now=T0 + timedelta(seconds=10))
        assert seconds_to_wait(s, T0 + timedelta(seconds=10)) == 20
    db.dispose()

    db = open_database(path)  # the application was closed and opened again
    with db.session() as s:
        assert seconds_to_wait(s, T0 + timedelta(seconds=10)) == 20
        later = T0 + timedelta(seconds=30)
        assert seconds_to_wait(s, later) == 0
        assert not check_pin(s, "9999", now=later)
        assert seconds_to_wait(s, later) == 60  # doubled
        assert check_pin(s, "2468", now=later + timedelta(seconds=60))
        assert seconds_to_wait(s, later + timedelta(seconds=60)) == 0
        assert not check_pin(s, "1111", now=later + timedelta(seconds=61))
        assert seconds_to_wait(s, later + timedelta(seconds=61)) == 0  # the right PIN reset the count
    db.dispose()


def test_a_clock_set_back_does_not_lock_the_facilitator_out_for_longer_than_the_rule(tmp_path: Path) -> None:
    db = open_database(tmp_path / "co.sqlite3")
    with db.session() as s:
        set_pin(s, "2468")
        for _ in range(FREE_ATTEMPTS):
            check_pin(s, "0000", now=T0)
        assert seconds_to_wait(s, T0 - timedelta(days=365)) == 30
    db.dispose()


def test_pin_changes_and_failures_are_audited_without_the_pin(tmp_path: Path) -> None:
    db = open_database(tmp_path / "co.sqlite3")
    with db.session() as s:
        set_pin(s, "2468")
        set_pin(s, "13579")
        assert not check_pin(s, "2468", now=T0)
        assert not check_pin(s, "", now=T0)  # an empty entry is not an attempt
        lines = entries(s)
    db.dispose()
    assert [line.action for line in reversed(lines)] == ["pin_set", "pin_changed", "pin_failed"]
    assert lines[0].detail == "wrong PIN, 1 in a row"
    assert not any(pin in line.detail + line.subject for line in lines for pin in ("2468", "13579"))
