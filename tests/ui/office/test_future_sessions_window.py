"""The Reports page over a hub (SQLite and the real PostgreSQL) warns when it counts
sessions dated after today: how many, from which laptop, whose clock seems how far ahead;
a range that ends today says nothing (issue 18)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from co_app.core.db import identity
from co_app.core.db.models import CoSession
from co_app.core.sync import package
from co_app.core.sync.hub import open_target
from co_app.core.sync.service import import_package
from tests.core.sync_helpers import enrol, laptop, populate

WARNING = "3 sessions dated after today, from Field laptop 5, whose clock seems 12 days ahead: check before reporting."


def _hub_with_a_laptop_ahead(tmp_path: Path, hub_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    hub = open_target(hub_url, create=True)
    try:
        db = laptop(tmp_path, "field-5")
        with db.engine.begin() as conn:
            identity.set_name(conn, "Field laptop 5")
        populate(db, sessions=1)
        with db.session() as s, s.begin():
            s.add_all([CoSession(session_date=date.today() + timedelta(days=n), place="Amman", facilitator="R. N.")
                       for n in (5, 11, 12)])
        enrol(hub.database(), db, folder=tmp_path)
        real = package.utcnow
        monkeypatch.setattr(package, "utcnow", lambda: real() + timedelta(days=12))
        path = tmp_path / "field5.cosync"
        package.export_package(db.engine, db.device_id, path, passphrase=None)
        monkeypatch.setattr(package, "utcnow", real)
        import_package(hub.engine, path, None, trust_new=True)
        db.dispose()
    finally:
        hub.dispose()


def test_the_reports_page_warns_of_sessions_after_today(qtbot, make_window, office_services, hub_url: str,
                                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _hub_with_a_laptop_ahead(tmp_path, hub_url, monkeypatch)
    window = make_window(svc=office_services(hub_url))
    reports = window.current_view().show_tab("reports")
    qtbot.waitUntil(lambda: not reports.busy and reports.report is not None, timeout=30000)
    assert reports.report.future_sessions == 3
    assert reports.future_label.isVisible() and reports.future_label.text() == WARNING
    reports.all_dates.setChecked(False)
    reports.set_dates(date(2026, 11, 1), date.today())
    qtbot.mouseClick(reports.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not reports.busy and reports.report.filter.end == date.today(), timeout=30000)
    assert reports.report.future == () and reports.future_label.isHidden()


def test_the_import_dialog_says_a_package_still_held_is_held_again(qtbot, make_window, office_services, hub_url: str,
                                                                     tmp_path: Path) -> None:
    """A laptop 12 days ahead: its stick imported twice, both times its records are under
    "Held changes", never "Unchanged" (its records are in no report until accepted)."""
    from tests.core.sync.test_field_sync import clock_ahead
    from tests.ui.office.test_office_window import _cells, _click, _import

    hub = open_target(hub_url, create=True)
    folder = tmp_path / "stick"
    folder.mkdir()
    try:
        db = laptop(tmp_path, "field-5")
        with db.engine.begin() as conn:
            identity.set_name(conn, "Field laptop 5")
        enrol(hub.database(), db, folder=tmp_path)
        with clock_ahead(12):
            populate(db, sessions=2)
            package.export_package(db.engine, db.device_id, folder / "field5.cosync", passphrase=None, full=True)
        db.dispose()
    finally:
        hub.dispose()
    window = make_window(svc=office_services(hub_url))
    office = window.current_view()
    first = _import(qtbot, office, folder, enrol=True)
    held = first.report.laptops[0].held
    assert held > 0 and _cells(first.table, 6) == [str(held)] and _cells(first.table, 4) == ["0"]
    _click(qtbot, first.close_button)
    again = _import(qtbot, office, folder, enrol=False)
    assert _cells(again.table, 6) == [str(held)] and _cells(again.table, 4) == ["0"]
    assert again.table.horizontalHeaderItem(6).text() == "Held changes"
