"""An unexpected error in a slot: a calm dialog, a report without personal data, no data lost."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton

from co_app.core.safety import backup
from co_app.core.sessions import service as session_service
from co_app.core.db.models import Participant
from co_app.core.foundation.logs import LOG_FILE
from co_app.ui.shell.error_dialog import ErrorDialog, ErrorHandler
from tests.ui.helpers import click_nav

pytestmark = pytest.mark.qt_no_exception_capture  # the application's own hook handles them here

NAMES = ("Yohannes", "Tesfamariam", "ET-4471-K")


@pytest.fixture
def handler(qtbot, make_window, services):
    with services.db.session() as db:
        db.add(Participant(given_name=NAMES[0], family_name=NAMES[1], case_number=NAMES[2]))
        db.commit()
    window = make_window()
    errors = ErrorHandler(services, window)
    errors.install()
    yield window, errors
    errors.uninstall()
    if errors.dialog is not None:
        errors.dialog.close()


def failing_button(window, services) -> QPushButton:
    """A button whose slot saves a session, then fails — the way a real bug would."""

    def slot() -> None:
        with services.db.session() as db:
            session_service.create_session(db, day=date.today(), place="Room 2", facilitator="F",
                                           language="ti", destination_towns=["italy-biella"])
            person = db.query(Participant).one()
            raise RuntimeError(f"could not print the certificate of {person.given_name} {person.family_name} "
                               f"({person.case_number})")

    button = QPushButton("Print", window)
    button.clicked.connect(slot)
    button.show()
    return button


def test_an_error_in_a_slot_shows_a_calm_dialog_and_the_app_goes_on(qtbot, handler, services, tmp_path, monkeypatch):
    window, errors = handler
    qtbot.mouseClick(failing_button(window, services), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: errors.dialog is not None and errors.dialog.isVisible(), timeout=3000)
    dialog = errors.dialog
    assert isinstance(dialog, ErrorDialog) and dialog.windowTitle() == "Something went wrong"
    assert "Your data is safe" in dialog.body.text()
    assert dialog.save_button.text() == "Save a report…" and dialog.continue_button.text() == "Continue"

    target = tmp_path / "usb" / "report.txt"
    target.parent.mkdir()
    asked = []

    def fake_save_dialog(parent, caption, suggested, filters):
        asked.append(suggested)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save_dialog))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert asked and Path(asked[0]).parent == services.paths.exports
    report = target.read_text("utf-8")
    assert "RuntimeError: could not print the certificate of [hidden] ([hidden])" in report
    assert "test_error_dialog.py" in report and "in slot" in report  # where it happened
    assert "Welcoming Communities CO: 0.1.0" in report and "PySide6:" in report
    assert not any(name in report for name in NAMES)
    assert str(target) in dialog.status.text()

    log_text = (services.paths.logs / LOG_FILE).read_text("utf-8")
    assert "unexpected error" in log_text and "RuntimeError" in log_text
    assert not any(name in log_text for name in NAMES)

    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    # Nothing was lost: the session the slot committed before failing is there, and the
    # application still works.
    click_nav(qtbot, window, "settings")
    click_nav(qtbot, window, "home")
    assert [s.place for s in window.home._today_sessions] == ["Room 2"]
    assert backup.check_integrity(services.paths.database)


def test_errors_in_other_threads_reach_the_same_dialog_once(qtbot, handler):
    window, errors = handler

    def work() -> None:
        raise ValueError("worker failed")

    for _ in range(2):
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    qtbot.waitUntil(lambda: errors.dialog is not None and errors.dialog.more == 1, timeout=3000)
    assert errors.dialog.isVisible() and "1 more" in errors.dialog.status.text()
    assert "ValueError: worker failed" in errors.dialog.report
    assert len(window.findChildren(ErrorDialog)) == 1


def test_a_report_that_cannot_be_saved_says_so(qtbot, handler, tmp_path):
    window, errors = handler
    dialog = ErrorDialog("report", tmp_path, window)
    dialog.open()
    qtbot.waitExposed(dialog)
    assert not dialog.save_report(tmp_path / "missing-folder" / "r.txt")
    assert dialog.status.isVisible() and "could not be saved" in dialog.status.text()
    assert dialog.saved_to is None
    dialog.close()
