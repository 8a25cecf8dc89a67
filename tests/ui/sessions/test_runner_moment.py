"""A moment step (issue 20, 2): a film step that names one moment of its film plays on the
projector from the moment's start, and at the moment's end the film pauses and the slides
come back (the clip is there to be talked about); the agenda list names the moment and its
times.  Once with the fake player, once with the real libVLC and a demo clip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from co_app.core.foundation import i18n
from co_app.core.sessions.agenda import Step
from co_app.player.backends import vlc_factory
from co_app.player.protocol import PlayerState
from tests.ui.sessions.test_session_runner import new_session, plain, save_steps

#: europe#daily-life in the shipped film manifest: 00:06–00:11 (placeholder times on the demo clips).
MOMENT = Step("film", "europe", 5, "daily-life")
START_MS, END_MS = 6_000, 11_000


def runner_at_moment(qtbot, window, services, language: str = "en"):
    session_id = new_session(services, language=language)
    save_steps(services, session_id, [Step("module", "housing", 10), MOMENT, Step("break", "", 15)])
    runner = window.view("attendance").run_session(session_id)
    qtbot.waitExposed(runner)
    runner.go_to_step(1)
    return runner


def test_a_moment_step_is_named_in_the_agenda_and_plays_from_its_start_to_its_end(
        qtbot, make_window, services, locale_dir):
    window = make_window()
    runner = runner_at_moment(qtbot, window, services)
    row = plain(runner.steps_list.item(1).text())
    assert row.startswith("2. Europe — Daily life and who helps") and "Film · 00:06–00:11 · 5 minutes" in row, row
    assert plain(runner.step_label.text()) == "Europe — Daily life and who helps"
    assert "00:06–00:11" in plain(runner.film_hint.text()) and "Page Down" in runner.film_hint.text()
    assert runner.current_slide.title == "Daily life and who helps"  # big on the projector; the town small above

    panel = window.view("films").player_panel
    runner.activateWindow()
    qtbot.keyClick(runner, Qt.Key.Key_PageDown)  # a clicker's "next" starts it
    qtbot.waitUntil(lambda: panel.player.state() is PlayerState.PLAYING, timeout=3000)
    QApplication.processEvents()
    assert panel.player.position_ms() == START_MS and panel.projecting and runner.film_step is not None
    panel.player.advance(3_000)
    QApplication.processEvents()
    assert runner.film_step is not None and panel.player.state() is PlayerState.PLAYING
    panel.player.advance(2_500)  # past the moment's end (11 s; the clip lasts 12)
    QApplication.processEvents()
    # Paused at the moment's end, and the slides back: the step stays, for the talk.
    assert runner.film_step is None and not panel.projecting
    QApplication.processEvents()
    panel.player.advance(300)  # back in the Films panel it pauses once a picture is drawn
    qtbot.waitUntil(lambda: panel.player.state() is PlayerState.PAUSED, timeout=3000)
    assert START_MS < panel.player.position_ms() < 12_000
    assert runner.runner.index == 1 and runner.film_shown
    # Played again, the moment starts again from its start.
    qtbot.mouseClick(runner.film_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.player.state() is PlayerState.PLAYING, timeout=3000)
    QApplication.processEvents()
    assert panel.player.position_ms() == START_MS
    qtbot.keyClick(runner, Qt.Key.Key_Escape)
    assert runner.film_step is None

    # In the group's language: the moment's own title, the times kept left to right.
    i18n.set_language("ar", locale_dir)
    runner.close()
    runner = runner_at_moment(qtbot, window, services, language="ar")
    row = plain(runner.steps_list.item(1).text())
    assert "الحياة اليومية ومن يساعد" in row and "00:06–00:11" in row
    assert "\u206600:06–00:11\u2069" in runner.steps_list.item(1).text()
    runner.close()


def test_a_moment_the_films_no_longer_have_plays_the_film_from_its_start_and_says_so(
        qtbot, make_window, services):
    window = make_window()
    session_id = new_session(services)
    save_steps(services, session_id, [Step("film", "europe", 5, "market-day")])
    runner = window.view("attendance").run_session(session_id)
    qtbot.waitExposed(runner)
    assert "market-day" in runner.film_hint.text() and "from its start" in runner.film_hint.text()
    panel = window.view("films").player_panel
    qtbot.mouseClick(runner.film_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.player.state() is PlayerState.PLAYING, timeout=3000)
    assert panel.player.position_ms() == 0
    runner.close()


def test_a_moment_step_plays_a_real_clip_from_the_moments_start(qtbot, make_window, services):
    window = make_window(vlc_factory)
    runner = runner_at_moment(qtbot, window, services, language="fa_AF")
    panel = window.view("films").player_panel
    back_at: list[int] = []  # where the film was when its moment ended (before the slides came back)
    panel.moment_ended.connect(lambda: back_at.append(panel.player.position_ms()))
    qtbot.mouseClick(runner.film_button, Qt.MouseButton.LeftButton)
    player = panel.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING and player.position_ms() > 0, timeout=15_000)
    first = player.position_ms()
    # libVLC's first times after a seek: at the moment's start, within a second and a half.
    assert START_MS - 500 <= first <= START_MS + 1_500, first
    assert panel.projecting and player.subtitle_language() == "fa_AF"
    # At its end (11 s of a 12 s clip) the film pauses there and the slides come back.
    qtbot.waitUntil(lambda: runner.film_step is None, timeout=20_000)
    assert back_at and END_MS <= back_at[0] < END_MS + 1_000, back_at
    assert not panel.projecting
    qtbot.waitUntil(lambda: player.state() in (PlayerState.PAUSED, PlayerState.ENDED), timeout=10_000)
    runner.close()


def test_the_agenda_editor_adds_a_films_moment_and_keeps_it_when_the_minutes_change(qtbot, services):
    from co_app.core.sessions import agenda as agenda_core
    from co_app.ui.sessions.agenda import AgendaPanel
    from tests.ui.helpers import choose_in_combo

    session_id = new_session(services)
    panel = AgendaPanel(services)
    qtbot.addWidget(panel)
    panel.set_session(session_id)
    panel.show()
    entry = panel.add_choice.itemText(panel.add_choice.findData("film\teurope\t5\tdaily-life"))
    assert plain(entry) == "Film moment: Europe — Daily life and who helps"
    choose_in_combo(qtbot, panel.add_choice, "film\teurope\t5\tdaily-life")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert panel.steps == [MOMENT] and "Europe — Daily life and who helps" in plain(panel.list.item(0).text())
    panel.minutes.setFocus()
    panel.minutes.selectAll()
    qtbot.keyClicks(panel.minutes, "8")
    qtbot.keyClick(panel.minutes, Qt.Key.Key_Return)
    with services.db.session() as db:
        assert agenda_core.load_agenda(db, session_id) == [Step("film", "europe", 8, "daily-life")]
