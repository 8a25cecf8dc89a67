"""Office → Reports shows the learning figures (issue 21, point 4) after the breakdowns:
before and after per module, by sex and age group, and the questions most often missed —
the same rows as the donor report's, from answers recorded in the hub."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from co_app.core.db.models import CoSession
from co_app.core.learning.answers import AFTER, BEFORE, Where, record_tally
from co_app.core.office import learning_table as lt
from co_app.core.office.labels import Labels
from co_app.core.office.report import ReportFilter, compute
from tests.ui.office.test_office_window import _click, _idle, _import


def _rows(table) -> list[list[str]]:
    return [[item.text() for c in range(table.columnCount()) if (item := table.item(r, c)) is not None]
            for r in range(table.rowCount())]


def test_the_reports_tab_shows_before_after_and_the_questions_missed(qtbot, make_window, office_services, stick_for,
                                                                     sqlite_url: str, tmp_path: Path) -> None:
    stick = stick_for(tmp_path, sqlite_url)
    services = office_services(sqlite_url)
    window = make_window(svc=services)
    office = window.current_view()
    _click(qtbot, _import(qtbot, office, stick.folder, enrol=True).close_button)
    reports = office.show_tab("reports")
    _idle(qtbot, reports)
    reports.breakdown.setCurrentIndex(reports.breakdown.findData("learning"))
    assert _rows(reports.table) == [["No check answers were recorded at these sessions.", *[""] * 6]]
    who = services.content.module("housing").self_check[0]  # the right answer: 1
    with services.db.session() as db, db.begin():
        session = db.scalars(select(CoSession.id).order_by(CoSession.session_date)).first()
        record_tally(db, Where(session, "housing", who, BEFORE), {0: 4, 1: 2}, 6, "R. Nasser")
        record_tally(db, Where(session, "housing", who, AFTER), {0: 1, 1: 5}, 6, "R. Nasser")
    _click(qtbot, reports.show_button)
    _idle(qtbot, reports)
    assert reports.breakdown.currentData() == "learning"  # the view chosen stays
    assert [reports.table.horizontalHeaderItem(c).text() for c in range(reports.table.columnCount())] == [
        "Module", "Who", "Before", "After", "Change", "Answers before", "Answers after"]
    assert _rows(reports.table) == [["Housing", "Everyone", "33%", "83%", "+50 points", "6", "6"]]
    expected = compute(services.db.engine, ReportFilter()).learning
    assert _rows(reports.table) == lt.shown_rows(expected, Labels("en", services.content))
    reports.breakdown.setCurrentIndex(reports.breakdown.findData("missed"))
    assert _rows(reports.table) == [["Housing", who.question, "after", "1", "6"]]
