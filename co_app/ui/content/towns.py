"""Towns: the offline map of Europe with the receiving towns pinned, and each town's
profile from content/towns (data files, per language)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from co_app.core.foundation.errors import CoError
from co_app.core.foundation.i18n import N_, _, country_name, current_language
from co_app.ui.content.content_browser import ContentBrowser
from co_app.ui.content.content_render import town_markdown
from co_app.ui.shell.page import View, page_layout
from co_app.ui.shell.widgets import EmptyState, page_title


class TownsView(View):
    key = "towns"
    nav_title = N_("Towns")

    #: (film id, moment id): play that part of the film.
    moment_requested = Signal(str, str)

    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        layout = page_layout(self)
        self.title = page_title()
        self.map_button = QPushButton()
        self.map_button.clicked.connect(self.show_map)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.map_button)
        self.empty = EmptyState()
        self.empty.hide()
        self.browser = ContentBrowser()
        self.browser.items.currentRowChanged.connect(self._show)
        self.browser.items.itemClicked.connect(lambda _item: self._show(self.browser.items.currentRow()))
        self.browser.moment_clicked.connect(self.moment_requested)
        # The reading pane shows either the map or a profile.
        self.pages = self.browser.pages
        self.map = None
        layout.addLayout(header)
        layout.addWidget(self.empty)
        layout.addWidget(self.browser, 1)
        self._towns: list = []

    def _ensure_map(self) -> None:
        """Build the map on first use (it reads the outlines of 63 countries)."""
        if self.map is not None:
            return
        from co_app.core.content.map_data import load_map
        from co_app.ui.content.map_widget import EuropeMapWidget

        content = getattr(self.services, "active_content", None)
        try:  # an imported content pack may bring its own map
            pack_map = content.root / "map" / "europe.json" if content is not None and content.from_pack else None
            europe = load_map(pack_map) if pack_map is not None and pack_map.is_file() else load_map()
        except CoError as exc:
            self.map_button.hide()
            self.empty.set_text(_("The map could not be read"), str(exc))
            self.empty.show()
            return
        self.map = EuropeMapWidget(europe)
        self.map.town_clicked.connect(self.select)
        self.pages.insertWidget(0, self.map)

    def refresh(self) -> None:
        try:
            library = self.services.content
        except CoError as exc:
            self.empty.set_text(_("The town profiles could not be read"), str(exc))
            self.empty.show()
            self.browser.hide()
            return
        self._towns = library.towns(current_language())
        self._ensure_map()
        self.retranslate()
        self.show_map()

    def show_map(self) -> None:
        if self.map is None:
            return
        from co_app.ui.content.map_widget import Pin

        pins = [Pin(t.id, t.name, t.location.lon, t.location.lat, t.country)
                for t in self._towns if t.kind == "town" and t.location is not None]
        destination = self._destination()
        self.map.set_pins(pins, next((t.id for t in self._towns if t.film and t.film == destination), None))
        self.browser.items.blockSignals(True)
        self.browser.items.clearSelection()
        self.browser.items.setCurrentRow(-1)
        self.browser.items.blockSignals(False)
        self.pages.setCurrentWidget(self.map)

    def _destination(self) -> str | None:
        """The film id of today's session's destination, to highlight that town (none at the
        office's hub: no session is run there, and it may be PostgreSQL)."""
        from co_app.core.db.glance import sessions_on

        if self.services.is_office:
            return None

        with self.services.plain() as conn:
            today = sessions_on(conn, date.today())
        return today[-1].destination_towns[0] if today and today[-1].destination_towns else None

    def select(self, town_id: str) -> None:
        for row, town in enumerate(self._towns):
            if town.id == town_id:
                self.browser.items.setCurrentRow(row)
                self._show(row)

    @staticmethod
    def _second_line(town) -> str:  # a Town
        """Its country for a town; what it is for the overviews ("France / France" said nothing)."""
        if town.kind == "country":
            return _("About the country")
        if town.kind == "overview":
            return _("About Europe")
        return country_name(town.country)

    def retranslate(self) -> None:
        self.title.setText(_("Towns"))
        self.map_button.setText(_("Map of Europe"))
        self.browser.items.setAccessibleName(_("Receiving towns"))
        self.browser.reader.setAccessibleName(_("Town profile"))
        if self.map is not None:
            self.map.setAccessibleName(_("Map of Europe: click a town to read about it"))
        if self._towns and self._towns[0].language != current_language():
            self._towns = self.services.content.towns(current_language())
        labels = [f"{t.name}\n{self._second_line(t)}" for t in self._towns]
        # No town chosen at first: the map is what the group sees when Towns opens.
        self.browser.set_items(labels, 2 * self.fontMetrics().lineSpacing() + 14, select_first=False)
        if self.pages.currentWidget() is self.browser.reader:
            self._show(self.browser.items.currentRow())
        elif self.map is not None:
            self.show_map()

    def _show(self, row: int) -> None:
        if 0 <= row < len(self._towns):
            # The viewer (the main window's "kiosk" property) shows no sources nor notes for the facilitator.
            facilitator = not self.window().property("kiosk")
            self.browser.show_markdown(town_markdown(self._towns[row], self.services.manifest,
                                                     facilitator=facilitator))
            self.pages.setCurrentWidget(self.browser.reader)
