"""The projector on two real monitors (issue 20).  Not collected by the suite's own run,
which is under Xvfb and one screen: ``test_projector_two_screens.py`` starts Xorg with two
outputs (tests/ui/two_screens.py) and runs this file in a child pytest on that display.

A laptop 1280×800 and a projector 1024×768 to its right; the projector's cable is pulled
mid-film and plugged in again with xrandr; the film is a real demo clip through libVLC.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from co_app.core.sessions.agenda import Step
from co_app.player.backends import vlc_factory
from co_app.player.protocol import PlayerState
from tests.ui.sessions.test_session_runner import new_session, save_steps
from tests.ui.two_screens import TwoScreens

DISPLAY = os.environ.get("CO_TWO_SCREENS", "")
SHOTS = os.environ.get("CO_TWO_SCREENS_SHOTS", "")


@pytest.fixture
def screens(tmp_path: Path) -> TwoScreens:
    assert DISPLAY and os.environ.get("DISPLAY") == DISPLAY, "run by test_projector_two_screens.py"
    attached = TwoScreens.attach(DISPLAY, tmp_path)
    yield attached
    attached.plug()  # the next case starts with both monitors


def shot(screens: TwoScreens, name: str) -> None:
    if SHOTS:
        QApplication.processEvents()
        screens.shot(Path(SHOTS) / name)


def plain(text: str) -> str:
    return text.replace("\u2066", "").replace("\u2069", "")


def film_runner(qtbot, make_window, services):
    window = make_window(vlc_factory)
    session_id = new_session(services, language="ar")
    save_steps(services, session_id, [Step("module", "housing", 10), Step("film", "portugal-caranguejeira", 10)])
    runner = window.view("attendance").run_session(session_id)
    qtbot.waitExposed(runner)
    return window, runner


def on_screen(widget, size: tuple[int, int]) -> bool:
    screen = widget.screen()
    geometry = widget.geometry()
    return (screen is not None and (screen.geometry().width(), screen.geometry().height()) == size
            and screen.geometry().contains(geometry.center()))


def test_the_projector_is_picked_by_its_size_and_the_slides_go_there(qtbot, make_window, services, screens):
    assert len(QGuiApplication.screens()) == 2
    window, runner = film_runner(qtbot, make_window, services)
    labels = [plain(runner.screen_box.itemText(i)) for i in range(runner.screen_box.count())]
    assert runner.screen_box.isVisible()
    assert labels == ["Screen 1 (this laptop) — 1280×800", "Screen 2 (projector) — 1024×768"]
    assert runner.screen_box.currentIndex() == 1  # the projector, chosen for the facilitator
    runner.toggle_projector()
    slides = runner.presentation
    qtbot.waitUntil(lambda: slides.isVisible() and on_screen(slides, (1024, 768)), timeout=5000)
    # B (or ".", as a clicker sends) turns the projector to a calm screen, and back.
    qtbot.keyClick(runner, Qt.Key.Key_B)
    assert slides.blank and not slides.view.isVisible()
    shot(screens, "two-screens-calm.png")
    qtbot.keyClick(runner, Qt.Key.Key_Period)
    assert not slides.blank and slides.view.isVisible()
    shot(screens, "two-screens-slides.png")
    runner.close()


def test_a_pulled_cable_moves_the_film_to_the_laptop_and_plugging_offers_it_back(
        qtbot, make_window, services, screens):
    window, runner = film_runner(qtbot, make_window, services)
    runner.go_to_step(1)
    qtbot.mouseClick(runner.film_button, Qt.MouseButton.LeftButton)
    panel = window.view("films").player_panel
    player = panel.player
    projector = panel.output.window
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING and player.position_ms() > 1_500, timeout=15_000)
    assert on_screen(projector, (1024, 768)) and projector.isFullScreen()
    assert panel.output.note.isVisible() and panel.output.note.screen().geometry().width() == 1024
    shot(screens, "two-screens-film.png")

    before = player.position_ms()
    screens.unplug()
    qtbot.waitUntil(lambda: len(QGuiApplication.screens()) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: on_screen(projector, (1280, 800)), timeout=10_000)
    assert panel.projecting and projector.isVisible()
    assert not runner.screen_box.isVisible()  # one screen: nothing to choose
    # The film goes on where it was: neither stopped nor started again.
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING and player.position_ms() > before + 1_000,
                    timeout=15_000)
    shot(screens, "two-screens-unplugged.png")

    screens.plug()
    qtbot.waitUntil(lambda: len(QGuiApplication.screens()) == 2, timeout=10_000)
    qtbot.waitUntil(lambda: runner.return_prompt.isVisible(), timeout=10_000)
    assert "1024×768" in plain(runner.return_prompt.label.text())
    assert not panel.return_prompt.isHidden()  # and on the Films page, whichever page is showing
    assert panel.output.note.isVisible() and "Enter" in panel.output.note.text()  # on the video, now on the laptop
    assert on_screen(projector, (1280, 800)) and player.state() is PlayerState.PLAYING  # nothing moved unasked
    shot(screens, "two-screens-plugged-back.png")
    qtbot.mouseClick(runner.return_prompt.move_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: on_screen(projector, (1024, 768)), timeout=10_000)
    assert not runner.return_prompt.isVisible() and panel.return_prompt.isHidden()
    moved = player.position_ms()
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING and player.position_ms() > moved + 500,
                    timeout=15_000)

    # The calm screen during the film: the film waits behind it and goes on after.
    qtbot.keyClick(runner, Qt.Key.Key_B)
    assert panel.output.blank and not projector.surface.isVisible()
    qtbot.waitUntil(lambda: player.state() is PlayerState.PAUSED, timeout=10_000)
    qtbot.keyClick(runner, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING, timeout=10_000)
    assert projector.surface.isVisible()
    qtbot.keyClick(runner, Qt.Key.Key_Escape)
    assert runner.film_step is None and not panel.projecting
    runner.close()


def test_a_pulled_cable_brings_the_slides_to_the_laptop_and_plugging_offers_them_back(
        qtbot, make_window, services, screens):
    window, runner = film_runner(qtbot, make_window, services)
    runner.toggle_projector()
    slides, cable = runner.presentation, runner.slides_cable
    qtbot.waitUntil(lambda: slides.isVisible() and on_screen(slides, (1024, 768)), timeout=5000)

    screens.unplug()
    qtbot.waitUntil(lambda: len(QGuiApplication.screens()) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: on_screen(slides, (1280, 800)), timeout=10_000)
    assert slides.isVisible() and slides.isFullScreen() and not cable.prompt.isVisible()

    screens.plug()
    qtbot.waitUntil(lambda: len(QGuiApplication.screens()) == 2, timeout=10_000)
    qtbot.waitUntil(lambda: cable.prompt.isVisible(), timeout=10_000)
    question = plain(cable.prompt.label.text())
    assert "1024×768" in question and "slides" in question, question
    # On the slides too, which cover the laptop now: Enter moves them.
    assert cable.note.isVisible() and "Enter" in cable.note.text()
    assert on_screen(slides, (1280, 800))  # nothing moved unasked
    assert runner.screen_box.currentIndex() == 1  # the projector is the projector again
    shot(screens, "two-screens-slides-plugged-back.png")
    qtbot.mouseClick(cable.prompt.move_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: on_screen(slides, (1024, 768)), timeout=10_000)
    assert not cable.prompt.isVisible() and not cable.note.isVisible() and slides.isVisible()

    # The calm screen goes to the laptop and back the same way, still calm; Enter on it answers.
    qtbot.keyClick(runner, Qt.Key.Key_B)
    assert slides.blank
    screens.unplug()
    qtbot.waitUntil(lambda: len(QGuiApplication.screens()) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: on_screen(slides, (1280, 800)), timeout=10_000)
    screens.plug()
    qtbot.waitUntil(lambda: cable.prompt.isVisible(), timeout=10_000)
    assert "calm screen" in cable.prompt.label.text() and slides.blank
    qtbot.keyClick(slides, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: on_screen(slides, (1024, 768)), timeout=10_000)
    assert slides.blank and not cable.prompt.isVisible()
    runner.close()


def test_a_film_that_ends_while_unplugged_leaves_the_slides_offered_back(qtbot, make_window, services, screens):
    """Slides on the projector, then the film step; the cable pulled mid-film and the film
    ending on the laptop: the slides come back on the laptop, and plugging the projector in
    again offers them there (the projector was left black, the runner saying "Stop
    projecting", the slides under the runner on the laptop)."""
    window, runner = film_runner(qtbot, make_window, services)
    runner.toggle_projector()
    slides, cable = runner.presentation, runner.slides_cable
    qtbot.waitUntil(lambda: slides.isVisible() and on_screen(slides, (1024, 768)), timeout=5000)
    assert slides.geometry() == slides.screen().geometry()  # exactly the projector, never larger
    runner.go_to_step(1)
    qtbot.keyClick(runner, Qt.Key.Key_Space)
    panel = window.view("films").player_panel
    player = panel.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING and player.position_ms() > 1_000, timeout=15_000)
    screens.unplug()
    qtbot.waitUntil(lambda: len(QGuiApplication.screens()) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: on_screen(panel.output.window, (1280, 800)), timeout=10_000)
    player.seek_ms(max(0, player.length_ms() - 1_500))  # the film ends while the cable is out
    qtbot.waitUntil(lambda: runner.film_step is None, timeout=20_000)
    assert slides.isVisible() and on_screen(slides, (1280, 800))
    assert slides.geometry() == slides.screen().geometry()

    screens.plug()
    qtbot.waitUntil(lambda: len(QGuiApplication.screens()) == 2, timeout=10_000)
    qtbot.waitUntil(lambda: cable.prompt.isVisible(), timeout=10_000)
    assert "1024×768" in plain(cable.prompt.label.text()) and "slides" in cable.prompt.label.text()
    assert cable.note.isVisible() and "Enter" in cable.note.text()
    shot(screens, "two-screens-film-ended-unplugged.png")
    qtbot.keyClick(runner, Qt.Key.Key_Return)  # the runner has the keyboard: Enter moves them
    qtbot.waitUntil(lambda: on_screen(slides, (1024, 768)), timeout=10_000)
    assert slides.isVisible() and not cable.prompt.isVisible()
    assert slides.geometry() == slides.screen().geometry()
    shot(screens, "two-screens-film-ended-replugged.png")
    runner.close()
