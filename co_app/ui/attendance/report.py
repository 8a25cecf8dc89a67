"""The report of one session: who came, disaggregated by sex, age group, nationality and
destination, with a chart by age group and sex, and the modules covered.

Also the building blocks the overall report shares (number cards, count tables, the age
and sex chart).  QtCharts is imported only when a chart is first shown: the application
starts without it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from co_app.core.attendance import reports
from co_app.core.sessions import service as session_service
from co_app.core.bootstrap import Services
from co_app.core.foundation.i18n import _, country_name, current_language, format_date, format_number
from co_app.ui.shell.flow_layout import EvenRows

# --- labels -------------------------------------------------------------------------


def sex_label(sex: str) -> str:
    from co_app.core.people.participants import SEX_LABELS  # the same words as the participant form

    return _(SEX_LABELS.get(sex, SEX_LABELS["unknown"]))


def age_label(group: str) -> str:
    """Short, to fit a chart's axis and a table's first column: "12–17", "60+"; the unit,
    years, is in the axis title and the column header (``AGE_TITLE``)."""
    if group == reports.UNKNOWN:
        return _("Not known")
    if group.endswith("+"):
        return _("{age}+").format(age=format_number(int(group[:-1])))
    low, high = group.split("-")
    return _("{low}–{high}").format(low=format_number(int(low)), high=format_number(int(high)))


def age_title() -> str:
    """The age groups' axis title and column header: the labels themselves are bare numbers."""
    return _("Age (years)")


def nationality_label(code: str) -> str:
    return _("Not known") if code == reports.UNKNOWN else country_name(code)


def town_label(services: Services, key: str) -> str:
    if key == reports.UNKNOWN:
        return _("Not decided yet")
    return services.content.town_name(key, _language())


def module_label(services: Services, module_id: str) -> str:
    module = services.content.module(module_id, _language())
    return module.title if module is not None else module_id


def _language() -> str:
    from co_app.core.foundation.i18n import current_language

    return current_language()


def module_order(services: Services) -> tuple[str, ...]:
    return tuple(m.id for m in services.content.modules())


# --- building blocks ----------------------------------------------------------------



