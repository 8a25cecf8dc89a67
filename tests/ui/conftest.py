"""Fixtures for the interface tests: a real data folder, real catalogs, a real demo pack."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from co_app.core.foundation import i18n
from co_app.core.bootstrap import Services, bootstrap
from co_app.core.media.demo import build_demo_pack

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def demo_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The labelled demo clips and subtitles, built once per test run with ffmpeg."""
    folder = tmp_path_factory.mktemp("demo-pack")
    build_demo_pack(folder)
    return folder


@pytest.fixture
def services(tmp_path: Path, locale_dir: Path, demo_pack: Path):
    data = tmp_path / "data"
    (data).mkdir()
    shutil.copytree(demo_pack, data / "media")
    svc = bootstrap(data, language="en", locale_dir=locale_dir)
    yield svc
    svc.close()
    i18n.set_language("en", locale_dir)


@pytest.fixture
def make_window(qtbot, services: Services):
    """Build the main window like the application does, with a chosen player backend."""
    from co_app.ui.shell.application import create_main_window, qt_application

    windows = []

    def make(player_factory=None, *, kiosk: bool = False, svc: Services | None = None):
        from co_app.player.backends import fake_factory

        window = create_main_window(qt_application(), svc or services, kiosk=kiosk,
                                    player_factory=player_factory or fake_factory)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=3000)
        assert window.finish_startup()  # what the application does after the first paint
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close_for_good()  # a viewer window refuses a plain close()


@pytest.fixture(autouse=True)
def no_dialog_left_open(qtbot):
    """A modal dialog left open blocks every later test's clicks (Qt drops input to widgets
    outside the active modal window): close it, so the next test starts clean.  (A viewer
    window asks for the PIN when it is closed at the end of a test, so a dialog here is not
    always the test's own fault; the tests that left theirs open now close them.)"""
    from PySide6.QtWidgets import QApplication

    # A viewer or a larger-text test leaves the application's font bigger: later tests measure with it.
    font = QApplication.font()
    yield
    from PySide6.QtCore import Qt

    QApplication.setFont(font)

    # A test that switched to Arabic or Dari leaves the whole application right to left.
    i18n.set_language("en")
    QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    for _ in range(10):
        modal = QApplication.activeModalWidget()
        if modal is None:
            break
        modal.close()
        modal.deleteLater()
        QApplication.processEvents()
