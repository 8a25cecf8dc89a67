"""Start the Qt application around prepared services."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from co_app import APP_NAME
from co_app.core.foundation import i18n
from co_app.core.bootstrap import Services
from co_app.ui.shell.language import LanguageSwitcher
from co_app.ui.shell.main_window import MainWindow
from co_app.ui.shell.theme import apply_theme

if TYPE_CHECKING:
    from co_app.player.protocol import Player, PlayerFactory

#: Benchmarks set this to "shown" (or "1") to print a line and quit at the window's first
#: paint, or to "ready" to do so once the database is open and Home shows its data;
#: "idle" prints the ready line and keeps running (to measure the idle process).
STARTUP_PROBE_ENV = "CO_APP_STARTUP_PROBE"
STARTUP_PROBE_LINE = "co-app: main window shown"
READY_PROBE_LINE = "co-app: ready"


def _keep_pyside_from_caching_sources() -> None:
    """PySide6's ``__feature__`` import hook tells whether each newly imported module uses
    PySide by reading its whole source (``inspect.getsource``), which leaves every line of
    every module imported after PySide6 in ``linecache`` for good: about 20 MB of memory
    for SQLAlchemy and the rest, and some 50 ms of reading.  Same test — does the source
    name PySide6? — on the file's bytes, keeping nothing.  Left alone if PySide changes."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "_co_app", False):
        return

    def uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return False

    uses_pyside._co_app = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]


def qt_application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    _keep_pyside_from_caching_sources()
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Welcoming Communities")
    return app


def create_main_window(app: QApplication, services: Services, *, kiosk: bool = False,
                       player_factory: PlayerFactory | None = None) -> MainWindow:
    apply_theme(app, larger_text=services.settings.larger_text or kiosk)
    if kiosk:
        from co_app.ui.shell.fonts import load_all

        load_all()  # the language picker shows every language in its own script
    switcher = LanguageSwitcher(app)
    switcher.apply(i18n.current_language())
    return MainWindow(services, switcher, player_factory or _configured_player, kiosk=kiosk)


def _configured_player() -> Player:
    """The backend named by CO_APP_PLAYER (default libVLC), imported when first needed."""
    from co_app.player.backends import factory_for

    return factory_for(os.environ.get("CO_APP_PLAYER", "vlc"))()


class _AfterFirstPaint(QObject):
    """Runs ``callback`` once, on the event loop's next turn after the first paint.

    (A zero timer set right after ``show()`` fires *before* the first paint.)"""

    def __init__(self, window: QObject, callback) -> None:
        super().__init__(window)
        self._callback = callback
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
        return False


def run_application(services: Services, *, kiosk: bool = False) -> int:
    app = qt_application()
    window = create_main_window(app, services, kiosk=kiosk)
    exit_code = 0

    def failed(message: str) -> None:
        nonlocal exit_code
        exit_code = 2
        print(f"error: {message}", file=sys.stderr)
        if not os.environ.get(STARTUP_PROBE_ENV):
            QMessageBox.critical(window, APP_NAME, message)
        app.quit()

    window.startup_failed.connect(failed)
    probe = os.environ.get(STARTUP_PROBE_ENV, "")
    error_handlers = []

    def after_first_paint() -> None:
        if probe in ("1", "shown"):
            print(STARTUP_PROBE_LINE, flush=True)
            window.close_for_good()  # the viewer refuses a plain close (and so a quit) without the PIN
            app.quit()
            return
        from co_app.ui.shell.error_dialog import ErrorHandler  # after the first paint: start-up does not pay

        # An exception escaping a slot shows a calm dialog (with a report to save); the app goes on.
        error_handlers.append(ErrorHandler(services, window))
        error_handlers[0].install()
        if not window.finish_startup():
            return
        if probe in ("ready", "idle"):
            print(READY_PROBE_LINE, flush=True)
        from co_app.ui.shell import play_probe

        if probe == "ready" and play_probe.requested():
            play_probe.start(app, window, play_probe.requested())  # plays a film, then quits
            return
        if probe == "ready":
            window.close_for_good()
            app.quit()
            return
        from co_app.ui.safety.backup_view import DAILY_BACKUP_DELAY_MS, start_daily_backup

        # The day's backup, on a worker thread, a moment after the window is ready (a laptop's
        # own database only: the office's hub is backed up by whoever runs its server).
        if not services.is_office:
            QTimer.singleShot(DAILY_BACKUP_DELAY_MS, lambda: start_daily_backup(services, window))

    _AfterFirstPaint(window, after_first_paint)
    available = app.primaryScreen().availableGeometry()
    if kiosk:
        window.show_viewer_full_screen()  # the viewer is the whole screen: nothing else to reach
    elif available.width() < window.width() + 40 or available.height() < window.height() + 40:
        # An old 1366×768 laptop or a 1024×600 netbook: use all of it.  The window is sized to
        # the screen first, as a window manager would (and without one, maximizing does nothing).
        window.setGeometry(available)
        window.showMaximized()
    else:
        window.show()
    try:
        code = app.exec()
    finally:
        for handler in error_handlers:
            handler.uninstall()
    return exit_code or code


def busy_sentence(exc, folder) -> str:  # DataFolderBusy, Path
    """Why the window cannot open on ``folder``: who is writing to it, in the interface language."""
    from co_app.core.foundation.datalock import APP_WINDOW, app_window_sentence
    from co_app.core.foundation.i18n import _, isolate

    holder = exc.holder
    if holder is None:
        return _("The data folder {folder} is in use by another program of this application. Close it, or wait "
                 "until it has finished, then start again.").format(folder=isolate(str(folder)))
    if holder.what == APP_WINDOW:
        return app_window_sentence(folder, holder.pid)
    return _("The data folder {folder} is in use by the command “{command}” (process {pid}). Wait until it has "
             "finished, then start the application again.").format(
        folder=isolate(str(folder)), command=isolate(holder.what), pid=holder.pid)


def show_fatal_error(message: str) -> None:
    """A start-up failure (unwritable folder, newer database): say it in a dialog too."""
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen" or os.environ.get(STARTUP_PROBE_ENV):
        return
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return  # Qt would abort without a screen; stderr already has the message
    try:
        fatal_error_box(message).exec()
    except Exception:  # noqa: BLE001 - no display at all: stderr already has the message
        pass


def fatal_error_box(message: str) -> QMessageBox:
    """The start-up failure's dialog, its OK button too in the interface language (Qt's
    own words were still English: no window had installed their translation yet)."""
    switcher = LanguageSwitcher(qt_application())
    switcher.apply(i18n.current_language())
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, message, QMessageBox.StandardButton.Ok)
    box.switcher = switcher  # type: ignore[attr-defined] # its translators, removed by apply("en")
    return box
