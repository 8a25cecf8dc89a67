"""Towns: the receiving towns' profiles, from content/towns (data files, per language)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from co_app.core.errors import CoError
from co_app.core.i18n import N_, _, country_name, current_language
from co_app.ui.content_browser import ContentBrowser
from co_app.ui.content_render import town_markdown
from co_app.ui.views.base import View, page_layout
from co_app.ui.widgets import EmptyState, page_title


class TownsView(View):
    key = "towns"
    nav_title = N_("Towns")

    #: (film id, moment id): play that part of the film.
    moment_requested = Signal(str, str)

    def __init__(self, services, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(services, parent)
        layout = page_layout(self)
        self.title = page_title()
        self.empty = EmptyState()
        self.empty.hide()
        self.browser = ContentBrowser()
        self.browser.items.currentRowChanged.connect(self._show)
        self.browser.moment_clicked.connect(self.moment_requested)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(self.browser, 1)
        self._towns: list = []

    def refresh(self) -> None:
        try:
            library = self.services.content
        except CoError as exc:
            self.empty.set_text(_("The town profiles could not be read"), str(exc))
            self.empty.show()
            self.browser.hide()
            return
        self._towns = library.towns(current_language())
        self.retranslate()

    def select(self, town_id: str) -> None:
        for row, town in enumerate(self._towns):
            if town.id == town_id:
                self.browser.items.setCurrentRow(row)

    def retranslate(self) -> None:
        self.title.setText(_("Towns"))
        self.browser.items.setAccessibleName(_("Receiving towns"))
        self.browser.reader.setAccessibleName(_("Town profile"))
        if self._towns and self._towns[0].language != current_language():
            self._towns = self.services.content.towns(current_language())
        labels = [f"{t.name}\n{country_name(t.country)}" for t in self._towns]
        self.browser.set_items(labels, 2 * self.fontMetrics().lineSpacing() + 14)
        self._show(self.browser.items.currentRow())

    def _show(self, row: int) -> None:
        if 0 <= row < len(self._towns):
            self.browser.show_markdown(town_markdown(self._towns[row], self.services.manifest))
