"""Backups in Settings: back up now, and a restore that shows what it replaces first."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from co_app.core.safety import backup
from co_app.core.sessions import service as session_service
from co_app.core.db.models import Participant
from co_app.ui.safety.backup_view import RestoreDialog, start_daily_backup
from tests.ui.helpers import click_nav


def add_session_with_people(services, people: int) -> None:
    with services.db.session() as db:
        summary = session_service.create_session(db, day=date.today(), place="Hall", facilitator="Fac",
                                                 language="ar", destination_towns=["germany-jena"])
        for n in range(people):
            db.add(Participant(given_name=f"Amal{n}", family_name="Haddad", case_number=f"ZZ-{n}"))
        db.commit()
    return summary


def click_button(qtbot, dialog, which) -> None:
    qtbot.mouseClick(dialog.buttons.button(which), Qt.MouseButton.LeftButton)


def select_row(qtbot, table, row: int) -> None:
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def open_settings(qtbot, make_window):
    window = make_window()
    click_nav(qtbot, window, "settings")
    return window, window.view("settings").backups


def test_back_up_now_lists_the_backup_with_what_it_holds(qtbot, make_window, services):
    add_session_with_people(services, 2)
    window, panel = open_settings(qtbot, make_window)
    assert panel.table.rowCount() == 0 and not panel.restore_button.isEnabled()
    qtbot.mouseClick(panel.back_up_button, Qt.MouseButton.LeftButton)
    assert panel.table.rowCount() == 1
    cells = [panel.table.item(0, c).text() for c in range(panel.table.columnCount())]
    assert cells[1:5] == ["Backed up by hand", "1", "2", "0"]
    assert "Backup saved" in panel.message.text()
    [info] = backup.list_backups(services.paths.backups)
    assert info.reason == "manual" and info.path.name in panel.message.text()


def test_restore_shows_what_it_replaces_and_the_app_shows_the_restored_data(qtbot, make_window, services):
    add_session_with_people(services, 1)
    window, panel = open_settings(qtbot, make_window)
    qtbot.mouseClick(panel.back_up_button, Qt.MouseButton.LeftButton)
    add_session_with_people(services, 3)  # recorded after the backup
    window.home.refresh()
    assert len(window.home._today_sessions) == 2

    select_row(qtbot, panel.table, 0)
    assert panel.restore_button.isEnabled()
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, RestoreDialog) and dialog.isVisible()
    shown = {key: dialog.cells[(key, "now")].text() + " → " + dialog.cells[(key, "backup")].text()
             for key in ("sessions", "participants", "attendance")}
    assert shown == {"sessions": "2 → 1", "participants": "4 → 1", "attendance": "0 → 0"}
    assert dialog.cells[("last_session", "backup")].text() != "—"
    assert dialog.warning.isVisible() and "fewer records" in dialog.warning.text()
    assert "Before a restore" in dialog.safety.text()

    # Cancel first: nothing changes.
    click_button(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)
    assert backup.database_counts(services.paths.database).sessions == 2

    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.restored, timeout=5000):
        click_button(qtbot, panel.dialog, QDialogButtonBox.StandardButton.Ok)
    assert backup.database_counts(services.paths.database).participants == 1
    assert len(window.home._today_sessions) == 1  # the pages were reloaded
    reasons = [panel.table.item(r, 1).text() for r in range(panel.table.rowCount())]
    assert sorted(reasons) == ["Backed up by hand", "Before a restore"]
    assert "was restored" in panel.message.text()
    click_nav(qtbot, window, "home")  # the app goes on working on the restored database
    add_session_with_people(services, 0)
    window.home.refresh()
    assert len(window.home._today_sessions) == 2


def test_a_damaged_backup_is_refused_with_a_message(qtbot, make_window, services):
    add_session_with_people(services, 1)
    window, panel = open_settings(qtbot, make_window)
    qtbot.mouseClick(panel.back_up_button, Qt.MouseButton.LeftButton)
    path = backup.list_backups(services.paths.backups)[0].path
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 500)
    panel.refresh()
    select_row(qtbot, panel.table, 0)
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    click_button(qtbot, panel.dialog, QDialogButtonBox.StandardButton.Ok)
    assert panel.message.isVisible() and "damaged" in panel.message.text()
    assert backup.database_counts(services.paths.database).sessions == 1


def test_the_daily_backup_runs_in_the_background_once_a_day(qtbot, services):
    add_session_with_people(services, 1)
    for _ in range(2):  # the second start finds today's backup and takes none
        task = start_daily_backup(services)
        qtbot.waitUntil(lambda: not task.running, timeout=10_000)  # noqa: B023 - waited for before the loop moves on
        [daily] = backup.list_backups(services.paths.backups)
        assert daily.reason == "daily" and daily.counts.sessions == 1
