"""The office's USB-stick import shares Python's lock with the window (issue 18, the
event-loop stall benchmark): while it runs the interpreter switches threads every
millisecond, and afterwards the interval is what it was — also when two overlap."""

from __future__ import annotations

import sys
import threading

from co_app.ui.office.common import SHARED_SWITCH_S, sharing_the_gil


def test_the_interval_is_lowered_while_an_import_runs_and_put_back_after() -> None:
    before = sys.getswitchinterval()
    with sharing_the_gil():
        assert sys.getswitchinterval() == SHARED_SWITCH_S
        with sharing_the_gil():  # a second import at once
            assert sys.getswitchinterval() == SHARED_SWITCH_S
        assert sys.getswitchinterval() == SHARED_SWITCH_S  # the first still runs
    assert sys.getswitchinterval() == before


def test_overlapping_imports_on_workers_put_it_back_once_both_are_done() -> None:
    before = sys.getswitchinterval()
    first_in, second_done, seen = threading.Event(), threading.Event(), []

    def first() -> None:
        with sharing_the_gil():
            first_in.set()
            second_done.wait(10)
            seen.append(sys.getswitchinterval())

    worker = threading.Thread(target=first)
    worker.start()
    first_in.wait(10)
    with sharing_the_gil():  # starts after the first, ends before it
        seen.append(sys.getswitchinterval())
    second_done.set()
    worker.join(10)
    assert seen == [SHARED_SWITCH_S, SHARED_SWITCH_S] and sys.getswitchinterval() == before
