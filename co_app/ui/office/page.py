"""The Office page: the programme office's console over its hub (``main.py --db URL``).

At the top, which hub is open and *Import a USB stick…*; below, three tabs: the laptops
that sent packages (silent ones stand out), the reports across laptops with the donor
report, and the possible duplicate people.  Every query runs on a worker thread
(co_app/ui/shell/tasks.py): over 200,000 attendance records the window never waits.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from co_app.core.foundation.i18n import N_, _, isolate
from co_app.ui.shell.page import View, page_layout, text_scale
from co_app.ui.shell.widgets import muted, page_title


#: Below this height (times the text size) the page's title hides.
COMPACT_BELOW = 700


class OfficeView(View):
    key = "office"
    nav_title = N_("Office")

    def __init__(self, services, parent: QWidget | None = None) -> None:
        from co_app.ui.office.duplicates import DuplicatesPanel
        from co_app.ui.office.laptops import LaptopsPanel
        from co_app.ui.office.reports import ReportsPanel

        super().__init__(services, parent)
        layout = page_layout(self)
        layout.setSpacing(10)
        self.title = page_title()
        self.hub = muted()
        self.import_button = QPushButton()
        self.import_button.setObjectName("primary")
        self.import_button.clicked.connect(lambda: self.import_folder())
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title)
        heading.addWidget(self.hub)
        top = QHBoxLayout()
        top.addLayout(heading, 1)
        top.addWidget(self.import_button)
        self.laptops = LaptopsPanel(services)
        self.reports = ReportsPanel(services)
        self.duplicates = DuplicatesPanel(services)
        self.duplicates.merged.connect(self._records_changed)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("officeTabs")
        for panel in (self.laptops, self.reports, self.duplicates):
            self.tabs.addTab(panel, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        self._stale = {self.laptops, self.reports, self.duplicates}
        self.import_dialog = None  # the last Import a USB stick dialog (tests)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.title.setMinimumHeight(1)  # hidden on a low screen: never holds the window taller
        self.retranslate()

    # -- a small screen -----------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._choose_compact(event.size().height())

    def text_size_changed(self) -> None:
        """Settings → Larger text while open: the same choice as on a resize."""
        self._choose_compact(self.height())

    def _choose_compact(self, height: int) -> None:
        """Below 700 px (a 1024×600 netbook, larger text at 1366×768) the page's title gives
        its height to the tabs (the sidebar names the page): in Arabic with larger text the
        possible duplicates showed less than one whole row."""
        compact = height < COMPACT_BELOW * text_scale()
        if compact != self.title.isHidden():
            self.title.setVisible(not compact)

    def refresh(self) -> None:
        """Each tab loads when shown (a worker each): only the visible one pays now."""
        self._stale = {self.laptops, self.reports, self.duplicates}
        self._tab_changed(self.tabs.currentIndex())

    def _tab_changed(self, _index: int) -> None:
        panel = self.tabs.currentWidget()
        if panel in self._stale:
            self._stale.discard(panel)
            panel.refresh()  # type: ignore[attr-defined]

    def _records_changed(self) -> None:
        """An import or a merge changed the hub: every tab shows it when next seen."""
        current = self.tabs.currentWidget()
        self._stale = {self.laptops, self.reports, self.duplicates} - {current}

    def show_tab(self, key: str) -> QWidget:
        panel = {"laptops": self.laptops, "reports": self.reports, "duplicates": self.duplicates}[key]
        self.tabs.setCurrentWidget(panel)
        return panel

    def import_folder(self, folder=None):  # a Path or None; returns the dialog (for tests)
        """*Import a USB stick…*: choose a folder, import every package in it in one go."""
        from co_app.ui.office.import_dialog import FolderImportDialog

        from PySide6.QtCore import Qt

        dialog = self.import_dialog = FolderImportDialog(self.services, self, folder=folder)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(self._imported)
        dialog.open()
        return dialog

    def _imported(self) -> None:
        self._records_changed()
        self.tabs.currentWidget().refresh()  # type: ignore[attr-defined]

    def retranslate(self) -> None:
        self.title.setText(_("Office"))
        label = self.services.hub_label
        label = label[len("sqlite:///"):] if label.startswith("sqlite:///") else label  # a file: its path
        self.hub.setText(_("The office's hub: {hub}").format(hub=isolate(label)))  # a path reads left to right
        self.import_button.setText(_("Import a USB stick…"))
        self.import_button.setToolTip(_("Import every sync package in a folder (a laptop's USB stick) in one go"))
        for index, title in enumerate((_("Laptops"), _("Reports"), _("Possible duplicates"))):
            self.tabs.setTabText(index, title)
        for panel in (self.laptops, self.reports, self.duplicates):
            panel.retranslate()

    def shutdown(self) -> None:
        for panel in (self.laptops, self.reports, self.duplicates):
            panel.shutdown()
