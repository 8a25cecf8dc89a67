"""The Settings card "Content": which content version this laptop uses (shipped with the
program or from the office's content pack), importing a pack from a USB stick — checked
and switched to on a worker thread, with progress — and going back one step.

The work is the core's (co_app/core/content/store.py); ``content import``, ``content
rollback`` and ``content status`` do the same from the command line.  The office's key
comes from the caller (the laptop's enrolment is the sync domain's)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from co_app.core.foundation.i18n import _, format_number, isolate
from co_app.ui.shell.tasks import BackgroundTask
from co_app.ui.shell.widgets import settings_card

PACK_FILTER = "*.copack"
#: The enrolled office's (Ed25519 public signing key, name), or None when not enrolled.
OfficeKey = Callable[[], "tuple[bytes, str] | None"]


def content_version_text(content) -> str:  # ActiveContent
    """"Version 3 of 2026-12-06 (content pack)" for Settings and the projector's first slide."""
    source = _("content pack from the office") if content.from_pack else _("shipped with the program")
    return _("Content version {version} of {date} ({source})").format(
        version=format_number(content.version), date=isolate(content.date or "—"), source=source)


def translated(work):
    """``work`` whose refusal (a PackError) reaches the window in the interface language."""
    from co_app.core.content.pack import PackError
    from co_app.core.foundation.errors import CoError

    def run(report, cancel):
        try:
            return work(report, cancel)
        except PackError as exc:
            raise CoError(exc.notice.translated()) from None

    return run


class ContentPackPanel(QWidget):
    #: The content in use changed (a pack imported, or rolled back): pages read it again.
    content_changed = Signal()

    def __init__(self, services, office_key: OfficeKey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.office_key = services, office_key
        self.task: BackgroundTask | None = None
        layout, self.heading = settings_card(self)
        self.version = QLabel()
        self.version.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        self.bar = QProgressBar()
        self.bar.hide()
        self.import_button, self.rollback_button = QPushButton(), QPushButton()
        self.import_button.clicked.connect(self.choose_pack)
        self.rollback_button.clicked.connect(self.rollback)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addWidget(self.rollback_button)
        row.addStretch(1)
        for widget in (self.version, self.status, self.bar):
            layout.addWidget(widget)
        layout.addLayout(row)

    def _store(self):
        from co_app.core.content.store import ContentStore

        return ContentStore(self.services.paths.root)

    def refresh(self) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        from co_app.core.content.store import shipped

        content = self.services.active_content or shipped()
        self.heading.setText(_("Content"))
        lines = [content_version_text(content)]
        if content.note:
            lines.append(content.note)
        if content.previous is not None:
            lines.append(_("Going back returns to content version {version}.").format(
                version=format_number(content.previous)))
        self.version.setText("\n".join(lines))
        self.import_button.setText(_("Import a content pack…"))
        self.rollback_button.setText(_("Go back to the previous content"))
        self.rollback_button.setEnabled(content.previous is not None and not self.busy)

    @property
    def busy(self) -> bool:
        return self.task is not None and self.task.running

    def choose_pack(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, _("Import a content pack"), "",
                                                      _("Content packs ({pattern})").format(pattern=PACK_FILTER))
        if chosen:
            self.import_pack(chosen)

    def import_pack(self, path: str) -> None:
        from pathlib import Path

        office = self.office_key()
        if office is None:
            self._say(_("This laptop is not enrolled with an office yet, so it cannot check who signed a content "
                        "pack: enrol it first (Export and sync, below)."), warning=True)
            return
        sign, name = office
        store = self._store()

        def work(report, _cancel):
            return store.install(Path(path), sign, name, progress=lambda done, total: report((done, total)))

        self._run(translated(work), _("Checking {file}…").format(file=isolate(Path(path).name)))

    def rollback(self) -> None:
        store = self._store()
        self._run(translated(lambda _report, _cancel: store.rollback()), _("Going back…"))

    def _run(self, work, text: str) -> None:
        self._say(text)
        self.bar.setRange(0, 0)
        self.bar.show()
        self.import_button.setEnabled(False)
        self.rollback_button.setEnabled(False)
        self.task = BackgroundTask(work, self)
        self.task.progress.connect(self._progress)
        self.task.succeeded.connect(self._done)
        self.task.failed.connect(self._failed)
        self.task.start()

    def _progress(self, step) -> None:
        done, total = step
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(done)

    def _done(self, result) -> None:  # ImportResult
        self._ended()
        self.services.reload_content()
        changes = len(result.changes)
        self._say(_("Now using content version {version} of {date} (was {before}); {count} parts changed.").format(
            version=format_number(result.after.version), date=isolate(result.after.date),
            before=format_number(result.before.version), count=format_number(changes)))
        self.retranslate()
        self.content_changed.emit()

    def _failed(self, message: str) -> None:
        self._ended()
        self._say(message, warning=True)
        self.retranslate()

    def _ended(self) -> None:
        self.bar.hide()
        self.import_button.setEnabled(True)
        self.task = None

    def _say(self, text: str, *, warning: bool = False) -> None:
        self.status.setText(text)
        self.status.setObjectName("warning" if warning else "")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.show()
