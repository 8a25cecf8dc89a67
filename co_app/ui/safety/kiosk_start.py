"""The viewer's first page: each language in its own name, as big buttons.

Before the laptop is handed to participants the facilitator must have set a PIN (it is
the only way out of the viewer), so without one this page asks for it first."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from co_app.core.foundation import i18n
from co_app.core.foundation.i18n import N_, _
from co_app.ui.shell.page import View, page_layout
from co_app.ui.shell.widgets import page_title


class KioskStartView(View):
    key = "welcome"
    nav_title = N_("Language")

    #: A language was chosen: go on to the films.
    language_chosen = Signal(str)

    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        layout = page_layout(self)
        self.title = page_title()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self._needs_pin = False
        self.set_pin_button = QPushButton()
        self.set_pin_button.setObjectName("primary")
        self.set_pin_button.clicked.connect(self._set_pin)
        grid = QGridLayout()
        self.language_buttons: list[QPushButton] = []
        self.review_notes: list[QLabel] = []
        for index, lang in enumerate(i18n.available_languages(services.locale_dir)):
            button = QPushButton(lang.native_name)
            button.setObjectName("bigChoice")
            button.setMinimumHeight(90)  # a finger, not a mouse
            button.setProperty("code", lang.code)
            button.clicked.connect(lambda _checked=False, code=lang.code: self.language_chosen.emit(code))
            # Honest about the translation, in the language itself.
            note = QLabel(i18n.review_note(lang.code, services.locale_dir))
            note.setObjectName("muted")
            note.setWordWrap(True)
            note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            button.setAccessibleDescription(note.text())
            cell = QVBoxLayout()
            cell.setSpacing(4)
            cell.addWidget(button)
            cell.addWidget(note)
            grid.addLayout(cell, index // 2, index % 2)
            self.language_buttons.append(button)
            self.review_notes.append(note)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.set_pin_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(grid)
        layout.addStretch(1)

    def refresh(self) -> None:
        from co_app.core.db.glance import pin_is_set

        with self.services.plain() as conn:
            needs_pin = not pin_is_set(conn)
        self._needs_pin = needs_pin
        self.set_pin_button.setVisible(needs_pin)
        for button in self.language_buttons:
            button.setEnabled(not needs_pin)
        self.retranslate()
        self.focus_current()

    def focus_current(self) -> None:
        """The language on screen has the keyboard's focus (English had it on an Arabic screen)."""
        code = i18n.current_language()
        for button in self.language_buttons:
            if button.property("code") == code and button.isEnabled():
                button.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.focus_current()

    def retranslate(self) -> None:
        self.title.setText(_("Choose your language"))
        self.set_pin_button.setText(_("Set the facilitator PIN"))
        # (Not isVisible(): before the window is shown every widget says it is hidden.)
        self.hint.setText(_("For the facilitator: set a PIN before handing over the laptop. "
                            "Only the PIN can close the viewer.") if self._needs_pin else "")
        self.hint.setVisible(self._needs_pin)

    def _set_pin(self) -> None:
        from co_app.ui.safety.pin_dialogs import SetPinDialog

        dialog = SetPinDialog(self.services, self)
        dialog.accepted.connect(self.refresh)
        dialog.open()
