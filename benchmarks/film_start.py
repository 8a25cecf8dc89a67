"""Click on a film to its first frame, against bare libVLC (new instance, play, first frame).

Ours (``app_child.py film``): the application on a data folder holding the demo pack, on
the Films page, idle; from the QTest click on a film in the list (which loads it) and the
play that a double click makes, to libVLC's first video output.  The baseline
(``bare_vlc.py``): a new libVLC instance and player drawing into a bare PySide6 window,
from ``vlc.Instance()`` to the same event.  Each run is a fresh process, interleaved.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from benchmarks import Result, median, require_screen
from benchmarks._support import child_json, copy_demo_media, interleaved

NAME = "film_start"
TARGET_RATIO = 1.5
FILM = "belgium-merchtem.mp4"  # the second film of the list: the one the child clicks


def run(runs: int, quick: bool = False) -> list[Result]:
    require_screen()
    env = {**os.environ, "CO_APP_PLAYER": "vlc"}
    with tempfile.TemporaryDirectory(prefix="co-bench-film-") as tmp:
        data = Path(tmp) / "data"
        copy_demo_media(data / "media")
        clip = data / "media" / FILM
        if not clip.is_file():
            clip = sorted((data / "media").glob("*.mp4"))[0]
        samples = interleaved({
            "ours": lambda: child_json(["benchmarks.app_child", "film", str(data)], env=env)["ms"],
            "bare": lambda: child_json(["benchmarks.bare_vlc", str(clip)], env=env)["ms"],
        }, runs)
    return [Result(name=NAME, ours=round(median(samples["ours"]), 1), baseline=round(median(samples["bare"]), 1),
                   target=TARGET_RATIO, unit="ms", baseline_label="bare libVLC, new instance")]
