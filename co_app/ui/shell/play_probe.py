"""A hidden check that the application plays a film: ``CO_APP_PLAY_PROBE=<film id>:<language>``.

Set with ``CO_APP_STARTUP_PROBE=ready``: once the window is ready it goes to Films, plays the
film as a double click does with the subtitles in that language chosen, and when libVLC's
position has moved on with that subtitle track shown it prints a line for each libVLC file
the process has loaded (library, core, plugins), then the result, and quits::

    co-app: libvlc file <path>
    co-app: playing <film id> <language> at <ms> ms

It exists for the bundle (``tests/system/test_bundle.py``): a frozen application runs no
script of ours, so the check has to be inside it.  A failure prints ``co-app: play probe
failed: …`` on stderr and ends with exit status 1 (after 30 s at most).
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

PLAY_PROBE_ENV = "CO_APP_PLAY_PROBE"
PLAYING_LINE = "co-app: playing {film} {language} at {ms} ms"
FILE_LINE = "co-app: libvlc file {path}"
TIMEOUT_S = 30.0
POLL_MS = 50


def requested() -> str:
    return os.environ.get(PLAY_PROBE_ENV, "")


def start(app: QApplication, window, spec: str) -> None:
    """Play the film named by ``spec`` ("film:language") on the Films page; quit when it plays."""
    film_id, _, language = spec.partition(":")

    def fail(why: str) -> None:
        print(f"co-app: play probe failed: {why}", file=sys.stderr, flush=True)
        window.close_for_good()
        app.exit(1)

    window.show_view("films")
    films = window.view("films")
    if films is None:
        return fail("this window has no Films page")
    films.select_film(film_id)
    entry = films.selected_entry()
    if entry is None or entry.film.id != film_id:
        return fail(f"no film {film_id!r} in the library")
    if language not in entry.subtitles:
        return fail(f"film {film_id} has no {language!r} subtitles")
    if not films.play_selected():
        return fail(films.player_panel.ensure_player() or f"film {film_id} could not be opened ({entry.status})")
    films.player_panel.choose_subtitle(language)
    player = films.player_panel.player
    deadline = time.monotonic() + TIMEOUT_S
    timer = QTimer(window)

    def check() -> None:
        position = player.position_ms()
        if position > 0 and player.subtitle_language() == language:
            timer.stop()
            from co_app.player.vlc_backend import libvlc_files

            for path in libvlc_files():
                print(FILE_LINE.format(path=path))
            print(PLAYING_LINE.format(film=film_id, language=language, ms=position), flush=True)
            window.close_for_good()
            app.quit()
        elif time.monotonic() > deadline:
            timer.stop()
            fail(f"after {TIMEOUT_S:.0f} s: state {player.state().value}, position {position} ms, "
                 f"subtitles {player.subtitle_language()!r}")

    timer.timeout.connect(check)
    timer.start(POLL_MS)
