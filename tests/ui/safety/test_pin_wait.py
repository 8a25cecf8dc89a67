"""After several wrong PINs the dialog says how long to wait and refuses until then."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from co_app.core.db.models import AppMeta
from co_app.core.safety.pin import FREE_ATTEMPTS, WAIT_UNTIL_KEY, set_pin
from co_app.ui.safety.pin_dialogs import AskPinDialog


def ok_button(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_wrong_pins_make_the_dialog_wait_and_say_so(qtbot, make_window, services):
    with services.db.session() as db:
        set_pin(db, "2580")
    window = make_window(kiosk=True)
    qtbot.mouseClick(window.leave_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(AskPinDialog)
    for _attempt in range(FREE_ATTEMPTS):
        assert ok_button(dialog).isEnabled()
        qtbot.keyClicks(dialog.pin, "1111")
        qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and window.kiosk
    assert "Too many wrong PINs. Try again in 0:" in dialog.message.text()
    assert not ok_button(dialog).isEnabled() and not dialog.pin.isEnabled()

    # Closing and opening the dialog again does not start afresh.
    dialog.reject()
    qtbot.mouseClick(window.leave_button, Qt.MouseButton.LeftButton)
    dialog = [d for d in window.findChildren(AskPinDialog) if d.isVisible()][0]
    assert not ok_button(dialog).isEnabled() and "Too many wrong PINs" in dialog.message.text()

    # When the wait is over (moved into the past here) the dialog lets the facilitator in.
    with services.db.session() as db:
        db.get(AppMeta, WAIT_UNTIL_KEY).value = (datetime.now(timezone.utc) - timedelta(seconds=1)).isoformat()
        db.commit()
    qtbot.waitUntil(lambda: ok_button(dialog).isEnabled(), timeout=3000)
    assert not dialog.message.isVisible()
    qtbot.keyClicks(dialog.pin, "2580")
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.kiosk, timeout=3000)
