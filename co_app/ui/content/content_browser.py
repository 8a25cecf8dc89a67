"""A list of items and a reading pane: the shape of the Towns and Modules views."""

from __future__ import annotations

from PySide6.QtCore import QSize, QUrl, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QStackedWidget, QTextBrowser, QWidget

from co_app.ui.content.content_render import MOMENT_SCHEME


class ContentBrowser(QWidget):
    #: (film id, moment id) when a film moment link is clicked.
    moment_clicked = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items = QListWidget()
        self.items.setMinimumWidth(200)
        self.items.setMaximumWidth(280)
        self.reader = QTextBrowser()
        self.reader.setOpenLinks(False)
        self.reader.setOpenExternalLinks(False)  # offline: nothing leaves the laptop
        self.reader.anchorClicked.connect(self._anchor)
        self.reader.document().setDocumentMargin(16)
        # The reading pane can hold other pages beside the text (the Towns view adds its map).
        self.pages = QStackedWidget()
        self.pages.addWidget(self.reader)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.items)
        row.addWidget(self.pages, 1)

    def set_items(self, labels: list[str], row_height: int, *, select_first: bool = True) -> None:
        current = self.items.currentRow()
        self.items.blockSignals(True)
        self.items.clear()
        for label in labels:
            self.items.addItem(label)
            self.items.item(self.items.count() - 1).setSizeHint(QSize(0, row_height))
        self.items.blockSignals(False)
        if labels and (current >= 0 or select_first):
            self.items.setCurrentRow(min(max(current, 0), len(labels) - 1))

    def show_markdown(self, text: str) -> None:
        self.reader.setMarkdown(text)

    def _anchor(self, url: QUrl) -> None:
        if url.scheme() == MOMENT_SCHEME:
            film_id, _sep, moment_id = url.toString().removeprefix(f"{MOMENT_SCHEME}:").partition("#")
            self.moment_clicked.emit(film_id, moment_id)
