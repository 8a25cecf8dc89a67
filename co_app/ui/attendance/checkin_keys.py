"""The keys of check-in, all pressed in the search field: Enter checks in (Shift+Enter as
late, Ctrl+Enter the whole household), ↑ ↓ and Page Up/Down choose, Ctrl+Z undoes; and
the hint that names them, laid out in the language's own direction."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit

from co_app.core.foundation.i18n import current_language

_KEY_NAMES = re.compile(r"Shift\+Enter|Ctrl\+Enter|Ctrl\+Z|↑ ↓|Enter")

#: Rows chosen by ↓ ↑ Page Down and Page Up.
MOVES = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10, Qt.Key.Key_PageUp: -10}


def keys_hint(text: str) -> str:
    """The keys' hint laid out in the language's own direction: each key name is kept
    left-to-right in its own run, and a right-to-left language's line starts as one.
    (In Dari "Ctrl+Enter" had moved beside "choose" and "↑ ↓" beside "whole household".)"""
    from co_app.core.foundation.languages import is_rtl

    text = _KEY_NAMES.sub(lambda key: "\u2066" + key.group(0) + "\u2069", text)
    return ("\u200f" + text) if is_rtl(current_language()) else text


class SearchKeys(QObject):
    """Watches the search field's keys and calls: ``enter(status)`` for Enter ("present")
    and Shift+Enter ("late"), ``household()`` for Ctrl+Enter, ``move(rows)`` for the
    arrows and Page Up/Down, ``undo()`` for Ctrl+Z (which the field does not take for its
    own text).  Every other key types in the field."""

    def __init__(self, search: QLineEdit, *, enter: Callable[[str], None], household: Callable[[], None],
                 move: Callable[[int], None], undo: Callable[[], None]) -> None:
        super().__init__(search)
        self.search = search
        self.enter = enter
        self.household = household
        self.move = move
        self.undo = undo
        search.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is not self.search:
            return False
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.matches(QKeySequence.StandardKey.Undo):
                event.accept()  # the field must not take Ctrl+Z for its own text
                return True
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key, mods = event.key(), event.modifiers()
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if mods & Qt.KeyboardModifier.ControlModifier:
                self.household()
            elif mods & Qt.KeyboardModifier.ShiftModifier:
                self.enter("late")
            else:
                self.enter("present")
            return True
        if key in MOVES:
            self.move(MOVES[key])
            return True
        return False
