"""What the facilitator sees the player do (issue 20's smaller points): a moment plays again
after the film ended; a paused film sent full screen shows its picture and says it is
paused (not a black screen); S names the subtitles it turned to."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QApplication

from co_app.core.foundation import i18n
from co_app.player.backends import vlc_factory
from co_app.player.protocol import PlayerState
from tests.ui.media.test_player_controls import open_films


def test_a_moment_plays_after_the_film_ended_with_real_libvlc(qtbot, make_window):
    window, films = open_films(qtbot, make_window, vlc_factory, "germany-jena")
    panel = films.player_panel
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    player = panel.player
    seen: list[PlayerState] = []
    panel.state_changed.connect(seen.append)
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING and player.length_ms() > 0, timeout=10_000)
    panel.seek_to(player.length_ms() - 800)
    qtbot.waitUntil(lambda: PlayerState.ENDED in seen, timeout=15_000)  # (libVLC then says Stopped)
    assert films.open_moment("germany-jena", 4_000, 7_000)
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING and 4_000 <= player.position_ms() < 6_500,
                    timeout=10_000)
    qtbot.waitUntil(lambda: player.state() is PlayerState.PAUSED, timeout=15_000)  # at the moment's end
    assert 6_500 <= player.position_ms() <= 8_500


def mostly_black(image) -> bool:
    dark = total = 0
    for y in range(0, image.height(), max(1, image.height() // 20)):
        for x in range(0, image.width(), max(1, image.width() // 20)):
            total += 1
            dark += QColor(image.pixel(x, y)).value() < 24
    return dark > total * 0.9


def test_a_paused_film_sent_full_screen_shows_its_picture_and_says_paused(qtbot, make_window):
    window, films = open_films(qtbot, make_window, vlc_factory, "portugal-caranguejeira")
    panel = films.player_panel
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    player = panel.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING and player.position_ms() > 2_000, timeout=10_000)
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: player.state() is PlayerState.PAUSED, timeout=10_000)
    paused_at = player.position_ms()
    panel.setFocus()
    qtbot.keyClick(panel, Qt.Key.Key_F)
    projector = panel.output.window
    assert panel.projecting and projector.isFullScreen()
    # libVLC starts again in the new window, seeks back and pauses once a frame is drawn.
    qtbot.waitUntil(lambda: player.state() is PlayerState.PAUSED and abs(player.position_ms() - paused_at) < 1_500,
                    timeout=15_000)
    qtbot.waitUntil(lambda: panel.output.note.isVisible(), timeout=5_000)
    assert "Paused" in panel.output.note.text() and "Space" in panel.output.note.text()
    screen = QGuiApplication.primaryScreen()
    qtbot.waitUntil(lambda: not mostly_black(screen.grabWindow(int(projector.surface.winId())).toImage()),
                    timeout=10_000)
    qtbot.keyClick(projector, Qt.Key.Key_Space)  # plays on: the note goes
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING, timeout=10_000)
    QApplication.processEvents()
    assert not panel.output.note.isVisible()


def test_s_says_which_subtitles_it_turned_to(qtbot, make_window, locale_dir):
    window, films = open_films(qtbot, make_window, None, "germany-jena")
    panel = films.player_panel
    panel.setFocus()
    qtbot.keyClick(panel, Qt.Key.Key_Space)
    start = panel.current_subtitle_choice()
    qtbot.keyClick(panel, Qt.Key.Key_S)
    now = panel.current_subtitle_choice()
    assert now != start
    note = panel.output.note
    assert note.isVisible() and note.text() == f"Subtitles: {panel.subtitles.currentText()}"
    # Full screen, the note is on the video; in Arabic, in Arabic.
    qtbot.keyClick(panel, Qt.Key.Key_F)
    i18n.set_language("ar", locale_dir)
    qtbot.keyClick(panel.output.window, Qt.Key.Key_S)
    assert note.isVisible() and panel.subtitles.currentText() in note.text()
    assert not note.text().startswith("Subtitles")
    assert note.geometry().intersects(panel.output.window.geometry())
