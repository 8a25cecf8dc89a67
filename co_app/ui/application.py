"""Start the Qt application around prepared services."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from co_app import APP_NAME
from co_app.core import i18n
from co_app.core.bootstrap import Services
from co_app.player.backends import factory_for
from co_app.player.protocol import PlayerFactory
from co_app.ui.language import LanguageSwitcher
from co_app.ui.main_window import MainWindow
from co_app.ui.theme import apply_theme

#: Benchmarks set this: print a line and quit as soon as the main window has painted.
STARTUP_PROBE_ENV = "CO_APP_STARTUP_PROBE"
STARTUP_PROBE_LINE = "co-app: main window shown"


def qt_application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Welcoming Communities")
    return app


def create_main_window(app: QApplication, services: Services, *, kiosk: bool = False,
                       player_factory: PlayerFactory | None = None) -> MainWindow:
    apply_theme(app, larger_text=services.settings.larger_text or kiosk)
    switcher = LanguageSwitcher(app)
    switcher.apply(i18n.current_language())
    factory = player_factory or factory_for(os.environ.get("CO_APP_PLAYER", "vlc"))
    return MainWindow(services, switcher, factory, kiosk=kiosk)


class _FirstPaint(QObject):
    """Quits after the first paint of the window (start-up benchmark)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            print(STARTUP_PROBE_LINE, flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False


def run_application(services: Services, *, kiosk: bool = False) -> int:
    app = qt_application()
    window = create_main_window(app, services, kiosk=kiosk)
    if os.environ.get(STARTUP_PROBE_ENV):
        probe = _FirstPaint(window)
        window.installEventFilter(probe)
    window.show()
    return app.exec()


def show_fatal_error(message: str) -> None:
    """A start-up failure (unwritable folder, newer database): say it in a dialog too."""
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen" or os.environ.get(STARTUP_PROBE_ENV):
        return
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return  # Qt would abort without a screen; stderr already has the message
    try:
        qt_application()
        QMessageBox.critical(None, APP_NAME, message)
    except Exception:  # no display at all: stderr already has the message
        pass
