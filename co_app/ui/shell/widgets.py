"""Small building blocks shared by the views."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from co_app.core.foundation.errors import Notice
from co_app.core.foundation.i18n import _


def page_title(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    label.setWordWrap(True)
    return label


def muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


def settings_card(panel: QWidget) -> tuple[QVBoxLayout, QLabel]:
    """``panel`` as a card of the Settings page (a framed "card" with the page's padding):
    the card's layout, with its heading (an "emptyTitle" label) already at the top."""
    card = QFrame(panel)
    card.setObjectName("card")
    outer = QVBoxLayout(panel)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(card)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(24, 20, 24, 20)
    heading = QLabel()
    heading.setObjectName("emptyTitle")
    layout.addWidget(heading)
    return layout, heading


class EmptyState(QFrame):
    """An honest 'nothing here yet' panel: what is missing and what to do about it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        self.title = QLabel()
        self.title.setObjectName("emptyTitle")
        self.title.setWordWrap(True)
        self.body = QLabel()
        self.body.setWordWrap(True)
        from PySide6.QtCore import Qt  # here, not at import: see co_app/ui/shell/language.py

        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title)
        layout.addWidget(self.body)

    def set_text(self, title: str, body: str) -> None:
        self.title.setText(title)
        self.body.setText(body)


class NoticeBar(QFrame):
    """Calm, non-blocking messages above the page (a damaged settings file, …)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notices: list[Notice] = []
        self.label = QLabel()
        self.label.setObjectName("warning")
        self.label.setWordWrap(True)
        self.dismiss = QPushButton()
        self.dismiss.clicked.connect(self.clear)
        row = QHBoxLayout(self)
        row.setContentsMargins(32, 12, 32, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.dismiss)
        self.hide()

    def show_notices(self, notices: list[Notice]) -> None:
        if notices:
            from PySide6.QtCore import Qt  # only when there is something to say

            self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._notices.extend(notices)
        self.retranslate()

    def clear(self) -> None:
        self._notices.clear()
        self.retranslate()

    def retranslate(self) -> None:
        self.dismiss.setText(_("Dismiss"))
        self.label.setText("\n\n".join(n.translated() for n in self._notices))
        self.setVisible(bool(self._notices))


def select_row(table, row: int) -> None:  # a QTableView
    """Choose ``row`` as if clicked, in either layout direction.  QTableView.selectRow finds
    its column at the viewport's right edge in a right-to-left layout, where there is none
    when the columns do not fill the view: it then selects nothing (in Arabic and Dari the
    participants' Edit and Delete stayed greyed)."""
    from PySide6.QtCore import QItemSelectionModel

    index = table.model().index(row, 0)
    if not index.isValid():
        return
    flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
             | QItemSelectionModel.SelectionFlag.Current)
    table.selectionModel().setCurrentIndex(index, flags)
