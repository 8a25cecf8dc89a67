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


def text_scale() -> float:
    """How much larger the interface's text is than the usual size (1.0; about 1.33 with
    Settings → Larger text): a page's "small screen" height grows with it."""
    from PySide6.QtWidgets import QApplication

    from co_app.ui.shell.theme import BASE_POINT_SIZE

    return max(1.0, QApplication.font().pointSizeF() / BASE_POINT_SIZE)


def text_size_changed(root: QWidget) -> None:
    """Settings → Larger text, changed while the window is open: no resize event comes, so
    every widget that chooses its small-screen form from its size and the text size (its
    ``text_size_changed`` method makes the same choice as its resizeEvent) chooses again,
    outer ones first, as at start-up.  A widget whose size then changes chooses again on
    its resize event."""
    for widget in [root, *root.findChildren(QWidget)]:
        hook = getattr(widget, "text_size_changed", None)
        if callable(hook):
            hook()


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """``width`` × ``height``, or less on a smaller screen (a 1024×600 netbook): a dialog whose
    buttons are off the screen cannot be answered."""
    room = widget.screen().availableGeometry()
    widget.resize(min(width, room.width() - 40), min(height, room.height() - 60))
