"""Modules: the expectation-management modules, from content/modules (data files)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from co_app.core.foundation.errors import CoError
from co_app.core.foundation.i18n import N_, _, current_language
from co_app.ui.content.content_browser import ContentBrowser
from co_app.ui.content.content_render import module_markdown
from co_app.ui.shell.page import View, page_layout
from co_app.ui.shell.widgets import EmptyState, page_title


class ModulesView(View):
    key = "modules"
    nav_title = N_("Modules")

    moment_requested = Signal(str, str)

    def __init__(self, services, parent: QWidget | None = None) -> None:
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
        self._modules: list = []

    def refresh(self) -> None:
        try:
            self._modules = self.services.content.modules(current_language())
        except CoError as exc:
            self.empty.set_text(_("The modules could not be read"), str(exc))
            self.empty.show()
            self.browser.hide()
            return
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Modules"))
        self.browser.items.setAccessibleName(_("Orientation modules"))
        self.browser.reader.setAccessibleName(_("Module"))
        if self._modules and self._modules[0].language != current_language():
            self._modules = self.services.content.modules(current_language())
        labels = [f"{m.order}. {m.title}" for m in self._modules]
        self.browser.set_items(labels, 2 * self.fontMetrics().lineSpacing() + 6)
        self.browser.items.setWordWrap(True)
        self._show(self.browser.items.currentRow())

    def _show(self, row: int) -> None:
        if 0 <= row < len(self._modules):
            self.browser.show_markdown(module_markdown(self._modules[row], self.services.manifest))
