"""The report across sessions: a date range, optionally one destination.

People and attendances are different numbers and both are shown, each with what it
counts: a person who came to three sessions is one person and three attendances.  Under
the modules, the learning figures of the sessions in the range (issue 21: the session
report's section, ``co_app.core.learning.report`` over the range's sessions — what the
office's report computes for the same dates; by date only, as the office's).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from co_app.core.attendance import definitions, reports
from co_app.core.bootstrap import Services
from co_app.core.foundation.i18n import _, format_date, format_number, ngettext
from co_app.ui.shell.flow_layout import FlowLayout
from co_app.ui.attendance.report import (
    AgeSexChart,
    age_sex_headers,
    age_sex_rows,
    card_row,
    count_table,
    fill_table,
    module_label,
    module_order,
    nationality_label,
    scrolling_page,
    section_title,
    town_label,
)


def _qdate(value: date):  # QDate
    from PySide6.QtCore import QDate

    return QDate(value.year, value.month, value.day)


def _left_to_right():  # Qt.LayoutDirection
    from PySide6.QtCore import Qt

    return Qt.LayoutDirection.LeftToRight


def _pydate(value) -> date:  # QDate
    return date(value.year(), value.month(), value.day())


def _group(*widgets: QWidget) -> QWidget:
    """Widgets that stay on one line together ("From [date] to [date]") when the filter
    row wraps."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(8)
    for widget in widgets:
        row.addWidget(widget)
    box.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return box


#: The sessions table: date, place, destination, attended, absent, modules covered.
PLACE_COLUMN, DESTINATION_COLUMN = 1, 2
#: The date and number columns are as wide as their text, up to this; the place and the
#: destinations share what is left, the place first, eliding their end (the whole text is
#: in the cell's tooltip).
WIDEST_COLUMN = 220
#: The destinations' least share of what is left when place and towns do not both fit.
DESTINATION_SHARE = 0.35


