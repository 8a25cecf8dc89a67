"""Bad input at start-up: a calm message, nothing overwritten, nothing lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from co_app.core import i18n
from co_app.core.bootstrap import bootstrap
from tests.ui.conftest import REPO


def test_corrupt_settings_are_kept_aside_and_shown(qtbot, make_window, tmp_path, locale_dir):
    data = tmp_path / "corrupt"
    data.mkdir()
    (data / "settings.json").write_bytes(b'{"language": "ar", "larger_text": tru')
    services = bootstrap(data, locale_dir=locale_dir)
    try:
        window = make_window(svc=services)
        bar = window.notice_bar
        assert bar.isVisible()
        assert "settings.json" in bar.label.text() and "kept as settings.json.corrupt-" in bar.label.text()
        kept = list(data.glob("settings.json.corrupt-*"))
        assert len(kept) == 1 and kept[0].read_bytes() == b'{"language": "ar", "larger_text": tru'
        # Switching the language translates the notice too; dismissing hides it.
        window.language_picker.setCurrentIndex(window.language_picker.findData("ar"))
        window.language_picker.activated.emit(window.language_picker.currentIndex())
        assert bar.label.text() != "" and any("\u0600" <= c <= "\u06ff" for c in bar.label.text())
        qtbot.mouseClick(bar.dismiss, Qt.MouseButton.LeftButton)
        assert not bar.isVisible()
    finally:
        services.close()
        i18n.set_language("en", locale_dir)


def _run_gui(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CO_APP_STARTUP_PROBE="1", XDG_RUNTIME_DIR=str(tmp_path))
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
