"""A cut import is shown with Resume and Discard: on the Films page, and in the import
dialog when the import stops (here: the pack's folder is gone, as when the stick is pulled)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from co_app.core.foundation.errors import Cancelled
from co_app.core.media.importer import import_pack, unfinished_import
from co_app.ui.media.media_dialog import MediaTaskDialog
from tests.core.media.test_media_check import make_video
from tests.ui.helpers import click_nav

FILM = "germany-jena"


@pytest.fixture(scope="module")
def big_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big-pack")
    make_video(folder / f"{FILM}.mp4", seconds=6, lossless=True)  # several copy chunks
    return folder


def cut_import(services, pack: Path) -> None:
    """Import ``pack`` into the library and stop it after its first chunk, as Cancel does."""
    (services.paths.media / f"{FILM}.mp4").unlink(missing_ok=True)
    stop = threading.Event()
    with pytest.raises(Cancelled):
        import_pack(pack, services.paths.media, services.manifest,
                    progress=lambda step: stop.set() if step.done_bytes else None, cancel=stop)
    assert unfinished_import(services.paths.media) is not None


def test_the_films_page_offers_resume_and_discard(qtbot, make_window, services, big_pack: Path) -> None:
    cut_import(services, big_pack)
    window = make_window()
    click_nav(qtbot, window, "films")
    films = window.view("films")
    bar = films.unfinished
    assert bar.isVisible()
    text = bar.label.text().replace("\u2068", "").replace("\u2069", "")
    assert text.startswith("The last import stopped before it finished: 1 film partly copied (")
    assert text.endswith(f"MB), from {big_pack}.")
    # Discard: the partial copy is gone and so is the bar.
    qtbot.mouseClick(bar.discard, Qt.MouseButton.LeftButton)
    assert not bar.isVisible() and unfinished_import(services.paths.media) is None
    assert not list(services.paths.media.glob(".*.part"))
    # Resume: the same pack again, in the import dialog; the copy continues and the film is installed.
    cut_import(services, big_pack)
    films.refresh()
    assert bar.isVisible()
    with qtbot.waitSignal(films.unfinished.resume_requested):
        qtbot.mouseClick(bar.resume, Qt.MouseButton.LeftButton)
    dialog = films.findChild(MediaTaskDialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    assert "Jena: installed (the copy continued where it had stopped)" in dialog.results.toPlainText()
    dialog.close()
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=5000)
    assert unfinished_import(services.paths.media) is None


def test_the_import_dialog_offers_them_when_the_import_stops(qtbot, make_window, services, big_pack: Path,
                                                             tmp_path: Path) -> None:
    cut_import(services, big_pack)
    window = make_window()
    click_nav(qtbot, window, "films")
    films = window.view("films")
    dialog = films.import_films(tmp_path / "the-stick-was-pulled-out")
    qtbot.waitUntil(lambda: not dialog.task.running and "does not exist" in dialog.current.text(), timeout=10_000)
    assert dialog.unfinished.isVisible()
    assert dialog.unfinished.resume.isVisible() and dialog.unfinished.discard.isVisible()
    qtbot.mouseClick(dialog.unfinished.resume, Qt.MouseButton.LeftButton)  # the pack where the import read it
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    assert dialog.report.source == big_pack.absolute()
    assert [f.action for f in dialog.report.films] == ["resumed and installed"]
    assert not dialog.unfinished.isVisible()
    dialog.close()
