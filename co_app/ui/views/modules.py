"""Modules: the expectation-management modules, once their content files are added."""

from __future__ import annotations

from PySide6.QtWidgets import QListWidget, QWidget

from co_app.core.i18n import N_, _
from co_app.ui.views.base import View, page_layout
from co_app.ui.widgets import EmptyState, page_title

#: The modules the programme plans, shown so a facilitator knows what is coming.
PLANNED_MODULES = (
    N_("Journey and arrival"),
    N_("Life in a small town"),
    N_("Housing"),
    N_("Work and money"),
    N_("Learning the language"),
    N_("School and childcare"),
    N_("Health and wellbeing"),
    N_("Rights and responsibilities"),
    N_("Volunteers and local support"),
    N_("The first year: realistic expectations"),
)


class ModulesView(View):
    key = "modules"
    nav_title = N_("Modules")

    def __init__(self, services, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(services, parent)
        layout = page_layout(self)
        self.title = page_title()
        self.empty = EmptyState()
        self.planned = QListWidget()
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(self.planned, 1)

    def retranslate(self) -> None:
        self.title.setText(_("Modules"))
        self.empty.set_text(
            _("No orientation modules are installed yet"),
            _("The modules planned for this programme are:"),
        )
        self.planned.clear()
        for name in PLANNED_MODULES:
            self.planned.addItem(_(name))
