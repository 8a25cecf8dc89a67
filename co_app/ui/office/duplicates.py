"""Possible duplicates (co_app/core/office/duplicates.py): people registered on two laptops
who look like one person, proposed for merging; the merges in force, each with Undo.  A
merge is the office's change: it travels to every laptop with the next package."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from co_app.core.foundation.i18n import _, format_number, isolate, join_list, ngettext
from co_app.ui.office.common import WorkerPanel, data_table, fill
from co_app.ui.shell.page import text_scale
from co_app.ui.shell.widgets import select_row

#: Below this height (a 1024×600 netbook, larger text at 1366×768) the explanation above the
#: list goes into its tooltip: its three lines left the list less than one whole row.
COMPACT_BELOW = 480


def _name(given: str, family: str) -> str:
    return " ".join(part for part in (given, family) if part) or _("(no name)")


def kept_names(engine, ids: list[str]) -> dict[str, str]:  # on a worker
    """The names of the people others were merged into."""
    from sqlalchemy import select

    from co_app.core.db.models import Participant

    if not ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(select(Participant.id, Participant.given_name, Participant.family_name)
                            .where(Participant.id.in_(sorted(set(ids))[:900]))).all()
    return {row.id: _name(row.given_name, row.family_name) for row in rows}


def _person(candidate) -> str:  # a Candidate
    name = _name(candidate.given_name, candidate.family_name)
    details = [candidate.case_number] if candidate.case_number else []
    if candidate.birth_year:
        details.append(str(candidate.birth_year))  # a year: no thousands separator
    details.append(candidate.laptop_name or _("unknown laptop"))
    # One run of its own direction: in Arabic a Latin name's brackets and commas stay in place.
    return isolate("{name} ({details})".format(name=isolate(name), details=", ".join(isolate(d) for d in details)))


class DuplicatesPanel(WorkerPanel):
    #: A merge or an undo changed who counts as one person.
    merged = Signal()

    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.groups: list = []  # list[DuplicateGroup]
        self.pairs: list = []  # list[MergedPair]
        self.kept: dict[str, str] = {}  # the kept people's names, by id
        self.explain = QLabel()
        self.explain.setObjectName("muted")
        self.explain.setWordWrap(True)
        self.table = data_table(3)
        self.table.setWordWrap(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.merge_button = QPushButton()
        self.merge_button.setObjectName("primary")
        self.merge_button.clicked.connect(self.merge_selected)
        self.merged_title = QLabel()
        self.merged_title.setObjectName("sectionTitle")
        self.merged_table = data_table(2)
        self.merged_table.itemSelectionChanged.connect(self._selection_changed)
        self.undo_button = QPushButton()
        self.undo_button.clicked.connect(self.undo_selected)
        top = QHBoxLayout()
        top.addWidget(self.explain, 1)
        top.addWidget(self.merge_button, 0, Qt.AlignmentFlag.AlignLeading)  # its own width, the explanation hidden
        bottom = QHBoxLayout()
        bottom.addWidget(self.merged_title, 1)
        bottom.addWidget(self.undo_button)
        self.layout_.addLayout(top)
        self.layout_.addLayout(self.status_row)
        self.layout_.addWidget(self.table, 4)  # the proposals first: two whole rows at 1024×600
        self.layout_.addLayout(bottom)
        self.layout_.addWidget(self.merged_table, 1)
        self.explain.setMinimumHeight(1)  # hidden on a low screen: never holds the window taller
        self.retranslate()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._choose_compact(event.size().height())

    def text_size_changed(self) -> None:
        """Settings → Larger text while open: the same choice as on a resize."""
        self._choose_compact(self.height())

    def _choose_compact(self, height: int) -> None:
        compact = height < COMPACT_BELOW * text_scale()
        if compact != self.explain.isHidden():
            self.explain.setVisible(not compact)
            self.layout_.setSpacing(4 if compact else 10)
            self.layout_.setContentsMargins(0, 4 if compact else 12, 0, 0)

    def refresh(self) -> None:
        from co_app.core.office import duplicates

        engine = self.services.db.engine
        def work(_progress, _cancel):
            pairs = duplicates.merged(engine)
            return duplicates.find(engine), pairs, kept_names(engine, [pair.into for pair in pairs])

        self.run(work, self._loaded, working=_("Looking for people registered twice…"))

    def _loaded(self, found) -> None:
        self.groups, self.pairs, self.kept = list(found[0]), list(found[1]), found[2]
        self.set_status("")
        self.retranslate()

    def select(self, row: int) -> None:
        select_row(self.table, row)

    def merge_selected(self) -> None:
        """Merge every other person of the chosen group into its proposed keeper."""
        from co_app.core.office import duplicates

        row = self.table.currentRow()
        if not 0 <= row < len(self.groups):
            return
        group, db = self.groups[row], self.services.db
        others = [p.id for p in group.people if p.id != group.keep]

        def work(_progress, _cancel) -> int:
            for other in others:
                duplicates.merge(db, group.keep, other)
            return len(others)

        self.run(work, self._changed, working=_("Merging…"))

    def undo_selected(self) -> None:
        from co_app.core.office import duplicates

        row = self.merged_table.currentRow()
        if not 0 <= row < len(self.pairs):
            return
        pair, db = self.pairs[row], self.services.db
        self.run(lambda _progress, _cancel: duplicates.unmerge(db, pair.merged), self._changed,
                 working=_("Undoing the merge…"))

    def _changed(self, _result) -> None:
        self.merged.emit()
        self.refresh()

    def _selection_changed(self) -> None:
        self.merge_button.setEnabled(0 <= self.table.currentRow() < len(self.groups) and bool(
            self.table.selectedItems()))
        self.undo_button.setEnabled(0 <= self.merged_table.currentRow() < len(self.pairs) and bool(
            self.merged_table.selectedItems()))

    def retranslate(self) -> None:
        self.explain.setText(_("People registered on different laptops with the same case number, or the same "
                               "names and year of birth. A merge keeps every attendance under one person, reaches "
                               "the laptops with the next package and can be undone."))
        self.table.setToolTip(self.explain.text())  # where a low screen hides it
        self.merge_button.setText(_("Merge into the first"))
        self.undo_button.setText(_("Undo the merge"))
        self.merged_title.setText(ngettext("{count} merge in force", "{count} merges in force",
                                           len(self.pairs)).format(count=format_number(len(self.pairs))))
        reasons = {"case_number": _("same case number"), "names": _("same names and year of birth")}
        fill(self.table, [_("Why"), _("Keep"), _("Same person as")],
             [[reasons.get(g.reason, g.reason), _person(g.people[0]), join_list([_person(p) for p in g.people[1:]])]
              for g in self.groups], stretch=(1, 2))
        fill(self.merged_table, [_("Person"), _("Kept as")],
             [[isolate(_name(p.given_name, p.family_name)), isolate(self.kept.get(p.into, p.into[:8]))]
              for p in self.pairs], stretch=(0, 1))
        if not self.groups:
            self.table.setRowCount(0)
        # No merge in force: its empty list and Undo give their height to the proposals.
        self.merged_table.setVisible(bool(self.pairs))
        self.undo_button.setVisible(bool(self.pairs))
        self._selection_changed()
