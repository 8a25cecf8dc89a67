"""Export and sync as a facilitator meets them: the count on Home, the export dialog, the
import dialog's preview, the conflict list and the attendance spreadsheet."""

from __future__ import annotations

import csv
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import func, select, update

from co_app.core.db.models import Participant, SyncConflict
from co_app.core.db.versions import dot_of
from co_app.core.sync.package import export_package
from co_app.core.sync.service import import_package
from co_app.ui.sync.conflicts_dialog import ConflictsDialog
from co_app.ui.sync.sync_dialogs import AttendanceExportDialog, SyncExportDialog, SyncImportDialog
from tests.core.sync_helpers import PASSPHRASE, laptop, populate
from tests.ui.helpers import choose_in_combo, click_nav


def participants(services) -> int:
    with services.db.session() as db:
        return db.scalar(select(func.count()).select_from(Participant))


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_into(qtbot, field, text: str) -> None:
    field.clear()
    qtbot.keyClicks(field, text)


def test_home_counts_the_changes_and_the_export_dialog_writes_the_package(qtbot, make_window, services, tmp_path):
    populate(services.db)
    window = make_window()
    home = window.view("home")
    assert home.sync_status.isVisible() and home.sync_status.text() == "25 changes not yet exported"

    click(qtbot, home.sync_button)
    dialog = home.findChild(SyncExportDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    target = tmp_path / "for-the-office.cosync"
    type_into(qtbot, dialog.destination.edit, str(target))
    type_into(qtbot, dialog.passphrase, PASSPHRASE)
    type_into(qtbot, dialog.passphrase_again, PASSPHRASE + " typo")
    click(qtbot, dialog.action)
    assert "differ" in dialog.status.text() and not target.exists()

    type_into(qtbot, dialog.passphrase_again, PASSPHRASE)
    click(qtbot, dialog.action)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    assert dialog.status.text().startswith("Done: 25 records written to")
    assert target.exists() and not dialog.action.isVisible() and dialog.close_button.text() == "Close"
    click(qtbot, dialog.close_button)
    qtbot.waitUntil(lambda: home.sync_status.text() == "Everything has been exported for the office.", timeout=3000)


def test_the_export_dialog_takes_the_passphrase_first_and_says_when_all_is_exported(qtbot, services):
    from PySide6.QtWidgets import QApplication

    populate(services.db)
    dialog = SyncExportDialog(services)
    qtbot.addWidget(dialog)
    suggested = dialog.destination.edit.text()
    assert suggested.startswith(str(services.paths.exports)) and suggested.endswith(".cosync")
    # Counted on a worker: the dialog opens at once, then says how many.
    qtbot.waitUntil(lambda: dialog.intro.text() == "25 changes not yet exported", timeout=5000)
    assert dialog.pending == 25
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    assert QApplication.focusWidget() is dialog.passphrase
    # The user types straight away: the passphrase, Tab, the passphrase again.
    # (Typed into the fields by name: keys sent to "whatever has the focus" could press
    # a button that opens a modal file dialog and stop the whole test run.)
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.passphrase_again
    qtbot.keyClicks(dialog.passphrase_again, PASSPHRASE)
    assert dialog.passphrase.text() == dialog.passphrase_again.text() == PASSPHRASE
    assert dialog.destination.edit.text() == suggested  # the file name is untouched

    click(qtbot, dialog.action)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    assert dialog.status.text().startswith("Done: 25 records written to")
    assert Path(suggested).exists()
    assert dialog.intro.text() == "Everything has been exported for the office."


def test_a_short_passphrase_is_refused_before_anything_runs(qtbot, services, tmp_path):
    populate(services.db)
    dialog = SyncExportDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.destination.edit, str(tmp_path / "p.cosync"))
    type_into(qtbot, dialog.passphrase, "short")
    type_into(qtbot, dialog.passphrase_again, "short")
    click(qtbot, dialog.action)
    assert "at least 8 characters" in dialog.status.text()
    assert dialog.task is None and not (tmp_path / "p.cosync").exists()


def _package_from_another_laptop(tmp_path: Path) -> Path:
    other = laptop(tmp_path, "other-laptop")
    populate(other)
    package = tmp_path / "other.cosync"
    export_package(other.engine, other.device_id, package, passphrase=PASSPHRASE)
    other.dispose()
    return package


