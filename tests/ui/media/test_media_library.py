"""The film library in the window: statuses and what to do, import and check in the
background with progress, bad media that never hangs nor crashes."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from co_app.player.backends import vlc_factory
from co_app.player.protocol import PlayerState
from tests.ui.helpers import click_list_row, click_nav

ARABIC_CUES = ["مرحبا بكم في ينا.", "هذه المدينة صغيرة وهادئة.", "المدرسة قريبة من البيت.",
               "يساعدكم المتطوعون في الأسابيع الأولى.", "نتمنى لكم إقامة سعيدة."]


def visible_texts(widget) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


def films_view(qtbot, make_window, factory=None):
    window = make_window(factory)
    click_nav(qtbot, window, "films")
    return window, window.view("films")


def select(qtbot, films, film_id: str) -> None:
    click_list_row(qtbot, films.film_list, [e.film.id for e in films.entries].index(film_id))


def test_truncated_film_is_damaged_with_a_clear_message(qtbot, make_window, services):
    clip = services.paths.media / "germany-jena.mp4"
    data = clip.read_bytes()
    clip.write_bytes(data[: len(data) * 6 // 10])
    window, films = films_view(qtbot, make_window, vlc_factory)
    select(qtbot, films, "germany-jena")
    assert "damaged" in films.film_list.currentItem().text()
    text = visible_texts(films)
    assert "truncated" in text and "germany-jena.mp4" in text and "import the film again" in text
    # It cannot be started: nothing is loaded, Play is disabled.
    assert films.player_panel.film_id is None and not films.player_panel.play_button.isEnabled()


def test_a_text_file_named_mp4_is_not_a_video(qtbot, make_window, services):
    (services.paths.media / "italy-biella.mp4").write_text("this is not a film", encoding="utf-8")
    window, films = films_view(qtbot, make_window)
    select(qtbot, films, "italy-biella")
    assert "not a video" in visible_texts(films)
    assert not films.player_panel.play_button.isEnabled()


def test_playback_error_from_the_player_is_shown(qtbot, make_window, services):
    window, films = films_view(qtbot, make_window)
    select(qtbot, films, "belgium-merchtem")
    (services.paths.media / "belgium-merchtem.mp4").unlink()  # gone after it was loaded
    qtbot.mouseClick(films.player_panel.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "could not be played" in visible_texts(films), timeout=3000)
    assert films.player_panel.player.state() is PlayerState.ERROR


def make_pack(services, tmp_path: Path) -> Path:
    """A media pack as an office would bring it: two films, an Arabic SRT from an old
    Windows tool (Windows-1256), and SHA256SUMS."""
    import hashlib

    pack = tmp_path / "usb-pack"
    pack.mkdir()
    for film_id in ("germany-jena", "italy-biella"):
        shutil.move(services.paths.media / f"{film_id}.mp4", pack / f"{film_id}.mp4")
        for sub in services.paths.media.glob(f"{film_id}.*.srt"):
            sub.unlink()
    srt = "\r\n".join(f"{i}\r\n00:00:0{i},000 --> 00:00:0{i},900\r\n{text}\r\n"
                       for i, text in enumerate(ARABIC_CUES, 1))
    (pack / "germany-jena.ar.srt").write_bytes(srt.encode("cp1256"))
    sums = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}" for p in sorted(pack.iterdir())]
    (pack / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    return pack


def test_import_a_pack_in_the_background(qtbot, make_window, services, tmp_path):
    pack = make_pack(services, tmp_path)
    window, films = films_view(qtbot, make_window)
    select(qtbot, films, "germany-jena")
    assert "missing" in films.film_list.currentItem().text()
    dialog = films.import_films(pack)
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    assert dialog.bar.value() == dialog.bar.maximum()
    assert "Jena: installed" in dialog.results.toPlainText()
    assert "everything is in order" in dialog.current.text()
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)  # Close
    # The library now shows both films ready, and the Arabic subtitles are UTF-8 with every cue.
    qtbot.waitUntil(lambda: "ready" in films.film_list.item(
        [e.film.id for e in films.entries].index("germany-jena")).text(), timeout=5000)
    installed = services.paths.media / "germany-jena.ar.srt"
    text = installed.read_bytes().decode("utf-8")
    assert all(cue in text for cue in ARABIC_CUES)
    from co_app.core.media.subtitles import read_subtitles

    track = read_subtitles(installed)
    assert track.encoding == "utf_8" and len(track.cues) == len(ARABIC_CUES)


def test_check_the_films_reports_a_damaged_one(qtbot, make_window, services):
    clip = services.paths.media / "netherlands-zaanstad.mp4"
    clip.write_bytes(clip.read_bytes()[:50_000])
    window, films = films_view(qtbot, make_window)
    dialog = films.check_films()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    assert "some films need attention" in dialog.current.text()
    assert "Zaanstad: damaged" in dialog.results.toPlainText()
    assert "Jena: ready" in dialog.results.toPlainText()
    dialog.close()  # a modal dialog left open would block the next tests' clicks


def test_a_broken_film_list_is_one_message_naming_it_in_check_and_import(qtbot, make_window, services, tmp_path):
    """A films.toml damaged by hand: Films says so, and "Check the films" and "Import films…"
    give the same message naming the file (they ended in "Something went wrong
    (AttributeError)")."""
    broken = tmp_path / "films.toml"
    broken.write_text('[[films]]\nid = "germany-jena"\ntitle = "unterminated\n', encoding="utf-8")
    services.manifest_path = broken
    services._manifest_read = False  # read again, from the broken file
    window, films = films_view(qtbot, make_window)
    assert films.empty.isVisible()
    for dialog in (films.check_films(), films.import_films(tmp_path)):
        qtbot.waitUntil(lambda d=dialog: not d.task.running and d.current.text() != "Starting…", timeout=10_000)
        text = dialog.current.text()
        assert str(broken) in text and "Something went wrong" not in text, text
        dialog.close()


def test_cancel_stops_the_import_and_says_what_was_kept(qtbot, make_window, services, tmp_path, monkeypatch):
    """The Cancel button reaches the worker; the dialog says the copy continues next time."""
    import co_app.core.media.importer as media_import
    from co_app.core.foundation.errors import Cancelled
    from co_app.core.media.importer import ImportProgress

    def slow_import(src, media, manifest, session, *, progress, cancel):
        for step in range(1000):  # a big film, copied chunk by chunk, until Cancel
            progress(ImportProgress("germany-jena", "germany-jena.mp4", step, 1000))
            if cancel.wait(0.01):
                raise Cancelled("cancelled")
        raise AssertionError("the import was never cancelled")

    monkeypatch.setattr(media_import, "import_pack", slow_import)
    window, films = films_view(qtbot, make_window)
    dialog = films.import_films(tmp_path)
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=5000)  # progress arrives while it works
    cancel = dialog.buttons.buttons()[0]
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Stopped" in dialog.current.text(), timeout=5000)
    assert not dialog.task.running and dialog.isVisible()  # it stays open to say so
    dialog.close()


