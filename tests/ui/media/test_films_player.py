"""Films: the library and the player — with the real libVLC on the virtual screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from co_app.player.backends import vlc_factory
from co_app.player.protocol import PlayerState, PlayerUnavailable
from co_app.player.vlc_backend import VlcPlayer
from tests.ui.helpers import choose_in_combo, click_list_row, click_nav


def visible_texts(widget) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


def select_film(qtbot, films, film_id: str) -> None:
    row = [e.film.id for e in films.entries].index(film_id)
    click_list_row(qtbot, films.film_list, row)
    assert films.selected_entry().film.id == film_id


def open_with_libvlc(qtbot, make_window, film_id: str = "germany-jena"):
    """The window with the real libVLC, on Films, with ``film_id`` chosen: (window, films, panel)."""
    window = make_window(vlc_factory)
    click_nav(qtbot, window, "films")
    films = window.view("films")
    select_film(qtbot, films, film_id)
    return window, films, films.player_panel


def play_until(qtbot, panel, position_ms: int) -> None:
    """Press Play and wait until the film plays past ``position_ms``."""
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.player.state() is PlayerState.PLAYING and panel.player.position_ms() > position_ms,
                    timeout=10_000)


def test_library_lists_every_film_with_its_status(qtbot, make_window):
    window = make_window()
    click_nav(qtbot, window, "films")
    films = window.view("films")
    assert films.film_list.count() == 8
    first = films.film_list.item(0).text()
    assert first == "Gänserndorf · 00:12\nAustria · ready"
    select_film(qtbot, films, "romania-somcuta-mare")
    text = visible_texts(films)
    assert "demo clip" in text and "Șomcuta Mare" in text
    assert "JRS Romania (to be confirmed)" in text


def test_missing_film_says_where_to_put_it(qtbot, make_window, services):
    (services.paths.media / "italy-biella.mp4").unlink()
    window = make_window()
    click_nav(qtbot, window, "films")
    films = window.view("films")
    select_film(qtbot, films, "germany-jena")
    qtbot.waitUntil(lambda: films.transcript.cues.count() > 0, timeout=5000)  # read on a worker thread
    select_film(qtbot, films, "italy-biella")
    assert films.transcript.cues.count() == 0  # not Jena's transcript under Biella's name
    text = visible_texts(films)
    text = text.replace("\u2068", "").replace("\u2069", "")  # file and folder are bidi-isolated
    assert "Missing" in text and "italy-biella.mp4" in text and str(services.paths.media) in text
    assert "missing" in films.film_list.currentItem().text()


def test_real_libvlc_plays_with_the_arabic_subtitles(qtbot, make_window):
    """The foundation's end-to-end check: main window → Films → Arabic subtitles → Play."""
    window, films, panel = open_with_libvlc(qtbot, make_window)
    assert isinstance(panel.player, VlcPlayer)
    choose_in_combo(qtbot, panel.subtitles, "ar")
    assert panel.subtitles.currentText() == "العربية"
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    player = panel.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING, timeout=10_000)
    qtbot.waitUntil(lambda: player.position_ms() > 500, timeout=10_000)
    # libVLC itself reports the Arabic track as the one on screen.
    qtbot.waitUntil(lambda: player.subtitle_language() == "ar", timeout=10_000)
    assert player.length_ms() >= 10_000
    assert panel.play_button.text() == "Pause"
    assert "/ 00:12" in panel.time_label.text()

    # The choice is remembered for this film.
    assert window.services.settings.subtitle_language["germany-jena"] == "ar"

    # Switching to French is honoured by libVLC too.
    choose_in_combo(qtbot, panel.subtitles, "fr")
    qtbot.waitUntil(lambda: player.subtitle_language() == "fr", timeout=5_000)

    # Space pauses (keyboard control).
    panel.setFocus()
    qtbot.keyClick(panel, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: player.state() is PlayerState.PAUSED, timeout=5_000)


def test_session_language_chooses_the_subtitles(qtbot, make_window, services):
    from datetime import date

    from co_app.core.sessions import service as session_service

    with services.db.session() as db:
        session_service.create_session(db, day=date.today(), place="Hall", facilitator="F",
                                       language="fr", destination_towns=["italy-biella"])
    window = make_window()
    click_nav(qtbot, window, "films")
    films = window.view("films")
    select_film(qtbot, films, "italy-biella")
    assert films.player_panel.current_subtitle_choice() == "fr"
    assert films.play_selected()
    assert films.player_panel.player.subtitle_language() == "fr"


