"""A programme officer at the office's window, over a SQLite hub and over the real
PostgreSQL: a USB stick imported in one go (and again, changing nothing), the laptops that
reported, the report across laptops with its filters and the donor files, a duplicate
merged and the merge undone, and the sessions naming their laptop."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QDialog

from co_app.core.office.report import ReportFilter, compute
from co_app.ui.office.import_dialog import FolderImportDialog
from tests.ui.helpers import click_nav


def _click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _tick(qtbot, box) -> None:
    """Click a check box on its box (a wide one ignores a click past its text)."""
    from PySide6.QtCore import QPoint

    before = box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked() != before


def _idle(qtbot, panel) -> None:
    qtbot.waitUntil(lambda: not panel.busy, timeout=30000)


def _import(qtbot, office, folder: Path, *, enrol: bool):  # -> FolderImportDialog
    _click(qtbot, office.import_button)
    dialog = office.import_dialog
    assert isinstance(dialog, FolderImportDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    qtbot.keyClicks(dialog.folder.edit, str(folder))
    if enrol:
        _tick(qtbot, dialog.enrol)
    _click(qtbot, dialog.action)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=60000)
    return dialog


def _cells(table, column: int) -> list[str]:
    """The column's texts, without the marks that isolate a name's direction."""
    return [table.item(row, column).text().strip("\u2068\u2069") for row in range(table.rowCount())]


def _card(panel, index: int) -> str:
    return panel.cards[index].findChildren(type(panel.status))[0].text()


def test_an_officer_imports_a_stick_and_reads_the_hub(qtbot, make_window, office_services, stick_for, hub_url,
                                                       tmp_path: Path) -> None:
    stick = stick_for(tmp_path, hub_url)
    services = office_services(hub_url)
    window = make_window(svc=services)
    assert window.view_keys == ["office", "attendance", "towns", "modules", "settings"]
    office = window.current_view()
    assert office.key == "office" and services.hub_label in window.windowTitle()

    dialog = _import(qtbot, office, stick.folder, enrol=True)
    assert _cells(dialog.table, 0) == sorted(stick.laptops.values())
    assert [int(n) for n in _cells(dialog.table, 2)] == [25, 17]  # new records, per laptop
    assert "2 packages imported" in dialog.status.text() and not dialog.refusals.isVisible()
    _click(qtbot, dialog.close_button)

    laptops = office.show_tab("laptops")
    _idle(qtbot, laptops)
    assert _cells(laptops.table, 0) == sorted(stick.laptops.values())
    assert _cells(laptops.table, 4) == ["2", "1"] and "None is silent" in laptops.summary.text()
    assert _cells(laptops.table, 6) == ["0", "0"]  # no change of theirs is held for review

    again = _import(qtbot, office, stick.folder, enrol=False)  # the same stick: nothing changes
    assert _cells(again.table, 2) == ["0", "0"] and _cells(again.table, 4) == ["25", "17"]
    _click(qtbot, again.close_button)

    reports = office.show_tab("reports")
    _idle(qtbot, reports)
    expected = compute(services.db.engine, ReportFilter())
    assert (reports.report.people, reports.report.attendances) == (expected.people, expected.attendances) == (12, 18)
    reports.laptop.setCurrentIndex(reports.laptop.findText("Irbid laptop 2"))
    _click(qtbot, reports.show_button)
    _idle(qtbot, reports)
    assert (reports.report.sessions, reports.report.people, reports.report.attendances) == (1, 6, 6)

    duplicates = office.show_tab("duplicates")
    _idle(qtbot, duplicates)
    assert len(duplicates.groups) == 6 and duplicates.table.rowCount() == 6
    duplicates.select(0)
    _click(qtbot, duplicates.merge_button)
    qtbot.waitUntil(lambda: len(duplicates.pairs) == 1 and not duplicates.busy, timeout=30000)
    assert len(duplicates.groups) == 5 and _cells(duplicates.merged_table, 1) == ["Amina Haddad"]
    assert compute(services.db.engine, ReportFilter()).people == 11  # one person in every report

    reports = office.show_tab("reports")  # stale after the merge: counted again when shown
    _idle(qtbot, reports)
    reports.laptop.setCurrentIndex(0)
    _click(qtbot, reports.show_button)
    _idle(qtbot, reports)
    assert reports.report.people == 11

    duplicates = office.show_tab("duplicates")
    _idle(qtbot, duplicates)
    from co_app.ui.shell.widgets import select_row

    select_row(duplicates.merged_table, 0)
    _click(qtbot, duplicates.undo_button)
    qtbot.waitUntil(lambda: not duplicates.pairs and not duplicates.busy, timeout=30000)
    assert len(duplicates.groups) == 6
    assert compute(services.db.engine, ReportFilter()).people == 12


def test_over_the_hub_sessions_name_their_laptop_and_offer_no_check_in(qtbot, make_window, office_services,
                                                                       stick_for, hub_url, tmp_path: Path) -> None:
    stick = stick_for(tmp_path, hub_url)
    services = office_services(hub_url)
    window = make_window(svc=services)
    dialog = _import(qtbot, window.current_view(), stick.folder, enrol=True)
    _click(qtbot, dialog.close_button)
    click_nav(qtbot, window, "attendance")
    attendance = window.current_view()
    texts = [attendance.sessions.item(row).text() for row in range(attendance.sessions.count())]
    assert len(texts) == 3
    assert sorted(text.rsplit("from ", 1)[1].strip("\u2068\u2069") for text in texts) == [
        "Amman laptop 1", "Amman laptop 1", "Irbid laptop 2"]
    assert not attendance.tabs.isTabVisible(0) and not attendance.new_button.isVisible()
    # Field-session actions make no sense over the hub (issue 18): no close, no papers to print,
    # no person added, edited, deleted or imported from a roster — the session is read.
    assert not attendance.actions.isVisible() and not attendance.actions.menu_button.isVisible()
    assert attendance.current_page() is attendance.pages["participants"]
    people = attendance.pages["participants"]
    assert people.table.rowCount() > 0
    assert not any(b.isVisible() for b in (people.add_button, people.edit_button, people.delete_button,
                                           people.import_button))
    people.table.selectRow(0)
    people.edit()  # a double-click on a row opens no form either
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
    window.resize(1024, 600)  # the small screen's "Close or print" menu stays away too
    attendance.set_compact(True)
    qtbot.wait(50)
    assert not attendance.actions.menu_button.isVisible()
    assert not attendance.show_page("agenda").run_button.isVisible()
    assert "created on" in attendance.session_details.text()
    report = attendance.show_page("report")  # the session's report reads the hub too
    assert report.isVisible()
    assert not attendance.overall_button.isVisible()  # across sessions: Office → Reports, on a worker


def test_the_donor_report_is_saved_as_xlsx_and_pdf(qtbot, make_window, office_services, stick_for,
                                                     sqlite_url: str, tmp_path: Path) -> None:
    stick = stick_for(tmp_path, sqlite_url)
    services = office_services(sqlite_url)
    window = make_window(svc=services)
    office = window.current_view()
    _click(qtbot, _import(qtbot, office, stick.folder, enrol=True).close_button)
    reports = office.show_tab("reports")
    _idle(qtbot, reports)
    _tick(qtbot, reports.all_dates)  # a range: the week of the sessions
    from datetime import date

    reports.set_dates(date(2026, 11, 20), date(2026, 11, 20))
    _click(qtbot, reports.show_button)
    _idle(qtbot, reports)
    assert (reports.report.sessions, reports.report.people) == (2, 12)
    reports.export("xlsx", tmp_path / "donor.xlsx")
    _idle(qtbot, reports)
    reports.export("pdf", tmp_path / "donor.pdf")
    _idle(qtbot, reports)
    assert "donor.pdf" in reports.status.text()
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "donor.xlsx", read_only=True)
    assert len(book.sheetnames) >= 2
    assert (tmp_path / "donor.pdf").read_bytes().startswith(b"%PDF")
    # By laptop, a person seen on two laptops counts on each: said under that breakdown, in the
    # window, the spreadsheet and the PDF.
    note = "A person seen on two laptops counts on each"
    assert reports.breakdown_note.isHidden()
    reports.breakdown.setCurrentIndex(reports.breakdown.findData("laptop"))
    assert reports.breakdown_note.isVisible() and note in reports.breakdown_note.text()
    reports.breakdown.setCurrentIndex(reports.breakdown.findData("sex"))
    assert reports.breakdown_note.isHidden()
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert any(note in str(c) for c in cells)
    from PySide6.QtPdf import QPdfDocument

    pdf = QPdfDocument()
    pdf.load(str(tmp_path / "donor.pdf"))
    text = " ".join(pdf.getAllText(page).text() for page in range(pdf.pageCount()))
    assert note in " ".join(text.split())


def test_a_silent_laptop_stands_out(qtbot, make_window, office_services, stick_for, sqlite_url: str,
                                    tmp_path: Path) -> None:
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import update

    from co_app.core.db.models import SyncPeer, SyncReceived

    stick = stick_for(tmp_path, sqlite_url)
    services = office_services(sqlite_url)
    window = make_window(svc=services)
    office = window.current_view()
    _click(qtbot, _import(qtbot, office, stick.folder, enrol=True).close_button)
    amman = next(device for device, name in stick.laptops.items() if name == "Amman laptop 1")
    month_ago = datetime.now(timezone.utc) - timedelta(days=30)
    with services.db.engine.begin() as conn:  # the office received Amman's last package a month ago
        conn.execute(update(SyncReceived).where(SyncReceived.device_id == amman).values(
            created_at=month_ago, imported_at=month_ago))
        conn.execute(update(SyncPeer).where(SyncPeer.device_id == amman).values(last_package_at=month_ago))
    laptops = office.show_tab("laptops")
    laptops.refresh()
    _idle(qtbot, laptops)
    assert "1 is silent" in laptops.summary.text()
    assert "silent for 30 days" in laptops.table.item(0, 2).text()
    assert laptops.table.item(0, 0).background().color().name() == "#fdecea"
    assert "reported today" in laptops.table.item(1, 2).text()
    assert laptops.table.item(1, 0).background().style() == Qt.BrushStyle.NoBrush
    laptops.silent_days.setValue(40)  # the office's own rule: a month is not silent
    _idle(qtbot, laptops)
    assert "None is silent" in laptops.summary.text()


def test_a_laptop_with_a_wrong_clock_is_not_silent_and_says_so(qtbot, make_window, office_services, stick_for,
                                                                hub_url: str, tmp_path: Path) -> None:
    """Amman's laptop is two years behind, Irbid's three days ahead: both sent their package
    today, so neither is silent, and each row says its clock seems wrong, in words."""
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import update

    from co_app.core.db.models import SyncPeer, SyncReceived

    stick = stick_for(tmp_path, hub_url)
    services = office_services(hub_url)
    window = make_window(svc=services)
    office = window.current_view()
    _click(qtbot, _import(qtbot, office, stick.folder, enrol=True).close_button)
    now = datetime.now(timezone.utc)
    wrong = {"Amman laptop 1": now - timedelta(days=730), "Irbid laptop 2": now + timedelta(days=3)}
    with services.db.engine.begin() as conn:  # the laptops wrote their packages by their own clocks
        for device, name in stick.laptops.items():
            conn.execute(update(SyncReceived).where(SyncReceived.device_id == device).values(created_at=wrong[name]))
            conn.execute(update(SyncPeer).where(SyncPeer.device_id == device).values(last_package_at=wrong[name]))
    laptops = office.show_tab("laptops")
    laptops.refresh()
    _idle(qtbot, laptops)
    summary = laptops.summary.text()
    assert "None is silent" in summary and "2 laptops' clocks seem wrong" in summary
    behind, ahead = laptops.table.item(0, 2).text(), laptops.table.item(1, 2).text()
    assert "reported today" in behind and "reported today" in ahead
    assert "This laptop's clock seems wrong: 730 days behind" in behind
    assert str((now - timedelta(days=730)).year) in behind.split("\n")[1]  # the laptop's own date, apart
    assert "This laptop's clock seems wrong: 3 days ahead" in ahead
    assert "dated 730 days before the office received it" in laptops.table.item(0, 2).toolTip()
    assert laptops.table.item(0, 2).background().color().name() == "#fff4ce"


def test_a_folder_without_packages_says_so(qtbot, make_window, office_services, stick_for, sqlite_url: str,
                                           tmp_path: Path) -> None:
    stick_for(tmp_path, sqlite_url)
    window = make_window(svc=office_services(sqlite_url))
    empty = tmp_path / "empty-stick"
    empty.mkdir()
    dialog = _import(qtbot, window.current_view(), empty, enrol=False)
    assert "There is no sync package" in dialog.status.text() and dialog.action.isEnabled()
    dialog.close()


def test_over_the_hub_settings_offer_the_offices_export_not_this_folders_backups(
        qtbot, make_window, office_services, stick_for, hub_url, tmp_path: Path) -> None:
    from co_app.ui.sync.sync_dialogs import SyncExportDialog

    stick = stick_for(tmp_path, hub_url)
    services = office_services(hub_url)
    window = make_window(svc=services)
    _click(qtbot, _import(qtbot, window.current_view(), stick.folder, enrol=True).close_button)
    click_nav(qtbot, window, "settings")
    settings = window.current_view()
    assert not settings.backups.isVisible() and settings.sync.isVisible()
    dialog = SyncExportDialog(services, window)  # the office's package for its laptops
    dialog.open()
    qtbot.waitUntil(lambda: dialog.state is not None, timeout=30000)
    assert (dialog.state.role, dialog.state.laptops) == ("office", 2)
    assert services.db.device_id[:8] in dialog.destination.edit.text()
    dialog.close()


def test_over_the_hub_towns_and_modules_open(qtbot, make_window, office_services, hub_url) -> None:
    from co_app.core.sync.hub import open_target

    open_target(hub_url, create=True).dispose()
    window = make_window(svc=office_services(hub_url))
    for key in ("towns", "modules", "attendance"):
        click_nav(qtbot, window, key)
    assert window.current_view().empty.isVisible()  # no sessions yet: the office's words
    assert "Office page" in window.current_view().empty.body.text()


def test_main_py_db_names_a_missing_hub_before_any_window(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    missing = tmp_path / "no-such-hub.sqlite3"
    run = subprocess.run([sys.executable, "main.py", "--data-dir", str(tmp_path / "data"), "--db", str(missing)],
                         cwd=Path(__file__).resolve().parents[3], env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode != 0 and f"There is no office hub at {missing}" in run.stderr
    assert "Traceback" not in run.stderr and not missing.exists()  # a mistyped path makes no new hub
    kiosk = subprocess.run([sys.executable, "main.py", "--data-dir", str(tmp_path / "data"), "--kiosk", "--db",
                            str(missing)], cwd=Path(__file__).resolve().parents[3], env=env, capture_output=True,
                           text=True, timeout=120)
    assert kiosk.returncode == 2 and "leave out --kiosk or --db" in kiosk.stderr


def test_cancel_stops_the_folder_import_and_importing_again_finishes(qtbot, make_window, office_services, stick_for,
                                                                      sqlite_url: str, tmp_path: Path,
                                                                      monkeypatch) -> None:
    import threading

    from co_app.core.office import usb_import

    real, merging = usb_import.import_folder, threading.Event()

    def officer_cancels_while_it_merges(engine, folder, *, progress, cancel, enrol, **options):
        def step(value) -> None:
            progress(value)
            if value.stage == "importing":
                merging.set()
                cancel.wait(30)  # the merge waits here until the Cancel click has reached it

        return real(engine, folder, progress=step, cancel=cancel, enrol=enrol, **options)

    stick = stick_for(tmp_path, sqlite_url)
    services = office_services(sqlite_url)
    window = make_window(svc=services)
    office = window.current_view()
    monkeypatch.setattr(usb_import, "import_folder", officer_cancels_while_it_merges)
    _click(qtbot, office.import_button)
    dialog = office.import_dialog
    qtbot.keyClicks(dialog.folder.edit, str(stick.folder))
    _tick(qtbot, dialog.enrol)
    _click(qtbot, dialog.action)
    qtbot.waitUntil(merging.is_set, timeout=30000)
    _click(qtbot, dialog.close_button)  # Cancel, while the first package merges
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30000)
    assert dialog.report.cancelled and dialog.status.text().startswith("Stopped.") and dialog.isVisible()
    first = dialog.report.total("inserted")
    assert first < 42

    monkeypatch.setattr(usb_import, "import_folder", real)
    _click(qtbot, dialog.action)  # Import again: the rest comes in, nothing twice
    qtbot.waitUntil(lambda: dialog.report is not None and not dialog.report.cancelled, timeout=30000)
    assert first + dialog.report.total("inserted") == 42 and dialog.report.refusals == 0
    _click(qtbot, dialog.close_button)


def test_in_arabic_the_date_boxes_and_silent_days_use_the_apps_digits(qtbot, make_window, stick_for, sqlite_url: str,
                                                                      tmp_path: Path, locale_dir: Path) -> None:
    """The officer saw ٢٠٢٦-١٢-٠٧ and ١٤ in the office's date boxes and 'silent after' box
    while every figure around them is written 2026 and 14: they use the app's digits, and the
    calendar keeps its Arabic month names."""
    from co_app.core.bootstrap import bootstrap
    from co_app.core.foundation import i18n

    stick_for(tmp_path, sqlite_url)  # the hub, with two laptops enrolled
    data = tmp_path / "office-ar"
    data.mkdir()
    services = bootstrap(data, language="ar", locale_dir=locale_dir, hub=sqlite_url)
    try:
        window = make_window(svc=services)
        office = window.current_view()
        laptops = office.show_tab("laptops")
        assert laptops.silent_days.text().strip().isascii() and laptops.silent_days.text().strip().isdigit()
        reports = office.show_tab("reports")
        for box in (reports.start, reports.end):
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", box.text()) and box.text().isascii(), box.text()
            assert box.calendarWidget().locale().language() == QLocale.Language.Arabic
    finally:
        services.close()
        i18n.set_language("en", locale_dir)
