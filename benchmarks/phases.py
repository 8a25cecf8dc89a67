"""Where start-up time goes: ``python -m benchmarks.phases [--runs N]`` (needs a screen).

A diagnostic beside the start-up benchmark, not a benchmark itself: each run is a fresh
process that repeats the steps of ``main.py`` → ``co_app.core.bootstrap.bootstrap`` →
``co_app.ui.shell.application.run_application`` one at a time on a returning user's data
folder, so a lazy import is charged to the step that triggers it.  Keep the steps in
line with those functions.
"""

from __future__ import annotations

import sys
import time


def once(data_dir: str) -> list[tuple[str, float]]:
    """One measured start-up; the clock starts before anything of ours is imported."""
    marks: list[tuple[str, float]] = []
    last = time.perf_counter()

    def mark(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        marks.append((name, now - last))
        last = now

    import co_app.app  # noqa: F401 - what main.py imports
    from co_app.cli import parse_args
    args = parse_args(["--data-dir", data_dir])
    mark("command line: import co_app.app, co_app.cli; parse_args")
    from co_app.core import bootstrap as boot
    mark("import co_app.core.bootstrap (no SQLAlchemy: the database opens after the paint)")
    paths = boot.DataPaths(boot.resolve_data_dir(args.data_dir)).ensure()
    boot.setup_logging(paths.logs)
    settings, _warning = boot.load_settings(paths.settings)
    mark("bootstrap: paths, logging, settings")
    boot.i18n.set_language(settings.language or boot.i18n.system_language())
    mark("bootstrap: i18n.set_language")
    services = boot.Services(paths=paths, settings=settings)  # the database opens after the paint
    mark("bootstrap: Services (database and manifest left for later)")

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication
    mark("import PySide6 QtCore, QtWidgets (the bare window pays this too)")
    from co_app.ui.shell import application as ui
    mark("import co_app.ui.shell.application (views, player panel, babel)")
    app = ui.qt_application()
    mark("QApplication()")
    ui.apply_theme(app, larger_text=settings.larger_text)
    mark("window: apply_theme (style sheet)")
    switcher = ui.LanguageSwitcher(app)
    switcher.apply(boot.i18n.current_language())
    mark("window: LanguageSwitcher.apply")
    window = ui.MainWindow(services, switcher, ui._configured_player)
    mark("window: MainWindow() (Home only; the other pages are built on first visit)")

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                mark("show → first paint (polish, layout, paint)")
                QTimer.singleShot(0, after_paint)
            return False

    def after_paint() -> None:
        window.finish_startup()
        mark("after the paint: fonts, open the database, Home's data (not in the judged figure)")
        QApplication.quit()

    probe = FirstPaint(window)
    window.installEventFilter(probe)
    window.show()
    app.exec()
    services.close()
    return marks


def child(data_dir: str) -> list[tuple[str, float]]:
    import json
    import subprocess
    from pathlib import Path

    done = subprocess.run([sys.executable, "-m", "benchmarks.phases", "--once", data_dir],
                          cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True)
    if done.returncode != 0:  # most likely the steps above no longer match the application's
        sys.exit("phases: the measured run failed:\n" + done.stderr[-2000:])
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import statistics
    import tempfile

    from benchmarks import BenchmarkUnavailable, require_screen

    parser = argparse.ArgumentParser(prog="python -m benchmarks.phases", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, metavar="N", help="measured runs (default 7)")
    args = parser.parse_args(argv)
    try:
        require_screen()
    except BenchmarkUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="co-phases-") as tmp:
        runs = [child(tmp) for _ in range(args.runs + 1)][1:]  # the first is a warm-up; it creates the DB
    total = 0.0
    for index, (name, _seconds) in enumerate(runs[0]):
        ms = 1000 * statistics.median(run[index][1] for run in runs)
        total += ms
        print(f"{ms:7.1f} ms  {name}")
    print(f"{total:7.1f} ms  total in Python (medians of {args.runs} runs; interpreter start not included)")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--once"]:  # a measured child: nothing imported before its clock starts
        import json

        print(json.dumps(once(sys.argv[2])))
    else:
        sys.exit(main())
