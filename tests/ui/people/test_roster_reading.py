"""The roster file is read on a worker thread: the window keeps turning while a large file
is read, and a reading that takes long shows a dialog whose Cancel stops it."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from co_app.core.people import roster
from co_app.ui.people.roster_dialog import RosterImportDialog
from co_app.ui.shell.task_dialog import ReadingDialog

ROWS = 20_000


def open_dialog(qtbot, services) -> RosterImportDialog:
    dialog = RosterImportDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


class Ticks:
    """A 5 ms timer on the GUI thread, counting the ticks that came while a worker was reading."""

    def __init__(self) -> None:
        self.while_reading = 0
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        if any(t.name == "co-app-task" for t in threading.enumerate()):
            self.while_reading += 1


def test_a_large_roster_is_read_while_the_window_keeps_turning(qtbot, services, tmp_path: Path) -> None:
    path = tmp_path / "big-roster.csv"
    lines = ["Case number,Given name,Family name,Sex,Year of birth,Nationality,Destination"]
    lines += [f"SYR-24C{n:05d},Amina{n},Haddad,F,1988,SY,Jena" for n in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dialog = open_dialog(qtbot, services)
    ticks = Ticks()
    assert dialog.load_file(path)
    assert len(dialog.table_data.rows) == ROWS and dialog.checked.ok
    assert ticks.while_reading > 0  # the GUI thread ran its timers while the file was read and checked
    # Choosing what a column holds checks every row again: on the worker thread too.
    before, ticks.while_reading = dialog.checked, 0
    dialog.set_field(6, None)  # "Destination": leave it out
    ticks.timer.stop()
    assert dialog.checked is not before and dialog.checked.mapping[6] is None and dialog.checked.ok
    assert ticks.while_reading > 0


def test_cancel_stops_a_reading_that_takes_long(qtbot, services, tmp_path: Path, monkeypatch) -> None:
    """A reader that never ends by itself (as a hostile file would): its dialog appears, and
    Cancel gives the roster dialog back at once, unchanged, and tells the reader to stop."""
    told_to_stop = threading.Event()

    def endless(path, *, cancel):
        while not cancel.wait(0.01):
            pass
        told_to_stop.set()
        raise AssertionError("its result is dropped anyway")

    monkeypatch.setattr(roster, "read_table", endless)
    path = tmp_path / "stuck.xlsx"
    path.write_bytes(b"PK\x03\x04")
    dialog = open_dialog(qtbot, services)
    before = dialog.file_label.text()
    seen: list[str] = []

    def press_cancel() -> None:
        reading = next((w for w in QApplication.topLevelWidgets() if isinstance(w, ReadingDialog) and w.isVisible()),
                       None)
        if reading is None:
            QTimer.singleShot(20, press_cancel)
            return
        seen.append(reading.status.text())
        assert reading.windowModality() == Qt.WindowModality.WindowModal  # over the roster dialog
        qtbot.mouseClick(reading.close_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, press_cancel)
    assert dialog.load_file(path) is False
    assert [text.replace("\u2068", "").replace("\u2069", "") for text in seen] == ["Reading stuck.xlsx…"]
    assert dialog.table_data is None and dialog.file_label.text() == before
    qtbot.waitUntil(told_to_stop.is_set, timeout=5000)
