"""Which modules this session covered: set by the session runner, corrected here."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from co_app.core.sessions import agenda as agenda_core
from co_app.core.bootstrap import Services
from co_app.core.foundation.i18n import _, current_language, ngettext
from co_app.ui.shell.widgets import muted


class CoveragePanel(QWidget):
    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.session_id: str | None = None
        self.covered: set[str] = set()
        self.intro = muted()
        self.summary = muted()
        self.list = QListWidget()
        self.list.setObjectName("coverageList")
        self.list.itemChanged.connect(self._item_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.summary)
        self.retranslate()

    def set_session(self, session_id: str | None) -> None:
        self.session_id = session_id
        self.refresh()

    def refresh(self) -> None:
        self.covered = set()
        if self.session_id:
            with self.services.db.session() as db:
                self.covered = set(agenda_core.covered_modules(db, self.session_id))
        self._fill()

    def set_covered(self, module_id: str, covered: bool) -> bool:
        """Correct one module's coverage (asks for the PIN when the session is closed)."""
        from co_app.ui.sessions.lock import ensure_editable

        if not self.session_id or not ensure_editable(self, self.services, self.session_id, "module coverage"):
            return False
        with self.services.db.session() as db:
            agenda_core.set_module_covered(db, self.session_id, module_id, covered)
        (self.covered.add if covered else self.covered.discard)(module_id)
        self.changed.emit()
        return True

    def _item_changed(self, item: QListWidgetItem) -> None:
        module_id = item.data(Qt.ItemDataRole.UserRole)
        wanted = item.checkState() == Qt.CheckState.Checked
        if wanted == (module_id in self.covered):
            return
        if not self.set_covered(module_id, wanted):
            self.list.blockSignals(True)
            item.setCheckState(Qt.CheckState.Checked if module_id in self.covered else Qt.CheckState.Unchecked)
            self.list.blockSignals(False)
        self._update_summary()

    def _fill(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for module in self.services.content.modules(current_language()):
            item = QListWidgetItem(module.title)
            item.setData(Qt.ItemDataRole.UserRole, module.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Checked if module.id in self.covered else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._update_summary()

    def _update_summary(self) -> None:
        total = self.list.count()
        done = len(self.covered)
        self.summary.setText(ngettext("{done} of {total} module covered", "{done} of {total} modules covered",
                                      total).format(done=done, total=total))

    def retranslate(self) -> None:
        self.list.setAccessibleName(_("Modules covered"))
        self.intro.setText(_("The session runner ticks a module when the group reaches its end. "
                             "Tick or untick a module here to correct it."))
        self._fill()
