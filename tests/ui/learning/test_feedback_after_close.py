"""Feedback after the session was closed (fresh-eyes run of issue 21): the facilitator closes
the session, the closing screen says participants can still give their feedback in the viewer,
and the faces touched there count for the session just closed (it said "no open session
today" before)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from co_app.core.learning import feedback
from co_app.core.safety.pin import set_pin
from co_app.ui.attendance.session_actions import SessionActions
from tests.ui.attendance_data import answer_modal, seed_session
from tests.ui.helpers import click_nav


def test_faces_count_for_the_session_closed_today(qtbot, make_window, services) -> None:
    seeded = seed_session(services, day=date.today())
    with services.db.session() as db:
        set_pin(db, "2580")
    actions = SessionActions(services)
    qtbot.addWidget(actions)
    actions.set_session(seeded.session_id)
    actions.show()
    qtbot.waitExposed(actions)

    def close(box: QMessageBox) -> None:
        button = next(b for b in box.buttons() if b.text() == "Close the session")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    answering = answer_modal(QMessageBox, close)
    with qtbot.waitSignal(actions.changed, timeout=5000):
        qtbot.mouseClick(actions.close_button, Qt.MouseButton.LeftButton)
    assert not answering.isActive() and actions.message.isVisible()
    assert "Participants can still give their feedback for this session in the viewer" in actions.message.text()

    window = make_window(kiosk=True)
    click_nav(qtbot, window, "feedback")
    page = window.current_view()
    assert page.session_id == seeded.session_id and page.faces[0].isVisible()
    for face in (0, 1, 0):
        qtbot.mouseClick(page.faces[face], Qt.MouseButton.LeftButton)
    with services.db.session() as db:
        assert feedback.counts(db, seeded.session_id) == {"useful": {0: 1, 1: 0, 2: 0},
                                                          "clear": {0: 0, 1: 1, 2: 0},
                                                          "next": {0: 1, 1: 0, 2: 0}}
