"""Import a media pack, or check the library, with progress and a Cancel button.

The work runs on a worker thread (``BackgroundTask``): hashing a 300 MB film on an old
laptop takes a while, and the window must stay responsive meanwhile."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QProgressBar, QVBoxLayout, QWidget,
)

from co_app.core.bootstrap import Services
from co_app.core.foundation.i18n import _, current_language, pgettext
from co_app.core.media.library import FilmStatus
from co_app.core.media.problems import problem_text
from co_app.ui.media.unfinished import UnfinishedImportBar
from co_app.ui.shell.tasks import BackgroundTask

STATUS_WORDS = {
    FilmStatus.PRESENT: lambda: pgettext("film status", "ready"),
    FilmStatus.MISSING: lambda: pgettext("film status", "missing"),
    FilmStatus.CORRUPT: lambda: pgettext("film status", "damaged"),
    FilmStatus.UNVERIFIED: lambda: pgettext("film status", "not checked"),
}


def status_word(status: FilmStatus) -> str:
    return STATUS_WORDS[FilmStatus(status)]()


def action_text(action: str) -> str:
    """Import's English action words, in the interface language."""
    from co_app.core.media import importer as mi

    known = {mi.INSTALLED: _("installed"), mi.RESUMED: _("installed (the copy continued where it had stopped)"),
             mi.SKIPPED: _("already here and checked, left as it was"),
             mi.SUBTITLES_ONLY: _("no film file in the pack (subtitles only)")}
    if action in known:
        return known[action]
    if action.startswith("rejected: "):
        return _("NOT installed: {reason}").format(reason=action.removeprefix("rejected: "))
    return action


class MediaTaskDialog(QDialog):
    """``kind`` is "import" (from ``source``) or "verify"."""

    #: Emitted once the library may have changed (the Films view refreshes).
    library_changed = Signal()

    def __init__(self, services: Services, kind: str, source: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.kind = kind
        self.report = None
        self.setWindowTitle(_("Importing films") if kind == "import" else _("Checking the films"))
        self.setMinimumWidth(560)
        self.current = QLabel(_("Starting…"))
        self.current.setWordWrap(True)
        self.bar = QProgressBar()
        self.results = QPlainTextEdit()
        self.results.setReadOnly(True)
        self.results.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.rejected.connect(self.reject)
        self.source = source
        # A cut import (cancelled, the drive pulled out, the disk full): Resume or Discard here.
        self.unfinished = UnfinishedImportBar(services.paths.media)
        self.unfinished.resume_requested.connect(self._resume)
        self.unfinished.discarded.connect(self._discarded)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addWidget(self.bar)
        layout.addWidget(self.unfinished)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.buttons)
        self._start()

    def _start(self) -> None:
        self.task = BackgroundTask(self._work_for(self.kind, self.source), self)
        self.task.progress.connect(self._progress)
        self.task.succeeded.connect(self._done)
        self.task.failed.connect(self._failed)
        self.task.cancelled.connect(self._cancelled)
        self.task.start()

    def _resume(self, source: Path | None) -> None:
        """Import the same pack again: each partial copy continues where it stopped."""
        self.source = source or self.source
        self.unfinished.hide()
        self.results.hide()
        self.current.setText(_("Starting…"))
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self._start()

    def _discarded(self) -> None:
        self.current.setText(_("The partly copied films were deleted."))
        self.library_changed.emit()

    def _work_for(self, kind: str, source: Path | None):
        services = self.services
        manifest = services.manifest
        media = services.paths.media

        def work(progress, cancel):  # runs on the worker thread
            if manifest is None:  # the film list is broken: say which file and what, as Films does
                from co_app.core.foundation.errors import ManifestError

                raise ManifestError(services.manifest_error or _("The film list could not be read"))
            with services.plain() as conn:  # this thread's own connection; each film is committed
                if kind == "import":
                    from co_app.core.media.importer import import_pack

                    return import_pack(source, media, manifest, conn, progress=progress, cancel=cancel)
                from co_app.core.media.verify import verify_library

                return verify_library(media, manifest, conn, progress=progress, cancel=cancel)

        return work

    def _town(self, film_id: str) -> str:
        film = self.services.manifest.film(film_id) if self.services.manifest else None
        return film.town_name(current_language()) if film else film_id

    def _progress(self, step) -> None:  # ImportProgress or VerifyProgress
        total = max(1, step.total_bytes)
        self.bar.setRange(0, 1000)
        self.bar.setValue(int(1000 * step.done_bytes / total))
        self.current.setText(_("{town}: {file}").format(town=self._town(step.film_id), file=step.file))

    def _done(self, report) -> None:  # ImportReport or VerifyReport
        self.report = report
        lines = []
        for film in report.films:
            if self.kind == "import":
                lines.append(f"{self._town(film.film_id)}: {action_text(film.action)}")
            else:
                lines.append(f"{self._town(film.film_id)}: {status_word(film.status)}"
                             + (f" — {problem_text(film.problem)}" if film.problem else ""))
            for sub in film.subtitles:
                if sub.error:
                    lines.append("    " + _("subtitles {language}: cannot be used — {reason}").format(
                        language=sub.language, reason=sub.error))
                elif sub.problems:
                    lines.append("    " + _("subtitles {language}: {count} damaged passages skipped").format(
                        language=sub.language, count=len(sub.problems)))
        ok = report.ok
        self.current.setText(_("Done: everything is in order.") if ok else _("Done, but some films need attention:"))
        self.bar.setValue(self.bar.maximum())
        self._finish("\n".join(lines))

    def _failed(self, message: str) -> None:
        self.current.setText(message)
        self._finish("")
        self._offer_resume()

    def _cancelled(self) -> None:
        self.current.setText(_("Stopped. What was already copied is kept: importing again continues from there."))
        self._finish("")
        self._offer_resume()

    def _offer_resume(self) -> None:
        if self.kind == "import" and self.unfinished.refresh() is not None:
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _finish(self, text: str) -> None:
        self.results.setPlainText(text)
        self.results.setVisible(bool(text))
        if text:  # every film's line at once (it showed three): up to the screen's height
            lines = text.count("\n") + 2
            wanted = self.results.fontMetrics().lineSpacing() * min(lines, 14) + 24
            self.results.setMinimumHeight(wanted)
            screen = self.screen().availableGeometry().height() if self.screen() else 800
            self.resize(self.width(), min(self.sizeHint().height(), int(screen * 0.9)))
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        # The page re-reads the library in the next turn of the event loop: the outcome is
        # painted first, and the window never does both in one go (issue 9: no stall > 50 ms).
        QTimer.singleShot(0, self, self.library_changed.emit)

    def reject(self) -> None:
        """Cancel stops the work first; the dialog closes once the worker has let go."""
        if self.task.running:
            self.task.cancel()
            self.current.setText(_("Stopping…"))
            return
        super().reject()
