"""Long work off the GUI thread: one small helper, like Anki's operations.

``BackgroundTask(work)`` runs ``work(report_progress, cancel_event)`` on a worker thread;
progress, the result and failures come back as Qt signals, delivered on the GUI thread
(queued, since they are emitted from the worker).  A ``CoError`` becomes its message; any
other exception is logged whole and reported as one calm sentence.

Progress is sent at most every ``PROGRESS_EVERY_S`` (the newest value; the last one is
always sent before the outcome).  Each queued signal makes the GUI thread wait for the
GIL that the busy worker holds, and Qt handles posted events before timers: a worker
reporting every few milliseconds (a copy chunk, a batch of 2,000 records) kept the
window from repainting for seconds (measured: a 5 ms timer stalled 1.6–2.9 s with a
report every 10 ms, 18 ms with one every 50 ms).  A task whose reports are results —
each film's thumbnail — passes ``progress_every_s=0`` and gets every one.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from co_app.core.foundation.errors import CoError
from co_app.core.foundation.i18n import _

log = logging.getLogger(__name__)

Work = Callable[[Callable[[Any], None], threading.Event], Any]

#: At most this often a progress report crosses to the GUI thread (10 a second).
PROGRESS_EVERY_S = 0.1


class BackgroundTask(QObject):
    progress = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, work: Work, parent: QObject | None = None, *,
                 progress_every_s: float = PROGRESS_EVERY_S) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._every = progress_every_s
        self._sent_at = float("-inf")
        self._unsent: tuple[Any] | None = None  # the newest report not sent yet (worker thread only)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="co-app-task", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        from co_app.core.foundation.errors import Cancelled

        try:
            try:
                result = self._work(self._report, self._cancel)
            finally:
                self._send_unsent()
        except Cancelled:
            self._emit(self.cancelled)
        except CoError as exc:
            self._emit(self.failed, str(exc))
        except Exception as exc:  # a bug: keep the details for the log, say one sentence
            log.exception("background task failed")
            self._emit(self.failed, _("Something went wrong ({error}). The details are in the log file.").format(
                error=type(exc).__name__))
        else:
            self._emit(self.succeeded, result)

    def _emit(self, signal, *args: Any) -> None:  # a bound Signal, its values
        """Send from the worker thread — unless the task went with the window that owned it
        (a dialog closed while a count ran): then nobody is listening, and nothing is said."""
        import shiboken6

        if shiboken6.isValid(self):
            try:
                signal.emit(*args)
            except RuntimeError:  # deleted between the check and the emit
                log.debug("background task's owner was closed; its outcome is dropped")

    def _report(self, value: Any) -> None:  # whatever the work reports
        """The work's progress callback (worker thread): keep the newest, send it when due."""
        self._unsent = (value,)
        now = time.monotonic()
        if now - self._sent_at >= self._every:
            self._sent_at = now
            self._send_unsent()

    def _send_unsent(self) -> None:
        unsent, self._unsent = self._unsent, None
        if unsent is not None:
            self._emit(self.progress, unsent[0])
