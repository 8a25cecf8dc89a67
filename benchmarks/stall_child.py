"""A measured application process for the event-loop stall benchmark (needs a screen).

``python -m benchmarks.stall_child DATA_DIR PACK_DIR SYNC_PACKAGE`` opens the main window
on ``DATA_DIR`` (its database already full), starts a 5 ms ``QTimer`` on the GUI thread,
and runs, one after the other, what a facilitator does through the window:

* media import — Films → "Import films…" from ``PACK_DIR`` (``MediaTaskDialog``),
* media verify — Films → "Check the films",
* sync export — "Export for the office", everything (``SyncExportDialog``),
* sync import — "Import a sync package": the check, then the import (``SyncImportDialog``).

Each operation is timed from the click that opens its dialog until its result is shown
and the window has settled (300 ms later).  Prints ``{"<operation>_ms": longest gap
between two timer ticks, …, "idle_ms": the longest gap with nothing running}``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

TICK_MS = 5
SETTLE_S = 0.3
PASSPHRASE = "benchmark passphrase"


def watchdog(monitor: "Monitor", threshold_s: float = 0.03) -> None:
    """Diagnostics (``CO_BENCH_STALL_TRACE=1``): print where the GUI thread is whenever it has
    not ticked for ``threshold_s`` — the stack that causes a stall, to stderr."""
    import threading
    import traceback

    main = threading.main_thread().ident

    def watch() -> None:
        reported = 0.0
        while True:
            time.sleep(threshold_s / 3)
            late = time.perf_counter() - monitor.last
            if late > threshold_s and monitor.last != reported:
                reported = monitor.last
                names = {t.ident: t.name for t in threading.enumerate()}
                stacks = [f"[{'GUI' if ident == main else names.get(ident, ident)}]\n"
                          + "".join(traceback.format_stack(frame, limit=40 if ident == main else 6))
                          for ident, frame in sys._current_frames().items() if ident != threading.get_ident()]
                print(f"--- GUI thread {1000 * late:.0f} ms without a tick:\n" + "".join(stacks), file=sys.stderr,
                      flush=True)

    threading.Thread(target=watch, name="stall-watchdog", daemon=True).start()


class Monitor:
    """Ticks every 5 ms on the GUI thread and keeps the longest gap since ``reset``."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.last = time.perf_counter()
        self.longest = 0.0
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def reset(self) -> None:
        self.last = time.perf_counter()
        self.longest = 0.0


def run_until(app, done, timeout_s: float = 300.0) -> None:
    """Let the event loop run until ``done()`` holds, then SETTLE_S more."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    settle_at: list[float] = []

    def check() -> None:
        now = time.monotonic()
        if not settle_at and done():
            settle_at.append(now)
        if (settle_at and now - settle_at[0] >= SETTLE_S) or now - started > timeout_s:
            loop.quit()

    started = time.monotonic()
    poll = QTimer()
    poll.setInterval(20)
    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    if not settle_at:
        sys.exit("an operation did not finish in time")


def measure(app, monitor: Monitor, operation) -> float:
    """Run ``operation()`` (which starts the work and returns its done-test) inside the loop."""
    from PySide6.QtCore import QTimer

    run_until(app, lambda: True)  # settle first
    monitor.reset()
    box: list = []
    QTimer.singleShot(0, lambda: box.append(operation()))
    run_until(app, lambda: bool(box) and box[0]())
    return 1000 * monitor.longest


def started_window(services):  # (QApplication, MainWindow, Monitor)
    """The application's window over ``services``, shown on screen and past its start-up, and
    the monitor of its event loop (stalls traced with CO_BENCH_STALL_TRACE set)."""
    from co_app.ui.shell.application import create_main_window, qt_application

    app = qt_application()
    window = create_main_window(app, services)
    window.show()
    monitor = Monitor()
    if os.environ.get("CO_BENCH_STALL_TRACE"):
        watchdog(monitor)
    run_until(app, lambda: window.windowHandle() is not None and window.windowHandle().isExposed())
    window.finish_startup()
    return app, window, monitor


def main(argv: list[str]) -> int:
    data_dir, pack, package = argv[0], Path(argv[1]), Path(argv[2])
    from co_app.core.bootstrap import bootstrap

    services = bootstrap(data_dir, language="en", open_db=False)  # as main.py: the database after the paint
    app, window, monitor = started_window(services)
    window.show_view("films")
    films = window.view("films")
    run_until(app, lambda: films._thumbnail_task is None or not films._thumbnail_task.running)
    monitor.reset()
    idle_until = time.monotonic() + 1
    run_until(app, lambda: time.monotonic() > idle_until)
    result = {"idle_ms": 1000 * monitor.longest}

    def media(kind: str):
        def start():
            dialog = films.import_films(pack) if kind == "import" else films.check_films()
            return lambda: not dialog.task.running and dialog.report is not None
        return start

    def sync_export():
        from co_app.ui.sync.sync_dialogs import SyncExportDialog

        dialog = SyncExportDialog(services, window)
        dialog.destination.edit.setText(str(Path(data_dir) / "exports" / "bench.cosync"))
        dialog.full.setChecked(True)
        dialog.passphrase.setText(PASSPHRASE)
        dialog.passphrase_again.setText(PASSPHRASE)
        dialog.open()
        dialog.action.click()
        return lambda: dialog.result is not None

    def sync_import():
        from co_app.ui.sync.sync_dialogs import SyncImportDialog

        dialog = SyncImportDialog(services, package, window)
        dialog.passphrase.setText(PASSPHRASE)
        dialog.open()
        dialog.action.click()  # the check (a dry run) …
        state = {"clicked": False}

        def done() -> bool:
            if dialog.task is not None and dialog.task.running:
                return False
            if dialog.preview is not None and not state["clicked"]:
                state["clicked"] = True
                dialog.action.click()  # … then the import
                return False
            return dialog.report is not None

        return done

    for name, operation in (("media_import", media("import")), ("media_verify", media("verify")),
                            ("sync_export", sync_export), ("sync_import", sync_import)):
        result[f"{name}_ms"] = measure(app, monitor, operation)
    window.close()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
