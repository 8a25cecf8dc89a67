"""BackgroundTask: work on a real worker thread, its progress throttled on the way to the
GUI thread (the newest report, and always the last), results and failures as signals."""

from __future__ import annotations

import time

from co_app.core.foundation.errors import CoError
from co_app.ui.shell.tasks import PROGRESS_EVERY_S, BackgroundTask


def run(qtbot, task: BackgroundTask) -> None:
    """Start it and wait for its result (queued after its progress reports, so those are in)."""
    with qtbot.waitSignal(task.succeeded, timeout=10_000):
        task.start()


def test_progress_is_throttled_and_the_last_report_arrives(qtbot):
    seen: list[int] = []

    def work(progress, _cancel):
        end = time.monotonic() + 5 * PROGRESS_EVERY_S
        n = 0
        while time.monotonic() < end:  # a busy worker reporting all the time
            n += 1
            progress(n)
        return n

    task = BackgroundTask(work)
    task.progress.connect(seen.append)
    results: list[int] = []
    task.succeeded.connect(results.append)
    run(qtbot, task)
    [total] = results
    assert total > 1000  # reported thousands of times …
    assert 3 <= len(seen) <= 8  # … about one report per PROGRESS_EVERY_S crossed over
    assert seen == sorted(seen) and seen[-1] == total  # in order, the last one included


def test_a_task_whose_reports_are_results_gets_every_one(qtbot):
    seen: list[int] = []

    def work(progress, _cancel):
        for n in range(50):
            progress(n)
        return None

    task = BackgroundTask(work, progress_every_s=0)
    task.progress.connect(seen.append)
    run(qtbot, task)
    assert seen == list(range(50))


def test_the_last_report_arrives_before_a_failure(qtbot):
    seen: list[int] = []
    failures: list[str] = []

    def work(progress, _cancel):
        for n in range(100):
            progress(n)
        raise CoError("The pack's disk was pulled out.")

    task = BackgroundTask(work)
    task.progress.connect(seen.append)
    task.failed.connect(failures.append)
    with qtbot.waitSignal(task.failed, timeout=5000):
        task.start()
    assert seen[0] == 0 and seen[-1] == 99 and len(seen) <= 2
    assert failures == ["The pack's disk was pulled out."]


def test_a_task_whose_window_was_closed_ends_quietly(qtbot):
    """A dialog closed (and deleted) while its worker still runs: the worker's outcome has
    nobody to go to, and it is dropped — no "Signal source has been deleted" on stderr."""
    import threading

    import shiboken6
    from PySide6.QtWidgets import QDialog

    release = threading.Event()
    hooked: list[BaseException] = []
    previous = threading.excepthook
    threading.excepthook = lambda args: hooked.append(args.exc_value)
    try:
        def work(progress, _cancel):
            release.wait(5)
            progress(1)
            return 42

        owner = QDialog()
        task = BackgroundTask(work, owner)
        task.succeeded.connect(lambda result: hooked.append(AssertionError("a result reached a deleted window")))
        task.start()
        thread = task._thread
        shiboken6.delete(owner)  # the task goes with it
        assert not shiboken6.isValid(task)
        release.set()
        thread.join(5)
        qtbot.wait(50)
    finally:
        threading.excepthook = previous
    assert not thread.is_alive()
    assert hooked == []
