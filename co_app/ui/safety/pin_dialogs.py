"""Asking for the facilitator PIN, and setting it."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, QTimer
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from co_app.core.bootstrap import Services
from co_app.core.foundation.i18n import _


def _pin_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}")))
    field.setMaxLength(8)
    return field


class _PinDialog(QDialog):
    def __init__(self, services: Services, title: str, intro: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.form.addRow(self.intro)
        self.message = QLabel()
        self.message.setObjectName("warning")
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        self.form.addRow(self.message)
        self.form.addRow(self.buttons)
        self.setMinimumWidth(420)

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()


class AskPinDialog(_PinDialog):
    """Accepted only with the right PIN."""

    def __init__(self, services: Services, parent: QWidget | None = None, *,
                 intro: str | None = None, action: str | None = None) -> None:
        super().__init__(services, _("Facilitator PIN"),
                         intro or _("Enter the facilitator PIN to leave the viewer."), parent)
        self.pin = _pin_field()
        self.form.addRow(_("PIN"), self.pin)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(action or _("Leave the viewer"))
        self.finish_layout()
        # After several wrong PINs the next attempt must wait (co_app/core/safety/pin.py): count down.
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._show_wait)
        self._show_wait()

    def _seconds_to_wait(self) -> int:
        from co_app.core.safety.pin import seconds_to_wait

        with self.services.db.session() as db:
            return seconds_to_wait(db)

    def _show_wait(self) -> int:
        """Disable the button and say how long to wait; returns the seconds left (0 = may try)."""
        seconds = self._seconds_to_wait()
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok_button.setEnabled(seconds == 0)
        self.pin.setEnabled(seconds == 0)
        if seconds:
            minutes, rest = divmod(seconds, 60)
            self.say(_("Too many wrong PINs. Try again in {minutes}:{seconds:02d}.").format(
                minutes=minutes, seconds=rest))
            self._countdown.start()
        elif self._countdown.isActive():
            self._countdown.stop()
            self.message.hide()
            self.pin.setFocus()
        return seconds

    def pin_is_right(self, wrong: str) -> bool:
        """Whether the PIN typed is the facilitator's.  If not, the field is cleared and the
        dialog says ``wrong`` (or, after too many, how long to wait); while a wait runs, False."""
        from co_app.core.safety.pin import check_pin

        if self._show_wait():
            return False
        with self.services.db.session() as db:
            ok = check_pin(db, self.pin.text())
        if not ok:
            self.pin.clear()
            if not self._show_wait():
                self.say(wrong)
            self.pin.setFocus()
        return ok

    def accept(self) -> None:
        if self.pin_is_right(_("That is not the PIN. Try again.")):
            super().accept()


class SetPinDialog(_PinDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, _("Set the facilitator PIN"),
                         _("Choose 4 to 8 digits. The PIN is needed to leave the viewer mode and, later, to "
                           "see participants' data. Keep it to yourself."), parent)
        self.pin = _pin_field()
        self.again = _pin_field()
        self.form.addRow(_("New PIN"), self.pin)
        self.form.addRow(_("Repeat it"), self.again)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Save the PIN"))
        self.finish_layout()

    def accept(self) -> None:
        from co_app.core.safety.pin import PIN_RE, set_pin

        if not PIN_RE.match(self.pin.text()):
            self.say(_("The PIN must be 4 to 8 digits."))
            return
        if self.pin.text() != self.again.text():
            self.again.clear()
            self.say(_("The two PINs are not the same. Type it again."))
            return
        with self.services.db.session() as db:
            set_pin(db, self.pin.text())
        super().accept()


class ChangePinDialog(AskPinDialog):
    """The current PIN first (with the same wait after wrong ones), then the new one twice."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent, intro=_("Type the current PIN, then the new one twice (4 to 8 digits)."),
                         action=_("Change the PIN"))
        self.setWindowTitle(_("Change the facilitator PIN"))
        label = self.form.labelForField(self.pin)
        if isinstance(label, QLabel):
            label.setText(_("Current PIN"))
        self.new_pin = _pin_field()
        self.again = _pin_field()
        row = self.form.getWidgetPosition(self.pin)[0]
        self.form.insertRow(row + 1, _("New PIN"), self.new_pin)
        self.form.insertRow(row + 2, _("Repeat it"), self.again)

    def accept(self) -> None:
        from co_app.core.safety.pin import PIN_RE, set_pin

        if not self.pin_is_right(_("That is not the current PIN. Try again.")):
            return
        if not PIN_RE.match(self.new_pin.text()):
            self.say(_("The PIN must be 4 to 8 digits."))
            self.new_pin.setFocus()
            return
        if self.new_pin.text() != self.again.text():
            self.again.clear()
            self.say(_("The two PINs are not the same. Type it again."))
            self.again.setFocus()
            return
        with self.services.db.session() as db:
            set_pin(db, self.new_pin.text())
        QDialog.accept(self)
