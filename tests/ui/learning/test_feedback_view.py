"""The viewer's feedback page (issue 21, point 5): a participant touches a face for each of
three questions, sees a thank-you, and the next person starts again; the session's counts
are what was touched, with no name."""

from __future__ import annotations

from PySide6.QtCore import Qt

from co_app.core.learning import feedback
from co_app.core.safety.pin import set_pin
from tests.ui.attendance_data import seed_session
from tests.ui.helpers import click_nav


def test_faces_touched_in_the_viewer_are_counted_for_the_session(qtbot, make_window, services) -> None:
    seeded = seed_session(services)  # an open session
    with services.db.session() as db:
        set_pin(db, "2580")
    window = make_window(kiosk=True)
    assert "feedback" in window.view_keys
    click_nav(qtbot, window, "feedback")
    page = window.current_view()
    assert page.session_id == seeded.session_id and page.question.text() == "Was today useful for you?"
    assert [b.accessibleName() for b in page.faces] == ["Yes, good", "So-so", "No, not good"]
    for face in (0, 1, 0):  # the first person: happy, so-so, happy
        qtbot.mouseClick(page.faces[face], Qt.MouseButton.LeftButton)
    assert page.thanks.isVisible() and "anonymous" in page.thanks.text() and not page.faces[0].isVisible()
    qtbot.waitUntil(lambda: page.question.isVisible(), timeout=5000)  # the next person's turn
    assert page.question.text() == "Was today useful for you?"
    qtbot.mouseClick(page.faces[2], Qt.MouseButton.LeftButton)  # the second person, the first question
    assert page.question.text() == "Was it clear and easy to follow?"
    with services.db.session() as db:
        assert feedback.counts(db, seeded.session_id) == {"useful": {0: 1, 1: 0, 2: 1}, "clear": {0: 0, 1: 1, 2: 0},
                                                          "next": {0: 1, 1: 0, 2: 0}}
