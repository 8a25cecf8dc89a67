"""A facilitator's tool window left open does not follow into the viewer (issue 19, 1): the
moments' recorder (Films, non-modal) stayed on top of the viewer after 'Hand to a
participant', and its "Choose…" opened a file dialog for any participant (found by a
fresh-eyes attack). It is hidden in the viewer and back, as it was, after the PIN."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from co_app.core.safety.pin import set_pin


def test_a_tool_window_left_open_is_set_aside_in_the_viewer_and_back_after(qtbot, make_window, services):
    with services.db.session() as db:
        set_pin(db, "2580")
    window = make_window()
    window.show_view("films")
    films = window.view("films")
    qtbot.waitUntil(lambda: bool(films.entries), timeout=5000)
    recorder = films.record_moments()
    assert recorder is not None and recorder.isVisible()
    assert window.home.hand_over() is None and window.kiosk
    QApplication.processEvents()
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window] == []
    window.leave_viewer()  # what the right PIN does
    assert not window.kiosk and recorder.isVisible()  # nothing the facilitator had marked is lost
    recorder.close()
