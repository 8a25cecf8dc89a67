"""Projector mode: the video alone, full screen, on the screen the facilitator picks.

The laptop window keeps the controls and the transcript.  Following what works for
libVLC embedded in Qt: the *Qt* window is made full screen (libVLC's own full screen
fails when embedded), and the player is pointed at the new window id after the window
exists, because a window id changes whenever window flags do.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from co_app.core.foundation.i18n import _


def screen_label(screen: QScreen, index: int) -> str:
    geometry = screen.geometry()
    # Isolated left-to-right, so "1280×800" does not read "800×1280" inside Arabic text.
    size = f"\u2066{geometry.width()}×{geometry.height()}\u2069"
    if screen == QGuiApplication.primaryScreen():
        return _("Screen {number} (this laptop) — {size}").format(number=index + 1, size=size)
    return _("Screen {number} (projector) — {size}").format(number=index + 1, size=size)


def projector_screen() -> QScreen:
    """The screen a projector most likely is: any screen but the primary, else the primary."""
    screens = QGuiApplication.screens()
    others = [s for s in screens if s != QGuiApplication.primaryScreen()]
    return others[0] if others else QGuiApplication.primaryScreen()


def fill_screen_box(box) -> None:
    """A QComboBox of the screens by number, role and size, kept on the same screen (by its
    name) when screens come and go; hidden with one screen, where there is nothing to choose.
    A chosen screen whose cable is pulled is chosen again once it is plugged back."""
    current = box.currentData()
    if box.property("wanted") and current == box.property("instead"):  # not changed by hand since
        current = box.property("wanted")
    screens = QGuiApplication.screens()
    box.blockSignals(True)
    box.clear()
    for index, screen in enumerate(screens):
        box.addItem(screen_label(screen, index), screen.name())
    index = box.findData(current) if current else -1
    box.setProperty("wanted", current if index < 0 else None)  # gone for now: remembered
    if index < 0 and screens:
        index = screens.index(projector_screen())
    box.setCurrentIndex(index)
    box.setProperty("instead", box.currentData())
    box.blockSignals(False)
    box.setVisible(len(screens) > 1)


def chosen_screen(box) -> QScreen:
    """The screen picked in ``box`` (filled by ``fill_screen_box``), else the likeliest projector."""
    name = box.currentData()
    return next((s for s in QGuiApplication.screens() if s.name() == name), None) or projector_screen()


class ProjectorWindow(QWidget):
    """A frameless black window holding only the video surface."""

    #: Keys pressed while the projector window has focus, handed to the player panel.
    key_pressed = Signal(object)
    #: Someone tried to close the window (Alt+F4): the panel takes the video back instead.
    close_requested = Signal()

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("projector")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#projector { background: #000000; }"
                           "QWidget#projector[blank=\"true\"] { background: #1d2b33; }")
        self.setWindowTitle(_("Projector"))
        self.surface = QFrame()
        self.surface.setObjectName("videoSurface")
        self.surface.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.surface)
        self.setCursor(Qt.CursorShape.BlankCursor)

    def show_on(self, screen: QScreen) -> int:
        """Full screen on ``screen``; returns the window id the video must draw into."""
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
        return int(self.surface.winId())

    def set_blank(self, blank: bool) -> None:
        """A calm dark screen instead of the video (the surface hidden), or the video again."""
        self.surface.setVisible(not blank)
        self.setProperty("blank", blank)
        self.style().unpolish(self)
        self.style().polish(self)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        self.key_pressed.emit(event)

    def close_for_good(self) -> None:
        """Close it (the panel's shutdown); any other close is refused (``closeEvent``)."""
        self._may_close = True
        self.close()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        # Alt+F4 on the projector must not close the window the video draws into (libVLC
        # would draw into a window that is gone), nor leave the viewer: the video comes back.
        if getattr(self, "_may_close", False):
            super().closeEvent(event)
            return
        event.ignore()
        self.close_requested.emit()
