"""Bad input at start-up: a calm message, nothing overwritten, nothing lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from co_app.core.foundation import i18n
from co_app.core.bootstrap import bootstrap
from tests.ui.conftest import REPO
from tests.ui.helpers import choose_from_list


def test_corrupt_settings_are_kept_aside_and_shown(qtbot, make_window, tmp_path, locale_dir):
    data = tmp_path / "corrupt"
    data.mkdir()
    (data / "settings.json").write_bytes(b'{"language": "ar", "larger_text": tru')
    services = bootstrap(data, locale_dir=locale_dir)
    try:
        window = make_window(svc=services)
        bar = window.notice_bar
        assert bar.isVisible()
        shown = bar.label.text().replace("\u2068", "").replace("\u2069", "")  # names are bidi-isolated
        assert "settings.json" in shown and "kept as settings.json.corrupt-" in shown
        kept = list(data.glob("settings.json.corrupt-*"))
        assert len(kept) == 1 and kept[0].read_bytes() == b'{"language": "ar", "larger_text": tru'
        # Switching the language translates the notice too; dismissing hides it.
        choose_from_list(qtbot, window.language_picker, "ar")
        assert bar.label.text() != "" and any("\u0600" <= c <= "\u06ff" for c in bar.label.text())
        qtbot.mouseClick(bar.dismiss, Qt.MouseButton.LeftButton)
        assert not bar.isVisible()
    finally:
        services.close()
        i18n.set_language("en", locale_dir)


def _run_gui(args: list[str], tmp_path: Path, probe: str = "shown") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CO_APP_STARTUP_PROBE=probe, XDG_RUNTIME_DIR=str(tmp_path))
    return subprocess.run([sys.executable, "main.py", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=60)


def test_gui_with_unwritable_data_dir_explains_and_exits_2(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = _run_gui(["--data-dir", str(blocker / "data")], tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert str(blocker) in result.stderr and "--data-dir" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_gui_starts_and_paints_with_demo_content(tmp_path, demo_pack):
    """The real entry point under the virtual screen: window shown, exit 0."""
    import shutil

    data = tmp_path / "data"
    data.mkdir()
    shutil.copytree(demo_pack, data / "media")
    result = _run_gui(["--data-dir", str(data), "--lang", "ar"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "co-app: main window shown" in result.stdout
    assert (data / "co_app.sqlite3").is_file() and (data / "logs" / "co_app.log").is_file()
    # Second start: the database is up to date, so it opens after the first paint; "ready"
    # means it did open and Home shows today's data.
    again = _run_gui(["--data-dir", str(data)], tmp_path, probe="ready")
    assert again.returncode == 0, again.stderr
    assert "co-app: ready" in again.stdout
    log = (data / "logs" / "co_app.log").read_text(encoding="utf-8")
    assert log.count("started with data folder") == 2


def test_database_failing_after_the_first_paint_is_reported(qtbot, make_window, tmp_path, locale_dir):
    """The database opens after the first paint; if it fails then, the window says so and
    the application leaves with status 2 (run_application connects startup_failed)."""
    data = tmp_path / "late"
    bootstrap(data, locale_dir=locale_dir).close()  # a first run: database created, at head
    services = bootstrap(data, locale_dir=locale_dir, open_db=False)
    assert not services.db_is_open
    (data / "co_app.sqlite3").write_bytes(b"this is no longer a database" * 100)
    from co_app.ui.shell.application import create_main_window, qt_application

    window = create_main_window(qt_application(), services)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.startup_failed, timeout=5000) as failed:
        assert not window.finish_startup()
    assert str(data / "co_app.sqlite3") in failed.args[0]
    assert not window.is_ready
    services.close()