def test_without_libvlc_the_films_view_says_what_to_install(qtbot, make_window):
    def broken_factory():
        raise PlayerUnavailable("libVLC could not be loaded: libvlc.so.5: cannot open shared object file")

    window = make_window(broken_factory)
    click_nav(qtbot, window, "films")
    films = window.view("films")
    text = visible_texts(films)
    assert "Films cannot be played on this computer" in text
    assert "libvlc5" in text
    assert not films.player_panel.isVisible()
    assert films.film_list.count() == 8  # the library is still there
    for key in ("home", "towns", "settings"):
        click_nav(qtbot, window, key)  # nothing else breaks


def test_python_vlc_failing_to_load_libvlc_does_not_end_the_app(qtbot, make_window, monkeypatch):
    """The real failure path: python-vlc cannot load the library (it calls sys.exit there)."""
    import sys

    monkeypatch.delitem(sys.modules, "vlc", raising=False)
    monkeypatch.setenv("PYTHON_VLC_LIB_PATH", "/nonexistent/libvlc.so.5")
    window = make_window(vlc_factory)
    click_nav(qtbot, window, "films")
    assert "Films cannot be played on this computer" in visible_texts(window.view("films"))
    click_nav(qtbot, window, "settings")
    assert "not installed" in window.view("settings").version.text()


def test_playing_a_film_again_after_its_end_keeps_the_chosen_subtitles(qtbot, make_window):
    """A Dari group watched a film to its end and pressed Play again: libVLC had fallen back
    to its first track (Arabic) while the box still said Dari."""
    window, films, panel = open_with_libvlc(qtbot, make_window)
    player = panel.player
    choose_in_combo(qtbot, panel.subtitles, "fr")  # not the first track, which libVLC falls back to
    for _ in range(2):
        play_until(qtbot, panel, 300)
        qtbot.waitUntil(lambda: player.subtitle_language() == "fr", timeout=10_000)
        player.seek_ms(player.length_ms() - 400)  # to the end, without waiting 12 s
        # libVLC says "ended", then "stopped"
        qtbot.waitUntil(lambda: player.state() in (PlayerState.ENDED, PlayerState.STOPPED), timeout=10_000)
    assert panel.subtitles.currentData() == "fr"


def test_a_subtitle_copied_by_hand_in_windows_1256_reaches_libvlc_as_utf8(qtbot, make_window, services):
    """A facilitator copied an Arabic subtitle saved in Windows-1256 straight into the media
    folder: libVLC shows it as Arabic (it was «þíÍá ãÐÇ» on the projector). A subtitle
    that cannot be read is not offered, and the message names its file."""
    media = services.paths.media
    arabic = media / "germany-jena.ar.srt"
    original = arabic.read_text(encoding="utf-8")
    arabic.write_bytes(original.encode("cp1256"))
    broken = media / "germany-jena.fr.srt"
    broken.write_bytes(bytes(range(256)) * 8)

    window, films, panel = open_with_libvlc(qtbot, make_window)
    choose_in_combo(qtbot, panel.subtitles, "ar")
    assert "fr" not in [panel.subtitles.itemData(i) for i in range(panel.subtitles.count())]
    assert panel.message.isVisible() and str(broken) in panel.message.text()
    [copy] = services.paths.subtitle_copies.glob("germany-jena.ar.*.srt")
    assert "هذا مقطع تجريبي عن ينا، ألمانيا." in copy.read_bytes().decode("utf-8")
    play_until(qtbot, panel, 300)
    qtbot.waitUntil(lambda: panel.player.subtitle_language() == "ar", timeout=10_000)


def test_choosing_another_film_while_one_plays_stops_it_and_play_starts_the_new_one(qtbot, make_window):
    """The new film showed "Pause" over a black picture, and it was "Pause" that started it."""
    window, films, panel = open_with_libvlc(qtbot, make_window)
    player = panel.player
    play_until(qtbot, panel, 1_000)

    select_film(qtbot, films, "italy-biella")
    assert panel.film_id == "italy-biella"
    assert panel.play_button.text() == "Play" and player.state() is not PlayerState.PLAYING
    assert panel.time_label.text() == "00:00 / 00:12"  # the new film's length, from the library
    qtbot.wait(300)  # libVLC's own "stopped" for the old film may come now: still "Play"
    assert panel.play_button.text() == "Play"
    play_until(qtbot, panel, 300)
    assert panel.play_button.text() == "Pause"
