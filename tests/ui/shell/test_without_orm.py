"""Home, Films (playing a real film through libVLC), Towns and the viewer work without
loading SQLAlchemy — the ORM's import is a third of the idle window's memory (issue 9,
benchmarks/idle_memory.py) — and still show the database's data and keep what they write.

Each case runs in a fresh interpreter (this one has long imported SQLAlchemy) on a real
data folder that the ORM created and filled."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from co_app.core.sessions import service as sessions
from co_app.core.bootstrap import bootstrap
from co_app.core.db.models import PlaybackPosition
from co_app.core.safety.pin import set_pin

REPO = Path(__file__).resolve().parents[3]

CHILD = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from co_app.core.bootstrap import bootstrap
    from co_app.player.backends import vlc_factory
    from co_app.ui.shell.application import create_main_window, qt_application

    data, locale_dir, kiosk = sys.argv[1], Path(sys.argv[2]), sys.argv[3] == "kiosk"
    services = bootstrap(data, language="en", locale_dir=locale_dir, open_db=False)
    app = qt_application()
    window = create_main_window(app, services, kiosk=kiosk, player_factory=vlc_factory)
    window.show()

    def wait(condition, seconds):
        deadline = time.monotonic() + seconds
        while not condition() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        return condition()

    wait(lambda: window.windowHandle() is not None and window.windowHandle().isExposed(), 10)
    out = {"ready": window.finish_startup()}
    if kiosk:
        out["pin_needed"] = window.view("welcome").set_pin_button.isVisible()
        window.viewer_language_chosen("ar")
    else:
        home = window.view("home")
        out["home"] = [home.session_heading.text(), home.sync_status.text()]
        window.show_view("towns")
        out["towns"] = window.current_view().key
    films = window.view("films")
    window.show_view("films")
    wait(lambda: films._thumbnail_task is None or not films._thumbnail_task.running, 30)
    films.select_film("germany-jena")
    out["played"] = films.play_selected() and wait(lambda: films.player_panel.position_ms() > 500, 20)
    # The demo clip is 12 s; only 5–7 s is far enough from both ends to be worth resuming.
    films.player_panel.seek_to(5500)
    wait(lambda: films.player_panel.position_ms() >= 5500, 10)
    films.player_panel.toggle_play()  # pause: where it was left is saved
    wait(lambda: False, 0.5)
    out["sqlalchemy"] = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "alembic"))[:5]
    window.close_for_good()
    print(json.dumps(out), flush=True)
""")


@pytest.fixture
def data(tmp_path: Path, demo_pack: Path, locale_dir: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copytree(demo_pack, folder / "media")
    services = bootstrap(folder, language="en", locale_dir=locale_dir)  # the ORM makes the database
    with services.db.session() as db:
        sessions.create_session(db, day=date.today(), place="Hall", facilitator="Layla", language="ar",
                                destination_towns=["germany-jena"])
    services.close()
    return folder


def run_child(data: Path, locale_dir: Path, tmp_path: Path, mode: str) -> dict:
    env = dict(os.environ, XDG_RUNTIME_DIR=str(tmp_path), PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-c", CHILD, str(data), str(locale_dir), mode], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.vlc
def test_home_towns_and_a_film_need_no_orm(data: Path, locale_dir: Path, tmp_path: Path):
    seen = run_child(data, locale_dir, tmp_path, "facilitator")
    assert seen["sqlalchemy"] == [] and seen["ready"] and seen["towns"] == "towns"
    heading, pending = seen["home"]
    assert heading == "Today: session 1 of the day" and "1" in pending  # read with sqlite3
    assert seen["played"]
    services = bootstrap(data, language="en", locale_dir=locale_dir)
    with services.db.session() as db:  # what sqlite3 wrote, the ORM reads
        row = db.get(PlaybackPosition, "germany-jena")
        assert row is not None and 5000 <= row.position_ms <= 7000
    services.close()


@pytest.mark.vlc
def test_the_viewer_needs_no_orm(data: Path, locale_dir: Path, tmp_path: Path):
    services = bootstrap(data, language="en", locale_dir=locale_dir)
    with services.db.session() as db:
        set_pin(db, "4821")
    services.close()
    seen = run_child(data, locale_dir, tmp_path, "kiosk")
    assert seen["sqlalchemy"] == [] and seen["ready"] and seen["pin_needed"] is False and seen["played"]
