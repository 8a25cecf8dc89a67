"""The keys of check-in, all pressed in the search field: Enter checks in (Shift+Enter as
late, Ctrl+Enter the whole household), ↑ ↓ and Page Up/Down choose, Ctrl+Z undoes (the
hint that names them is ui/shell/keyboard.py's ``key_hint``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit

#: Rows chosen by ↓ ↑ Page Down and Page Up.
MOVES = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10, Qt.Key.Key_PageUp: -10}


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
