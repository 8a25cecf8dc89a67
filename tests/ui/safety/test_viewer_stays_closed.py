"""The viewer stays closed: an unexpected error inside it shows the viewer's own calm
message and comes back to the viewer — no file dialog (from which a participant once
overwrote the live database), no window outside the viewer, no way past the PIN."""

from __future__ import annotations

import stat
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton

from co_app.core.db.models import Participant
from co_app.core.foundation import i18n
from co_app.core.safety.pin import set_pin
from co_app.ui.safety.pin_dialogs import AskPinDialog
from co_app.ui.shell.error_dialog import ErrorDialog, ErrorHandler
from co_app.ui.shell.main_window import KIOSK_PAGES
from tests.ui.helpers import click_list_row

pytestmark = pytest.mark.qt_no_exception_capture  # the application's own hook handles them here

NAMES = ("Yohannes", "Tesfamariam", "ET-4471-K")


@pytest.fixture
def file_dialogs(monkeypatch):
    """Every way Qt has to open a file dialog, recorded (and answered "cancelled")."""
    opened: list[str] = []

    def record(name):
        def fake(*_args, **_kwargs):
            opened.append(name)
            return ("", "") if name != "getExistingDirectory" else ""
        return staticmethod(fake)

    for name in ("getSaveFileName", "getOpenFileName", "getOpenFileNames", "getExistingDirectory",
                 "getSaveFileUrl", "getOpenFileUrl", "getExistingDirectoryUrl"):
        monkeypatch.setattr(QFileDialog, name, record(name))
    original_init = QFileDialog.__init__

    def built(self, *args, **kwargs):
        opened.append("QFileDialog")
        original_init(self, *args, **kwargs)

    monkeypatch.setattr(QFileDialog, "__init__", built)
    return opened


@pytest.fixture
def viewer(qtbot, make_window, services):
    """The viewer with a PIN set, a participant on file, and the application's error hook."""
    with services.db.session() as db:
        set_pin(db, "2580")
        db.add(Participant(given_name=NAMES[0], family_name=NAMES[1], case_number=NAMES[2]))
        db.commit()
    window = make_window(kiosk=True)
    errors = ErrorHandler(services, window)
    errors.install()
    yield window, errors
    errors.uninstall()
    if errors.dialog is not None:
        errors.dialog.close()


def windows_outside(window) -> list:
    """Visible top-level windows that are neither the viewer nor a dialog of its own."""
    outside = []
    for widget in QApplication.topLevelWidgets():
        if not widget.isVisible() or widget is window:
            continue
        parent = widget.parentWidget()
        while parent is not None and parent is not window:
            parent = parent.parentWidget()
        if parent is None:
            outside.append(widget)
    return outside


def choose_language(qtbot, window, native_name: str) -> None:
    start = window.current_view()
    start.refresh()
    names = [b.text() for b in start.language_buttons]
    qtbot.mouseClick(start.language_buttons[names.index(native_name)], Qt.MouseButton.LeftButton)


def test_an_error_in_the_viewer_is_the_viewers_own_calm_message_and_back(qtbot, viewer, services, monkeypatch,
                                                                          file_dialogs):
    window, errors = viewer
    choose_language(qtbot, window, "English")
    films = window.view("films")
    qtbot.waitUntil(lambda: films.player_panel.film_id is not None, timeout=5000)

    def broken(*_args, **_kwargs):
        raise RuntimeError(f"resume position of {NAMES[0]} {NAMES[1]} could not be read")

    # A bug on the viewer's own path: choosing another film reads where it was left.
    monkeypatch.setattr("co_app.core.media.playback.saved_position", broken)
    click_list_row(qtbot, films.film_list, 1)
    qtbot.waitUntil(lambda: errors.dialog is not None and errors.dialog.isVisible(), timeout=3000)
    dialog = errors.dialog
    assert isinstance(dialog, ErrorDialog) and dialog.viewer and dialog.parentWidget() is window
    assert dialog.heading.text() == "Something did not work."
    assert "Nothing is lost" in dialog.body.text() and "tell the facilitator" in dialog.hint.text()
    # One button, back to the viewer: no "Save a report…", not even hidden in the button box.
    visible = [b.text() for b in dialog.findChildren(QPushButton) if b.isVisible()]
    assert visible == ["Back to the films and towns"]
    assert dialog.save_button not in dialog.buttons.buttons() and not dialog.save_button.isEnabled()
    dialog.ask_where_to_save()  # whatever reaches it: still no file dialog
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert file_dialogs == [] and windows_outside(window) == []

    # Again while the message is up (a worker thread): counted, and no second file — an error
    # in a loop must not fill the disk with reports.
    worker = threading.Thread(target=lambda: (_ for _ in ()).throw(ValueError("again")))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: dialog.more == 1, timeout=3000)
    # The report was kept for the facilitator in the data folder, owner-only, with no name in it.
    kept = sorted(services.paths.reports.glob("error-report-*.txt"))
    assert kept == [dialog.kept_in]
    report = kept[0].read_text("utf-8")
    assert "RuntimeError: resume position of [hidden] could not be read" in report
    assert not any(name in report for name in NAMES)
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(services.paths.reports.stat().st_mode) == 0o700

    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    assert window.isVisible() and window.kiosk and window.current_view().key in KIOSK_PAGES
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    assert window.view("attendance") is None and window.view("settings") is None
    assert file_dialogs == [] and windows_outside(window) == []
    # And the viewer still works: the next film plays.
    monkeypatch.undo()
    click_list_row(qtbot, films.film_list, 2)
    assert films.play_selected()


