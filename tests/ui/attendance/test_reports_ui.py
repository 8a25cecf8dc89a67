"""The report panels show the numbers of tests/ui/attendance_data.py, counted by hand:
attended 5 (female 3, male 2), absent 1; ages at 2025-03-10: أمل 35, Omar 4, فرشته 40,
Mariam 15, Jean 67.  The seeded session is open (today's) unless a test closes it: its
one "absent" record, Yusuf, is then "not here (yet)"."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from PySide6.QtWidgets import QScrollArea, QTableWidget

from co_app.core.db.models import AttendanceRecord, CoSession
from co_app.ui.attendance.overall_report import OverallReportPanel
from co_app.ui.attendance.report import SessionReportPanel
from tests.ui.attendance_data import SESSION_DAY, seed_session
from tests.ui.helpers import choose_from_list, choose_in_combo, click_nav


def rows(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def click(qtbot, button) -> None:
    from PySide6.QtCore import Qt

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def close(services, session_id: str) -> None:
    with services.db.session() as db:
        db.get(CoSession, session_id).status = "closed"
        db.commit()


def bars(chart) -> dict[str, list[float]]:  # QChart
    [series] = chart.series()
    return {bar_set.label(): [bar_set.at(i) for i in range(bar_set.count())] for bar_set in series.barSets()}


def test_session_report_shows_the_hand_counted_totals_and_a_chart(qtbot, services) -> None:
    seeded = seed_session(services)
    panel = SessionReportPanel(services)
    qtbot.addWidget(panel)
    panel.resize(1100, 900)
    panel.set_session(seeded.session_id)
    panel.show()
    qtbot.waitExposed(panel)
    assert [card.number.text() for card in panel.cards] == ["5", "1", "1", "1"]  # attended, absent, late, left early
    assert panel.cards[0].caption.text() == "people attended"
    assert "March 10, 2025" in panel.title.text()
    # Short labels that fit a chart's axis and a narrow column; the unit is in the header.
    assert panel.age_table.horizontalHeaderItem(0).text() == "Age (years)"
    assert rows(panel.age_table) == [
        ["0–4", "0", "1", "0", "0", "1"],      # Omar
        ["5–11", "0", "0", "0", "0", "0"],
        ["12–17", "1", "0", "0", "0", "1"],    # Mariam
        ["18–59", "2", "0", "0", "0", "2"],    # أمل, فرشته
        ["60+", "0", "1", "0", "0", "1"],      # Jean
        ["Total", "3", "2", "0", "0", "5"],
    ]
    assert rows(panel.nationality_table) == [["Syria", "2"], ["Afghanistan", "1"], ["Congo - Kinshasa", "1"],
                                             ["Eritrea", "1"]]
    assert rows(panel.destination_table) == [["Jena", "4"], ["Biella", "1"]]
    assert panel.modules_title.text() == "Modules covered: 3 of 10"
    covered = [module for module, state in rows(panel.modules_table) if state == "✓ Covered"]
    assert covered == ["Housing", "Work and money", "Health and wellbeing"]

    chart = panel.chart.chart
    assert chart is not None and panel.chart.view.isVisible()
    assert bars(chart) == {"Female": [0, 0, 1, 2, 0], "Male": [1, 0, 0, 0, 1]}
    [axis] = [a for a in chart.axes() if hasattr(a, "categories")]
    assert axis.categories() == ["0–4", "5–11", "12–17", "18–59", "60+"]
    assert axis.titleText() == "Age (years)"
    # Each label fits the width of its category on a 1100-pixel page (it was "12–17 y…").
    plot = chart.plotArea().width() / len(axis.categories())
    metrics = panel.chart.fontMetrics()
    assert all(metrics.horizontalAdvance(label) < plot for label in axis.categories())


def test_the_arabic_chart_reads_from_the_right(qtbot, services, locale_dir) -> None:
    """Issue 20, 8: in Arabic the first age group is on the right and the counts' axis on
    the right side, as the tables beside the chart read; in English both stay on the left."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from co_app.core.foundation import i18n

    seeded = seed_session(services)
    for code, direction in (("ar", Qt.LayoutDirection.RightToLeft), ("en", Qt.LayoutDirection.LeftToRight)):
        i18n.set_language(code, locale_dir)
        QApplication.setLayoutDirection(direction)
        panel = SessionReportPanel(services)
        qtbot.addWidget(panel)
        panel.resize(1100, 900)
        panel.set_session(seeded.session_id)
        panel.show()
        qtbot.waitExposed(panel)
        chart = panel.chart.chart
        [categories] = [a for a in chart.axes() if hasattr(a, "categories")]
        [counts] = chart.axes(Qt.Orientation.Vertical)
        rtl = code == "ar"
        first, last = categories.categories()[0], categories.categories()[-1]
        assert (first, last) == (("60+", "0–4") if rtl else ("0–4", "60+"))
        # In each group too the first bar (female, as the table's first column) is on the reading side.
        from co_app.ui.attendance.report import sex_label

        [series] = chart.series()
        labels = [bar_set.label() for bar_set in series.barSets()]
        assert labels.index(sex_label("female")) == (len(labels) - 1 if rtl else 0)
        assert counts.alignment() == (Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
        # Drawn so: the counts' labels are beside the plot on the reading side.
        plot = chart.plotArea()
        view_width = panel.chart.view.width()
        assert (plot.left() > view_width - plot.right()) is not rtl
        panel.close()


def test_an_open_session_has_people_not_here_yet_a_closed_one_absences(qtbot, services) -> None:
    seeded = seed_session(services)  # open: Yusuf has not checked in (yet)
    panel = SessionReportPanel(services)
    qtbot.addWidget(panel)
    panel.set_session(seeded.session_id)
    assert (panel.cards[1].number.text(), panel.cards[1].caption.text()) == ("1", "not here (yet)")
    assert "still open" in panel.absent_note.text()

    close(services, seeded.session_id)
    panel.refresh()
    assert (panel.cards[1].number.text(), panel.cards[1].caption.text()) == ("1", "expected but absent")
    assert "still open" not in panel.absent_note.text()


def test_session_report_without_a_session_says_what_to_do(qtbot, services) -> None:
    panel = SessionReportPanel(services)
    qtbot.addWidget(panel)
    panel.set_session(None)
    panel.show()
    assert panel.empty.isVisible() and not panel.body.isVisible()
    assert "Choose a session" in panel.empty.text()


def test_overall_report_counts_people_once_and_every_attendance(qtbot, services) -> None:
    seeded = seed_session(services)
    close(services, seeded.session_id)  # Yusuf did not come: absent
    # A second session a week later, still open: Omar and Jean came again, فرشته is
    # expected but not here (yet): not an absence.
    with services.db.session() as db:
        second = CoSession(session_date=date(2025, 3, 17), place="Community hall", language="ar",
                           destination_towns=["germany-jena"])
        db.add(second)
        db.flush()
        for name, status in (("Omar Al-Hassan", "present"), ("Jean Mukendi", "late"), ("فرشته احمدی", "absent")):
            db.add(AttendanceRecord(session_id=second.id, participant_id=seeded.ids[name], status=status))
        db.commit()
    panel = OverallReportPanel(services)
    qtbot.addWidget(panel)
    panel.resize(1100, 900)
    panel.refresh()  # what the page does when shown: all dates by default
    panel.show()
    qtbot.waitExposed(panel)
    assert (panel.start.date().toPython(), panel.end.date().toPython()) == (SESSION_DAY, date(2025, 3, 17))
    # 5 different people; 5 + 2 attendances; Yusuf absent at the first (closed) session;
    # فرشته not here (yet) at the second (open): not counted.
    assert [card.number.text() for card in panel.cards] == ["5", "7", "2", "1"]
    assert panel.cards[0].caption.text() == "people (each counted once)"
    assert panel.cards[1].caption.text() == "attendances (one per person per session)"
    # The words of the one set of definitions (co_app/core/attendance/definitions.py).
    assert "People on a closed session's list with status absent" in panel.explain.text()
    assert "1 person on the list of an open session is not here (yet)." in panel.explain.text()
    assert rows(panel.age_table)[-1] == ["Total", "3", "2", "0", "0", "5"]
    assert [row[3:] for row in rows(panel.sessions_table)] == [["5", "1", "3"], ["2", "—", "0"]]
    assert "1 person on its list is not here (yet)" in panel.sessions_table.item(1, 4).toolTip()
    housing = next(row for row in rows(panel.modules_table) if row[0] == "Housing")
    assert housing == ["Housing", "1", "5"]
    assert bars(panel.chart.chart)["Male"] == [1, 0, 0, 0, 1]

    choose_in_combo(qtbot, panel.destination, "biella")  # only Jean goes to Biella
    assert [card.number.text() for card in panel.cards] == ["1", "2", "2", "0"]
    assert rows(panel.destination_table) == [["Biella", "1"]]

    choose_in_combo(qtbot, panel.destination, None)
    panel.set_range(date(2025, 3, 16), date(2025, 3, 31))  # the second session only
    assert [card.number.text() for card in panel.cards] == ["2", "2", "1", "0"]

    panel.set_range(date(2024, 1, 1), date(2024, 12, 31))  # no session then
    assert panel.empty.isVisible() and not panel.age_table.isVisible()
    assert [card.number.text() for card in panel.cards] == ["0", "0", "0", "0"]


@pytest.mark.parametrize("language", ["en", "fr", "ar", "fa_AF", "so", "ti"])
def test_overall_report_fits_the_page_beside_the_sessions_list(qtbot, make_window, services, language) -> None:
    # The window at 1280 x 800 leaves the page about 770 pixels beside the sessions list:
    # no sideways scrolling, the filters wrap, every control whole, and the sessions
    # table's columns inside the table, the place's elided at its end.
    seeded = seed_session(services, place="Transit Centre, Timișoara — large hall on the first floor")
    with services.db.session() as db:
        db.get(CoSession, seeded.session_id).destination_towns = ["germany-jena", "italy-biella", "belgium-merchtem"]
        db.commit()
    window = make_window()
    window.resize(1280, 800)
    if language != "en":
        choose_from_list(qtbot, window.language_picker, language)
    click_nav(qtbot, window, "attendance")
    view = window.view("attendance")
    click(qtbot, view.overall_button)
    panel = view.overall
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    area = panel.findChild(QScrollArea)
    qtbot.waitUntil(lambda: area.viewport().width() < 800, timeout=3000)  # the laid-out page
    assert area.horizontalScrollBar().maximum() == 0
    viewport = area.viewport().rect()
    for widget in (panel.start, panel.end, panel.destination, panel.all_dates):
        box = widget.rect().translated(widget.mapTo(area.viewport(), widget.rect().topLeft()))
        assert viewport.contains(box), (widget, box, viewport)
        assert widget.width() >= widget.sizeHint().width()
    table = panel.sessions_table
    header = table.horizontalHeader()
    assert header.length() <= table.viewport().width()
    for column in range(table.columnCount()):
        if column != 1:  # the place takes what is left, elided at its end
            title = table.horizontalHeaderItem(column).text()
            assert header.sectionSize(column) >= header.sectionSizeHint(column), title
    assert header.sectionSize(1) >= 100
    assert table.item(0, 1).toolTip() == "Transit Centre, Timișoara — large hall on the first floor"
    if language != "en":
        choose_from_list(qtbot, window.language_picker, "en")  # left to right again for the next test


def test_the_panels_load_without_qtcharts_until_a_chart_is_shown() -> None:
    # The application's start-up is measured: QtCharts must come only with the first report.
    code = ("import sys; import co_app.ui.attendance.report, co_app.ui.attendance.overall_report, "
            "co_app.ui.attendance.session_actions, co_app.ui.attendance.printouts; "
            "print('PySide6.QtCharts' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_count_axis_steps_are_round():
    from co_app.ui.attendance.report import count_axis

    # (highest bar) → (top of the axis, ticks): every tick a whole, round number.
    assert count_axis(0) == (4, 5) and count_axis(3) == (4, 5)
    assert count_axis(9) == (10, 6)  # 0, 2, 4, 6, 8, 10
    assert count_axis(48) == (50, 6)  # 0, 10, … 50 — not 0, 9, 19, 29, 39, 49
    assert count_axis(120) == (150, 4)
    for highest in range(0, 2000, 7):
        top, ticks = count_axis(highest)
        step = top // (ticks - 1)
        assert top > highest and step * (ticks - 1) == top and ticks <= 7
        assert str(step).rstrip("0") in ("1", "2", "5")
