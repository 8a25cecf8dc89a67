"""The longest event-loop stall during import, export, verify and the office's work:
absolute, < 50 ms.

``stall_child.py`` runs the window's own operations — media import and media verify
(Films), sync export and sync import (their dialogs) — on a data folder whose database
holds 20,000 participants and 100,000 attendance records, with a 5 ms timer on the GUI
thread; ``office_stall_child.py`` opens the window over a hub holding the same records
(``--db``) and runs the Office page's report across laptops (every date, then one month)
and *Import a USB stick…* of another laptop's sealed package.  The figure is the longest
gap between two ticks over all six operations (median of the runs).  Each operation's own
longest gap, and the idle ones, are reported beside it.  Each run is a fresh process on a
fresh copy of the data folder and of the hub.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from benchmarks import BELOW, Result, median, require_screen
from benchmarks._data import Sizes, build
from benchmarks._support import child_json, demo_media_source
from benchmarks.media_verify import make_film

NAME = "event_loop_stall"
LIMIT_MS = 50.0
FILMS = 4
FILM_MB = 100
QUICK_MB = 5
PASSPHRASE = "benchmark passphrase"
OPERATIONS = ("media_import", "media_verify", "sync_export", "sync_import", "office_report", "office_import")


def run(runs: int, quick: bool = False) -> list[Result]:
    from co_app.core.db.engine import make_engine, sqlite_url
    from co_app.core.media.manifest import load_manifest
    from co_app.core.foundation.paths import DataPaths
    from co_app.core.sync.package import export_package

    require_screen()
    sizes = Sizes().scaled(0.02) if quick else Sizes()
    film_size = (QUICK_MB if quick else FILM_MB) * 1_000_000
    with tempfile.TemporaryDirectory(prefix="co-bench-stall-") as tmp:
        tmp_path = Path(tmp)
        template = tmp_path / "template"
        build(DataPaths(template).ensure().database, sizes, seed=1)
        other = tmp_path / "other.sqlite3"
        device_id = build(other, sizes, seed=2)
        package = tmp_path / "other-laptop.cosync"
        engine = make_engine(sqlite_url(other))
        export_package(engine, device_id, package, passphrase=PASSPHRASE, full=True)
        hub, stick = office_hub(template, engine, device_id, tmp_path)
        engine.dispose()
        pack = tmp_path / "pack"
        pack.mkdir()
        source = demo_media_source()
        for film in load_manifest().films[:FILMS]:
            clip = next(source.glob(f"{film.id}.mp4"), None) or next(source.glob("*.mp4"))
            make_film(clip, pack / f"{film.id}.mp4", film_size)
            for subtitle in source.glob(f"{film.id}.*.srt"):
                shutil.copy(subtitle, pack / subtitle.name)

        def once() -> dict:
            data = tmp_path / "data"
            shutil.rmtree(data, ignore_errors=True)
            shutil.copytree(template, data)
            doc = child_json(["benchmarks.stall_child", str(data), str(pack), str(package)],
                             env=dict(os.environ), timeout=600)
            office = tmp_path / "office-hub.sqlite3"
            shutil.copy(hub, office)
            shutil.rmtree(tmp_path / "office-data", ignore_errors=True)
            return doc | child_json(["benchmarks.office_stall_child", str(tmp_path / "office-data"), str(office),
                                     str(stick)], env=dict(os.environ), timeout=600)

        once()  # warm-up
        docs = [once() for _ in range(runs)]
    worst = [max(doc[f"{name}_ms"] for name in OPERATIONS) for doc in docs]
    extra = {name: round(median([doc[f"{name}_ms"] for doc in docs]), 1) for name in OPERATIONS}
    extra["idle"] = round(median([doc["idle_ms"] for doc in docs]), 1)
    extra["office_idle"] = round(median([doc["office_idle_ms"] for doc in docs]), 1)
    return [Result(name=NAME, ours=round(median(worst), 1), baseline=None, target=LIMIT_MS, unit="ms", judge=BELOW,
                   extra={f"{key}_ms": value for key, value in extra.items()})]


def office_hub(template: Path, laptop, laptop_id: str, tmp_path: Path) -> tuple[Path, Path]:
    """The office's hub (a SQLite file holding the template's records) and a USB stick with
    another laptop's package sealed for it; the laptop is enrolled by the import."""
    from co_app.core.sync.hub import open_target
    from co_app.core.sync.keys import enrol_with_office, write_office_key
    from co_app.core.sync.package import export_package

    from co_app.core.foundation.paths import DataPaths

    hub = tmp_path / "hub.sqlite3"
    shutil.copy(DataPaths(template).database, hub)
    target = open_target(str(hub))
    with target.engine.begin() as conn:
        write_office_key(conn, tmp_path / "office.key")
    target.dispose()
    with laptop.begin() as conn:
        enrol_with_office(conn, tmp_path / "office.key")
    stick = tmp_path / "stick"
    stick.mkdir()
    export_package(laptop, laptop_id, stick / "other-laptop.cosync", passphrase=None, full=True)
    return hub, stick