def test_the_import_dialog_shows_a_preview_before_it_writes(qtbot, services, tmp_path):
    package = _package_from_another_laptop(tmp_path)
    dialog = SyncImportDialog(services, package)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.passphrase, PASSPHRASE)

    click(qtbot, dialog.action)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)

    assert dialog.table.isVisible()
    rows = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert rows == {"Sessions": "2", "Households": "3", "Participants": "6", "Check-ins": "12",
                    "Modules covered": "2", "Learning check answers": "0"}  # every table the package holds
    assert dialog.status.text().startswith("Nothing has been written yet.")
    assert "25 new, 0 updated, 0 unchanged; 0 conflicts" in dialog.status.text()
    assert participants(services) == 0 and dialog.action.text() == "Import"
    assert not list(services.paths.backups.glob("*before-sync*"))  # a preview changes nothing

    click(qtbot, dialog.action)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert dialog.status.text() == "Imported: 25 new, 0 updated, 0 unchanged; 0 conflicts logged."
    assert participants(services) == 6
    [before] = services.paths.backups.glob("*before-sync.sqlite3")  # the import can be undone
    from co_app.core.safety.backup import database_counts

    assert database_counts(before).participants == 0


def test_the_import_dialog_says_when_the_passphrase_is_wrong(qtbot, services, tmp_path):
    package = _package_from_another_laptop(tmp_path)
    dialog = SyncImportDialog(services, package)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.passphrase, "not the passphrase")
    click(qtbot, dialog.action)
    qtbot.waitUntil(lambda: "Wrong passphrase" in dialog.status.text(), timeout=20000)
    assert dialog.action.isEnabled() and dialog.preview is None and participants(services) == 0


def two_laptops_edit(services, tmp_path: Path, edit, **populate_args):
    """Another laptop's records imported here, then ``edit(db, ids, newer)`` run on both
    sides without either seeing the other's (``newer`` True on the other laptop, whose edit
    comes later: its hlc is greater, so it is kept) and the other laptop's package imported
    again: one conflict.  Returns the records' ids."""
    from co_app.core.db import identity

    other = laptop(tmp_path, "other-laptop")
    with other.engine.begin() as conn:
        identity.set_name(conn, "Amman laptop 3")
    ids = populate(other, **populate_args)
    export_package(other.engine, other.device_id, tmp_path / "base.cosync", passphrase=PASSPHRASE)
    import_package(services.db.engine, tmp_path / "base.cosync", PASSPHRASE)
    edit(services.db, ids, False)
    time.sleep(0.01)  # a later hlc (milliseconds) for the other laptop's edit
    edit(other, ids, True)
    export_package(other.engine, other.device_id, tmp_path / "edit.cosync", passphrase=PASSPHRASE, full=True)
    import_package(services.db.engine, tmp_path / "edit.cosync", PASSPHRASE)
    return ids


def open_conflicts(qtbot, services) -> ConflictsDialog:
    dialog = ConflictsDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_conflicts_list_shows_the_losing_version(qtbot, services, tmp_path):
    def rename(db, ids, newer):
        pid = ids["participants"][0]
        with db.session() as s, s.begin():
            s.get(Participant, pid).family_name = "Haddad (there)" if newer else "Haddad (here)"

    from co_app.core.db import identity

    with services.db.engine.begin() as conn:
        identity.set_name(conn, "Amman laptop 1")
    two_laptops_edit(services, tmp_path, rename)
    dialog = open_conflicts(qtbot, services)

    def plain(text: str) -> str:
        return text.replace("\u2068", "").replace("\u2069", "")

    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "\u2068Amina Haddad (there)\u2069 (case \u2068CASE-HAD-01\u2069)"
    assert dialog.table.item(0, 2).text() == "Family name"
    assert plain(dialog.table.item(0, 3).text()) == "“Haddad (there)” · Amman laptop 3"
    assert plain(dialog.table.item(0, 4).text()) == "“Haddad (here)” · Amman laptop 1"
    assert dialog.table.item(0, 5).text() == "no"
    # Nothing chosen: "Mark as reviewed" and Keep this one wait for a choice.
    assert not dialog.reviewed.isEnabled() and dialog.all_reviewed.isEnabled()
    assert not dialog.keep_lost.isEnabled() and not dialog.keep_kept.isEnabled()
    dialog.table.selectRow(0)
    details = plain(dialog.details.toPlainText()).splitlines()
    assert details[0] == "Amina Haddad (there) (case CASE-HAD-01)"
    assert details[1].startswith("Kept: Amman laptop 3, changed ")
    assert details[2].startswith("Lost: Amman laptop 1, changed ")
    assert details[4:] == ["Family name: kept “Haddad (there)”, lost “Haddad (here)”"]  # only what differs
    # Keep this one, on the lost value: it becomes the value here, as a change of this laptop.
    click(qtbot, dialog.keep_lost)
    assert dialog.table.item(0, 5).text() == "yes" and not dialog.all_reviewed.isEnabled()
    with services.db.session() as db:
        assert db.scalar(select(SyncConflict.reviewed)) is True
        person = db.scalar(select(Participant).where(Participant.given_name == "Amina"))
        assert person.family_name == "Haddad (here)"
        assert dot_of(person.versions, "family_name")[0] == services.db.device_id


