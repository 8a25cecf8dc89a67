"""The check-in banner under the search field: it confirms each check-in, or asks before
one.  One fixed height for every message (the list below never jumps), the colours of the
message's kind, and the largest text size at which the message fits its two lines (a long
one gets a smaller text, never a taller banner)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from co_app.core.foundation.i18n import _
from co_app.ui.attendance.checkin_text import readable

BANNER_STYLES = {
    "idle": "background: #ffffff; color: #4a4a4a; border: 2px solid #d0d4d6;",
    "ok": "background: #dff3e4; color: #0b4d22; border: 2px solid #2e8b57;",
    "info": "background: #e8f1f6; color: #123c4a; border: 2px solid #7aa6c2;",
    # Not on this session's list: stop and look before the second Enter.
    "warn": "background: #ffe2b0; color: #4d2c00; border: 2px solid #d98200;",
    "error": "background: #fbe3de; color: #7a1b08; border: 2px solid #c0392b;",
}
#: No one found (the walk-in form opens below): information, not a red error.
BANNER_STYLES["nobody"] = BANNER_STYLES["info"]
#: The banner's text size, and the smaller sizes a long text may take to fit its two lines.
BANNER_POINT_SIZES = (18, 15, 13, 11)
BANNER_LINES = 2
BANNER_PADDING = (10, 16)  # vertical, horizontal (px)
BANNER_BORDER = 2

#: A message: its kind ("ok", "info", "warn" or "error") and its text.
Message = tuple[str, str]


def banner_font(size: int) -> QFont:
    font = QFont()
    font.setPointSize(size)
    font.setBold(True)
    return font


#: On a small screen (a 1024×600 netbook) the banner takes less height: smaller sizes, less padding.
COMPACT_POINT_SIZES = (13, 11, 10)
COMPACT_PADDING = (3, 10)


def banner_height(compact: bool = False) -> int:
    # Two lines of the second size: a one-line message still shows at the largest size,
    # and a long one (a walk-in's question) takes two slightly smaller lines.
    sizes, padding = (COMPACT_POINT_SIZES, COMPACT_PADDING) if compact else (BANNER_POINT_SIZES, BANNER_PADDING)
    lines = QFontMetrics(banner_font(sizes[-1] if compact else sizes[1])).lineSpacing() * BANNER_LINES
    return lines + 2 * (padding[0] + BANNER_BORDER) + 4


class CheckInBanner(QLabel):
    """The check-in message.  ``state`` is the last message shown (None: the idle line)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state: Message | None = None
        self.compact = False  # set by the check-in panel on a small screen
        self.setObjectName("checkinBanner")
        self.setWordWrap(True)
        self.setAccessibleName(_("Check-in message"))
        # One height for every message, so that the list below never jumps (sizeHint).  Its
        # minimum is the compact height: the normal one never holds the window taller than a
        # small screen, where the panel turns compact.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.fit_height()

    def show_message(self, state: Message | None, closed: bool) -> None:
        """Show a message; None: the idle line, which says what to do (and that the
        session is closed, when it is)."""
        if state is not None and not state[1]:
            state = None
        self.state = state
        if state is None:
            kind = "idle"
            if closed:  # "closed" is said once, beside the list (the lock note, the session's title or state line)
                text = _("Type a name or scan a card: a check-in or any other change asks for the facilitator PIN.")
            else:
                text = _("Ready: type a name or scan a card.")
        else:
            kind, text = state
        self.setProperty("kind", kind)
        self.setText(text)
        self.setToolTip(self.readable_text())
        self.restyle()

    def fit_height(self) -> None:
        """The fixed height again: the language's script may set taller lines."""
        self.setMinimumHeight(banner_height(True))
        self.setMaximumHeight(banner_height(self.compact))
        self.updateGeometry()
        self.restyle()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(super().sizeHint().width(), banner_height(self.compact))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(super().minimumSizeHint().width(), banner_height(True))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return False  # the text is fitted to the height (restyle), not the height to the text

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return -1

    def message_kind(self) -> str:
        """"idle", "ok", "info", "warn" (asks before adding a walk-in) or "error"."""
        return str(self.property("kind") or "idle")

    def readable_text(self) -> str:
        """The message without the bidi isolation marks and the characters that keep names
        on one line (what a person reads)."""
        return readable(self.text())

    def restyle(self) -> None:
        """The colours of the message's kind, and the largest text size at which the
        message fits the banner's fixed height (a long one gets a smaller text, never a
        taller banner)."""
        kind = self.property("kind") or "idle"
        text = self.readable_text()
        sizes, padding = (COMPACT_POINT_SIZES, COMPACT_PADDING) if self.compact else (BANNER_POINT_SIZES,
                                                                                      BANNER_PADDING)
        width = max(100, self.width() - 2 * (padding[1] + BANNER_BORDER))
        room = min(self.height(), banner_height(self.compact)) - 2 * (padding[0] + BANNER_BORDER)
        size = sizes[-1]
        for candidate in sizes:
            needed = QFontMetrics(banner_font(candidate)).boundingRect(
                QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text).height()
            if needed <= room:
                size = candidate
                break
        style = (f"QLabel#checkinBanner {{ {BANNER_STYLES.get(kind, BANNER_STYLES['info'])} border-radius: 8px; "
                 f"border-width: {BANNER_BORDER}px; padding: {padding[0]}px {padding[1]}px; "
                 f"font-size: {size}pt; font-weight: bold; }}")
        if style != self.styleSheet():
            self.setStyleSheet(style)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        self.restyle()  # a narrower banner may need a smaller text to fit
        super().resizeEvent(event)
