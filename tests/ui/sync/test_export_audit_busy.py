"""An export whose audit entry meets a busy database (another process writing to it for
longer than SQLite waits) keeps its file: the dialog says it was written, and adds the
warning that the audit log could not record it — never SQL, never a failure."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from co_app.ui.sync.sync_dialogs import AttendanceExportDialog
from tests.ui.attendance_data import seed_session
from tests.ui.shell.test_full_disk_ui import click, type_into


def test_the_export_dialog_keeps_the_file_and_warns(qtbot, services, tmp_path: Path) -> None:
    seed_session(services)
    dialog = AttendanceExportDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    target = tmp_path / "attendance.csv"
    type_into(qtbot, dialog.destination.edit, str(target))
    writer = sqlite3.connect(services.paths.database, isolation_level=None)  # as a sync import would
    try:
        writer.execute("BEGIN IMMEDIATE")
        click(qtbot, dialog.action)
        qtbot.waitUntil(lambda: dialog.summary is not None, timeout=30_000)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    lines = dialog.status.text().replace("\u2068", "").replace("\u2069", "").splitlines()
    assert lines[0].startswith("Done: ") and lines[0].endswith(f"written to {target}.")
    assert lines[1] == (f"{target} was written, but the audit log could not record it just now (the database was "
                        "busy or the disk full).")
    assert dialog.status.objectName() == "warning" and "INSERT" not in dialog.status.text()
    assert target.stat().st_size > 0 and dialog.summary.warning is not None
