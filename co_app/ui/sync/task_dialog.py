"""What the sync and export dialogs share: a file name with a Choose… button, a passphrase
field, and the dialog that runs its work on a worker thread with progress and Cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
    QVBoxLayout, QWidget,
)

from co_app.core.foundation.i18n import N_, _, format_number
from co_app.ui.shell.tasks import BackgroundTask

#: The synced tables in words.
TABLE_WORDS = {"co_sessions": N_("Sessions"), "households": N_("Households"), "participants": N_("Participants"),
               "attendance": N_("Check-ins"), "module_coverage": N_("Modules covered")}

def table_word(name: str) -> str:
    return _(TABLE_WORDS[name]) if name in TABLE_WORDS else name


class PathRow(QWidget):
    """A file name with a Choose… button (a save or an open dialog)."""

    def __init__(self, *, save: bool, caption: str, filters: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.save, self.caption, self.filters = save, caption, filters
        self.edit = QLineEdit()
        self.choose = QPushButton(_("Choose…"))
        self.choose.clicked.connect(self._choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.choose)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None

    def _choose(self) -> None:
        ask = QFileDialog.getSaveFileName if self.save else QFileDialog.getOpenFileName
        chosen, _filter = ask(self, self.caption, self.edit.text(), self.filters)
        if chosen:
            self.edit.setText(chosen)


def password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class TaskDialog(QDialog):
    """A form, a status line, a progress bar, and buttons: the primary action, then Cancel."""

    def __init__(self, title: str, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.task: BackgroundTask | None = None
        self.form = QFormLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.hide()
        self.buttons = QDialogButtonBox()
        self.action = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.action.setObjectName("primary")
        self.close_button = self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.action.clicked.connect(self._start)
        self.close_button.clicked.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)

    def _finish_layout(self) -> None:
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(self.bar)
        self.layout_.addWidget(self.buttons)

    def _start(self) -> None:
        raise NotImplementedError

    def run(self, work, done) -> None:
        self._set_status(_("Working…"))
        self.bar.setRange(0, 0)
        self.bar.show()
        self.action.setEnabled(False)
        self.task = BackgroundTask(work, self)
        self.task.progress.connect(self._progress)
        self.task.succeeded.connect(lambda result: self._ended() or done(result))
        self.task.failed.connect(lambda message: self._ended() or self._failed(message))
        self.task.cancelled.connect(lambda: self._ended() or self._failed(_("Stopped: nothing was changed.")))
        self.task.start()

    def _progress(self, step) -> None:  # ExportProgress / MergeProgress
        self.bar.setRange(0, max(1, step.total))
        self.bar.setValue(step.done)
        self.status.setText(_("{what}: {done} of {total} records").format(
            what=table_word(step.table), done=format_number(step.done), total=format_number(step.total)))

    def _ended(self) -> None:
        self.bar.hide()

    def _failed(self, message: str) -> None:
        self._set_status(message, warning=True)
        self.action.setEnabled(True)

    def _set_status(self, text: str, *, warning: bool = False) -> None:
        self.status.setText(text)
        self.status.setObjectName("warning" if warning else "")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.fit()

    def fit(self, *, shrink: bool = False) -> None:
        """Grow to the height the content needs at this width: a top-level dialog does not
        follow its wrapped labels' height-for-width by itself, and would overlap them.
        ``shrink``: also give back the height of rows just hidden."""
        self.layout_.invalidate()
        self.layout_.activate()
        needed = self.layout_.heightForWidth(self.width()) if self.layout_.hasHeightForWidth() else -1
        needed = max(needed, self.layout_.totalMinimumSize().height())
        if needed > self.height() or (shrink and needed < self.height()):
            self.resize(self.width(), needed)

    def finished_ok(self, text: str) -> None:
        self._set_status(text)
        self.action.hide()
        self.close_button.setText(_("Close"))

    def reject(self) -> None:
        """Cancel stops the work first; the dialog closes once the worker has let go."""
        if self.task is not None and self.task.running:
            self.task.cancel()
            self.status.setText(_("Stopping…"))
            return
        super().reject()
