"""Keyboard behaviour that Qt leaves to each application."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QPushButton, QWidget

from co_app.core.foundation.i18n import layout_is_rtl

#: The key names a hint may name, as printed on the keys; translations keep them as they are.
KEY_NAMES = re.compile(r"Shift\+Enter|Ctrl\+Enter|Ctrl\+Z|↑ ↓|Page Down|Page Up|Enter|Esc|F5|Tab|\bSpace\b"
                       r"|\b[BPS]\b|[“«\"]\.[”»\"]")


def key_hint(text: str) -> str:
    """A translated hint that names keys ("Esc: back to the slides · Space or Page Down: …"),
    laid out in the interface language's own direction: each key name is kept left to right
    in its own isolated run, and a right-to-left language's text starts as one.  Without
    this an Arabic hint starting with "Esc" was laid out left to right and its key/action
    pairs changed places.  The one helper for every hint that names keys."""
    text = KEY_NAMES.sub(lambda key: "\u2066" + key.group(0) + "\u2069", text)
    return ("\u200f" + text) if layout_is_rtl() else text


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