def test_a_check_in_conflict_names_the_person_and_the_session(qtbot, services, tmp_path):
    """Two laptops changed the same check-in: the list says whose and which session, the
    details the attendance each side had; "Mark all as reviewed" marks every one."""
    from co_app.core.db.models import AttendanceRecord

    def set_status(db, ids, newer):
        pid = ids["participants"][0]
        with db.session() as s, s.begin():
            record = s.scalar(select(AttendanceRecord).where(AttendanceRecord.participant_id == pid))
            record.status = "late" if newer else "absent"

    two_laptops_edit(services, tmp_path, set_status, sessions=1)
    dialog = open_conflicts(qtbot, services)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text().replace("\u2068", "").replace("\u2069", "") == (
        "Check-in of Amina Haddad: Nov 20, 2026, Amman, IOM centre")
    dialog.table.selectRow(0)
    assert "Attendance: kept “late”, lost “absent”" in dialog.details.toPlainText().replace(
        "\u2068", "").replace("\u2069", "")
    assert "dated in the future" not in dialog.details.toPlainText()
    dialog.table.clearSelection()
    click(qtbot, dialog.all_reviewed)
    assert dialog.table.item(0, 5).text() == "yes"


def test_the_attendance_spreadsheet_leaves_names_out_by_default(qtbot, services, tmp_path):
    populate(services.db)
    dialog = AttendanceExportDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    choose_in_combo(qtbot, dialog.format, "csv")
    assert dialog.destination.edit.text().endswith(".csv") and dialog.without_names.isChecked()
    target = tmp_path / "attendance.csv"
    type_into(qtbot, dialog.destination.edit, str(target))

    click(qtbot, dialog.action)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=20000)

    assert dialog.status.text().startswith("Done: 12 check-ins written to")
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 12 and "given_name" not in rows[0]


def test_settings_offers_export_import_and_conflicts(qtbot, make_window, services):
    populate(services.db)
    window = make_window()
    click_nav(qtbot, window, "settings")
    panel = window.view("settings").sync
    assert panel.isVisible()
    assert panel.status.text() == "25 changes not yet exported"
    assert [b.text() for b in (panel.export_button, panel.import_button, panel.conflicts_button,
                               panel.attendance_button)] == [
        "Export for the office…", "Import a sync package…", "Conflicts…", "Attendance spreadsheet…"]
    click(qtbot, panel.import_button)
    qtbot.waitUntil(lambda: isinstance(panel.dialog, SyncImportDialog) and panel.dialog.isVisible(), timeout=3000)
    click(qtbot, panel.dialog.close_button)
    qtbot.waitUntil(lambda: not panel.dialog.isVisible(), timeout=3000)


def test_the_import_preview_warns_of_a_laptop_whose_clock_is_ahead(qtbot, services, tmp_path):
    other = laptop(tmp_path, "other-laptop")
    ids = populate(other, sessions=1)
    ahead = datetime.now(timezone.utc) + timedelta(days=365)
    with other.engine.begin() as conn:
        conn.execute(update(Participant.__table__).where(Participant.__table__.c.id == ids["participants"][0])
                     .values(updated_at=ahead))
    package = tmp_path / "ahead.cosync"
    export_package(other.engine, other.device_id, package, passphrase=PASSPHRASE)
    other.dispose()
    dialog = SyncImportDialog(services, package)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.passphrase, PASSPHRASE)
    click(qtbot, dialog.action)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
    text = dialog.status.text()
    assert "Warning: 1 record is dated in the future (up to " in text and "wrong date or clock" in text
    assert dialog.status.objectName() == "warning" and dialog.action.isEnabled()  # it can still be imported