def test_libvlc_given_a_cut_off_clip_ends_or_errs_and_never_hangs(qtbot, services):
    """Below the library's checks, the real player itself: a clip cut short (its index at
    the front, so libVLC starts it) must end or fail, not freeze the session."""
    from co_app.player.vlc_backend import VlcPlayer

    clip = services.paths.media / "romania-somcuta-mare.mp4"
    cut = services.paths.media / "cut.mp4"
    cut.write_bytes(clip.read_bytes()[: clip.stat().st_size // 3])
    player = VlcPlayer(extra_args=("--vout=dummy", "--aout=dummy"))
    states = []
    player.set_event_sink(lambda event: states.append(event.value) if event.kind.value == "state" else None)
    try:
        player.open(cut, {})
        player.play()
        # Never hangs: an end or an error comes (the wait fails otherwise); speed is the benchmarks' business.
        qtbot.waitUntil(lambda: PlayerState.ENDED in states or PlayerState.ERROR in states, timeout=20_000)
        assert player.position_ms() < 12_000  # it did not pretend to play the whole film
    finally:
        player.release()


def test_every_film_shows_a_picture_from_itself_and_its_length(qtbot, make_window, services):
    window, films = films_view(qtbot, make_window)
    assert films.film_list.item(0).text() == "Gänserndorf · 00:12\nAustria · ready"
    qtbot.waitUntil(lambda: all(not films.film_list.item(i).icon().isNull() for i in range(8)), timeout=30_000)
    pictures = sorted(services.paths.thumbnails.glob("*.png"))
    assert len(pictures) == 8 and all(p.read_bytes().startswith(b"\x89PNG") for p in pictures)
    select(qtbot, films, "italy-biella")
    assert films.poster.pixmap() is not None and not films.poster.pixmap().isNull()


def test_unsupported_codec_is_explained_in_the_view(qtbot, make_window, services):
    clip = services.paths.media / "europe.mp4"
    data = bytearray(clip.read_bytes())
    entry = data.index(b"avc1", data.index(b"stsd"))
    data[entry:entry + 4] = b"xv99"
    clip.write_bytes(bytes(data))
    window, films = films_view(qtbot, make_window)
    select(qtbot, films, "europe")
    text = visible_texts(films)
    assert "damaged" in films.film_list.currentItem().text()
    assert "video format ('xv99')" in text and "cannot play" in text
    assert not films.player_panel.play_button.isEnabled()


def test_a_broken_film_list_still_names_the_towns_from_their_profiles(qtbot, make_window, services, tmp_path):
    """Home said "destination: austria-gaenserndorf" once films.toml was broken."""
    from datetime import date

    from co_app.core.sessions.service import create_session

    with services.db.session() as db:
        create_session(db, day=date.today(), place="Hall", facilitator="Layla", language="en",
                       destination_towns=["austria-gaenserndorf"])
    broken = tmp_path / "films.toml"
    broken.write_text("not = [valid", encoding="utf-8")
    services.manifest_path = broken
    services._manifest_read = False
    window = make_window()
    home = window.view("home")
    text = visible_texts(home)
    assert "Gänserndorf" in text and "austria-gaenserndorf" not in text
