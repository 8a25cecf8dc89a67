"""Issue 22, point 4: at the office, a moment's times are set by playing the real clip (libVLC)
and pressing S at its start and E at its end; Save writes them, confirmed, into the content
folder's film manifest, and the next content pack carries them."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt

from co_app.core.content.pack import content_files
from co_app.core.content.store import shipped
from co_app.core.media.manifest import load_manifest
from co_app.player.backends import vlc_factory
from co_app.player.protocol import PlayerState
from tests.ui.helpers import click_nav
from tests.ui.media.test_films_player import select_film


def test_moments_are_marked_while_the_film_plays_and_saved_for_the_next_pack(qtbot, make_window, tmp_path):
    folder = tmp_path / "office-content"
    shutil.copytree(shipped().root, folder)
    window = make_window(vlc_factory)
    click_nav(qtbot, window, "films")
    films = window.view("films")
    select_film(qtbot, films, "germany-jena")
    qtbot.mouseClick(films.moments_button, Qt.MouseButton.LeftButton)
    recorder = films.moment_recorder
    assert recorder is not None and recorder.isVisible() and recorder.moments.count() == 2
    recorder.folder.setText(str(folder))
    assert not recorder.save_button.isEnabled()  # nothing marked yet
    panel = films.player_panel
    qtbot.keyClick(recorder, Qt.Key.Key_Space)  # play
    qtbot.waitUntil(lambda: panel.player.state() is PlayerState.PLAYING and panel.position_ms() > 1500,
                    timeout=10_000)
    qtbot.keyClick(recorder, Qt.Key.Key_S)
    start = recorder.times["welcome"][0]
    qtbot.waitUntil(lambda: panel.position_ms() > start + 2000, timeout=10_000)
    qtbot.keyClick(recorder, Qt.Key.Key_E)
    end = recorder.times["welcome"][1]
    assert 1500 <= start < end and "✓" in recorder.moments.item(0).text()
    qtbot.mouseClick(recorder.save_button, Qt.MouseButton.LeftButton)
    assert "Saved into" in recorder.status.text()
    film = load_manifest(folder / "films.toml").film("germany-jena")
    welcome, daily = film.moment("welcome"), film.moment("daily-life")
    assert welcome.confirmed and abs(welcome.start_ms - start) <= 50 and abs(welcome.end_ms - end) <= 50
    assert not daily.confirmed and (daily.start_ms, daily.end_ms) == (6000, 11000)  # untouched
    # Every other film is as it was, and the next pack from this folder carries the new times.
    shipped_films = load_manifest(shipped().films)
    assert [f.id for f in load_manifest(folder / "films.toml").films] == [f.id for f in shipped_films.films]
    assert content_files(folder)["films.toml"] == folder / "films.toml"
    # An end before the start is refused in a sentence, and nothing is written.
    before = (folder / "films.toml").read_bytes()
    recorder.times["welcome"] = [end, start]
    assert not recorder.save() and "must come after" in recorder.status.text()
    assert (folder / "films.toml").read_bytes() == before
    recorder.close()
