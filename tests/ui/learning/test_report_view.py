"""The session report shows the learning figures (issue 21, point 4): per module before,
after and the change, by sex and age group, and the question most often missed — from
answers recorded by hand here."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget

from co_app.core.learning import feedback
from co_app.core.learning.answers import AFTER, BEFORE, Where, record_person, record_tally
from co_app.ui.attendance.report import SessionReportPanel
from tests.ui.attendance_data import seed_session


def rows(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_session_report_shows_before_after_and_the_change(qtbot, services) -> None:
    seeded = seed_session(services)
    panel = SessionReportPanel(services)
    qtbot.addWidget(panel)
    panel.resize(1100, 900)
    panel.set_session(seeded.session_id)
    panel.show()
    qtbot.waitExposed(panel)
    assert not panel.learning.isVisible()  # nothing recorded: no section
    who, pay = services.content.module("housing").self_check[:2]  # right answers: 1, 1
    amal, farishta = seeded.ids["أمل الحسن"], seeded.ids["فرشته احمدی"]
    with services.db.session() as db, db.begin():
        record_tally(db, Where(seeded.session_id, "housing", who, BEFORE), {0: 3, 1: 1}, 5, "Maria Popescu")
        record_person(db, Where(seeded.session_id, "housing", pay, AFTER), amal, 1, "Maria Popescu")
        record_person(db, Where(seeded.session_id, "housing", pay, AFTER), farishta, 0, "Maria Popescu")
    panel.refresh()
    assert panel.learning.isVisible()
    assert panel.learning.title.text() == "What the group knew before and after"
    assert rows(panel.learning.table) == [
        ["Housing", "Everyone", "25%", "50%", "+25 points"],
        ["", "Female", "–", "50%", "–"],           # the tally has no sex: per person only
        ["", "Age 18-59", "–", "50%", "–"],
    ]
    assert rows(panel.learning.missed_table) == [["Who chooses your first home?", "before", "3 of 4"],
                                                 ["What must you pay every month?", "after", "1 of 2"]]
    assert not panel.learning.feedback_table.isVisible()  # no faces touched yet
    with services.db.session() as db, db.begin():  # two participants' faces in the viewer
        for question, face in (("useful", 0), ("useful", 1), ("clear", 0), ("next", 2)):
            feedback.add_face(db, seeded.session_id, question, face)
    panel.refresh()
    assert panel.learning.feedback_title.text() == "Participants' feedback (anonymous)"
    assert rows(panel.learning.feedback_table) == [["Was today useful for you?", "1", "1", "0"],
                                                   ["Was it clear and easy to follow?", "1", "0", "0"],
                                                   ["Do you feel ready for what comes next?", "0", "0", "1"]]


def test_the_report_across_sessions_shows_the_session_reports_learning_figures(qtbot, services) -> None:
    from co_app.ui.attendance.overall_report import OverallReportPanel

    seeded = seed_session(services)
    who = services.content.module("housing").self_check[0]
    amal, farishta = seeded.ids["أمل الحسن"], seeded.ids["فرشته احمدی"]
    with services.db.session() as db, db.begin():
        record_tally(db, Where(seeded.session_id, "housing", who, BEFORE), {0: 3, 1: 1}, 5, "Maria Popescu")
        record_person(db, Where(seeded.session_id, "housing", who, AFTER), amal, 1, "Maria Popescu")
        record_person(db, Where(seeded.session_id, "housing", who, AFTER), farishta, 0, "Maria Popescu")
    session = SessionReportPanel(services)
    overall = OverallReportPanel(services)
    for panel in (session, overall):
        qtbot.addWidget(panel)
        panel.resize(1100, 900)
        panel.show()
        qtbot.waitExposed(panel)
    session.set_session(seeded.session_id)
    overall.show_all_dates()
    assert overall.learning.isVisible()
    assert rows(overall.learning.table) == rows(session.learning.table) == [
        ["Housing", "Everyone", "25%", "50%", "+25 points"],
        ["", "Female", "–", "50%", "–"],
        ["", "Age 18-59", "–", "50%", "–"],
    ]
    assert rows(overall.learning.missed_table) == rows(session.learning.missed_table) == [
        ["Who chooses your first home?", "after", "1 of 2"]]  # asked after too: the after answers
