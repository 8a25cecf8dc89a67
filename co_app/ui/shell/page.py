from __future__ import annotations

from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from co_app.core.bootstrap import Services


class View(QWidget):
    #: Stable key for navigation and tests ("home", "films", …).
    key = ""
    #: Navigation label, marked with N_ and translated where shown.
    nav_title = ""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("page")

    def retranslate(self) -> None:
        """Set every visible text again in the current language."""

    def refresh(self) -> None:
        """Reload data (called each time the view is shown)."""

    def shutdown(self) -> None:
        """Release resources before the window closes."""


def scrolling(content: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(content)
    return area


def page_layout(widget: QWidget) -> QVBoxLayout:
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(16)
    return layout
