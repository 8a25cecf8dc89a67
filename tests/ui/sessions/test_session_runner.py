"""The session runner: an agenda built with clicks, run screen by screen with a timer, myth
cards that turn over, the projector's window, and module coverage recorded (and
corrected, with the PIN once the session is closed)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from co_app.core.sessions import agenda as agenda_core
from co_app.core.sessions import service as session_service
from co_app.core.sessions.agenda import Step
from co_app.core.safety.pin import set_pin
from co_app.ui.sessions.agenda import AgendaPanel
from co_app.ui.attendance.coverage import CoveragePanel
from co_app.ui.safety.pin_dialogs import AskPinDialog
from co_app.ui.sessions.runner_window import SessionRunnerWindow
from tests.ui.helpers import choose_in_combo, click_list_row


def plain(text: str) -> str:
    """Without the bidi isolation marks around times and names."""
    return text.replace("\u2066", "").replace("\u2069", "").replace("\u2068", "")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def new_session(services, language: str = "en", towns=("germany-jena",)):
    with services.db.session() as db:
        return session_service.create_session(db, day=date.today(), place="Community hall", facilitator="Lina",
                                              language=language, destination_towns=list(towns)).id


def save_steps(services, session_id: str, steps: list[Step]) -> None:
    with services.db.session() as db:
        agenda_core.save_agenda(db, session_id, steps)


def covered(services, session_id: str) -> list[str]:
    with services.db.session() as db:
        return agenda_core.covered_modules(db, session_id)


def test_an_agenda_is_built_with_clicks_and_stored_with_the_session(qtbot, services):
    session_id = new_session(services)
    panel = AgendaPanel(services)
    qtbot.addWidget(panel)
    panel.set_session(session_id)
    panel.show()
    assert not panel.run_button.isEnabled() and panel.list.count() == 0
    assert not panel.minutes.isEnabled() and panel.minutes.text() == "–"  # no step: no number

    qtbot.mouseClick(panel.suggest_button, Qt.MouseButton.LeftButton)
    with services.db.session() as db:
        stored = agenda_core.load_agenda(db, session_id)
    assert stored[0] == Step("film", "germany-jena", 10) and stored[1] == Step("town", "jena", 20)
    assert [s.ref for s in stored if s.kind == "module"][:2] == ["journey-and-arrival", "life-in-a-small-town"]
    assert panel.list.count() == len(stored) and "Jena" in panel.list.item(0).text()

    # Add a break after the first step, move it down, change its length, remove the film.
    click_list_row(qtbot, panel.list, 0)
    choose_in_combo(qtbot, panel.add_choice, "break\t\t15")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert panel.steps[1] == Step("break", "", 15) and panel.list.currentRow() == 1
    qtbot.mouseClick(panel.down_button, Qt.MouseButton.LeftButton)
    assert panel.steps[2].kind == "break" and panel.list.currentRow() == 2
    panel.minutes.setFocus()
    panel.minutes.selectAll()
    qtbot.keyClicks(panel.minutes, "25")
    qtbot.keyClick(panel.minutes, Qt.Key.Key_Return)
    assert panel.minutes.text() == "25"
    click_list_row(qtbot, panel.list, 0)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    with services.db.session() as db:
        stored = agenda_core.load_agenda(db, session_id)
    assert stored[:2] == [Step("town", "jena", 20), Step("break", "", 25)]

    with qtbot.waitSignal(panel.run_requested) as run:
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert run.args == [session_id]


def walk_to(qtbot, runner: SessionRunnerWindow, kind: str) -> None:
    for _ in range(60):
        if runner.current_slide.kind == kind:
            return
        qtbot.keyClick(runner, Qt.Key.Key_Right)
    raise AssertionError(f"no {kind} slide reached")


def test_the_runner_walks_screens_and_steps_turns_myth_cards_and_records_coverage(qtbot, services):
    session_id = new_session(services)
    save_steps(services, session_id, [Step("module", "housing", 2), Step("break", "", 15), Step("town", "jena", 20)])
    clock = FakeClock()
    runner = SessionRunnerWindow(services, session_id, clock=clock)
    qtbot.addWidget(runner)
    runner.show()
    qtbot.waitExposed(runner)
    module = services.content.module("housing")
    assert runner.step_label.text() == module.title
    assert module.title in runner.preview.visible_text()
    assert "2:00 left" in plain(runner.timer_label.text())

    # The timer runs on the step's clock and shows when the step runs over.
    clock.now += 150
    runner._tick()
    assert "0:30 over time" in plain(runner.timer_label.text()) and runner.timer_label.property("over") is True

    # A myth card: Space turns it over (the reality shows), a second Space moves on.
    walk_to(qtbot, runner, "myth")
    myth = module.myths[0]
    assert myth.myth in runner.preview.visible_text() and myth.reality not in runner.preview.visible_text()
    assert runner.reveal_button.isVisible() and runner.reveal_button.text() == "Turn the card over"
    qtbot.keyClick(runner, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: myth.reality in runner.preview.visible_text(), timeout=3000)
    assert runner.reveal_button.text() == "Turn the card back"
    qtbot.keyClick(runner, Qt.Key.Key_Space)
    assert runner.current_slide.kind == "myth" and runner.current_slide.title == module.myths[1].myth

    # Not yet covered; the module's last screen records it, in the list and the database.
    assert covered(services, session_id) == []
    walk_to(qtbot, runner, "check")
    while runner.runner.index == 0 and runner.slide_index < len(runner.slides()) - 1:
        qtbot.mouseClick(runner.next_button, Qt.MouseButton.LeftButton)
    assert covered(services, session_id) == ["housing"]
    assert runner.covered_box.isVisible() and runner.covered_box.isChecked()
    assert runner.steps_list.item(0).text().startswith("1. ✓ ")

    # Next goes on to the break (its own timer), Previous comes back to the module's last screen.
    clock.now += 10
    qtbot.mouseClick(runner.next_button, Qt.MouseButton.LeftButton)
    assert runner.runner.current.kind == "break" and "15:00 left" in plain(runner.timer_label.text())
    assert "Break" in runner.preview.visible_text()
    qtbot.keyClick(runner, Qt.Key.Key_PageUp)
    assert runner.runner.index == 0 and runner.slide_index == len(runner.slides()) - 1

    # A click in the agenda jumps to that step; the last screen of the last step ends the way.
    click_list_row(qtbot, runner.steps_list, 2)
    assert runner.current_slide.kind == "title" and "Jena" in runner.preview.visible_text()
    while runner.next_button.isEnabled():
        qtbot.mouseClick(runner.next_button, Qt.MouseButton.LeftButton)
    assert runner.current_slide.kind == "words"


def test_the_projector_shows_the_same_screen_in_the_groups_language(qtbot, services):
    session_id = new_session(services, language="ar")
    save_steps(services, session_id, [Step("module", "housing", 30)])
    runner = SessionRunnerWindow(services, session_id)
    qtbot.addWidget(runner)
    runner.show()
    arabic = services.content.module("housing", "ar")
    assert arabic.title in runner.preview.visible_text()
    assert runner.preview.layoutDirection() == Qt.LayoutDirection.RightToLeft
    qtbot.mouseClick(runner.projector_button, Qt.MouseButton.LeftButton)
    slide_window = runner.presentation
    qtbot.waitExposed(slide_window)
    assert slide_window.isFullScreen() and slide_window.view.visible_text() == runner.preview.visible_text()
    # Large type: the projector's title is bigger than the preview's.
    from PySide6.QtWidgets import QLabel

    def title_size(view) -> int:
        label = view.findChild(QLabel, "slideTitle")
        return label.fontInfo().pixelSize()

    assert title_size(slide_window.view) > title_size(runner.preview) >= 13
    # The clicker's key on the projector's window moves both screens on.
    qtbot.keyClick(slide_window, Qt.Key.Key_PageDown)
    assert runner.slide_index == 1 and slide_window.view.visible_text() == runner.preview.visible_text()
    qtbot.keyClick(slide_window, Qt.Key.Key_Escape)
    assert not slide_window.isVisible()
    runner.close()


def test_a_film_step_plays_on_the_projector_and_the_slides_come_back(qtbot, make_window, services):
    window = make_window()
    session_id = new_session(services)
    save_steps(services, session_id, [Step("film", "germany-jena", 10), Step("break", "", 15)])
    attendance = window.view("attendance")
    runner = attendance.run_session(session_id)
    qtbot.waitExposed(runner)
    assert runner.film_button.isVisible()
    film = services.manifest.film("germany-jena")
    assert "Jena" in runner.preview.visible_text() and film.title in runner.preview.visible_text()
    qtbot.mouseClick(runner.projector_button, Qt.MouseButton.LeftButton)  # slides on the projector
    qtbot.mouseClick(runner.film_button, Qt.MouseButton.LeftButton)
    films = window.view("films")
    qtbot.waitUntil(lambda: films.player_panel.film_id == "germany-jena", timeout=5000)
    assert films.player_panel.projecting and not runner.presentation.isVisible()
    # The film ends: the runner and its slides come back by themselves.
    films.player_panel.player.advance(60_000)
    qtbot.waitUntil(lambda: runner.presentation.isVisible(), timeout=3000)
    assert not films.player_panel.projecting and runner.film_step is None
    runner.close()


def test_coverage_is_corrected_and_a_closed_session_needs_the_pin(qtbot, services):
    session_id = new_session(services)
    with services.db.session() as db:
        set_pin(db, "2580")
        agenda_core.set_module_covered(db, session_id, "housing")
    panel = CoveragePanel(services)
    qtbot.addWidget(panel)
    panel.set_session(session_id)
    panel.show()
    ids = [panel.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(panel.list.count())]
    assert len(ids) == 10 and "1 of 10 modules covered" in panel.summary.text()
    housing = panel.list.item(ids.index("housing"))
    assert housing.checkState() == Qt.CheckState.Checked
    housing.setCheckState(Qt.CheckState.Unchecked)  # what a click on the box does
    assert covered(services, session_id) == []

    with services.db.session() as db:
        session_service.close_session(db, session_id)
    work = panel.list.item(ids.index("work-and-money"))

    def give_pin(pin: str) -> None:
        dialog = qtbot.waitUntil(lambda: panel.findChild(AskPinDialog) is not None, timeout=3000) or \
            panel.findChild(AskPinDialog)
        qtbot.keyClicks(dialog.pin, pin)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        if dialog.isVisible():
            dialog.reject()
        dialog.deleteLater()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, lambda: give_pin("1111"))  # wrong PIN: then Cancel — nothing changes
    work.setCheckState(Qt.CheckState.Checked)
    assert covered(services, session_id) == [] and work.checkState() == Qt.CheckState.Unchecked
    QTimer.singleShot(0, lambda: give_pin("2580"))
    work.setCheckState(Qt.CheckState.Checked)
    assert covered(services, session_id) == ["work-and-money"]
    from co_app.core.safety import audit

    with services.db.session() as db:
        lines = audit.entries(db, action="closed_session_edit")
    assert [(line.subject, line.detail) for line in lines] == [(session_id, "module coverage")]


def test_a_town_cards_facts_keep_their_names_readable_on_the_projector(qtbot, services):
    """Tigrinya on the projector: each fact's name (population, nearest city, region) had a
    narrow column and wrapped to a word per line; now it holds at most two lines."""
    from PySide6.QtWidgets import QLabel

    session_id = new_session(services, language="ti", towns=("austria-gaenserndorf",))
    save_steps(services, session_id, [Step("town", "gaenserndorf", 20)])
    runner = SessionRunnerWindow(services, session_id)
    qtbot.addWidget(runner)
    runner.show()
    qtbot.mouseClick(runner.projector_button, Qt.MouseButton.LeftButton)
    slide_window = runner.presentation
    qtbot.waitExposed(slide_window)
    slide_window.resize(1280, 800)
    for index, slide in enumerate(runner.slides()):
        if slide.kind == "facts":
            runner.go_to_step(0, slide=index)
            break
    else:
        raise AssertionError("the town has no facts screen")
    qtbot.wait(100)
    keys = slide_window.view.findChildren(QLabel, "slideItemKey")
    assert keys and all(k.isVisible() for k in keys)
    values = slide_window.view.findChildren(QLabel, "slideItem")
    for key in keys:
        lines = key.heightForWidth(key.width()) / key.fontMetrics().lineSpacing()
        assert lines <= 2.2, (key.text(), key.width(), lines)
        # The names get a third of the row, the values the rest.
        assert key.width() >= 0.4 * values[0].width(), (key.width(), values[0].width())
    qtbot.keyClick(slide_window, Qt.Key.Key_Escape)
    runner.close()
