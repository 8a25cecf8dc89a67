"""A cut import on the Films page and in the import dialog: what was partly copied, from
where, with **Resume** (the same pack again: each copy continues where it stopped) and
**Discard** (the partial copies deleted, their space given back)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from co_app.core.foundation.i18n import _, format_number, isolate, ngettext
from co_app.core.media.importer import Unfinished, discard_unfinished, unfinished_import


def unfinished_text(found: Unfinished) -> str:
    """"The last import stopped before it finished: 2 films partly copied (340 MB), from /media/usb."""
    size = _("{megabytes} MB").format(megabytes=format_number(max(1, round(found.bytes / 1e6))))
    films = ngettext("{count} film partly copied ({size})", "{count} films partly copied ({size})",
                     len(found.parts)).format(count=len(found.parts), size=size)
    if found.source is None:
        return _("The last import stopped before it finished: {films}.").format(films=films)
    return _("The last import stopped before it finished: {films}, from {folder}.").format(
        films=films, folder=isolate(str(found.source)))


class UnfinishedImportBar(QFrame):
    """Hidden unless ``refresh`` finds partial copies in the media folder."""

    #: Resume asked: the pack's folder (None: unknown, ask for it).
    resume_requested = Signal(object)
    #: The partial copies were deleted.
    discarded = Signal()

    def __init__(self, media_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.media_dir = media_dir
        self.found: Unfinished | None = None
        self.label = QLabel()
        self.label.setObjectName("warning")  # as the window's notice bar
        self.label.setWordWrap(True)
        self.resume = QPushButton()
        self.resume.setObjectName("primary")
        self.discard = QPushButton()
        self.resume.clicked.connect(self._resume)
        self.discard.clicked.connect(self._discard)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.resume)
        row.addWidget(self.discard)
        self.retranslate()
        self.hide()

    def refresh(self) -> Unfinished | None:
        self.found = unfinished_import(self.media_dir)
        self.setVisible(self.found is not None)
        self.retranslate()
        return self.found

    def retranslate(self) -> None:
        self.resume.setText(_("Resume"))
        self.resume.setToolTip(_("Import the same media pack again: each copy continues where it stopped"))
        self.discard.setText(_("Discard"))
        self.discard.setToolTip(_("Delete the partly copied films and give their space back"))
        if self.found is not None:
            self.label.setText(unfinished_text(self.found))

    def _resume(self) -> None:
        source = self.found.source if self.found else None
        self.resume_requested.emit(source if source is not None and source.is_dir() else None)

    def _discard(self) -> None:
        discard_unfinished(self.media_dir)
        self.refresh()
        self.discarded.emit()
