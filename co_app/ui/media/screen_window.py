"""A window that is exactly one screen: what the group sees (slides, a check's question).

``show_on(screen)`` gives the window its screen's geometry, full screen, and holds it there:
the window is fixed at the screen's size, so nothing inside can make it larger — with a
window manager or without one (a netbook's session, a mirrored projector), where a slide's
text used to grow the window to its own minimum height (1024 × 750 on a 600-high screen,
the slide's bottom and its "n of 22" off the glass).  Its one child is laid out in the
room the screen has and fits itself to it (``slide_view``, ``check_projected``).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QLayout, QVBoxLayout, QWidget


class ScreenWindow(QWidget):
    """A frameless window holding ``content`` at the size of the screen it is shown on."""

    def __init__(self, content: QWidget) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # The content's minimum size (its text at full type) never becomes the window's.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addWidget(content)

    def show_on(self, screen: QScreen) -> None:
        self.setScreen(screen)
        self.show_at(screen.geometry())

    def show_at(self, rect: QRect) -> None:
        """Full screen on the screen whose geometry is ``rect``, never larger nor smaller."""
        self.setFixedSize(rect.size())
        self.setGeometry(rect)
        self.showFullScreen()
        self.setGeometry(rect)  # without a window manager, nobody else places it
        self.raise_()