def test_a_damaged_film_in_the_viewer_gives_the_calm_message_in_the_participants_language(
        qtbot, viewer, services, monkeypatch, file_dialogs):
    """A film whose boxes nest so deep that reading them recursed too far (RecursionError)
    used to open "Save a report…" and its file dialog; the viewer shows its own message."""
    window, errors = viewer

    def too_deep(*_args, **_kwargs):
        raise RecursionError("maximum recursion depth exceeded while calling a Python object")

    monkeypatch.setattr("co_app.core.media.library.mp4_duration_ms", too_deep)
    choose_language(qtbot, window, "العربية")  # the films page reads the library: the damaged film
    qtbot.waitUntil(lambda: errors.dialog is not None and errors.dialog.isVisible(), timeout=3000)
    dialog = errors.dialog
    assert dialog.viewer and i18n.current_language() == "ar"
    for english in ("Something did not work.", "Back to the films and towns"):
        assert i18n._(english) != english  # translated …
    assert dialog.heading.text() == i18n._("Something did not work.")  # … and shown so
    assert dialog.continue_button.text() == i18n._("Back to the films and towns")
    assert "RecursionError" in (services.paths.reports / dialog.kept_in.name).read_text("utf-8")
    assert file_dialogs == [] and windows_outside(window) == []
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc is "back" too
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    assert window.isVisible() and window.kiosk and window.current_view().key in KIOSK_PAGES


def test_every_way_out_of_the_viewer_asks_for_the_pin(qtbot, viewer, services, file_dialogs):
    """Every button the viewer shows, its shortcuts, Alt+F4 and the projector's own window:
    none leads to a file dialog or a window outside the viewer; leaving takes the PIN."""
    window, _errors = viewer
    choose_language(qtbot, window, "English")
    for key in (Qt.Key.Key_4, Qt.Key.Key_5, Qt.Key.Key_6, Qt.Key.Key_7):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.current_view().key in KIOSK_PAGES
    for key in (Qt.Key.Key_F11, Qt.Key.Key_Escape):
        qtbot.keyClick(window, key)
    assert window.kiosk and window.isVisible()
    for page in ("films", "towns"):
        window.show_view(page)
        view = window.current_view()
        for button in [b for b in view.findChildren(QPushButton) if b.isVisible() and b.isEnabled()]:
            if button is getattr(view.player_panel if page == "films" else None, "project_button", None):
                continue  # the projector: below
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            assert windows_outside(window) == [], button.text()
    assert file_dialogs == []

    # The projector's full-screen window is the viewer's video: Alt+F4 there brings it back.
    window.show_view("films")
    panel = window.view("films").player_panel
    qtbot.mouseClick(panel.project_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.projecting, timeout=3000)
    projector = panel.output.window
    assert projector.close() is False
    qtbot.waitUntil(lambda: not panel.projecting, timeout=3000)
    assert not projector.isVisible() and window.kiosk

    # Full screen, as the application shows the viewer: minimised by a window manager's
    # shortcut (the desktop is a way out), it comes back full screen.
    window.show_viewer_full_screen()
    qtbot.waitUntil(window.isFullScreen, timeout=3000)
    window.setWindowState(Qt.WindowState.WindowMinimized)
    qtbot.waitUntil(lambda: window.isFullScreen() and not window.isMinimized(), timeout=3000)

    # Alt+F4 on the viewer asks for the PIN; a wrong one keeps the viewer.
    assert window.close() is False
    dialog = window.findChild(AskPinDialog)
    assert dialog is not None and dialog.isVisible() and windows_outside(window) == []
    dialog.reject()
    assert window.kiosk and file_dialogs == []
