"""The player as a facilitator drives it: keyboard, projector / full screen, resume, moments,
interactive transcript — with the fast fake player and with the real libVLC."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from co_app.player.backends import vlc_factory
from co_app.player.fake import FakePlayer
from co_app.player.protocol import PlayerState
from tests.ui.helpers import click_list_row, click_nav


def open_films(qtbot, make_window, factory=None, film_id: str = "germany-jena"):
    window = make_window(factory)
    click_nav(qtbot, window, "films")
    films = window.view("films")
    row = [e.film.id for e in films.entries].index(film_id)
    click_list_row(qtbot, films.film_list, row)
    return window, films


def press(qtbot, widget, key) -> None:
    qtbot.keyClick(widget, key)
    QApplication.processEvents()


def test_keyboard_controls_the_player(qtbot, make_window):
    window, films = open_films(qtbot, make_window)
    panel = films.player_panel
    player: FakePlayer = panel.player  # type: ignore[assignment]
    panel.setFocus()
    press(qtbot, panel, Qt.Key.Key_Space)
    assert player.state() is PlayerState.PLAYING
    player.advance(1_000)
    press(qtbot, panel, Qt.Key.Key_Right)
    assert player.position_ms() == 11_000
    press(qtbot, panel, Qt.Key.Key_Left)
    assert player.position_ms() == 1_000
    volume = player.volume()
    press(qtbot, panel, Qt.Key.Key_Down)
    assert player.volume() == volume - 10 and panel.volume.value() == volume - 10
    press(qtbot, panel, Qt.Key.Key_Up)
    assert player.volume() == volume
    # S walks the subtitle tracks, "off" included, and comes back round to where it started.
    start = player.subtitle_language()
    seen = []
    for _ in range(len(player.subtitle_languages()) + 1):
        press(qtbot, panel, Qt.Key.Key_S)
        seen.append(player.subtitle_language())
    assert sorted(s for s in seen if s) == sorted(player.subtitle_languages())
    assert None in seen and seen[-1] == start
    press(qtbot, panel, Qt.Key.Key_Space)
    assert player.state() is PlayerState.PAUSED


def test_full_screen_with_one_screen_and_back_with_escape(qtbot, make_window):
    window, films = open_films(qtbot, make_window)
    panel = films.player_panel
    assert panel.project_button.text() == "Full screen (F)"  # one screen here
    panel.setFocus()
    press(qtbot, panel, Qt.Key.Key_Space)
    panel.player.advance(3_000)
    press(qtbot, panel, Qt.Key.Key_F)
    projector = panel.output.window
    assert projector is not None and projector.isFullScreen() and projector.isVisible()
    assert panel.player.window_id == int(projector.surface.winId())
    assert panel.projecting_label.isVisible() and not panel.surface.isVisible()
    assert panel.project_button.text() == "Back to this window (\u2066Esc\u2069)"  # the key kept whole
    # Escape on the projector window itself brings the video back to the laptop window.
    qtbot.keyClick(projector, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not projector.isVisible(), timeout=2000)
    assert panel.player.window_id == int(panel.surface.winId())
    assert panel.surface.isVisible()


def test_resume_where_the_film_was_left(qtbot, make_window, services):
    window, films = open_films(qtbot, make_window)
    panel = films.player_panel
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    panel.player.advance(7_000)
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)  # pause: position saved
    qtbot.waitUntil(lambda: panel.player.state() is PlayerState.PAUSED)
    window.close()

    second, films2 = open_films(qtbot, make_window)
    panel2 = films2.player_panel
    assert "00:07" in panel2.time_label.text()
    qtbot.mouseClick(panel2.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel2.player.position_ms() == 7_000, timeout=2000)


def test_a_moment_plays_its_range_and_stops_at_its_end(qtbot, make_window):
    window = make_window()
    click_nav(qtbot, window, "films")
    films = window.view("films")
    assert films.open_moment("italy-biella", 2_000, 5_000)
    player = films.player_panel.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING and player.position_ms() == 2_000, timeout=2000)
    player.advance(2_000)
    assert player.state() is PlayerState.PLAYING
    player.advance(1_500)
    qtbot.waitUntil(lambda: player.state() is PlayerState.PAUSED, timeout=2000)
    assert films.selected_entry().film.id == "italy-biella"


def test_transcript_follows_and_a_click_seeks_with_real_libvlc(qtbot, make_window):
    window, films = open_films(qtbot, make_window, vlc_factory, "belgium-merchtem")
    panel, transcript = films.player_panel, films.transcript
    qtbot.waitUntil(lambda: transcript.cues.count() >= 4, timeout=5000)  # read on a worker thread
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    player = panel.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING, timeout=10_000)
    qtbot.waitUntil(lambda: transcript.cues.currentRow() == 0, timeout=10_000)  # the first cue is on screen
    target = transcript.cues.item(3)
    start = transcript.track.cues[3].start_ms
    rect = transcript.cues.visualItemRect(target)
    qtbot.mouseClick(transcript.cues.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: abs(player.position_ms() - start) < 1_500 and transcript.cues.currentRow() == 3,
                    timeout=10_000)


def test_projector_keeps_playing_with_real_libvlc(qtbot, make_window):
    window, films = open_films(qtbot, make_window, vlc_factory, "portugal-caranguejeira")
    panel = films.player_panel
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    player = panel.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING and player.position_ms() > 2_000, timeout=10_000)
    before = player.position_ms()
    qtbot.mouseClick(panel.project_button, Qt.MouseButton.LeftButton)
    assert panel.projecting
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING and player.position_ms() >= before, timeout=10_000)
    qtbot.mouseClick(panel.project_button, Qt.MouseButton.LeftButton)
    assert not panel.projecting
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING and player.position_ms() >= before, timeout=10_000)


def test_moment_buttons_play_the_named_part(qtbot, make_window):
    window, films = open_films(qtbot, make_window, None, "germany-jena")
    film = films.selected_entry().film
    assert [b.text().replace("\u2066", "").replace("\u2069", "") for b in films.moment_buttons] == [
        f"▶ {m.title} ({m.start_ms // 60000:02d}:{m.start_ms // 1000 % 60:02d}–{m.end_ms // 60000:02d}:"
        f"{m.end_ms // 1000 % 60:02d})" for m in film.moments]
    second = film.moments[1]
    qtbot.mouseClick(films.moment_buttons[1], Qt.MouseButton.LeftButton)
    player = films.player_panel.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING and player.position_ms() == second.start_ms,
                    timeout=2000)
    player.advance(second.end_ms - second.start_ms + 100)
    qtbot.waitUntil(lambda: player.state() is PlayerState.PAUSED, timeout=2000)


def test_a_playing_film_saves_its_position_for_a_power_cut(qtbot, make_window, services, monkeypatch):
    """Real libVLC: while the film plays, where it is reaches the database by itself (not only
    on pause or close), so a laptop that loses power resumes there; read here from another
    connection while the window still plays, as the next start would read it."""
    from co_app.core.db.plain import connect
    from co_app.core.media.playback import saved_position
    from co_app.ui.media import films as films_module

    monkeypatch.setattr(films_module, "AUTOSAVE_MS", 400)
    window, films = open_films(qtbot, make_window, vlc_factory)
    panel = films.player_panel
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    player = panel.player

    def saved() -> int:
        with connect(services.paths.database) as conn:
            return saved_position(conn, "germany-jena")

    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING and player.position_ms() > 1_500, timeout=10_000)
    qtbot.waitUntil(lambda: saved() >= 1_000, timeout=5_000)
    assert player.state() is PlayerState.PLAYING  # saved while playing: no pause, no close
    first = saved()
    qtbot.waitUntil(lambda: saved() > first, timeout=5_000)  # and again as it goes on
