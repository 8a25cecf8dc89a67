"""Unexpected errors: a calm dialog instead of a crash, and a report that can be saved.

``ErrorHandler.install()`` replaces ``sys.excepthook`` (exceptions escaping a Qt slot or
event handler land there) and ``threading.excepthook``.  The application keeps running:
nothing is lost, because every change is committed to the database the moment the screen
confirms it (there is no unsaved state to rescue).  The report and the log entry are
redacted (co_app/core/safety/error_report.py): no names or case numbers.

In the viewer (kiosk) mode the dialog is the viewer's own: a participant reads a short
message and one button back to the films and towns.  The report is kept in the data
folder's ``reports`` at once, and nothing opens a file dialog — from which anyone could
overwrite or delete any file, the database included — or any window outside the viewer.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from co_app.core.foundation.i18n import _

if TYPE_CHECKING:
    from co_app.core.bootstrap import Services

log = logging.getLogger(__name__)


class ErrorDialog(QDialog):
    """Says calmly that something went wrong, that the data is safe, and offers the report."""

    # Longer than 60 lines on purpose: one layout, top to bottom, for both modes.
    def __init__(self, report: str, default_folder: Path, parent: QWidget | None = None, *,
                 viewer: bool = False, kept_in: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.report = report
        self.default_folder = default_folder
        #: In the viewer: no file dialog, no way out; the report is kept in ``kept_in``.
        self.viewer = viewer
        self.kept_in = kept_in
        self.saved_to: Path | None = None
        self.more = 0
        self.setWindowTitle(_("Something went wrong"))
        layout = QVBoxLayout(self)
        self.heading = QLabel(_("Something unexpected happened, and the last thing you did may not have "
                                "finished."))
        self.heading.setObjectName("emptyTitle")
        self.heading.setWordWrap(True)
        self.body = QLabel(_("Your data is safe: everything the screen confirmed was saved at that moment. "
                             "You can carry on working; if something looks wrong, open the page again."))
        self.body.setWordWrap(True)
        self.hint = QLabel(_("If this keeps happening, save a report and give it to your programme office. "
                             "The report holds no participant's name or case number."))
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton(_("Save a report…"))
        self.continue_button = QPushButton(_("Continue"))
        self.continue_button.setDefault(True)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.continue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.clicked.connect(self.ask_where_to_save)
        self.buttons.accepted.connect(self.accept)
        for widget in (self.heading, self.body, self.hint, self.status, self.buttons):
            layout.addWidget(widget)
        if viewer:
            self._become_the_viewers()
        self.setMinimumWidth(480)

    def _become_the_viewers(self) -> None:
        """Words for a participant, and only the button back to the viewer."""
        self.buttons.removeButton(self.save_button)
        self.save_button.hide()
        self.save_button.setEnabled(False)
        self.heading.setText(_("Something did not work."))
        self.body.setText(_("Nothing is lost. Press “Back to the films and towns” to carry on."))
        self.hint.setText(_("If it happens again, please tell the facilitator."))
        self.continue_button.setText(_("Back to the films and towns"))

    def another(self, report: str) -> None:
        """A further error while this dialog is open: keep the newest report, say how many."""
        self.more += 1
        self.report = report
        self.status.setText(_("It happened again ({count} more times).").format(count=self.more))
        self.status.show()

    def ask_where_to_save(self) -> None:
        if self.viewer:
            return  # never a file dialog in the viewer: it would reach every file on the laptop
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        suggested = str(self.default_folder / f"error-report-{stamp}.txt")
        path, _filter = QFileDialog.getSaveFileName(self, _("Save a report"), suggested, _("Text files (*.txt)"))
        if path:
            self.save_report(Path(path))

    def save_report(self, path: Path) -> bool:
        from co_app.core.foundation.fileio import atomic_write_text

        try:
            atomic_write_text(path, self.report)
        except OSError as exc:
            self.status.setText(_("The report could not be saved in {folder}: {reason}. Try another place, "
                                  "such as a USB stick.").format(folder=path.parent, reason=exc.strerror or exc))
            self.status.show()
            return False
        self.saved_to = path
        self.status.setText(_("The report was saved as {path}.").format(path=path))
        self.status.show()
        return True


class ErrorHandler(QObject):
    """Turns exceptions that escape to the top — in the GUI thread or any other — into
    one ``ErrorDialog`` at a time, shown on the GUI thread, with the details logged."""

    #: (type, value, traceback); emitted from any thread, delivered on the GUI thread.
    raised = Signal(object)

    def __init__(self, services: Services, window: QWidget | None) -> None:
        super().__init__(window)
        self.services = services
        self.window = window
        self.dialog: ErrorDialog | None = None
        self._previous: tuple[object, object] | None = None
        self.raised.connect(self._show)

    def install(self) -> None:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._hook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
            self._previous = None

    def _hook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, (KeyboardInterrupt, SystemExit)):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.raised.emit((exc_type, exc, tb))

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        self.raised.emit((args.exc_type, args.exc_value, args.exc_traceback))

    def _redactor(self):  # a Redactor
        from co_app.core.safety.error_report import Redactor, personal_values

        try:
            if self.services.db_is_open or self.services.paths.database.is_file():
                with self.services.db.session() as db:  # opens the ORM if only Home was shown
                    return Redactor(personal_values(db))
        except Exception:  # noqa: BLE001 - the database may be the problem: leave messages out
            return Redactor(None)
        return Redactor(set())  # no database yet: nobody's data has been read

    def in_viewer(self) -> bool:
        """Whether the window is the viewer (kiosk) mode now (a PIN may have left it)."""
        return bool(getattr(self.window, "kiosk", False))

    def _keep_report(self, report: str) -> Path | None:
        """The viewer's report, kept in the data folder (no one is asked where)."""
        from co_app.core.safety.error_report import keep_report

        try:
            return keep_report(self.services.paths.reports, report)
        except OSError as exc:  # a full disk: the log has the error, the dialog still shows
            log.warning("the error report could not be kept: %s", exc.strerror or exc)
            return None

    def _show(self, info: tuple) -> None:
        from co_app.core.foundation.printable import printable
        from co_app.core.safety.error_report import build_report, describe_exception

        exc_type, exc, tb = info
        try:
            redact = self._redactor()
            described = describe_exception(exc_type, exc, tb, redact).rstrip()
            # The traceback as the message itself (its lines kept), its controls escaped here:
            # values put into a message are escaped whole, line breaks included.
            log.error("unexpected error:\n" + printable(described, keep_newlines=True))
            report = build_report(exc_type, exc, tb, redact=redact, logs_dir=self.services.paths.logs)
        except Exception:  # noqa: BLE001 - never raise from the error handler itself
            report = "The error report could not be written."
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.another(report)  # (no second report on disk: an error in a loop must not fill it)
            return
        viewer = self.in_viewer()
        kept = self._keep_report(report) if viewer else None
        folder = self.services.paths.exports if self.services.paths.exports.is_dir() else Path(os.path.expanduser("~"))
        # The viewer's dialog is always the full-screen window's own: never a window of its own.
        parent = self.window if self.window is not None and (viewer or self.window.isVisible()) else None
        self.dialog = ErrorDialog(report, folder, parent, viewer=viewer, kept_in=kept)
        if viewer:
            self.dialog.finished.connect(self._back_to_the_viewer)
        self.dialog.open()  # window-modal, no nested event loop inside the failing slot

    def _back_to_the_viewer(self, _result: int = 0) -> None:
        """The participant pressed the button: the viewer again, in front, as it was."""
        from co_app.ui.safety.viewer_guard import back_to_viewer

        if self.window is not None and self.in_viewer():
            back_to_viewer(self.window)
