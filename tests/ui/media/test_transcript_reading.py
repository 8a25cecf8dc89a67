"""The transcript's subtitle file is read on a worker thread: the window keeps turning while a
large one is read, and Cancel leaves the film playing without a transcript."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt, QTimer

import co_app.ui.media.transcript as transcript_module
from co_app.ui.media.transcript import MAX_LINES, TranscriptPanel

CUES = 20_000


def srt(path: Path, count: int) -> Path:
    blocks = []
    for n in range(count):
        start, end = n * 2000, n * 2000 + 1500
        stamp = lambda ms: f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"  # noqa: E731
        blocks.append(f"{n + 1}\n{stamp(start)} --> {stamp(end)}\nمرحبا بكم في ينا، السطر {n + 1}.\n")
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def panel(qtbot) -> TranscriptPanel:
    widget = TranscriptPanel()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_large_transcript_is_read_while_the_window_keeps_turning(qtbot, tmp_path: Path, monkeypatch) -> None:
    path = srt(tmp_path / "germany-jena.ar.srt", CUES)
    transcript = panel(qtbot)
    ticks = []
    ticked = threading.Event()
    real = transcript_module.read_subtitles

    def after_ticks(file, *, language):
        # The reader starts once the GUI thread has run its timer three times: were the file
        # read on the GUI thread, that could never happen (a fast machine reads 20,000 cues
        # before a 5 ms timer's first tick, so "a tick while the worker lives" was flaky).
        assert threading.current_thread().name == "co-app-task"
        ticked.wait(10)
        return real(file, language=language)

    def tick() -> None:
        ticks.append(any(t.name == "co-app-task" for t in threading.enumerate()))
        if sum(ticks) >= 3:
            ticked.set()

    monkeypatch.setattr(transcript_module, "read_subtitles", after_ticks)
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    transcript.set_tracks({"ar": path}, "ar")
    # set_tracks returned before the file was read: the panel says so, with Cancel.
    assert transcript.reading and transcript.reading_row.isVisible() and transcript.cues.count() == 0
    assert transcript.message.text() == "Reading the subtitles in العربية…"
    qtbot.waitUntil(lambda: transcript.cues.count() == MAX_LINES, timeout=60_000)
    timer.stop()
    assert ticked.is_set() and sum(ticks) >= 3  # the GUI thread ran its timers while the worker read the file
    assert not transcript.reading_row.isVisible()
    # Every cue was read; the list shows the first lines (a film has a few hundred), and says so.
    assert transcript.track.cues[-1].text == f"مرحبا بكم في ينا، السطر {CUES}."
    assert transcript.message.text() == "The transcript shows the first 5,000 of 20,000 lines."


def test_cancel_leaves_no_transcript_and_choosing_again_reads_it(qtbot, tmp_path: Path, monkeypatch) -> None:
    path = srt(tmp_path / "germany-jena.ar.srt", 3)
    release = threading.Event()
    real = transcript_module.read_subtitles

    def stuck(file, *, language):  # a file that takes a very long time
        release.wait(30)
        return real(file, language=language)

    monkeypatch.setattr(transcript_module, "read_subtitles", stuck)
    transcript = panel(qtbot)
    transcript.set_tracks({"ar": path}, "ar")
    qtbot.waitUntil(transcript.reading_cancel.isVisible, timeout=5000)
    qtbot.mouseClick(transcript.reading_cancel, Qt.MouseButton.LeftButton)
    assert not transcript.reading and not transcript.reading_row.isVisible()
    assert transcript.message.text() == ("The subtitles in العربية were not read, so there is no transcript. Choose "
                                         "the language again to read them.")
    release.set()  # the reader finishes after all: what it read is not wanted any more
    qtbot.waitUntil(lambda: not any(t.name == "co-app-task" for t in threading.enumerate()), timeout=5000)
    qtbot.wait(50)  # its queued outcome delivered (and dropped)
    assert transcript.cues.count() == 0 and transcript.track is None
    monkeypatch.setattr(transcript_module, "read_subtitles", real)
    transcript.show_language("ar")
    qtbot.waitUntil(lambda: transcript.cues.count() == 3, timeout=5000)
    assert not transcript.message.isVisible()
