"""What "nothing that entered can make a later export or report fail" means, as checks a
test runs on a database after an import (tests/core/sync/test_bad_values.py and the sync
fuzz target)."""

from __future__ import annotations

import csv
import functools
import io
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from co_app.core.attendance import reports
from co_app.core.attendance.export import ExportOptions, export_attendance
from co_app.core.db import validation
from co_app.core.db.engine import Database
from co_app.core.db.models import CoSession
from co_app.core.office import donor
from co_app.core.office.report import compute
from tests.core.sync_helpers import snapshot


def assert_every_record_valid(db: Database) -> None:
    """Every synced record in the database passes the validation layer."""
    for table, rows in snapshot(db).items():
        for record_id, record in rows.items():
            record.pop("sync_seq", None)
            assert validation.record_problem(table, record) is None, (table, record_id)


def assert_exports_and_reports_work(db: Database, folder: Path, *, quick: bool = False) -> None:
    """Every attendance export (CSV and XLSX; without names, with names, pseudonymised), the
    session and overall reports and the office's donor report (XLSX and the document) run,
    and no cell they wrote holds a control character.  ``quick`` (a fuzz target's thousand
    runs): the exports with names only (they hold every value the others hold) and the
    donor report as a document, not as a workbook (a second)."""
    folder.mkdir(parents=True, exist_ok=True)
    every = (ExportOptions(), ExportOptions(with_names=True), ExportOptions(secret=b"s" * 32))
    for fmt in ("csv", "xlsx"):
        for options in every[1:2] if quick else every:
            out = folder / f"attendance-{options.mode.replace(' ', '-')}.{fmt}"
            export_attendance(db.engine, out, fmt, options)
            for cell in _cells(out) if fmt == "csv" or not quick else ():  # writing an XLSX checks its cells
                assert not validation.RULES["attendance"]["note"].problem("cell", cell), (out.name, cell)
    with db.session() as s:
        span = reports.session_date_range(s)
        if span is not None:
            reports.overall_report(s, *span)
        for session_id in s.scalars(select(CoSession.id).where(CoSession.deleted_at.is_(None))):
            reports.session_report(s, session_id)
            reports.expected_participants(s, session_id)
            reports.attended_participants(s, session_id)
    report = compute(db.engine)
    assert donor.html(report, content=_content())
    if not quick:
        donor.write_xlsx(db.engine, report, folder / "donor.xlsx", content=_content())
        assert _cells(folder / "donor.xlsx")


@functools.cache
def _content():  # the towns and modules, read once (they name the donor report's rows)
    from co_app.core.content.library import load_content

    return load_content()


def _cells(path: Path) -> list[str]:
    if path.suffix == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    book = load_workbook(path, read_only=True)
    try:
        return [str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                for cell in row if cell is not None]
    finally:
        book.close()
