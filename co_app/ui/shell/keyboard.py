"""Keyboard behaviour that Qt leaves to each application."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QPushButton, QWidget


def return_presses_buttons(root: QWidget) -> None:
    """Let Return and Enter press the focused button, as Space does.

    Outside dialogs Qt only honours Space, which surprises people who move with Tab and
    Return; a push button with ``autoDefault`` set answers Return too (Qt's own rule).
    Per button rather than an application-wide event filter, which would run Python for
    every event of the application."""
    for button in root.findChildren(QPushButton):
        button.setAutoDefault(True)


class DeliberateChoice(QObject):
    """Makes a combo box change only from its open list, never by a stray arrow key or
    mouse wheel — for choices that redo the whole screen (the interface language).

    An event filter rather than a QComboBox subclass: a Python subclass of a Qt widget
    makes PySide build its enums at start-up, which the facilitator would wait for."""

    _opening_keys: tuple = ()

    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo)
        combo.installEventFilter(self)

    @classmethod
    def _keys(cls) -> tuple:
        """Looked up on first use: touching Qt's enum namespace at import costs start-up time."""
        if not cls._opening_keys:
            from PySide6.QtCore import Qt

            cls._opening_keys = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
                                 Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        return cls._opening_keys

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Wheel:
            return True
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in self._keys():
            watched.showPopup()  # type: ignore[attr-defined]
            return True
        return False