def count_axis(highest: int, most_intervals: int = 6) -> tuple[int, int]:
    """The top and the number of ticks of an axis of whole counts up to ``highest``, in
    round steps (1, 2, 5, 10, 20, 50…) with room above the highest bar: 0–50 by 10, not
    0–49 by 9.8 printed as 0, 9, 19, 29…"""
    needed = max(4, highest + 1)
    magnitude = 1
    while True:
        for base in (1, 2, 5):
            step = base * magnitude
            if needed <= step * most_intervals:
                top = -(-needed // step) * step
                return top, top // step + 1
        magnitude *= 10


class StatCard(QFrame):
    """One large number with what it counts, readable from across a room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        self.number = QLabel()
        self.number.setObjectName("statNumber")
        self.number.setStyleSheet("font-size: 26pt; font-weight: bold; color: #123c4a;")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)

    def set_value(self, value: int | str, caption: str) -> None:
        self.number.setText(format_number(value) if isinstance(value, int) else value)
        self.caption.setText(caption)


def count_table(columns: int) -> QTableWidget:
    """A read-only table that is as tall as its rows (the page scrolls, not the table)."""
    from PySide6.QtCore import Qt  # here, not at import: see co_app/ui/shell/language.py

    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 18)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # Nor sideways: the columns share the width, long text is elided at its end.
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setStyleSheet("QTableWidget { background: #ffffff; gridline-color: #dde2e4; }"
                        "QTableWidget::item { padding: 4px 10px; }"
                        "QHeaderView::section { padding: 6px 10px; background: #e9eef0; border: none;"
                        " border-bottom: 1px solid #c3ccd0; font-weight: bold; }")
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return table


def fill_table(table: QTableWidget, headers: Sequence[str], rows: Sequence[Sequence[object]],
               *, bold_last: bool = False) -> None:
    """Put ``rows`` in ``table``; numbers are right-aligned and formatted for the locale."""
    from PySide6.QtCore import Qt

    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setAccessibleName(", ".join(headers))  # what a screen reader says of the table
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(format_number(value) if isinstance(value, int) else str(value))
            if isinstance(value, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
            if bold_last and r == len(rows) - 1:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            table.setItem(r, c, item)
    height = table.horizontalHeader().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(table.rowCount()))
    table.setFixedHeight(height)


def age_sex_rows(totals: reports.Totals) -> list[list[object]]:
    """Age groups down, sexes across, totals on the right and at the bottom."""
    rows: list[list[object]] = []
    for group in (*reports.AGE_GROUPS, reports.UNKNOWN):
        counts = totals.by_age_and_sex[group]
        if group == reports.UNKNOWN and not totals.by_age_group[group]:
            continue  # an empty "not known" row is noise; the known groups always show
        rows.append([age_label(group), *(counts[s] for s in reports.SEXES), totals.by_age_group[group]])
    rows.append([_("Total"), *(totals.by_sex[s] for s in reports.SEXES), totals.total])
    return rows


def age_sex_headers() -> list[str]:
    return [age_title(), *(sex_label(s) for s in reports.SEXES), _("Total")]


def section_title(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("emptyTitle")
    label.setWordWrap(True)
    return label


class AgeSexChart(QWidget):
    """Bars by age group, one colour per sex.  The chart (QtCharts) is made on first show."""

    COLOURS = {"female": "#b5446e", "male": "#1f6f8b", "other": "#e0a100", "unknown": "#8a8a8a"}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(340)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.view = None  # QChartView once shown
        self._totals: reports.Totals | None = None
        self._title = ""

    def set_totals(self, totals: reports.Totals | None, title: str) -> None:
        self._totals, self._title = totals, title
        if self.view is not None or self.isVisible():
            self._render()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.view is None:
            self._render()

    def _render(self) -> None:
        from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
        from PySide6.QtGui import QColor, QPainter

        if self.view is None:
            self.view = QChartView()
            self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._layout.addWidget(self.view)
            self.view.show()  # now, not at the layout's next turn: the panel is on screen
        chart = QChart()
        chart.setTitle(self._title)
        font = chart.titleFont()
        font.setPointSizeF(self.font().pointSizeF() * 1.2)
        font.setBold(True)
        chart.setTitleFont(font)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setFont(self.font())
        totals = self._totals
        groups = [g for g in (*reports.AGE_GROUPS, reports.UNKNOWN)
                  if totals is None or g != reports.UNKNOWN or totals.by_age_group[g]]
        sexes = [s for s in reports.SEXES if totals is None or s in ("female", "male") or totals.by_sex[s]]
        # Arabic and Dari read from the right: the first age group on the right and the
        # counts' axis on the right side (QtCharts mirrors neither, nor reverses bar axes).
        rtl = self.isRightToLeft()
        if rtl:  # the bars of a group and the legend too: the first sex on the right
            groups.reverse()
            sexes.reverse()
        series = QBarSeries()
        highest = 0
        for sex in sexes:
            bars = QBarSet(sex_label(sex))
            bars.setColor(QColor(self.COLOURS[sex]))
            bars.setLabelColor(QColor("#111111"))
            bars.setLabelFont(self.font())
            for group in groups:
                value = totals.by_age_and_sex[group][sex] if totals else 0
                highest = max(highest, value)
                bars.append(value)
            series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([age_label(g) for g in groups])
        axis_x.setLabelsFont(self.font())
        axis_x.setTitleText(age_title())
        axis_x.setTitleFont(self.font())
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%d")
        top, ticks = count_axis(highest)
        axis_y.setRange(0, top)
        axis_y.setTickCount(ticks)
        axis_y.setLabelsFont(self.font())
        chart.addAxis(axis_x, _bottom())
        chart.addAxis(axis_y, _right() if rtl else _left())
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        old = self.view.chart()
        self.view.setChart(chart)
        if old is not None:
            old.deleteLater()

    @property
    def chart(self):  # QChart, imported lazily
        return self.view.chart() if self.view is not None else None


def _bottom():
    from PySide6.QtCore import Qt

    return Qt.AlignmentFlag.AlignBottom


def _left():
    from PySide6.QtCore import Qt

    return Qt.AlignmentFlag.AlignLeft


def _right():
    from PySide6.QtCore import Qt

    return Qt.AlignmentFlag.AlignRight


def scrolling_page(owner: QWidget) -> QVBoxLayout:
    """``owner`` holds a scroll area; returns the layout of the content inside it."""
    outer = QVBoxLayout(owner)
    outer.setContentsMargins(0, 0, 0, 0)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    content = QWidget()
    content.setObjectName("page")
    area.setWidget(content)
    outer.addWidget(area)
    layout = QVBoxLayout(content)
    layout.setContentsMargins(4, 4, 16, 16)
    layout.setSpacing(14)
    return layout


def card_row(count: int) -> tuple[EvenRows, list[StatCard]]:
    """The figures in one row, or two rows where they do not fit (a netbook, larger text)."""
    grid = EvenRows(spacing=12, line_spacing=12)
    cards = [StatCard() for _ in range(count)]
    for card in cards:
        grid.addWidget(card)
    return grid, cards


# --- the session report -------------------------------------------------------------


class SessionReportPanel(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.session_id: str | None = None
        self.report: reports.SessionReport | None = None
        layout = scrolling_page(self)
        self.title = section_title()
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        grid, self.cards = card_row(4)
        self.chart = AgeSexChart()
        self.age_title = section_title()
        self.age_table = count_table(6)
        self.lists = QGridLayout()
        self.lists.setHorizontalSpacing(16)
        self.nationality_title, self.destination_title = section_title(), section_title()
        self.nationality_table, self.destination_table = count_table(2), count_table(2)
        self.lists.addWidget(self.nationality_title, 0, 0)
        self.lists.addWidget(self.destination_title, 0, 1)
        from PySide6.QtCore import Qt

        self.lists.addWidget(self.nationality_table, 1, 0, Qt.AlignmentFlag.AlignTop)
        self.lists.addWidget(self.destination_table, 1, 1, Qt.AlignmentFlag.AlignTop)
        self.modules_title = section_title()
        self.modules_table = count_table(2)
        self.absent_note = QLabel()
        self.absent_note.setWordWrap(True)
        self.absent_note.setObjectName("muted")
        from co_app.ui.learning.report_view import LearningSection  # the learning checks' figures (issue 21)

        self.learning = LearningSection(services)
        self.learning_report, self.learning_faces = None, None
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(14)
        body.addLayout(grid)
        body.addWidget(self.absent_note)
        body.addWidget(self.chart)
        body.addWidget(self.age_title)
        body.addWidget(self.age_table)
        body.addLayout(self.lists)
        body.addWidget(self.modules_title)
        body.addWidget(self.modules_table)
        body.addWidget(self.learning)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(self.body)
        layout.addStretch(1)
        self.retranslate()

    def set_session(self, session_id: str | None) -> None:
        self.session_id = session_id
        self.refresh()

    def refresh(self) -> None:
        self.report = None
        if self.session_id is not None:
            try:
                with self.services.db.session() as db:
                    self.report = reports.session_report(db, self.session_id, module_order(self.services))
                    from co_app.core.learning import report as learning

                    self.learning_report = learning.for_session(db, self.session_id, module_order(self.services))
                    self.learning_faces = learning.feedback_counts(db, self.session_id)
            except session_service.SessionNotFoundError:
                self.session_id = None
        self.retranslate()

    def retranslate(self) -> None:
        report = self.report
        self.body.setVisible(report is not None)
        self.empty.setVisible(report is None)
        if report is None:
            self.title.setText(_("Session report"))
            self.empty.setText(_("Choose a session to see who came, by sex, age group, nationality and destination."))
            return
        s = report.session
        self.learning.show_report(self.learning_report, current_language(), self.learning_faces)
        self.title.setText(_("Report: {date}, session {number}").format(
            date=format_date(s.session_date, "long"), number=format_number(s.number_of_day)))
        attended, absent = report.attended, report.absent
        self.cards[0].set_value(attended.total, _("people attended"))
        # While the session is open, someone not checked in may still come: not absent.
        self.cards[1].set_value(absent.total, _("expected but absent") if report.closed else _("not here (yet)"))
        self.cards[2].set_value(report.by_status.get("late", 0), _("came late"))
        self.cards[3].set_value(report.by_status.get("left_early", 0), _("left early"))
        note = _("“Attended” counts everyone who was present, came late or left early. "
                 "Ages are counted on the day of the session.")
        if not report.closed:
            note += " " + _("The session is still open: people on the list who have not checked in are “not here "
                            "(yet)”. They count as absent only once the session is closed.")
        self.absent_note.setText(note)
        self.chart.set_totals(attended, _("People who attended, by age group and sex"))
        self.age_title.setText(_("By age group and sex"))
        fill_table(self.age_table, age_sex_headers(), age_sex_rows(attended), bold_last=True)
        self.nationality_title.setText(_("By nationality"))
        fill_table(self.nationality_table, [_("Nationality"), _("People")],
                   [[nationality_label(k), n] for k, n in attended.by_nationality.items()]
                   or [[_("Nobody yet"), 0]])
        self.destination_title.setText(_("By destination"))
        fill_table(self.destination_table, [_("Destination"), _("People")],
                   [[town_label(self.services, k), n] for k, n in attended.by_destination.items()]
                   or [[_("Nobody yet"), 0]])
        covered = set(report.modules_covered)
        known = module_order(self.services)
        order = [*known, *(m for m in report.modules_covered if m not in known)]
        self.modules_title.setText(_("Modules covered: {covered} of {total}").format(
            covered=format_number(len(covered)), total=format_number(len(order))))
        fill_table(self.modules_table, [_("Module"), _("Covered")],
                   [[module_label(self.services, m), _("✓ Covered") if m in covered else _("Not covered")]
                    for m in order])
        self.modules_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.modules_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
