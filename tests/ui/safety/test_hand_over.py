"""The viewer from the window (issue 20, 6): *Hand to a participant* on Home turns the
running window into the viewer, and *Change the PIN* in Settings asks the current PIN first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from co_app.core.foundation import i18n
from co_app.core.safety.pin import check_pin, set_pin
from co_app.ui.safety.pin_dialogs import AskPinDialog, ChangePinDialog, SetPinDialog
from co_app.ui.shell.theme import BASE_POINT_SIZE


def press_ok(qtbot, dialog) -> None:
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def leave_with(qtbot, window, pin: str) -> AskPinDialog:
    qtbot.mouseClick(window.leave_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in window.findChildren(AskPinDialog) if d.isVisible())  # (not one closing)
    qtbot.keyClicks(dialog.pin, pin)
    press_ok(qtbot, dialog)
    return dialog


def test_hand_over_asks_for_a_pin_then_shows_the_viewer_only_full_screen(qtbot, make_window, services):
    window = make_window()
    window.show_view("attendance")  # built before the hand-over: out of reach after it
    window.show_view("home")
    home = window.home
    assert home.hand_over_button.isVisible() and home.hand_over_button.text() == "Hand to a participant"
    qtbot.mouseClick(home.hand_over_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(SetPinDialog)  # no PIN yet: it is the only way back, so first one
    assert dialog is not None and dialog.isVisible() and not window.kiosk
    qtbot.keyClicks(dialog.pin, "4826")
    qtbot.keyClicks(dialog.again, "4826")
    press_ok(qtbot, dialog)
    qtbot.waitUntil(lambda: window.kiosk, timeout=3000)
    assert window.view_keys == ["welcome", "films", "towns", "feedback"]
    assert window.current_view().key == "welcome" and window.leave_button.isVisible()
    assert window.view("attendance") is None and window.view("settings") is None and window.view("home") is None
    qtbot.waitUntil(window.isFullScreen, timeout=3000)
    assert QApplication.font().pointSize() > BASE_POINT_SIZE  # the viewer's larger text
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)  # no such page here
    assert window.current_view().key in ("welcome", "films", "towns")
    start = window.current_view()
    names = [b.text() for b in start.language_buttons]
    assert all(b.isEnabled() for b in start.language_buttons)  # the PIN is set: a participant may choose
    qtbot.mouseClick(start.language_buttons[names.index("ትግርኛ")], Qt.MouseButton.LeftButton)
    assert i18n.current_language() == "ti" and window.current_view().key == "films"
    assert not window.view("films").import_button.isVisible()  # participants cannot import
    assert window.close() is False  # the window's close button asks for the PIN instead
    window.findChild(AskPinDialog).reject()
    qtbot.waitUntil(lambda: window.findChild(AskPinDialog) is None, timeout=3000)
    wrong = leave_with(qtbot, window, "1111")
    assert wrong.isVisible() and window.kiosk
    wrong.pin.clear()
    qtbot.keyClicks(wrong.pin, "4826")
    press_ok(qtbot, wrong)
    qtbot.waitUntil(lambda: not window.kiosk, timeout=3000)
    assert window.view_keys == ["home", "films", "towns", "modules", "attendance", "settings"]
    assert i18n.current_language() == "en" and services.settings.language is None
    assert QApplication.font().pointSize() == BASE_POINT_SIZE and not window.isFullScreen()
    assert window.view("attendance") is not None and not window.view("films").import_button.isHidden()


def test_a_second_hand_over_needs_no_new_pin(qtbot, make_window, services):
    with services.db.session() as db:
        set_pin(db, "2580")
    window = make_window()
    for _round in range(2):
        assert window.home.hand_over() is None  # a PIN is set: straight to the viewer
        assert window.kiosk and window.current_view().key == "welcome"
        dialog = leave_with(qtbot, window, "2580")
        qtbot.waitUntil(lambda: not window.kiosk, timeout=3000)
        assert not dialog.isVisible()


def test_no_hand_over_at_the_office_hub(qtbot, make_window, tmp_path, locale_dir):
    """Over the office's hub there is no viewer to hand over, and no laptop PIN to change."""
    from co_app.core.bootstrap import bootstrap
    from co_app.core.sync.hub import open_target
    from tests.ui.office.office_data import sqlite_hub

    (tmp_path / "office").mkdir()
    open_target(sqlite_hub(tmp_path), create=True).dispose()
    office = bootstrap(tmp_path / "office", language="en", locale_dir=locale_dir, hub=sqlite_hub(tmp_path))
    try:
        window = make_window(svc=office)
        assert window.home.hand_over_button.isHidden()
        assert window.enter_viewer() is False and not window.kiosk
        window.show_view("settings")
        settings = window.view("settings")
        assert settings is not None and settings.pin_button.parent() is None  # not in its form
    finally:
        office.close()


def test_change_the_pin_needs_the_current_one_first(qtbot, make_window, services):
    with services.db.session() as db:
        set_pin(db, "2580")
    window = make_window()
    window.show_view("settings")
    settings = window.current_view()
    assert settings.pin_button.text() == "Change the PIN…"
    qtbot.mouseClick(settings.pin_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(ChangePinDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.pin, "1111")  # a wrong current PIN: refused, nothing changed
    qtbot.keyClicks(dialog.new_pin, "7391")
    qtbot.keyClicks(dialog.again, "7391")
    press_ok(qtbot, dialog)
    assert dialog.isVisible() and "not the current PIN" in dialog.message.text() and dialog.pin.text() == ""
    qtbot.keyClicks(dialog.pin, "2580")
    press_ok(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    with services.db.session() as db:
        assert check_pin(db, "7391") and not check_pin(db, "2580")
    # The new PIN is the one that leaves the viewer now.
    assert window.home.hand_over() is None and window.kiosk
    old = leave_with(qtbot, window, "2580")
    assert old.isVisible() and window.kiosk
    old.pin.clear()
    qtbot.keyClicks(old.pin, "7391")
    press_ok(qtbot, old)
    qtbot.waitUntil(lambda: not window.kiosk, timeout=3000)


def test_change_the_pin_waits_after_wrong_ones(qtbot, make_window, services):
    """Wrong current PINs count as wrong PINs: after three, the dialog says how long to wait."""
    with services.db.session() as db:
        set_pin(db, "2580")
    window = make_window()
    window.show_view("settings")
    dialog = window.current_view().change_pin()
    for _attempt in range(3):
        qtbot.keyClicks(dialog.pin, "0000")
        press_ok(qtbot, dialog)
    assert "Try again in" in dialog.message.text() and not dialog.pin.isEnabled()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    with services.db.session() as db:
        assert check_pin(db, "2580") is False  # even the right one waits


def test_no_hand_over_while_the_session_runner_is_open(qtbot, make_window, services):
    """The runner is the facilitator's window: a participant could switch to it from the viewer."""
    from PySide6.QtWidgets import QMessageBox

    from co_app.core.sessions.agenda import Step
    from tests.ui.sessions.test_session_runner import new_session, save_steps

    with services.db.session() as db:
        set_pin(db, "2580")
    window = make_window()
    session_id = new_session(services)
    save_steps(services, session_id, [Step("town", "jena", 10)])
    runner = window.run_session(session_id)
    qtbot.waitExposed(runner)
    box = window.home.hand_over()
    assert isinstance(box, QMessageBox) and "session runner is open" in box.text()
    assert not window.kiosk
    box.close()
    runner.close()
    qtbot.waitUntil(lambda: not runner.isVisible(), timeout=3000)
    assert window.home.hand_over() is None and window.kiosk