class OverallReportPanel(QWidget):
    # Longer than 60 lines on purpose: it builds one layout in reading order, top to bottom;
    # split up, the layout would be spread over several places.
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.report: reports.OverallReport | None = None
        self._range_set = False
        layout = scrolling_page(self)
        self.title = section_title()

        self.from_label, self.to_label, self.destination_label = QLabel(), QLabel(), QLabel()
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            # A date in digits reads left to right in Arabic too: Qt reverses the format's
            # parts in a right-to-left widget (2025-03-17 would show as 17-03-2025).
            edit.setLayoutDirection(_left_to_right())
            edit.setDisplayFormat("yyyy-MM-dd")  # unambiguous in every language
            edit.dateChanged.connect(self.refresh)
        self.destination = QComboBox()
        # As wide as the longest town, not wider: the row wraps rather than scroll sideways.
        self.destination.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.destination.currentIndexChanged.connect(self.refresh)
        self.all_dates = QPushButton()
        self.all_dates.clicked.connect(self.show_all_dates)
        # The filters wrap onto a second line when the page is narrow or the words long.
        self.controls = QWidget()
        controls = FlowLayout(self.controls, spacing=10, line_spacing=8)
        for group in (_group(self.from_label, self.start, self.to_label, self.end),
                      _group(self.destination_label, self.destination), self.all_dates):
            controls.addWidget(group)

        grid, self.cards = card_row(4)
        self.explain = QLabel()
        self.explain.setObjectName("muted")
        self.explain.setWordWrap(True)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.chart = AgeSexChart()
        self.age_title = section_title()
        self.age_table = count_table(6)
        self.nationality_title, self.destination_title = section_title(), section_title()
        self.nationality_table, self.destination_table = count_table(2), count_table(2)
        from PySide6.QtCore import Qt

        lists = QGridLayout()
        lists.setHorizontalSpacing(16)
        lists.addWidget(self.nationality_title, 0, 0)
        lists.addWidget(self.destination_title, 0, 1)
        lists.addWidget(self.nationality_table, 1, 0, Qt.AlignmentFlag.AlignTop)
        lists.addWidget(self.destination_table, 1, 1, Qt.AlignmentFlag.AlignTop)
        self.modules_title = section_title()
        self.modules_table = count_table(3)
        self.sessions_title = section_title()
        self.sessions_table = count_table(6)
        # Six columns in a narrow page: less padding leaves the place more of its name.
        self.sessions_table.setStyleSheet(self.sessions_table.styleSheet()
                                          + "QTableWidget::item { padding: 4px 6px; }"
                                            "QHeaderView::section { padding: 6px 6px; }")
        self._needed: list[int] = []  # the sessions table's column widths for their whole text
        self._headers: list[int] = []  # … and for their header
        self.sessions_table.viewport().installEventFilter(self)  # its columns follow its width
        from co_app.ui.learning.report_view import LearningSection  # the learning checks' figures (issue 21)

        self.learning = LearningSection(services)
        self.learning_report = None

        layout.addWidget(self.title)
        layout.addWidget(self.controls)
        layout.addLayout(grid)
        layout.addWidget(self.explain)
        layout.addWidget(self.empty)
        for widget in (self.chart, self.age_title, self.age_table):
            layout.addWidget(widget)
        layout.addLayout(lists)
        for widget in (self.modules_title, self.modules_table, self.learning, self.sessions_title,
                       self.sessions_table):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._fill_destinations()
        self.retranslate()

    # --- choices --------------------------------------------------------------------

    def _fill_destinations(self) -> None:
        current = self.destination.currentData()
        self.destination.blockSignals(True)
        self.destination.clear()
        self.destination.addItem(_("All destinations"), None)
        for town in self.services.content.towns(_current()):
            self.destination.addItem(town.name, town.id)
        index = self.destination.findData(current)
        self.destination.setCurrentIndex(max(0, index))
        self.destination.blockSignals(False)

    def set_range(self, start: date, end: date, destination: str | None = None) -> None:
        """Show ``start`` to ``end`` (both included), for one destination or all."""
        for edit, value in ((self.start, start), (self.end, end)):
            edit.blockSignals(True)
            edit.setDate(_qdate(value))
            edit.blockSignals(False)
        self.destination.blockSignals(True)
        self.destination.setCurrentIndex(max(0, self.destination.findData(destination)))
        self.destination.blockSignals(False)
        self._range_set = True
        self.refresh()

    def show_all_dates(self) -> None:
        with self.services.db.session() as db:
            span = reports.session_date_range(db)
        first, last = span or (date.today(), date.today())
        self.set_range(first, last, self.destination.currentData())

    # --- data -----------------------------------------------------------------------

    def refresh(self) -> None:
        if not self._range_set:
            self.show_all_dates()  # sets the range, then comes back here
            return
        start, end = _pydate(self.start.date()), _pydate(self.end.date())
        if end < start:
            start, end = end, start
        with self.services.db.session() as db:
            self.report = reports.overall_report(db, start, end, destination=self.destination.currentData(),
                                                 module_order=module_order(self.services))
            self.learning_report = learning_in_range(db, start, end, module_order(self.services))
        self.retranslate()

    # Longer than 60 lines on purpose: every text of the page is set here, in one place, so a
    # language switch misses none.
    def retranslate(self) -> None:
        self.title.setText(_("Report across sessions"))
        self.from_label.setText(_("From"))
        self.to_label.setText(_("to"))
        self.destination_label.setText(_("Destination"))
        self.all_dates.setText(_("All dates"))
        self._fill_destinations()  # town names in the language of the moment
        report = self.report
        has_data = report is not None and bool(report.sessions)
        for widget in (self.chart, self.age_title, self.age_table, self.nationality_title, self.nationality_table,
                       self.destination_title, self.destination_table, self.modules_title, self.modules_table,
                       self.sessions_title, self.sessions_table):
            widget.setVisible(has_data)
        self.empty.setVisible(not has_data)
        self.empty.setText(_("No sessions in these dates. Choose other dates, or “All dates”."))
        people = report.people if report else reports.totals([])
        self.cards[0].set_value(people.total, _("people (each counted once)"))
        self.cards[1].set_value(report.attendances if report else 0, _("attendances (one per person per session)"))
        self.cards[2].set_value(len(report.sessions) if report else 0, _("sessions"))
        self.cards[3].set_value(report.absences if report else 0, _("times someone expected was absent"))
        # The words of co_app/core/attendance/definitions.py: the same in exports and reports.
        texts = dict(zip((key for key, _title, _text in definitions.DEFINITIONS),
                         definitions.definition_texts(_)))
        explain = [f"{title}: {text}" for title, text in (texts[k] for k in ("people", "attendances", "absences",
                                                                            "age_group"))]
        waiting = report.not_here_yet if report else 0
        if waiting:
            explain.append(ngettext("{count} person on the list of an open session is not here (yet).",
                                    "{count} people on the list of an open session are not here (yet).",
                                    waiting).format(count=format_number(waiting)))
        self.explain.setText(" ".join(explain))
        self.learning.show_report(self.learning_report if has_data else None, _current())
        if not has_data:
            return
        assert report is not None
        self.chart.set_totals(people, _("People who attended, by age group and sex"))
        self.age_title.setText(_("People by age group and sex"))
        fill_table(self.age_table, age_sex_headers(), age_sex_rows(people), bold_last=True)
        self.nationality_title.setText(_("By nationality"))
        fill_table(self.nationality_table, [_("Nationality"), _("People")],
                   [[nationality_label(k), n] for k, n in people.by_nationality.items()] or [[_("Nobody yet"), 0]])
        self.destination_title.setText(_("By destination"))
        fill_table(self.destination_table, [_("Destination"), _("People")],
                   [[town_label(self.services, k), n] for k, n in people.by_destination.items()]
                   or [[_("Nobody yet"), 0]])
        self.modules_title.setText(_("Modules"))
        fill_table(self.modules_table, [_("Module"), _("Sessions where covered"), _("People reached")],
                   [[module_label(self.services, m.module_id), m.sessions_covered, m.people_reached]
                    for m in report.modules])
        header = self.modules_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.sessions_title.setText(_("Sessions"))
        fill_table(self.sessions_table,
                   [_("Date"), _("Place"), _("Destination"), _("Attended"), _("Absent"), _("Modules")],
                   [[_("{date}, session {number}").format(date=format_date(line.session_date, "medium"),
                                                         number=format_number(line.number_of_day)),
                     line.place, ", ".join(town_label(self.services, t) for t in line.destination_towns),
                     line.attended, line.absent if line.closed else "—", line.modules_covered]
                    for line in report.sessions])
        table = self.sessions_table
        for row, line in enumerate(report.sessions):
            for column in (0, 1, 2):  # the whole text, when the column is too narrow for it
                item = table.item(row, column)
                item.setToolTip(item.text())
            if not line.closed:
                from PySide6.QtCore import Qt

                item = table.item(row, 4)
                item.setTextAlignment(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
                item.setToolTip(ngettext(
                    "The session is still open: {count} person on its list is not here (yet), not counted as absent.",
                    "The session is still open: {count} people on its list are not here (yet), not counted as absent.",
                    line.not_here_yet).format(count=format_number(line.not_here_yet)))
        table.horizontalHeaderItem(5).setToolTip(_("Modules covered"))
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # Qt's least section width follows the font's line height (120 pixels in Arabic):
        # too wide for a column of two-digit numbers.
        header.setMinimumSectionSize(table.fontMetrics().horizontalAdvance("0000"))
        self._headers = [header.sectionSizeHint(c) for c in range(table.columnCount())]
        self._needed = [max(table.sizeHintForColumn(c), self._headers[c]) for c in range(table.columnCount())]
        self._fit_session_columns()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        from PySide6.QtCore import QEvent

        if watched is self.sessions_table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_session_columns()
        return super().eventFilter(watched, event)

    def _fit_session_columns(self) -> None:
        """Dates and numbers whole; the place and the towns share the rest of the width."""
        table, needed = self.sessions_table, self._needed
        if len(needed) != table.columnCount():
            return
        header = table.horizontalHeader()
        fixed = 0
        for column, width in enumerate(needed):
            if column not in (PLACE_COLUMN, DESTINATION_COLUMN):
                header.resizeSection(column, min(width, WIDEST_COLUMN))
                fixed += header.sectionSize(column)
        rest = max(0, table.viewport().width() - fixed)
        towns = min(needed[DESTINATION_COLUMN], max(rest - needed[PLACE_COLUMN], int(rest * DESTINATION_SHARE),
                                                    self._headers[DESTINATION_COLUMN]))
        header.resizeSection(DESTINATION_COLUMN, towns)
        header.resizeSection(PLACE_COLUMN, rest - towns)


def learning_in_range(db, start: date, end: date, order: tuple[str, ...]):  # -> LearningReport
    """The learning figures of the sessions from ``start`` to ``end`` (both included)."""
    from co_app.core.db.models import CoSession
    from co_app.core.learning import report as learning

    return learning.compute_on(db.connection(), [CoSession.session_date >= start, CoSession.session_date <= end],
                               order)


def _current() -> str:
    from co_app.core.foundation.i18n import current_language

    return current_language()
