"""Towns: the receiving towns of the film series.  Profiles are content files that the
towns capability adds; until then the view lists the towns and says so plainly."""

from __future__ import annotations

from PySide6.QtWidgets import QListWidget, QWidget

from co_app.core.i18n import N_, _, country_name, current_language
from co_app.ui.views.base import View, page_layout
from co_app.ui.widgets import EmptyState, page_title


class TownsView(View):
    key = "towns"
    nav_title = N_("Towns")

    def __init__(self, services, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(services, parent)
        layout = page_layout(self)
        self.title = page_title()
        self.empty = EmptyState()
        self.towns = QListWidget()
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(self.towns, 1)

    def retranslate(self) -> None:
        self.title.setText(_("Towns"))
        self.towns.setAccessibleName(_("Receiving towns"))
        self.empty.set_text(
            _("No town profiles are installed yet"),
            _("These are the towns of the film series. Their profiles — housing, work, school, health "
              "and who helps — have not been added to this computer yet."),
        )
        self.towns.clear()
        manifest = self.services.manifest
        for film in manifest.films if manifest else ():
            if film.country != "EU":
                self.towns.addItem(f"{film.town_name(current_language())} — {country_name(film.country)}")

    def refresh(self) -> None:
        self.retranslate()
