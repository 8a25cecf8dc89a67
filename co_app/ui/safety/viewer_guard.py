"""The viewer (kiosk) mode stays the whole screen, and comes back after an unexpected error.

The desktop behind the viewer is a way out of it: a window manager's shortcut that
minimises or shrinks the full-screen window would show it.  ``ViewerGuard`` watches the
main window's state (an event filter on that window alone, not on the application) and
puts it back full screen while it is the viewer; once the PIN has left the viewer it does
nothing.  ``back_to_viewer`` is what the viewer's error message returns to.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class ViewerGuard(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (event.type() == QEvent.Type.WindowStateChange and getattr(watched, "kiosk", False)
                and not self.window.isFullScreen()):
            QTimer.singleShot(0, self.window, self.window.showFullScreen)
        return False


def back_to_viewer(window) -> None:  # the MainWindow
    """After an unexpected error in the viewer: the viewer in front again, on one of its
    pages, full screen if the application made it so."""
    if not getattr(window, "kiosk", False):
        return
    if not 0 <= window.nav.currentRow() < len(window.pages):
        window.nav.setCurrentRow(0)
    if window.findChild(ViewerGuard) is not None and not window.isFullScreen():
        window.showFullScreen()
    window.raise_()
    window.activateWindow()


def may_hand_over(services) -> bool:  # Services
    """Whether *Hand to a participant* may turn the window into the viewer: a PIN is set (the
    only way back) and this is a laptop, not the office's hub."""
    from co_app.core.db.glance import pin_is_set

    if services.is_office:
        return False
    with services.plain() as conn:
        return pin_is_set(conn)


def restyle(window: QWidget, *, kiosk: bool, larger_text: bool) -> None:
    """The main window in the look of its mode (``kiosk`` = the viewer's bigger touch targets)
    and the application's text size, every widget polished again to take them."""
    from PySide6.QtWidgets import QApplication

    from co_app.ui.shell.theme import apply_theme

    set_aside_tool_windows(window, kiosk=kiosk)
    window.kiosk = kiosk  # type: ignore[attr-defined]
    window.setProperty("kiosk", kiosk)
    apply_theme(QApplication.instance(), larger_text=larger_text)
    for widget in [window, *window.findChildren(QWidget)]:
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def set_aside_tool_windows(window: QWidget, *, kiosk: bool) -> None:
    """Into the viewer, the facilitator's tool windows left open are hidden; back from it
    (after the PIN), shown again as they were.  A non-modal one such as the moments'
    recorder (Films) stayed on top of the viewer, and its "Choose…" opened a file dialog
    for any participant (found by a fresh-eyes attack)."""
    from PySide6.QtWidgets import QDialog

    if kiosk:
        aside = [d for d in window.findChildren(QDialog) if d.isVisible()]
        for dialog in aside:
            dialog.hide()
        window._set_aside = aside  # type: ignore[attr-defined]  # (Python objects, kept alive here)
        return
    for dialog in getattr(window, "_set_aside", []):
        try:
            dialog.show()
        except RuntimeError:  # deleted meanwhile (Qt object gone): nothing to show
            pass
    window._set_aside = []  # type: ignore[attr-defined]

