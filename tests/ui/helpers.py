"""Clicking and typing as a user would, for the interface tests."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QListWidget


def click_list_row(qtbot, widget: QListWidget, row: int) -> None:
    item = widget.item(row)
    widget.scrollToItem(item)
    rect = widget.visualItemRect(item)
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_nav(qtbot, window, key: str) -> None:
    row = window.view_keys.index(key)
    click_list_row(qtbot, window.nav, row)
    qtbot.waitUntil(lambda: window.current_view().key == key, timeout=2000)


def choose_from_list(qtbot, combo: QComboBox, data: object) -> None:
    """Open the combo box's list with the keyboard, walk to the entry, press Return."""
    index = combo.findData(data)
    assert index >= 0, f"{data!r} is not offered in the list"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # opens the list (it does not change the choice)
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=2000)
    row = view.currentIndex().row()
    key = Qt.Key.Key_Down if index > row else Qt.Key.Key_Up
    for _ in range(abs(index - row)):
        qtbot.keyClick(view, key)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=2000)
    assert combo.currentIndex() == index


def choose_in_combo(qtbot, combo: QComboBox, data: object) -> None:
    """Pick the entry carrying ``data`` with the keyboard, the way a user without a mouse would."""
    index = combo.findData(data)
    assert index >= 0, f"{data!r} is not offered in the list"
    combo.setFocus()
    steps = index - combo.currentIndex()
    key = Qt.Key.Key_Down if steps > 0 else Qt.Key.Key_Up
    for _ in range(abs(steps)):
        qtbot.keyClick(combo, key)
    assert combo.currentIndex() == index
