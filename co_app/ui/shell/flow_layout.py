"""A layout that puts its widgets side by side and wraps them onto the next line when the
width runs out (a row of buttons or filters in a narrow page, or in a longer language).

Like Qt's own layouts it mirrors for a right-to-left interface: the first widget is on
the right in Arabic and Dari.  It has a height for its width, so the page around it grows
by a line when it wraps instead of overlapping what follows.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, *, spacing: int = 10, line_spacing: int | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._line_spacing = spacing if line_spacing is None else line_spacing
        self.setContentsMargins(0, 0, 0, 0)

    # --- QLayout's interface -----------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):  # noqa: N802 - Qt.Orientation
        from PySide6.QtCore import Qt  # here, not at import: see co_app/ui/shell/language.py

        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        """Everything on one line."""
        visible = self._visible()
        width = sum(item.sizeHint().width() for item in visible) + self._spacing * max(0, len(visible) - 1)
        height = max((item.sizeHint().height() for item in visible), default=0)
        margins = self.contentsMargins()
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802
        """As narrow as the widest single widget: the rest wraps."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    # --- placing ------------------------------------------------------------------------

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        lines: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._visible():
            width = min(item.sizeHint().width(), area.width()) if area.width() > 0 else item.sizeHint().width()
            needed = width if not lines[-1] else used + self._spacing + width
            if lines[-1] and needed > area.width():
                lines.append([])
                needed = width
            lines[-1].append(item)
            used = needed
        y = area.y()
        parent = self.parentWidget()
        rtl = parent is not None and parent.isRightToLeft()
        for line in lines:
            if not line:
                continue
            height = max(item.sizeHint().height() for item in line)
            x = area.x()
            for item in line:
                width = min(item.sizeHint().width(), area.width()) if area.width() > 0 else item.sizeHint().width()
                if apply:
                    # centred in the line's height: a label beside a taller button
                    hint = min(item.sizeHint().height(), height)
                    box = QRect(QPoint(x, y + (height - hint) // 2), QSize(width, hint))
                    if rtl:  # mirrored: the first widget on the right
                        box.moveLeft(area.left() + area.right() - box.right())
                    item.setGeometry(box)
                x += width + self._spacing
            y += height + self._line_spacing
        return y - self._line_spacing - area.y() + margins.top() + margins.bottom() if y > area.y() else 0


class EvenRows(FlowLayout):
    """Widgets of one width side by side, as many to a row as fit at their minimum width
    (four, else two and two, ...), each row filling the width: a report's figures, in a
    row on a laptop, never scrolling sideways on a netbook with larger text."""

    #: A widget's least comfortable width, in digits' widths (narrower, a label of three
    #: words took six lines in Arabic), unless its own width is less.
    COMFORTABLE_DIGITS = 16

    def _columns(self, width: int) -> int:
        visible = self._visible()
        parent = self.parentWidget()
        comfortable = parent.fontMetrics().horizontalAdvance("0") * self.COMFORTABLE_DIGITS if parent else 0
        least = max((max(item.minimumSize().width(), min(item.sizeHint().width(), comfortable))
                     for item in visible), default=0)
        for columns in range(len(visible), 1, -1):
            if len(visible) % columns == 0 and columns * least + (columns - 1) * self._spacing <= width:
                return columns  # rows of equal length: 4, then 2 and 2
        return 1

    def sizeHint(self) -> QSize:  # noqa: N802
        """All on one row, each as wide as the widest."""
        visible = self._visible()
        width = max((item.sizeHint().width() for item in visible), default=0)
        height = max((item.sizeHint().height() for item in visible), default=0)
        margins = self.contentsMargins()
        return QSize(len(visible) * width + self._spacing * max(0, len(visible) - 1) + margins.left()
                     + margins.right(), height + margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        visible = self._visible()
        columns = self._columns(area.width())
        width = max(1, (area.width() - (columns - 1) * self._spacing) // columns)
        parent = self.parentWidget()
        rtl = parent is not None and parent.isRightToLeft()
        y = area.y()
        for start in range(0, len(visible), columns):
            row = visible[start:start + columns]
            height = max(max(item.heightForWidth(width) if item.hasHeightForWidth() else -1,
                             item.sizeHint().height(), item.minimumSize().height()) for item in row)
            for index, item in enumerate(row):
                if apply:
                    box = QRect(area.x() + index * (width + self._spacing), y, width, height)
                    if rtl:  # mirrored: the first widget on the right
                        box.moveLeft(area.left() + area.right() - box.right())
                    item.setGeometry(box)
            y += height + self._line_spacing
        return y - self._line_spacing - area.y() + margins.top() + margins.bottom() if visible else 0
