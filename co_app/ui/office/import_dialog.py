"""*Import a USB stick…*: every sync package in a folder checked, then imported in order
(co_app/core/office/usb_import.py) on a worker, with progress and Cancel, and one summary:
per laptop, what was new, updated, unchanged, in conflict, and each refused package with why."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from co_app.core.foundation.i18n import _, format_number, isolate, ngettext
from co_app.ui.office.common import data_table, fill, sharing_the_gil
from co_app.ui.sync.task_dialog import PathRow, TaskDialog


def _refusal_text(laptop: str, refusal) -> str:  # a Refusal
    if laptop:
        return _("Refused: {file} ({laptop}): {reason}").format(file=isolate(refusal.file), laptop=isolate(laptop),
                                                               reason=refusal.reason)
    return _("Refused: {file}: {reason}").format(file=isolate(refusal.file), reason=refusal.reason)


class FolderImportDialog(TaskDialog):
    #: Something was imported (the Office page reloads what it shows).
    imported = Signal()

    def __init__(self, services, parent: QWidget | None = None, *, folder: Path | None = None) -> None:
        super().__init__(_("Import a USB stick"), _("Import"), parent)
        self.services = services
        self.report = None  # the FolderReport, once done
        self.folder = PathRow(folder=True, caption=_("Choose the folder of the packages"))
        if folder is not None:
            self.folder.edit.setText(str(folder))
        self.enrol = QCheckBox(_("Enrol laptops the office does not know yet"))
        self.enrol.setToolTip(_("Only after comparing each new laptop's key fingerprint, shown when its package "
                                "is refused, with the one on the laptop (Settings → Export and sync)."))
        self.explain = QLabel(_("Every package in the folder and its subfolders is checked, then imported laptop by "
                                "laptop in the order it was written. Importing the same folder again changes "
                                "nothing."))
        self.explain.setObjectName("muted")
        self.explain.setWordWrap(True)
        self.form.addRow(_("Folder"), self.folder)
        self.form.addRow("", self.enrol)
        self.form.addRow(self.explain)
        self.table = data_table(7)
        self.table.hide()
        self.layout_.addWidget(self.table, 1)
        self.refusals = QLabel()
        self.refusals.setWordWrap(True)
        self.refusals.setObjectName("warning")
        self.refusals.hide()
        self.layout_.addWidget(self.refusals)
        self._finish_layout()
        self.resize(760, self.sizeHint().height())

    def _start(self) -> None:
        folder = self.folder.path()
        if folder is None or not folder.is_dir():
            self._set_status(_("Choose a folder that exists: {path} is not one.").format(
                path=folder or "—"), warning=True)
            return
        engine, enrol = self.services.db.engine, self.enrol.isChecked()
        self.folder.setEnabled(False)
        self.enrol.setEnabled(False)
        def work(report, cancel):
            from co_app.core.office.usb_import import WINDOW_BATCH, import_folder  # on the worker: it loads the crypto

            with sharing_the_gil():
                return import_folder(engine, folder, progress=report, cancel=cancel, enrol=enrol, batch=WINDOW_BATCH)

        self.run(work, self._done)

    def _progress(self, step) -> None:  # FolderProgress
        self.bar.setRange(0, max(1, step.total))
        self.bar.setValue(step.done)
        if step.stage == "checking":
            text = _("Checking {file}: package {done} of {total}")
        else:
            text = _("Importing {file}: {done} of {total} records")
        self.status.setText(text.format(file=isolate(step.file), done=format_number(step.done),
                                        total=format_number(step.total)))

    def _done(self, report) -> None:  # FolderReport
        self.report = report
        if report.laptops:
            self.table.show()
            fill(self.table, [_("Laptop"), _("Packages"), _("New"), _("Updated"), _("Unchanged"), _("Conflicts"),
                              _("Held changes"), _("Refused")],
                 [[lap.name, lap.packages, lap.inserted, lap.updated, lap.unchanged, lap.conflicts, lap.held,
                   len(lap.refused)] for lap in report.laptops])
        refusals = [(lap.name, r) for lap in report.laptops for r in lap.refused] + [("", r) for r in report.refused]
        if refusals:
            self.refusals.setText("\n".join(_refusal_text(name, r) for name, r in refusals))
            self.refusals.show()
        if report.cancelled:
            self.status.setText(_("Stopped. The packages imported before stay imported; import the folder again to "
                                  "finish."))
            self.action.setEnabled(True)
        elif not report.laptops and not refusals:
            self._set_status(_("There is no sync package (.cosync) in {folder}.").format(folder=report.folder),
                             warning=True)
            self.folder.setEnabled(True)
            self.enrol.setEnabled(True)
            self.action.setEnabled(True)
            return
        else:
            self.finished_ok(self._summary(report))
        if report.laptops:
            self.imported.emit()
        self.fit()

    @staticmethod
    def _summary(report) -> str:  # FolderReport
        packages = report.total("packages")
        return " ".join((
            ngettext("{count} package imported.", "{count} packages imported.", packages).format(
                count=format_number(packages)),
            _("New: {new}, updated: {updated}, unchanged: {unchanged}, conflicts: {conflicts}, refused: "
              "{refused}.").format(new=format_number(report.total("inserted")),
                                   updated=format_number(report.total("updated")),
                                   unchanged=format_number(report.total("unchanged")),
                                   conflicts=format_number(report.total("conflicts")),
                                   refused=format_number(report.refusals))))
