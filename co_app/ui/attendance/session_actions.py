"""The end of a session: close (lock) it, print the sign-in sheet, print certificates.

Closing asks for confirmation and, when no facilitator PIN exists yet, for a PIN first:
a lock that anyone can open is no lock.  Printouts are saved where the user chooses —
the data folder's exports folder is offered first, with the session's date, number and
place in the file name — through an atomic write; a failure (full disk, read-only USB stick) is said in the panel,
naming the file.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QMenu, QMessageBox, QPushButton, QVBoxLayout, QWidget

from co_app.core.attendance import reports
from co_app.core.sessions import service as session_service
from co_app.core.bootstrap import Services
from co_app.core.foundation.errors import CoError
from co_app.core.foundation.fileio import make_private_dirs
from co_app.core.foundation.i18n import _, format_datetime, isolate, ngettext
from co_app.ui.shell.flow_layout import FlowLayout

log = logging.getLogger(__name__)


class SessionActions(QWidget):
    """Buttons for one session; ``changed`` is emitted when the session was closed."""

    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.session_id: str | None = None
        self._state: reports.SessionState | None = None
        self._last_dir: Path | None = None
        self._result: tuple[str, str] | None = None  # ("ok" | "warning", text) of the last action

        self.state_label = QLabel()
        self.state_label.setObjectName("muted")
        self.state_label.setWordWrap(True)
        self.close_button = QPushButton()
        self.close_button.setObjectName("primary")
        self.close_button.clicked.connect(self.close_session)
        self.sign_in_button = QPushButton()
        self.sign_in_button.clicked.connect(self.print_sign_in_sheet)
        self.certificates_button = QPushButton()
        self.certificates_button.clicked.connect(self.print_certificates)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        # On a small screen the three buttons and the state line give their height to
        # check-in's list: one button beside the session's title (the container places it)
        # opens a menu of the same three actions, with their full names.
        self._compact = False
        self.menu_button = QPushButton(self)  # the container puts it in its layout
        self.menu_button.setObjectName("sessionMenu")
        self.menu = QMenu(self.menu_button)
        self.close_action = self.menu.addAction("", self.close_session)
        self.sign_in_action = self.menu.addAction("", self.print_sign_in_sheet)
        self.certificates_action = self.menu.addAction("", self.print_certificates)
        self.menu_button.setMenu(self.menu)
        self.menu_button.hide()

        # Each button whole, in every language: the row wraps when they do not fit.
        self.buttons = QWidget()
        buttons = FlowLayout(self.buttons, spacing=12, line_spacing=8)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.sign_in_button)
        buttons.addWidget(self.certificates_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.state_label)
        layout.addWidget(self.buttons)
        layout.addWidget(self.message)
        self.retranslate()

    # --- state ----------------------------------------------------------------------

    def set_session(self, session_id: str | None) -> None:
        if session_id != self.session_id:
            self._result = None
        self.session_id = session_id
        self.refresh()

    def refresh(self) -> None:
        self._state = None
        if self.session_id is not None:
            try:
                with self.services.db.session() as db:
                    self._state = reports.session_state(db, self.session_id)
            except session_service.SessionNotFoundError:
                self.session_id = None
        self.retranslate()

    def set_compact(self, compact: bool) -> None:
        """On a small screen (a 1024×600 netbook, larger text at 1366×768) the buttons and
        the state line hide and ``menu_button`` shows (the session's title says "closed")."""
        if compact != self._compact:
            self._compact = compact
            self.retranslate()

    def retranslate(self) -> None:
        buttons = (self.close_button, self.sign_in_button, self.certificates_button)
        actions = (self.close_action, self.sign_in_action, self.certificates_action)
        for button, action, text in zip(buttons, actions, (_("Close the session"), _("Print sign-in sheet…"),
                                                          _("Attendance certificates…"))):
            button.setText(text)
            action.setText(text)
        self.menu_button.setText(_("Close or print"))
        self.menu_button.setToolTip(_("Close the session, print its sign-in sheet or its certificates"))
        state = self._state
        self.close_button.setEnabled(state is not None and not state.closed)
        self.sign_in_button.setEnabled(state is not None)
        self.certificates_button.setEnabled(state is not None and state.attended > 0)
        for button, action in zip(buttons, actions):
            action.setEnabled(button.isEnabled())
        office = self.services.is_office  # the office neither closes a field session nor prints its papers
        self.buttons.setVisible(not self._compact and not office)
        self.menu_button.setVisible(self._compact and not office)
        if state is None:
            self.state_label.setText(_("Choose a session to close it or print its papers."))
            self.certificates_button.setToolTip("")
        elif state.closed:
            # Stored in UTC; the facilitator reads the laptop's own time.
            when = isolate(format_datetime(state.closed_at.astimezone(), "medium")) if state.closed_at else ""
            self.state_label.setText(
                _("Closed on {when}. A change now needs the facilitator PIN and is written to the audit log.")
                .format(when=when))
        else:
            self.state_label.setText(_("This session is open: check-in and changes are allowed."))
        # Only a closed session needs saying: the list says "open", and the check-in needs the room.
        self.state_label.setVisible((state is None or state.closed) and not self._compact)
        if state is not None:
            self.certificates_button.setToolTip(
                ngettext("{count} person attended: one certificate.", "{count} people attended: one certificate each.",
                         state.attended).format(count=state.attended)
                if state.attended else _("Nobody has attended this session yet, so there is no certificate."))
        self.sign_in_button.setToolTip(_("A PDF to print: the people expected, with a column to sign, "
                                         "and empty lines for people not on the list."))
        self._show_result()

    def _say(self, kind: str, text: str) -> None:
        self._result = (kind, text)
        self._show_result()

    def _show_result(self) -> None:
        if self._result is None:
            self.message.hide()
            return
        kind, text = self._result
        self.message.setObjectName("warning" if kind == "warning" else "muted")
        self.message.style().unpolish(self.message)  # the style sheet rule follows the new name
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.show()

    # --- closing --------------------------------------------------------------------

    def confirm_close(self) -> bool:
        box = QMessageBox(self)
        box.setObjectName("confirmClose")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Close the session"))
        box.setText(_("Close this session now?"))
        box.setInformativeText(_("After closing, check-in, attendance and module coverage are locked. "
                                 "A later change needs the facilitator PIN and is written to the audit log."))
        close = box.addButton(_("Close the session"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is close

    def _ensure_pin(self) -> bool:
        """A PIN exists, or the facilitator sets one now; False when they cancel."""
        from co_app.core.safety.pin import pin_is_set

        with self.services.db.session() as db:
            if pin_is_set(db):
                return True
        from co_app.ui.safety.pin_dialogs import SetPinDialog

        dialog = SetPinDialog(self.services, self)
        dialog.intro.setText(_("A closed session can be changed only with the facilitator PIN, and no PIN is set "
                               "on this computer yet. Choose 4 to 8 digits and keep them to yourself."))
        return dialog.exec() == dialog.DialogCode.Accepted

    def close_session(self) -> None:
        if self.session_id is None or (self._state is not None and self._state.closed):
            return
        if not self.confirm_close():
            return
        if not self._ensure_pin():
            self._say("warning", _("The session is still open: it can only be locked once a facilitator PIN is set."))
            return
        backup_problem: list[str] = []

        def back_up() -> None:
            try:
                self.services.backup_now("session-closed")
            except CoError as exc:  # the session is closed all the same; say it was not backed up
                log.warning("backup after closing a session: %s", exc)
                backup_problem.append(str(exc))

        try:
            with self.services.db.session() as db:
                session_service.close_session(db, self.session_id, after_close=back_up)
        except CoError as exc:
            self._say("warning", _("The session could not be closed: {reason}").format(reason=str(exc)))
            self.refresh()
            return
        # Closing comes before handing the laptop round: the faces still count for this session.
        feedback = _("Participants can still give their feedback for this session in the viewer (Home: Hand to a "
                     "participant) until the next session of the day is started.")
        if backup_problem:
            self._say("warning", _("The session is closed, but the backup failed: {reason}")
                      .format(reason=backup_problem[0]) + " " + feedback)
        else:
            self._say("ok", _("The session is closed and a backup was made.") + " " + feedback)
        self.refresh()
        self.changed.emit()

    # --- printouts ------------------------------------------------------------------

    def choose_path(self, title: str, suggested: Path) -> Path | None:
        """Where to save, offering ``suggested``; None when the user cancels.  Tests
        replace this method."""
        from PySide6.QtWidgets import QFileDialog

        chosen, _filter = QFileDialog.getSaveFileName(self, title, str(suggested), _("PDF documents (*.pdf)"))
        return Path(chosen) if chosen else None

    def suggested_path(self, stem: str) -> Path:
        """The folder of the last printout, else the data folder's exports folder (where
        the other exports go, and what a backup of the data folder holds)."""
        folder = self._last_dir
        if folder is None:
            folder = self.services.paths.exports
            try:
                make_private_dirs(folder)
            except OSError as exc:  # the dialog still opens; saving says what is wrong
                log.warning("cannot create %s: %s", folder, exc)
        return folder / self._file_name(stem)

    def _file_name(self, stem: str) -> str:
        """"sign-in-sheet-2025-03-10-session-1-transit-centre-timisoara.pdf": sorted by
        date, and the session recognisable in a folder of them."""
        with self.services.db.session() as db:
            session = session_service.get_session(db, self.session_id)
        parts = [stem, session.session_date.isoformat(), f"session-{session.number_of_day}"]
        place = _slug(session.place or "")
        if place:
            parts.append(place)
        return "-".join(parts) + ".pdf"

    def print_sign_in_sheet(self) -> None:
        from co_app.ui.attendance.printouts import write_sign_in_sheet

        self._print(_("Save the sign-in sheet"), "sign-in-sheet",
                    lambda path: write_sign_in_sheet(self.services, self.session_id, path))

    def print_certificates(self) -> None:
        from co_app.ui.attendance.printouts import write_certificates

        self._print(_("Save the attendance certificates"), "attendance-certificates",
                    lambda path: write_certificates(self.services, self.session_id, path))

    def _print(self, title: str, stem: str, write) -> None:  # Callable[[Path], int]
        if self.session_id is None:
            return
        path = self.choose_path(title, self.suggested_path(stem))
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        self._last_dir = path.parent
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            pages = write(path)
        except OSError as exc:
            log.warning("cannot save %s: %s", path, exc)
            self._say("warning", _("Could not save {file}: {reason}. Choose another folder or free some space, "
                                   "then try again.").format(file=isolate(path), reason=exc.strerror or str(exc)))
            return
        except CoError as exc:
            self._say("warning", str(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._say("ok", ngettext("Saved {file} ({count} page).", "Saved {file} ({count} pages).", pages)
                  .format(file=isolate(path), count=pages))


def _slug(text: str, limit: int = 40) -> str:
    """Words of ``text`` for a file name: lower case, accents dropped, joined by "-"
    ("Transit Centre, Timișoara" → "transit-centre-timisoara"); other scripts are kept."""
    kept: list[str] = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch) and kept and kept[-1].isascii():
            continue  # the accent of a Latin letter (ș → s); Arabic's hamza stays
        kept.append(ch)
    plain = unicodedata.normalize("NFC", "".join(kept))
    slug = "-".join(re.findall(r"\w+", plain.casefold()))
    return slug[:limit].rstrip("-_")
