"""Closing a session: asked first, locked after, a later change needs the PIN and is audited
— and a computer without a PIN gets one before the lock means anything."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from co_app.core.safety import audit
from co_app.core.sessions import service as session_service
from co_app.core.safety.pin import pin_is_set, set_pin
from co_app.ui.sessions.lock import ensure_editable
from co_app.ui.attendance.session_actions import SessionActions
from co_app.ui.safety.pin_dialogs import AskPinDialog, SetPinDialog
from tests.ui.attendance_data import PEOPLE, answer_modal, seed_session


def _actions(qtbot, services, session_id: str) -> SessionActions:
    actions = SessionActions(services)
    qtbot.addWidget(actions)
    actions.set_session(session_id)
    actions.show()
    qtbot.waitExposed(actions)
    return actions


def _press(qtbot, label: str):
    """Answer the confirmation by clicking the button called ``label``."""
    def act(box: QMessageBox) -> None:
        button = next(b for b in box.buttons() if b.text() == label)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return act


def _type_pin(qtbot, pin: str, *, then_cancel: bool = False):
    def act(dialog) -> None:  # AskPinDialog or SetPinDialog
        qtbot.keyClicks(dialog.pin, pin)
        if isinstance(dialog, SetPinDialog):
            qtbot.keyClicks(dialog.again, pin)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        if then_cancel and dialog.isVisible():
            qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    return act


def _closed(services, session_id: str) -> bool:
    with services.db.session() as db:
        return session_service.is_closed(db, session_id)


def _audit(services) -> list[audit.AuditLine]:
    with services.db.session() as db:
        return audit.entries(db)


def test_closing_locks_the_session_and_a_later_edit_needs_the_pin(qtbot, services) -> None:
    seeded = seed_session(services)
    with services.db.session() as db:
        set_pin(db, "2580")
    actions = _actions(qtbot, services, seeded.session_id)
    assert "open" in actions.state_label.text() and actions.close_button.isEnabled()

    answering = answer_modal(QMessageBox, _press(qtbot, "Close the session"))
    with qtbot.waitSignal(actions.changed, timeout=5000):
        qtbot.mouseClick(actions.close_button, Qt.MouseButton.LeftButton)
    assert not answering.isActive()
    assert _closed(services, seeded.session_id)
    assert actions.state_label.text().startswith("Closed on ")
    assert not actions.close_button.isEnabled()
    assert actions.sign_in_button.isEnabled() and actions.certificates_button.isEnabled()  # papers still print
    closed = [line for line in _audit(services) if line.action == "session_closed"]
    assert [line.subject for line in closed] == [seeded.session_id]

    # A change to the closed session: a wrong PIN and Cancel refuse it, the right PIN allows it.
    answering = answer_modal(AskPinDialog, _type_pin(qtbot, "1111", then_cancel=True))
    assert not ensure_editable(actions, services, seeded.session_id, "attendance status")
    answering = answer_modal(AskPinDialog, _type_pin(qtbot, "2580"))
    assert ensure_editable(actions, services, seeded.session_id, "attendance status")
    assert not answering.isActive()
    edits = [line for line in _audit(services) if line.action == "closed_session_edit"]
    assert [(line.subject, line.detail) for line in edits] == [(seeded.session_id, "attendance status")]

    # The audit log holds record ids and words, never who the participants are.
    written = " ".join(f"{line.subject} {line.detail}" for line in _audit(services))
    for given, family, case, household, *_rest in PEOPLE:
        for personal in (given, family, case, household):
            assert personal not in written


def test_cancel_leaves_the_session_open(qtbot, services) -> None:
    seeded = seed_session(services)
    with services.db.session() as db:
        set_pin(db, "2580")
    actions = _actions(qtbot, services, seeded.session_id)
    answering = answer_modal(QMessageBox, _press(qtbot, "Cancel"))
    qtbot.mouseClick(actions.close_button, Qt.MouseButton.LeftButton)
    assert not answering.isActive()
    assert not _closed(services, seeded.session_id)
    assert actions.close_button.isEnabled()
    assert not [line for line in _audit(services) if line.action == "session_closed"]


def test_without_a_pin_closing_first_asks_for_one(qtbot, services) -> None:
    seeded = seed_session(services)
    actions = _actions(qtbot, services, seeded.session_id)
    confirming = answer_modal(QMessageBox, _press(qtbot, "Close the session"))
    setting = answer_modal(SetPinDialog, _type_pin(qtbot, "4321"))
    with qtbot.waitSignal(actions.changed, timeout=5000):
        qtbot.mouseClick(actions.close_button, Qt.MouseButton.LeftButton)
    assert not confirming.isActive() and not setting.isActive()
    assert _closed(services, seeded.session_id)
    with services.db.session() as db:
        assert pin_is_set(db)
    # That PIN now opens the lock.
    answering = answer_modal(AskPinDialog, _type_pin(qtbot, "4321"))
    assert ensure_editable(actions, services, seeded.session_id, "module coverage")
    assert not answering.isActive()


def test_without_a_pin_and_none_set_the_session_stays_open(qtbot, services) -> None:
    seeded = seed_session(services)
    actions = _actions(qtbot, services, seeded.session_id)

    def cancel(dialog: SetPinDialog) -> None:
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)

    confirming = answer_modal(QMessageBox, _press(qtbot, "Close the session"))
    setting = answer_modal(SetPinDialog, cancel)
    qtbot.mouseClick(actions.close_button, Qt.MouseButton.LeftButton)
    assert not confirming.isActive() and not setting.isActive()
    assert not _closed(services, seeded.session_id)
    assert actions.message.isVisible() and "still open" in actions.message.text()
    assert actions.close_button.isEnabled()
