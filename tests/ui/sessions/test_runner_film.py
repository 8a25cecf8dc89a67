"""The runner owns the session's film (issue 20): the film step plays on the projector, full
screen, from its start, with the group's subtitles — not where the facilitator last
previewed, not in the small Films panel, not with the last manual choice — and the runner's
keys and a presentation clicker's (Page Down / Page Up, B or ".", F5, Esc) drive it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from co_app.core.foundation import i18n
from co_app.core.sessions.agenda import Step
from co_app.player.backends import vlc_factory
from co_app.player.protocol import PlayerState
from tests.ui.helpers import click_list_row, click_nav
from tests.ui.sessions.test_session_runner import new_session, save_steps


def previewed(qtbot, window, film_id: str, *, to_ms: int, subtitle: str) -> None:
    """The facilitator looked at the film in Films the day before: to ``to_ms``, subtitles by hand."""
    click_nav(qtbot, window, "films")
    films = window.view("films")
    click_list_row(qtbot, films.film_list, [e.film.id for e in films.entries].index(film_id))
    panel = films.player_panel
    panel.subtitles.setCurrentIndex(panel.subtitles.findData(subtitle))
    panel.subtitles.activated.emit(panel.subtitles.currentIndex())  # remembered for this film
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    panel.player.advance(to_ms)
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.player.state() is PlayerState.PAUSED)
    QApplication.processEvents()  # the fake player's events reach the panel


def run(qtbot, window, services, language: str):
    session_id = new_session(services, language=language)
    save_steps(services, session_id, [Step("module", "housing", 10), Step("film", "germany-jena", 10),
                                      Step("break", "", 15)])
    runner = window.view("attendance").run_session(session_id)
    qtbot.waitExposed(runner)
    return runner


def key(qtbot, widget, which) -> None:
    qtbot.keyClick(widget, which)
    QApplication.processEvents()


def test_the_film_step_starts_from_the_start_with_the_groups_subtitles_on_the_projector(
        qtbot, make_window, services, locale_dir):
    window = make_window()
    previewed(qtbot, window, "germany-jena", to_ms=5_000, subtitle="fr")
    runner = run(qtbot, window, services, "ar")
    runner.go_to_step(1)
    panel = window.view("films").player_panel
    assert runner.film_hint.isVisible() and "Page Down" in runner.film_hint.text()
    # With the slides up on the one screen, the presentation window has the keyboard: a
    # clicker's Page Down starts the film rather than skipping it.
    runner.toggle_projector()
    slides = runner.presentation
    key(qtbot, slides, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: panel.player.state() is PlayerState.PLAYING, timeout=3000)
    assert runner.runner.index == 1 and runner.film_step is not None
    assert panel.player.position_ms() == 0                      # from its start, not 0:05
    assert panel.player.subtitle_language() == "ar"             # the group's, not the French preview
    assert panel.current_subtitle_choice() == "ar"
    projector = panel.output.window
    assert panel.projecting and projector.isFullScreen() and not slides.isVisible()
    assert window.current_view().key != "films" or not panel.surface.isVisible()
    # The keys say how to come back: on the video for a while, and on the runner all along.
    assert panel.output.note.isVisible() and "Esc" in panel.output.note.text()
    assert "Esc" in runner.film_hint.text()

    # The clicker drives the film: Page Down pauses and plays, Page Up goes back 10 s.
    panel.player.advance(11_000)  # (the fake film lasts 12 s)
    key(qtbot, projector, Qt.Key.Key_PageDown)
    assert panel.player.state() is PlayerState.PAUSED
    assert panel.output.note.isVisible() and "Space" in panel.output.note.text()  # paused: says so
    key(qtbot, projector, Qt.Key.Key_F5)
    assert panel.player.state() is PlayerState.PLAYING
    key(qtbot, projector, Qt.Key.Key_PageUp)
    assert panel.player.position_ms() == 1_000
    # B blanks to a calm screen (the film waits), B again brings it back playing.
    key(qtbot, projector, Qt.Key.Key_B)
    assert panel.output.blank and not projector.surface.isVisible()
    assert panel.player.state() is PlayerState.PAUSED
    key(qtbot, projector, Qt.Key.Key_Period)
    assert not panel.output.blank and projector.surface.isVisible()
    assert panel.player.state() is PlayerState.PLAYING
    # Esc: the film pauses and the slides are back on the projector, the step stays.
    key(qtbot, projector, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: slides.isVisible(), timeout=3000)
    assert not panel.projecting and runner.film_step is None
    panel.player.advance(500)  # back in the Films panel it pauses once a picture is drawn
    qtbot.waitUntil(lambda: panel.player.state() is PlayerState.PAUSED, timeout=3000)
    assert runner.runner.index == 1
    # Now Page Down goes on to the next step.
    key(qtbot, slides, Qt.Key.Key_PageDown)
    assert runner.runner.index == 2
    runner.close()


def test_the_runners_own_keys_drive_the_film_and_the_hint_is_translated(qtbot, make_window, services, locale_dir):
    window = make_window()
    runner = run(qtbot, window, services, "ti")
    runner.go_to_step(1)
    panel = window.view("films").player_panel
    runner.activateWindow()
    key(qtbot, runner, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: panel.player.state() is PlayerState.PLAYING, timeout=3000)
    assert panel.player.subtitle_language() == "ti" and panel.projecting
    key(qtbot, runner, Qt.Key.Key_Space)          # the runner window's keys are the film's too
    assert panel.player.state() is PlayerState.PAUSED
    key(qtbot, runner, Qt.Key.Key_Right)          # …not the next slide while the film is on
    assert runner.runner.index == 1
    i18n.set_language("ar", locale_dir)
    english = "Esc: back to the slides · Space or Page Down: pause and play · B: a calm screen"
    runner.retranslate()
    assert runner.film_hint.text() and runner.film_hint.text() != english
    key(qtbot, runner, Qt.Key.Key_Escape)
    assert runner.film_step is None and not panel.projecting
    assert "Page Down" not in runner.film_hint.text() or runner.film_hint.text() != english
    runner.close()


def test_the_film_step_plays_a_real_clip_on_the_projector_from_its_start(qtbot, make_window, services):
    window = make_window(vlc_factory)
    runner = run(qtbot, window, services, "fa_AF")
    runner.go_to_step(1)
    panel = window.view("films").player_panel
    qtbot.mouseClick(runner.film_button, Qt.MouseButton.LeftButton)
    player = panel.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING and player.position_ms() > 500, timeout=10_000)
    assert panel.projecting and player.position_ms() < 5_000
    assert player.subtitle_language() == "fa_AF"
    key(qtbot, panel.output.window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: player.state() is PlayerState.PAUSED, timeout=10_000)
    assert not panel.projecting and runner.film_step is None
    runner.close()
