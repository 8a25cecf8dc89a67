"""What the Office tabs share: a panel whose queries run on a worker thread, with a status
line, a progress bar and Cancel, and the tables they fill."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from co_app.core.foundation.i18n import _, format_number
from co_app.ui.shell.tasks import BackgroundTask


class WorkerPanel(QWidget):
    """A tab of the Office page: ``run(work, done)`` runs ``work(progress, cancel)`` on a
    worker; a newer run replaces an older one (its outcome is dropped)."""

    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.task: BackgroundTask | None = None
        self._waiting = False
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 12, 0, 0)
        self.layout_.setSpacing(10)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(260)
        self.bar.hide()
        self.cancel_button = QPushButton()
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)
        self.status_row = QHBoxLayout()
        self.status_row.addWidget(self.status, 1)
        self.status_row.addWidget(self.bar)
        self.status_row.addWidget(self.cancel_button)

    @property
    def busy(self) -> bool:
        """Until the latest run's outcome is shown (the worker ends a moment before that)."""
        return self._waiting

    def run(self, work: Callable[[Callable[[Any], None], Any], Any], done: Callable[[Any], None],
            *, working: str) -> BackgroundTask:
        if self.task is not None:
            # Stopped, its outcome dropped (``_ended``); never deleted while its thread may
            # still emit: a QObject deleted under a worker's emit crashes the process.
            self.task.cancel()
        self.set_status(working)
        self.bar.setRange(0, 0)
        self.bar.show()
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.show()
        self._waiting = True
        task = self.task = BackgroundTask(work, self)
        task.progress.connect(self.progress)
        task.succeeded.connect(lambda result: self._ended(task) and done(result))
        task.failed.connect(lambda message: self._ended(task) and self.set_status(message, warning=True))
        task.cancelled.connect(lambda: self._ended(task) and self.set_status(_("Stopped.")))
        task.start()
        return task

    def _ended(self, task: BackgroundTask) -> bool:
        """True when ``task`` is still the panel's latest (an older one's outcome is dropped)."""
        if task is not self.task:
            return False
        self._waiting = False
        self.bar.hide()
        self.cancel_button.hide()
        return True

    def progress(self, step: Any) -> None:
        """A ``(done, total)`` pair, or an object with ``done`` and ``total``."""
        done, total = step if isinstance(step, tuple) else (getattr(step, "done", 0), getattr(step, "total", 0))
        if total:
            self.bar.setRange(0, max(1, int(total)))
            self.bar.setValue(int(done))

    def cancel(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()
            self.set_status(_("Stopping…"))

    def set_status(self, text: str, *, warning: bool = False) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.status.setObjectName("warning" if warning else "muted")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def refresh(self) -> None:
        """Load again (when the tab is shown)."""

    def retranslate(self) -> None:
        """Every text again in the current language."""

    def shutdown(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task.wait(5)


def data_table(columns: int) -> QTableWidget:
    """A read-only table chosen by whole rows, its columns as wide as their text."""
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setMinimumSectionSize(table.fontMetrics().horizontalAdvance("0000"))
    return table


def fill(table: QTableWidget, headers: Sequence[str], rows: Sequence[Sequence[object]],
         *, stretch: Sequence[int] = (0,)) -> None:
    """Numbers right-aligned in the language's digits; every cell's whole text in its tooltip.
    The ``stretch`` columns share the width the others (as wide as their text) leave."""
    from PySide6.QtCore import Qt

    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            number = isinstance(value, int) and not isinstance(value, bool)
            item = QTableWidgetItem(format_number(value) if number else str(value))
            if number:
                item.setTextAlignment(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(item.text())
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for column in range(len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column in stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    if table.wordWrap():
        _narrow_headers(table, stretch)
        table.resizeRowsToContents()
        _rows_follow_widths(table)


def _narrow_headers(table: QTableWidget, stretch: Sequence[int]) -> None:
    """A wrapped table's numbers' columns as wide as their widest cell or the longest word of
    their title, the title wrapped over two lines: as wide as a long title ("Held changes",
    Arabic's "التغييرات المعلّقة") they left the wrapped columns 76 px at 1024 px."""
    from PySide6.QtCore import Qt

    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
    metrics = header.fontMetrics()
    for column in range(table.columnCount()):
        if column in stretch:
            continue
        title = table.horizontalHeaderItem(column).text() if table.horizontalHeaderItem(column) else ""
        words = max((metrics.horizontalAdvance(word) for word in title.split()), default=0) + 16
        if words < header.sectionSizeFromContents(column).width():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, max(words, table.sizeHintForColumn(column)))
    lines = max((metrics.boundingRect(0, 0, header.sectionSize(c) - 8, 1000, int(Qt.TextFlag.TextWordWrap),
                                      table.horizontalHeaderItem(c).text()).height()
                 for c in range(table.columnCount()) if table.horizontalHeaderItem(c)), default=0)
    header.setMinimumHeight(lines + 10)


def _rows_follow_widths(table: QTableWidget) -> None:
    """A wrapped table's rows take their height again when its columns change width (a
    narrower window, another language, larger text): rows measured for the old widths cut
    their last line with "…" (Tigrinya at 1024×600)."""
    from PySide6.QtCore import QTimer

    if table.property("rowsFollowWidths"):
        return
    table.setProperty("rowsFollowWidths", True)
    timer = QTimer(table)
    timer.setSingleShot(True)
    timer.setInterval(0)  # once, after every column of this layout pass has its width
    timer.timeout.connect(table.resizeRowsToContents)
    table.horizontalHeader().sectionResized.connect(lambda *_args: timer.start())


#: While a long import runs on a worker, the interpreter offers the GUI thread its turn this
#: often (seconds) instead of Python's 5 ms (``sys.getswitchinterval``).
SHARED_SWITCH_S = 0.001
_sharing: list[float] = []  # the intervals before each running import (GUI and workers alike)
_sharing_lock = threading.Lock()


@contextmanager
def sharing_the_gil(interval: float = SHARED_SWITCH_S) -> Iterator[None]:
    """Run a worker's long pure-Python work (a USB stick's import: parsing and checking every
    record) so the GUI thread waits at most ``interval`` for Python's lock each time it needs
    it.  At Python's 5 ms, each time a window slot or Qt's own Python code wanted the lock
    back it waited up to 5 ms behind the worker, and a few such waits in one turn of the
    event loop made the window miss its ticks (the event-loop stall benchmark's office
    import).  The interval is the process's: the first import lowers it, the last to finish
    puts back what it was."""
    with _sharing_lock:
        _sharing.append(sys.getswitchinterval())
        sys.setswitchinterval(min(_sharing[-1], interval))
    try:
        yield
    finally:
        with _sharing_lock:
            before = _sharing.pop()
            if not _sharing:
                sys.setswitchinterval(before)
