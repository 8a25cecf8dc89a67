"""Sessions dated after today in the office's report (issue 18): a laptop whose clock runs
ahead dates its sessions in the future; the report (screen words, ``report`` text and
--json, donor XLSX and PDF document) names how many and from which laptop, with how far
its clock seems ahead — and the donor report over all dates gives the period counted.
On a SQLite hub and on the real PostgreSQL server."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select
from openpyxl import load_workbook

from co_app.core.db.models import CoSession
from co_app.core.foundation.i18n import format_date
from co_app.core.office import donor
from co_app.core.office.labels import Labels
from co_app.core.office.report import FutureSessions, ReportFilter, compute
from co_app.core.sync import package
from tests.core.office.world import World
from tests.core.sync_helpers import populate

REPO = Path(__file__).resolve().parents[3]
WARNING = "3 sessions dated after today, from Field laptop 5, whose clock seems 12 days ahead: check before reporting."


@pytest.fixture
def ahead(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    """Field laptop 5 runs 12 days ahead: three of its sessions are dated after today, and
    it wrote its package 12 days after the office received it; Irbid 3's clock is right."""
    field, right = world.laptop("Field laptop 5"), world.laptop("Irbid 3")
    populate(field, sessions=1)
    populate(right, sessions=2)
    today = date.today()
    with field.session() as s, s.begin():
        s.add_all([CoSession(session_date=today + timedelta(days=n), place="Amman", facilitator="R. Nasser")
                   for n in (5, 11, 12)])
    real = package.utcnow
    monkeypatch.setattr(package, "utcnow", lambda: real() + timedelta(days=12))
    world.to_hub(field, "field5.cosync")
    monkeypatch.setattr(package, "utcnow", real)
    world.to_hub(right, "irbid.cosync")
    return world


def test_the_report_names_the_sessions_after_today_and_the_laptop_whose_clock_is_ahead(ahead: World) -> None:
    report = compute(ahead.hub.engine)
    assert [(row.name, row.sessions, row.clock_offset_days) for row in report.future] == [("Field laptop 5", 3, 12)]
    assert report.future_sessions == 3 and report.sessions == 6
    assert Labels("en").future_warning(report) == WARNING
    as_json = report.as_json()
    assert as_json["future_sessions"] == 3
    assert as_json["future_sessions_by_laptop"][0]["name"] == "Field laptop 5"
    assert (report.first_date, report.last_date) == (date(2026, 11, 20), date.today() + timedelta(days=12))
    assert "Field laptop 5" in Labels("fr").future_warning(report)  # and in the office's language
    assert Labels("fr").future_warning(report) != WARNING


def test_a_report_that_ends_today_or_a_planned_session_on_a_right_clock_is_not_warned_about_ahead(ahead: World) \
        -> None:
    ended = compute(ahead.hub.engine, ReportFilter(end=date.today()))
    assert (ended.future, ended.future_sessions, Labels("en").future_warning(ended)) == ((), 0, "")
    assert ended.as_json()["future_sessions"] == 0
    right = ahead.laptops[1]
    with right.session() as s, s.begin():  # Irbid 3 plans a session next week: no clock named
        s.add(CoSession(session_date=date.today() + timedelta(days=7), place="Irbid", facilitator="S. Haddad"))
    ahead.to_hub(right, "irbid-2.cosync")
    report = compute(ahead.hub.engine, ReportFilter(laptop=right.device_id))
    assert report.future == (FutureSessions(right.device_id, "Irbid 3", 1, 0),)
    assert Labels("en").future_warning(report) == (
        "1 session dated after today, from Irbid 3: check before reporting.")


