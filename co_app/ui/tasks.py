"""Long work off the GUI thread: one small helper, like Anki's operations.

``BackgroundTask(work)`` runs ``work(report_progress, cancel_event)`` on a worker thread;
progress, the result and failures come back as Qt signals, delivered on the GUI thread
(queued, since they are emitted from the worker).  A ``CoError`` becomes its message; any
other exception is logged whole and reported as one calm sentence.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from co_app.core.errors import CoError
from co_app.core.i18n import _

log = logging.getLogger(__name__)

Work = Callable[[Callable[[Any], None], threading.Event], Any]


class BackgroundTask(QObject):
    progress = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

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
        from co_app.core.media_check import Cancelled

        try:
            result = self._work(self.progress.emit, self._cancel)
        except Cancelled:
            self.cancelled.emit()
        except CoError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug: keep the details for the log, say one sentence
            log.exception("background task failed")
            self.failed.emit(_("Something went wrong ({error}). The details are in the log file.").format(
                error=type(exc).__name__))
        else:
            self.succeeded.emit(result)
