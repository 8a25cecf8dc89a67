"""The walk-in form under the check-in box: when no one is found for the name typed, Enter
opens it with that name split into given and family name, and Enter again (in the search
box or in the form) registers the person and checks them in
(co_app/core/attendance/walk_in.py).  Esc in the form, or typing a new search, closes it.
Two fields only: the rest is filled in later under Participants."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from co_app.core.attendance.walk_in import split_name
from co_app.core.foundation.i18n import _


class WalkInForm(QFrame):
    """``submitted(given, family)`` on Enter or the button; ``cancelled`` on Esc or Cancel.
    The check-in panel shows it in place of the list of people found (no one was)."""

    submitted = Signal(str, str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("walkInForm")
        self.setStyleSheet("#walkInForm { background: #fff6e0; border: 1px solid #d9a441; border-radius: 6px; }")
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.given = QLineEdit()
        self.family = QLineEdit()
        for field in (self.given, self.family):
            field.setMinimumHeight(40)
            field.setStyleSheet("font-size: 14pt; padding: 2px 8px;")
            field.installEventFilter(self)
        self.add_button = QPushButton()
        self.add_button.setObjectName("primary")
        self.add_button.setMinimumHeight(40)
        self.cancel_button = QPushButton()
        self.cancel_button.setMinimumHeight(40)
        # The names on one line, the buttons on the next: the form fits the narrow list of a
        # 1024×600 netbook in every language.
        form = QVBoxLayout(self)
        form.setContentsMargins(10, 6, 10, 6)
        form.addWidget(self.title)
        row = QHBoxLayout()
        row.addWidget(self.given, 2)
        row.addWidget(self.family, 3)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.cancel_button)
        form.addLayout(row)
        form.addLayout(buttons)
        self.add_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.cancel)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("New person:"))
        self.given.setPlaceholderText(_("Given name"))
        self.family.setPlaceholderText(_("Family name"))
        self.given.setAccessibleName(_("Given name of the new person"))
        self.family.setAccessibleName(_("Family name of the new person"))
        self.add_button.setText(_("Add and check in"))
        self.cancel_button.setText(_("Cancel"))

    def open_for(self, typed: str) -> None:
        """Show the form with the typed name carried over.  The focus stays in the search
        box: a second Enter there registers the name as shown, typing searches again (and
        closes the form); a click or Tab into the fields corrects the names first."""
        given, family = split_name(typed)
        self.given.setText(given)
        self.family.setText(family)

    def submit(self) -> None:
        if self.isVisible():
            self.submitted.emit(self.given.text().strip(), self.family.text().strip())

    def cancel(self) -> None:
        if self.isVisible():
            self.cancelled.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.submit()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.cancel()
                return True
        return False
