"""The projector's window: the current slide, full screen, nothing else.

Keys pressed here (a presentation clicker sends Page Down / Page Up, or the arrows) are
handed to the runner, which decides what comes next.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent

from co_app.core.foundation.i18n import _
from co_app.ui.media.screen_window import ScreenWindow
from co_app.ui.sessions.slide_view import SlideView


class PresentationWindow(ScreenWindow):
    """Exactly its screen (``ScreenWindow.show_on``): the slide is fitted to that room."""

    key_pressed = Signal(object)

    def __init__(self) -> None:
        view = SlideView()
        super().__init__(view)
        self.view = view
        self.setObjectName("presentation")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#presentation { background: #1d2b33; }")  # the calm screen (B or ".")
        self.setWindowTitle(_("Presentation"))

    @property
    def blank(self) -> bool:
        return self.view.isHidden()

    def set_blank(self, blank: bool) -> None:
        """A calm dark screen (the slide hidden) while the facilitator talks, and back."""
        self.view.setVisible(not blank)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        self.key_pressed.emit(event)
