"""A measured application process for the player benchmarks (needs a screen and libVLC).

``python -m benchmarks.app_child film DATA_DIR`` starts the application's window on
``DATA_DIR`` (whose media folder holds the demo pack), goes to Films as a facilitator
would, waits until the page is idle (thumbnails made), then clicks the second film of the
list with QTest — which loads it — and plays it as a double click does
(``FilmsView.play_selected``).  It prints ``{"ms": …}``: the time from the click to
libVLC's first video output (``MediaPlayerVout``), the event ``bare_vlc.py`` waits for.

``… playing DATA_DIR SECONDS`` plays the film the same way and prints the process's
largest and median RSS (MiB) over ``SECONDS`` of playback.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_until(app, condition, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        app.processEvents()
        time.sleep(0.005)
    return True


def open_films(data_dir: str):  # (app, window, films view)
    from co_app.core.bootstrap import bootstrap
    from co_app.ui.shell.application import create_main_window, qt_application

    services = bootstrap(data_dir, language="en", open_db=False)  # as main.py: the database after the paint
    app = qt_application()
    window = create_main_window(app, services)
    window.show()
    wait_until(app, lambda: window.windowHandle() is not None and window.windowHandle().isExposed(), 10)
    window.finish_startup()
    window.show_view("films")
    films = window.view("films")
    # The page as a facilitator finds it: thumbnails made (cached on disk after the first run).
    wait_until(app, lambda: films._thumbnail_task is None or not films._thumbnail_task.running, 30)
    settle_until = time.monotonic() + 0.3
    wait_until(app, lambda: time.monotonic() > settle_until, 1)
    if films.player_panel.player is None:
        sys.exit("the player is not available: " + str(films.player_panel.ensure_player()))
    return app, window, films


def click_and_play(app, films) -> float:
    """Click the second film, play it; seconds from the click to the first video output."""
    import vlc
    from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
    from PySide6.QtTest import QTest

    class Bridge(QObject):
        vout = Signal()

    bridge = Bridge()
    loop = QEventLoop()
    bridge.vout.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    seen: list[float] = []

    def on_vout(_event) -> None:  # libVLC's thread: only note the time
        if not seen:
            seen.append(time.perf_counter())
            bridge.vout.emit()

    manager = films.player_panel.player._player.event_manager()  # the VlcPlayer's libVLC player
    manager.event_attach(vlc.EventType.MediaPlayerVout, on_vout)
    row = 1 if films.film_list.count() > 1 else 0
    item = films.film_list.item(row)
    point = films.film_list.visualItemRect(item).center()
    start = time.perf_counter()
    QTest.mouseClick(films.film_list.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    if not films.play_selected():
        sys.exit("the film could not be played")
    QTimer.singleShot(20_000, loop.quit)
    if not seen:
        loop.exec()
    if not seen:
        sys.exit("libVLC never reported a video output")
    return seen[0] - start


def main(argv: list[str]) -> int:
    mode, data_dir = argv[0], argv[1]
    app, window, films = open_films(data_dir)
    result: dict[str, float] = {}
    seconds = click_and_play(app, films)
    if mode == "film":
        result["ms"] = 1000 * seconds
    else:
        samples: list[float] = []
        until = time.monotonic() + float(argv[2])
        while time.monotonic() < until:
            samples.append(rss_mib())
            stop = time.monotonic() + 0.1
            wait_until(app, lambda: time.monotonic() > stop, 1)  # noqa: B023 - the lambda runs before the loop moves on
        result.update(max_mib=max(samples), median_mib=statistics.median(samples),
                      playing=float(films.player_panel.player.position_ms() > 0))
    window.close()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
