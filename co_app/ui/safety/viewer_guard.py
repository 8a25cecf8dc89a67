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
    from co_app.ui.shell.page import text_size_changed

    text_size_changed(window)  # the viewer's larger text: each page's small-screen form again


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



def ask_to_leave(window):  # the MainWindow; returns the dialog (for tests), or None
    """The PIN, then the facilitator's window.  With no PIN set yet there is nothing to
    ask (the viewer offers no language until one is set, so no participant has it):
    the viewer closes at once, instead of asking for a PIN that does not exist."""
    from PySide6.QtCore import Qt

    from co_app.core.db.glance import pin_is_set
    from co_app.ui.safety.pin_dialogs import AskPinDialog

    with window.services.plain() as conn:
        if not pin_is_set(conn):
            window.leave_viewer()
            return None

    dialog = AskPinDialog(window.services, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(window.leave_viewer)
    dialog.open()
    return dialog


def ask_to_leave_once(window) -> None:  # the MainWindow
    """Alt+F4 or the close button in the viewer: the PIN dialog, unless it is already open."""
    from co_app.ui.safety.pin_dialogs import AskPinDialog

    if window.findChild(AskPinDialog) is None:
        window.ask_to_leave_viewer()


def switch_mode(window, kiosk: bool, *, films=None) -> None:  # the MainWindow; films: its Films page if built
    """The facilitator's window and the viewer, one into the other, in place (back from the
    viewer, in the facilitator's own language: a participant may have picked another)."""
    from PySide6.QtCore import QSignalBlocker

    from co_app.core.foundation import i18n

    restyle(window, kiosk=kiosk, larger_text=kiosk or window.services.settings.larger_text)
    window.pages = window.pages_for(kiosk)
    with QSignalBlocker(window.nav):
        window.nav.clear()
        window.nav.addItems([""] * len(window.pages))
    window.leave_button.setVisible(kiosk)
    if films is not None:
        films.set_kiosk(kiosk)
    if not kiosk and i18n.current_language() != window.facilitator_language:
        i18n.set_language(window.facilitator_language, window.services.locale_dir)
    window.retranslate()
    window.nav.setCurrentRow(0)


def show_full_screen(window: QWidget) -> None:
    """The viewer as the whole screen, and kept so by a ``ViewerGuard``."""
    window.findChild(ViewerGuard) or ViewerGuard(window)  # (once: after a hand-over, maybe again)
    window.setGeometry(window.screen().geometry())  # as a window manager would: without one, Qt does not
    window.showFullScreen()
