"""A short note drawn over a full-screen window: "Subtitles: العربية", "Paused — Space plays",
"Esc: back to the slides".

The video is drawn by libVLC into a native window that covers everything inside its Qt
window, so a child label would be hidden under it.  The note is therefore its own small
top-level window (no frame, never takes the keyboard), placed near the
top of the window it speaks about (the subtitles are at the bottom).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget


PADDING = 28  # around the text, in pixels


class ScreenNote(QLabel):
    """One note at a time; ``show_over(window, text, ms)`` — ``ms=0`` keeps it until ``hide``."""

    def __init__(self) -> None:
        # Not a Qt.ToolTip window: Qt hides those at the next key or click, and a note must last.
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.X11BypassWindowManagerHint | Qt.WindowType.WindowStaysOnTopHint
                         | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setObjectName("screenNote")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet("QLabel#screenNote { background: rgba(16, 24, 32, 225); color: #f4f1ea;"
                           " font-size: 20pt; padding: 0px; border-radius: 10px; }")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)

    def show_over(self, window: QWidget, text: str, ms: int = 3500) -> None:
        self.hide()  # shown afresh: a note whose text and size change in place kept the old picture
        self.setText(text)
        area = window.geometry() if window.isWindow() else window.window().geometry()
        if not window.isWindow():
            area.moveTopLeft(window.mapToGlobal(window.rect().topLeft()))
            area.setSize(window.size())
        # One line when it fits in four fifths of the screen, else wrapped to that width.
        self.ensurePolished()  # the style sheet's font, for the measures below
        metrics = self.fontMetrics()
        inner = min(max(200, int(area.width() * 0.8)) - 2 * PADDING, metrics.horizontalAdvance(text) + 4)
        lines = metrics.boundingRect(QRect(0, 0, inner, 10_000), Qt.TextFlag.TextWordWrap, text)
        self.setFixedSize(inner + 2 * PADDING, lines.height() + PADDING)
        x = area.x() + (area.width() - self.width()) // 2
        y = area.y() + max(24, area.height() // 14)  # at the top: the subtitles are at the bottom
        self.move(QPoint(x, y))
        self.show()
        self.raise_()
        if ms:
            self._timer.start(ms)
        else:
            self._timer.stop()
