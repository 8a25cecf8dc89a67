"""The questions most often missed wrap instead of being cut with "…" (issue 20): the
question takes the width the other columns leave, over as many lines as it needs."""

from __future__ import annotations

from PySide6.QtCore import Qt

from co_app.core.learning.answers import BEFORE, Where, record_tally
from co_app.ui.attendance.report import SessionReportPanel
from tests.ui.attendance_data import seed_session


def test_a_long_missed_question_wraps_whole_in_a_narrow_report(qtbot, services) -> None:
    seeded = seed_session(services)
    question = services.content.module("housing").self_check[0]
    with services.db.session() as db, db.begin():
        record_tally(db, Where(seeded.session_id, "housing", question, BEFORE), {0: 3, 1: 1}, 5, "Maria Popescu")
    panel = SessionReportPanel(services)
    qtbot.addWidget(panel)
    panel.resize(300, 900)
    panel.set_session(seeded.session_id)
    panel.show()
    qtbot.waitExposed(panel)
    panel.refresh()
    table = panel.learning.missed_table
    qtbot.waitUntil(lambda: table.isVisible() and table.rowCount() == 1)
    item = table.item(0, 0)
    text = item.text()
    # the question takes the room the others leave, once the layout has settled
    qtbot.waitUntil(lambda: table.columnWidth(0) > max(table.columnWidth(1), table.columnWidth(2)))
    qtbot.waitUntil(lambda: table.rowHeight(0) >= table.sizeHintForRow(0))
    width = table.columnWidth(0)
    assert table.textElideMode() == Qt.TextElideMode.ElideNone and table.wordWrap()
    metrics = table.fontMetrics()
    assert metrics.horizontalAdvance(text) > width                 # it could not fit on one line…
    assert table.rowHeight(0) >= 2 * metrics.lineSpacing()           # …so it takes two or more
    assert table.height() >= table.horizontalHeader().height() + table.rowHeight(0)  # all of it shows
