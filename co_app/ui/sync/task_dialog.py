"""What the sync and export dialogs share: a file name with a Choose… button, a passphrase
field, and the dialog that runs its work on a worker thread with progress and Cancel (the
shell's ``TaskDialog``, its progress told in records)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

from co_app.core.foundation.i18n import N_, _, format_number
from co_app.ui.shell.task_dialog import TaskDialog as ShellTaskDialog

#: The synced tables in words.
TABLE_WORDS = {"co_sessions": N_("Sessions"), "households": N_("Households"), "participants": N_("Participants"),
               "attendance": N_("Check-ins"), "module_coverage": N_("Modules covered"),
               "learning_answers": N_("Learning check answers")}

def table_word(name: str) -> str:
    return _(TABLE_WORDS[name]) if name in TABLE_WORDS else name


class PathRow(QWidget):
    """A file name with a Choose… button (a save or an open dialog), or with ``folder`` a
    folder's (the office's USB stick)."""

    def __init__(self, *, save: bool = False, caption: str, filters: str = "", folder: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.save, self.caption, self.filters, self.folder = save, caption, filters, folder
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
        if self.folder:
            chosen = QFileDialog.getExistingDirectory(self, self.caption, self.edit.text())
        else:
            ask = QFileDialog.getSaveFileName if self.save else QFileDialog.getOpenFileName
            chosen, _filter = ask(self, self.caption, self.edit.text(), self.filters)
        if chosen:
            self.edit.setText(chosen)


def password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class TaskDialog(ShellTaskDialog):
    """The shell's task dialog, its progress told in synced records: "Participants: 120 of 300 records"."""

    def _progress(self, step) -> None:  # ExportProgress / MergeProgress
        self.bar.setRange(0, max(1, step.total))
        self.bar.setValue(step.done)
        self.status.setText(_("{what}: {done} of {total} records").format(
            what=table_word(step.table), done=format_number(step.done), total=format_number(step.total)))
