"""Reports across laptops on the office's hub — a SQLite file and the real PostgreSQL
server — computed by the database: the filters, the breakdowns, the same figures as the
screen's report over the same hub, the donor report (XLSX and PDF) and the commands that
read the hub (report, attendance export, sync conflicts with --db)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from co_app.core.attendance import reports
from co_app.core.foundation.errors import Cancelled
from co_app.core.foundation.fileio import OutputFileError
from co_app.core.office import donor
from co_app.core.office.report import ReportError, ReportFilter, compute
from tests.core.office.world import World
from tests.core.sync_helpers import populate

REPO = Path(__file__).resolve().parents[3]


def two_laptops(world: World):
    """Amman (two Jena sessions, six people) and Beirut (one Biella session, six others),
    in the hub."""
    amman, beirut = world.laptop("Amman"), world.laptop("Beirut")
    populate(amman, sessions=2)
    populate(beirut, sessions=1, town="italy-biella")
    from co_app.core.db.models import CoSession

    with beirut.session() as s, s.begin():
        for row in s.query(CoSession):
            row.place, row.facilitator, row.session_date = "Beirut, UNHCR hall", "L. Haddad", date(2026, 12, 3)
    world.to_hub(amman)
    world.to_hub(beirut)
    return amman, beirut


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", *args], cwd=REPO, capture_output=True, text=True, timeout=300)


def hub_url(world: World) -> str:
    return world.hub.engine.url.render_as_string(hide_password=False)


def test_the_hub_reports_every_laptop_and_filters_by_laptop_place_facilitator_dates(world: World) -> None:
    amman, beirut = two_laptops(world)
    engine = world.hub.engine
    everything = compute(engine)
    assert (everything.sessions, everything.people, everything.attendances, everything.expected) == (3, 12, 18, 18)
    laptops = {row.key: (row.sessions, row.people, row.attendances) for row in everything.breakdown("laptop").rows}
    assert laptops == {amman.device_id: (2, 6, 12), beirut.device_id: (1, 6, 6)}
    assert everything.laptop_names[amman.device_id] == "Amman"
    assert {r.key: r.people for r in everything.breakdown("destination").rows} == {"jena": 6, "biella": 6}
    assert {r.key: (r.sessions, r.people) for r in everything.breakdown("module").rows} == {"housing": (3, 12)}
    sexes = {r.key: r.people for r in everything.breakdown("sex").rows}
    assert sexes == {"female": 8, "male": 4, "other": 0}

    only = compute(engine, ReportFilter(laptop=beirut.device_id))
    assert (only.sessions, only.people, only.attendances) == (1, 6, 6)
    assert compute(engine, ReportFilter(place="Beirut, UNHCR hall")).totals() == only.totals()
    assert compute(engine, ReportFilter(facilitator="L. Haddad")).totals() == only.totals()
    december = compute(engine, ReportFilter(start=date(2026, 12, 1), end=date(2026, 12, 31)))
    assert december.totals() == only.totals()
    november = compute(engine, ReportFilter(start=date(2026, 11, 1), end=date(2026, 11, 30), destination="jena"))
    assert (november.sessions, november.people, november.attendances) == (2, 6, 12)
    with pytest.raises(ReportError, match="swap the dates"):
        ReportFilter(start=date(2026, 12, 1), end=date(2026, 11, 1))


def test_the_database_counts_as_the_screen_does_on_the_hub(world: World) -> None:
    """The same query on SQLite and PostgreSQL gives the screen's figures (computed in
    Python from the same hub)."""
    two_laptops(world)
    for flt in (ReportFilter(), ReportFilter(start=date(2026, 11, 21)), ReportFilter(destination="biella")):
        report = compute(world.hub.engine, flt)
        with Session(world.hub.engine) as s:
            screen = reports.overall_report(s, flt.start or date(2000, 1, 1), flt.end or date(2100, 1, 1),
                                            destination=flt.destination)
        assert (report.sessions, report.people, report.attendances, report.absences) == (
            len(screen.sessions), screen.people.total, screen.attendances, screen.absences)
        assert {r.key: r.people for r in report.breakdown("age_group").rows if r.people} == {
            k: v for k, v in screen.people.by_age_group.items() if v}
        assert {r.key: r.people for r in report.breakdown("nationality").rows} == screen.people.by_nationality
        assert {r.key: r.people for r in report.breakdown("module").rows if r.people} == {
            m.module_id: m.people_reached for m in screen.modules if m.people_reached}


def test_progress_and_cancel(world: World, tmp_path: Path) -> None:
    two_laptops(world)
    steps: list[tuple[int, int]] = []
    compute(world.hub.engine, progress=lambda done, total: steps.append((done, total)))
    assert steps == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]  # four attendance queries, the learning figures
    with pytest.raises(Cancelled):
        compute(world.hub.engine, cancel=lambda: True)
    asked: list[int] = []

    def after_the_first_question() -> bool:  # Cancel pressed while the first query runs
        asked.append(1)
        return len(asked) > 1

    with pytest.raises(Cancelled):
        compute(world.hub.engine, cancel=after_the_first_question)
    report = compute(world.hub.engine, cancel=lambda: False)  # the connection still works
    assert report.attendances == 18
    out = tmp_path / "donor.xlsx"
    with pytest.raises(Cancelled):
        donor.write_xlsx(world.hub.engine, report, out, "en", cancel=lambda: True)
    assert not out.exists()


def test_the_donor_xlsx_streams_every_breakdown_with_totals_definitions_and_charts(world: World,
                                                                                  tmp_path: Path) -> None:
    two_laptops(world)
    report = compute(world.hub.engine)
    out = tmp_path / "donor-ar.xlsx"
    donor.write_xlsx(world.hub.engine, report, out, "ar")
    book = load_workbook(out)
    assert len(book.sheetnames) == 9  # summary, six breakdowns, learning, records
    summary = [row for row in book.worksheets[0].iter_rows(values_only=True)]
    numbers = [row[1] for row in summary[:12] if isinstance(row[1], int)]
    assert numbers == list(report.totals().values())  # the totals at the top
    assert len(summary[-1][1]) > 20 and summary.index(next(r for r in summary if r[0] and r[1] and
                                                           isinstance(r[1], str) and len(r[1]) > 40)) > 8
    assert book.worksheets[0].sheet_view.rightToLeft
    records = list(book.worksheets[-1].iter_rows(min_row=2, values_only=True))
    assert len(records) == report.expected == 18
    with zipfile.ZipFile(out) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == 6
    with pytest.raises(OutputFileError, match="missing-folder"):
        donor.write_xlsx(world.hub.engine, report, tmp_path / "missing-folder" / "x.xlsx", "en")


def test_the_commands_read_the_hub(world: World, tmp_path: Path) -> None:
    two_laptops(world)
    url, data = hub_url(world), str(tmp_path / "office-data")
    done = run("--data-dir", data, "report", "--db", url, "--json", "--from", "2026-12-01")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["totals"]["people"] == 6
    done = run("--data-dir", data, "report", "--db", url, "--json", "--laptop", "beirut")  # a name, any case
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["totals"]["sessions"] == 1
    done = run("--data-dir", data, "attendance", "export", "--db", url, "--format", "csv", "--out",
               str(tmp_path / "all.csv"))
    assert done.returncode == 0, done.stderr
    with (tmp_path / "all.csv").open(encoding="utf-8-sig") as fh:
        assert len(list(csv.DictReader(fh))) == 18  # both laptops' records
    done = run("--data-dir", data, "sync", "conflicts", "--db", url, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["conflicts"] == []
    done = run("--data-dir", data, "report", "--db", url, "--xlsx", str(tmp_path / "donor.xlsx"))
    assert done.returncode == 0 and "12 people, 18 attendances in 3 sessions" in done.stdout, done.stderr
    assert load_workbook(tmp_path / "donor.xlsx").sheetnames[0] == "Summary"


def test_the_donor_pdf_from_the_command_line(tmp_path: Path) -> None:
    from tests.core.sync_helpers import laptop

    db = laptop(tmp_path, "laptop")
    populate(db)
    db.dispose()
    data, out = str(tmp_path / "laptop"), tmp_path / "donor.pdf"
    done = run("--data-dir", data, "--lang", "ar", "report", "--pdf", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_size > 5000
    done = run("--data-dir", data, "report", "--pdf", str(tmp_path / "nowhere" / "donor.pdf"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "nowhere" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_report_text_gives_a_long_module_title_whole(tmp_path: Path) -> None:
    """The officer read 'The first year: realistic expectat' in 'report': a label longer than
    its column goes on over more lines, the figures on its last, never cut."""
    data = str(tmp_path / "demo")
    assert run("--data-dir", data, "demo", "seed", "--sessions", "12", "--laptop", "2").returncode == 0
    done = run("--data-dir", data, "report")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "The first year: realistic")
    words = lines[at + 1].split()  # the title's end, indented, then its people and attendances
    assert lines[at + 1].startswith("    expectations ") and len(words) == 3 and words[1].isdigit()
    assert not any("expectat" in line and "expectations" not in line for line in lines)
