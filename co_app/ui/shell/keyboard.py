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


# --- single-letter shortcuts by the key's place -----------------------------------------

def _places(first: int, letters: str, step: int = 1) -> dict[int, str]:
    return {first + i * step: letter for i, letter in enumerate(letters)}


#: The letters, digits and "." of a PC keyboard by their place: X11 and Wayland key codes
#: (evdev + 8), Windows' set-1 scan codes, macOS' virtual key codes (kVK_ANSI_*, which name
#: places, not letters).  The same place whatever the layout types there.
_X11_PLACES = {**_places(24, "QWERTYUIOP"), **_places(38, "ASDFGHJKL"), **_places(52, "ZXCVBNM"),
               **_places(10, "1234567890"), 60: "."}
_WINDOWS_PLACES = {**_places(0x10, "QWERTYUIOP"), **_places(0x1E, "ASDFGHJKL"), **_places(0x2C, "ZXCVBNM"),
                   **_places(0x02, "1234567890"), 0x34: "."}
_MAC_PLACES = {0x00: "A", 0x01: "S", 0x02: "D", 0x03: "F", 0x04: "H", 0x05: "G", 0x06: "Z", 0x07: "X", 0x08: "C",
               0x09: "V", 0x0B: "B", 0x0C: "Q", 0x0D: "W", 0x0E: "E", 0x0F: "R", 0x10: "Y", 0x11: "T", 0x12: "1",
               0x13: "2", 0x14: "3", 0x15: "4", 0x16: "6", 0x17: "5", 0x19: "9", 0x1A: "7", 0x1C: "8", 0x1D: "0",
               0x1F: "O", 0x20: "U", 0x22: "I", 0x23: "P", 0x25: "L", 0x26: "J", 0x28: "K", 0x2D: "N", 0x2E: "M",
               0x2F: "."}


def _place(event: QKeyEvent) -> str:
    """The Latin letter or digit printed at the pressed key's place on a US keyboard, or ""."""
    from PySide6.QtGui import QGuiApplication

    platform = QGuiApplication.platformName()
    if platform == "windows":
        return _WINDOWS_PLACES.get(event.nativeScanCode() & 0xFF, "")
    if platform == "cocoa":
        return _MAC_PLACES.get(event.nativeVirtualKey(), "")
    return _X11_PLACES.get(event.nativeScanCode(), "")  # xcb, wayland (and a test's X server)


def shortcut_key(event: QKeyEvent) -> int:
    """The key a single-letter or digit shortcut compares (Qt.Key value): ``event.key()``
    for a Latin letter, a digit or a named key (F5, arrows, Page Down…); for a key that types
    a letter of another script — ن on the K key of an Arabic layout, ከ, ک — the Latin letter
    at the same place, so K, B, P, S, T and the answers' 1–4 work whatever the keyboard
    layout; an Arabic-Indic or Persian digit (١, ۲) is that digit.  The one helper for every
    single-key shortcut (runner, player, learning check, moments)."""
    key = event.key()
    if key < 0x80 or key >= 0x01000000:  # ASCII (Latin letters, digits, ".") or a named key
        return key
    text = event.text()
    if len(text) == 1 and text.isdigit():
        return 0x30 + int(text)  # ١ → 1: unicodedata's digit value, any script
    place = _place(event)
    return ord(place) if place else key