def test_the_donor_report_warns_and_gives_the_period_of_all_dates(ahead: World, tmp_path: Path) -> None:
    report = compute(ahead.hub.engine)
    last = format_date(date.today() + timedelta(days=12), "medium", "en")
    period = f"All dates: {format_date(date(2026, 11, 20), 'medium', 'en')} – {last}"
    assert donor.period(report, Labels("en")) == period
    document = donor.html(report, "en")
    assert WARNING in document and period in document
    out = tmp_path / "donor.xlsx"
    donor.write_xlsx(ahead.hub.engine, report, out, "en")
    summary = [row[0] for row in load_workbook(out)["Summary"].iter_rows(max_col=1, values_only=True)]
    assert summary[1:3] == [period, WARNING]
    french = donor.period(report, Labels("fr"))
    assert french.startswith("Toutes les dates") and format_date(date(2026, 11, 20), "medium", "fr") in french
    arabic = donor.period(report, Labels("ar"))  # each date isolated, so its digits cannot reorder the line
    assert f"\u2068{format_date(date(2026, 11, 20), 'medium', 'ar')}\u2069" in arabic


def test_report_command_prints_the_warning_and_its_json(ahead: World) -> None:
    url = ahead.hub.engine.url
    db = url.render_as_string(hide_password=False) if url.get_backend_name() == "postgresql" else str(url.database)
    base = [sys.executable, "main.py", "--data-dir", str(ahead.tmp / "office-data"), "report", "--db", db]
    text = subprocess.run(base, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert text.returncode == 0, text.stderr
    assert WARNING in text.stdout
    as_json = json.loads(subprocess.run([*base, "--json"], cwd=REPO, capture_output=True, text=True,
                                        timeout=120).stdout)
    assert as_json["future_sessions"] == 3 and as_json["future_sessions_by_laptop"][0]["clock_offset_days"] == 12
    assert datetime.now(timezone.utc).date().isoformat() < as_json["last_date"]


def test_a_laptop_whose_held_changes_were_accepted_shows_its_sessions_dates(world: World) -> None:
    """Its package held only changes dated ahead (no session range of its own): once the
    office accepts them, the Laptops list dates the laptop by its sessions, not "— to —"."""
    from co_app.core.db.models import SyncReceived
    from co_app.core.office import laptops
    from co_app.core.sync import review
    from co_app.core.sync.service import import_package
    from tests.core.sync.test_field_sync import clock_ahead

    field = world.laptop("Field laptop 5")
    with clock_ahead(12):
        populate(field, sessions=2)
        path = world.export(field, "field5-ahead.cosync")
    import_package(world.hub.engine, path, None, trust_new=True)
    with world.hub.engine.connect() as conn:  # the package's own range is empty: all held
        assert conn.execute(select(SyncReceived.first_date, SyncReceived.last_date)).all() == [(None, None)]
    with world.hub.database().session() as s:
        while held := review.list_held(s):
            review.accept_held(s, held[0].id)
    row = next(row for row in laptops.list_laptops(world.hub.engine) if row.name == "Field laptop 5")
    assert (row.sessions, row.first_date, row.last_date) == (2, date(2026, 11, 20), date(2026, 11, 21))
    assert row.as_dict()["first_date"] == "2026-11-20"


def test_a_package_whose_changes_are_still_held_is_reported_held_again_on_re_import(world: World) -> None:
    """Field laptop 5's package, 12 days ahead, is held whole; imported again it is held
    again, not "unchanged" — until the office accepts its changes: then it is unchanged."""
    from co_app.core.office.usb_import import import_folder
    from co_app.core.sync import review
    from tests.core.sync.test_field_sync import clock_ahead

    field = world.laptop("Field laptop 5")
    with clock_ahead(12):
        populate(field, sessions=2)
        world.export(field, "field5-ahead.cosync")
    first = import_folder(world.hub.engine, world.stick, enrol=True)
    [entry] = first.laptops
    assert (entry.inserted, entry.unchanged) == (0, 0) and entry.held > 0
    again = import_folder(world.hub.engine, world.stick)
    [second] = again.laptops
    assert (second.inserted, second.updated, second.unchanged, second.held) == (0, 0, 0, entry.held)
    assert again.as_dict()["held"] == entry.held and again.as_dict()["unchanged"] == 0
    with world.hub.database().session() as s:
        while held := review.list_held(s):
            review.accept_held(s, held[0].id)
    [decided] = import_folder(world.hub.engine, world.stick).laptops
    assert (decided.held, decided.inserted) == (0, 0) and decided.unchanged == entry.held
