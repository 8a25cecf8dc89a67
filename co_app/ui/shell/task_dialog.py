"""A dialog that runs its work on a worker thread with a status line, a progress bar and
Cancel (``BackgroundTask``): the export, sync and office dialogs build on it, and
``read_in_background`` runs a reader of a user's file (a roster) under it, so a big or
hostile file never freezes the window and can always be cancelled."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QFormLayout, QLabel, QProgressBar, QVBoxLayout,
                               QWidget)

from co_app.core.foundation.i18n import _
from co_app.ui.shell.tasks import BackgroundTask, Work

#: A reading shows its dialog only when it takes longer than this: a small file never flashes one.
SHOW_AFTER_MS = 250


class TaskDialog(QDialog):
    """A form, a status line, a progress bar, and buttons: the primary action, then Cancel."""

    def __init__(self, title: str, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.task: BackgroundTask | None = None
        self.form = QFormLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.hide()
        self.buttons = QDialogButtonBox()
        self.action = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.action.setObjectName("primary")
        self.close_button = self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.action.clicked.connect(self._start)
        self.close_button.clicked.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)

    def _finish_layout(self) -> None:
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(self.bar)
        self.layout_.addWidget(self.buttons)

    def _start(self) -> None:
        raise NotImplementedError

    def run(self, work, done) -> None:
        self._set_status(_("Working…"))
        self.bar.setRange(0, 0)
        self.bar.show()
        self.action.setEnabled(False)
        self.task = BackgroundTask(work, self)
        self.task.progress.connect(self._progress)
        self.task.succeeded.connect(lambda result: self._ended() or done(result))
        self.task.failed.connect(lambda message: self._ended() or self._failed(message))
        self.task.cancelled.connect(lambda: self._ended() or self._failed(_("Stopped: nothing was changed.")))
        self.task.start()

    def _progress(self, step) -> None:
        """A step with ``done`` and ``total`` moves the bar; anything else keeps it busy."""
        done, total = getattr(step, "done", None), getattr(step, "total", None)
        if isinstance(done, int) and isinstance(total, int) and total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))

    def _ended(self) -> None:
        self.bar.hide()

    def _failed(self, message: str) -> None:
        self._set_status(message, warning=True)
        self.action.setEnabled(True)

    def _set_status(self, text: str, *, warning: bool = False) -> None:
        self.status.setText(text)
        self.status.setObjectName("warning" if warning else "")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.fit()

    def fit(self, *, shrink: bool = False) -> None:
        """Grow to the height the content needs at this width: a top-level dialog does not
        follow its wrapped labels' height-for-width by itself, and would overlap them.
        ``shrink``: also give back the height of rows just hidden."""
        self.layout_.invalidate()
        self.layout_.activate()
        needed = self.layout_.heightForWidth(self.width()) if self.layout_.hasHeightForWidth() else -1
        needed = max(needed, self.layout_.totalMinimumSize().height())
        if needed > self.height() or (shrink and needed < self.height()):
            self.resize(self.width(), needed)

    def finished_ok(self, text: str) -> None:
        self._set_status(text)
        self.action.hide()
        self.close_button.setText(_("Close"))

    def reject(self) -> None:
        """Cancel stops the work first; the dialog closes once the worker has let go."""
        if self.task is not None and self.task.running:
            self.task.cancel()
            self.status.setText(_("Stopping…"))
            return
        super().reject()


class ReadingDialog(TaskDialog):
    """"Reading roster.xlsx…" with a busy bar and Cancel; closes itself when the work ends."""

    def __init__(self, title: str, status: str, parent: QWidget | None = None) -> None:
        super().__init__(title, _("Read"), parent)
        self.action.hide()
        self._finish_layout()
        self.outcome: tuple[str, Any] = ("cancelled", None)
        self.ended = False
        self.reading = status

    def start(self, work: Work) -> None:
        self.run(work, self._succeeded)
        self._set_status(self.reading)
        self.task.failed.connect(lambda message: self._end("failed", message))
        self.task.cancelled.connect(lambda: self._end("cancelled", None))

    def _succeeded(self, result: Any) -> None:
        self._end("done", result)

    def reject(self) -> None:
        """Cancel (or Escape) ends the wait at once: the reader is told to stop, and whatever
        it still returns is dropped."""
        if self.task is not None and self.task.running:
            self.task.cancel()
        self._end("cancelled", None)

    def _end(self, kind: str, value: Any) -> None:
        if self.ended:
            return  # a reader that finished after Cancel: its result is not wanted any more
        self.ended = True
        self.outcome = (kind, value)
        self.done(QDialog.DialogCode.Accepted if kind == "done" else QDialog.DialogCode.Rejected)


class _InputBlocker(QObject):
    """Swallows clicks and keys meant for one window (while its file is read, before the
    reading dialog is up): a second click cannot start a second reading.  Disabling the
    window would disable the dialog too, its child."""

    BLOCKED = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                         QEvent.Type.MouseButtonDblClick, QEvent.Type.KeyPress, QEvent.Type.KeyRelease,
                         QEvent.Type.Wheel, QEvent.Type.Shortcut, QEvent.Type.ShortcutOverride})

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in self.BLOCKED and isinstance(watched, QWidget) and watched.window() is self.window:
            return True
        return False


def read_in_background(parent: QWidget, title: str, status: str, work: Work) -> tuple[str, Any]:
    """Run ``work(progress, cancel)`` on a worker thread and wait for it with the window alive:
    ``("done", result)``, ``("failed", message)`` or ``("cancelled", None)``.  The dialog with
    its Cancel button appears once the work has taken ``SHOW_AFTER_MS``; ``parent``'s window
    takes no input meanwhile (a second click cannot start a second reading)."""
    dialog = ReadingDialog(title, status, parent)
    loop = QEventLoop()
    dialog.finished.connect(lambda _code: loop.quit())
    blocker = _InputBlocker(parent.window())
    app = QApplication.instance()
    app.installEventFilter(blocker)
    try:
        dialog.start(work)  # its outcome arrives through the event loop below, never before
        QTimer.singleShot(SHOW_AFTER_MS, dialog, lambda: None if dialog.ended else dialog.open())
        loop.exec()
    finally:
        app.removeEventFilter(blocker)
        blocker.deleteLater()
    outcome = dialog.outcome
    dialog.deleteLater()
    return outcome
