"""Reports across laptops: filters (dates, destination, place, laptop, facilitator), the
totals and one breakdown at a time, computed by the database on a worker
(co_app/core/office/report.py), and the donor report written from what is shown.  After the
breakdowns the list offers the learning figures (issue 21: before and after per module,
by sex and age group) and the questions most often missed (``LEARNING_VIEWS``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QFileDialog, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget,
)

from co_app.core.foundation.i18n import N_, _, current_language
from co_app.ui.attendance.report import card_row
from co_app.ui.office.common import WorkerPanel, data_table, fill
from co_app.ui.office.labels import breakdown_headers, breakdown_rows, labels
from co_app.ui.shell.flow_layout import FlowLayout
from co_app.ui.shell.page import scrolling

#: The figures at the top: (the report's field, what it counts).
CARDS = (("people", N_("people (each counted once)")),
         ("attendances", N_("attendances (present, late or left early)")),
         ("absences", N_("absences (closed sessions)")),
         ("sessions", N_("sessions")))


#: The learning checks' tables, offered after the breakdowns (core/office/learning_table.py).
LEARNING_VIEWS = ("learning", "missed")


def _group(*widgets: QWidget) -> QWidget:
    """Widgets that stay together on one line when the filter row wraps."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    for widget in widgets:
        row.addWidget(widget)
    box.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return box


def _date_edit() -> QDateEdit:
    from PySide6.QtCore import QDate, Qt

    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # digits read left to right in Arabic too
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate.currentDate())
    return edit


def _combo() -> QComboBox:
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMaximumWidth(220)
    return combo


class ReportsPanel(WorkerPanel):
    # Longer than 60 lines on purpose: it builds one layout in reading order, top to bottom.
    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.report = None  # the Report shown
        self.choices = None  # the filters' choices (co_app/ui/office/labels.py Choices)
        self.all_dates = QCheckBox()
        self.all_dates.setChecked(True)
        self.start, self.end = _date_edit(), _date_edit()
        self.all_dates.toggled.connect(self._dates_toggled)
        self.from_label, self.to_label = QLabel(), QLabel()
        self.destination, self.place, self.laptop, self.facilitator = _combo(), _combo(), _combo(), _combo()
        self.captions = [QLabel() for _ in range(4)]
        for caption, combo in zip(self.captions, (self.destination, self.place, self.laptop, self.facilitator)):
            caption.setBuddy(combo)
        self.show_button = QPushButton()
        self.show_button.setObjectName("primary")
        self.show_button.clicked.connect(self.compute)
        self.filters = QWidget()
        flow = FlowLayout(self.filters, spacing=10, line_spacing=8)
        flow.addWidget(_group(self.all_dates, self.from_label, self.start, self.to_label, self.end))
        for caption, combo in zip(self.captions, (self.destination, self.place, self.laptop, self.facilitator)):
            flow.addWidget(_group(caption, combo))
        flow.addWidget(self.show_button)
        grid, self.cards = card_row(len(CARDS))
        self.future_label = QLabel()  # sessions dated after today, counted: a clock ahead?
        self.future_label.setObjectName("warning")
        self.future_label.setWordWrap(True)
        self.future_label.setVisible(False)
        self.breakdown_label = QLabel()
        self.breakdown = _combo()
        self.breakdown.currentIndexChanged.connect(self._show_breakdown)
        self.breakdown_label.setBuddy(self.breakdown)
        self.xlsx_button, self.pdf_button = QPushButton(), QPushButton()
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        row = QHBoxLayout()
        row.addWidget(self.breakdown_label)
        row.addWidget(self.breakdown)
        row.addStretch(1)
        row.addWidget(self.xlsx_button)
        row.addWidget(self.pdf_button)
        self.table = data_table(4)
        # In a scroll area: on a 600-pixel screen, in a longer language, the filters wrap onto
        # three lines, and the cards and the table would otherwise be squeezed over them.
        self.table.setMinimumHeight(200)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 8, 0)
        column.setSpacing(10)
        column.addWidget(self.filters)
        column.addLayout(self.status_row)
        column.addWidget(self.future_label)
        column.addLayout(grid)
        column.addLayout(row)
        column.addWidget(self.table, 1)
        self.breakdown_note = QLabel()  # under the breakdown by laptop: why it adds up to more
        self.breakdown_note.setWordWrap(True)
        self.breakdown_note.hide()
        column.addWidget(self.breakdown_note)
        self.layout_.addWidget(scrolling(content))
        self._dates_toggled(True)
        self._show_report()

    # --- the filters --------------------------------------------------------------------

    def _dates_toggled(self, every: bool) -> None:
        for widget in (self.from_label, self.start, self.to_label, self.end):
            widget.setEnabled(not every)
        if not every and self.start.date() == self.end.date():  # a range to start from: this month so far
            self.start.setDate(self.end.date().addDays(1 - self.end.date().day()))

    def refresh(self) -> None:
        """The filters' choices, then the report for what they say (both on workers)."""
        from co_app.ui.office.labels import load_choices

        engine = self.services.db.engine
        self.run(lambda _progress, _cancel: load_choices(engine), self._choices_loaded, working=_("Reading the hub…"))

    def _choices_loaded(self, choices) -> None:  # Choices
        self.choices = choices
        self._fill_choices()
        self.compute()

    def _fill_choices(self) -> None:
        from co_app.ui.office.labels import fill_combo

        towns = [(t.id, t.name) for t in self.services.content.towns(current_language())]
        choices = self.choices
        fill_combo(self.destination, _("All destinations"), towns)
        fill_combo(self.place, _("All places"), [(p, p) for p in (choices.places if choices else ())])
        fill_combo(self.laptop, _("All laptops"), list(choices.laptops if choices else ()))
        fill_combo(self.facilitator, _("All facilitators"), [(f, f) for f in (choices.facilitators if choices else ())])

    def filter_values(self) -> dict:
        """The filters as chosen: the keyword arguments of ``ReportFilter`` (made on the worker:
        importing the report's module on the GUI thread held it 40 ms)."""
        every = self.all_dates.isChecked()
        start, end = (None, None) if every else (self.start.date().toPython(), self.end.date().toPython())
        if start is not None and end is not None and end < start:
            start, end = end, start
        return {"start": start, "end": end, "destination": self.destination.currentData(),
                "place": self.place.currentData(), "laptop": self.laptop.currentData(),
                "facilitator": self.facilitator.currentData()}

    def set_dates(self, start: date | None, end: date | None) -> None:
        from PySide6.QtCore import QDate

        self.all_dates.setChecked(start is None and end is None)
        for edit, value in ((self.start, start), (self.end, end)):
            if value is not None:
                edit.setDate(QDate(value.year, value.month, value.day))

    # --- the report -----------------------------------------------------------------------

    def compute(self) -> None:
        values, engine = self.filter_values(), self.services.db.engine
        order = tuple(m.id for m in self.services.content.modules())

        def work(report, cancel):  # everything it imports, it imports here, on the worker
            from co_app.core.office import labels  # noqa: F401 - the words the table shows next
            from co_app.core.office.report import ReportFilter, compute

            return compute(engine, ReportFilter(**values), progress=lambda done, total: report((done, total)),
                           cancel=cancel.is_set, module_order=order)

        self.run(work, self._computed, working=_("Counting across every laptop…"))

    def _computed(self, report) -> None:  # Report
        self.report = report
        self.set_status("")
        self._show_report()

    def _show_report(self) -> None:
        report = self.report
        for card, (field, caption) in zip(self.cards, CARDS):
            card.set_value(getattr(report, field, 0) if report is not None else 0, _(caption))
        for button in (self.xlsx_button, self.pdf_button):
            button.setEnabled(report is not None)
        words = labels(self.services, report)
        self.future_label.setText(words.future_warning(report) if report is not None else "")
        self.future_label.setVisible(bool(self.future_label.text()))
        current = self.breakdown.currentData()
        self.breakdown.blockSignals(True)
        self.breakdown.clear()
        for breakdown in (report.breakdowns if report is not None else ()):
            self.breakdown.addItem(words.breakdown(breakdown.name), breakdown.name)
        if report is not None:
            from co_app.core.office import learning_table as lt

            self.breakdown.addItem(words.t(lt.TITLE), LEARNING_VIEWS[0])
            self.breakdown.addItem(words.t(lt.MISSED_TITLE), LEARNING_VIEWS[1])
        self.breakdown.setCurrentIndex(max(0, self.breakdown.findData(current)))
        self.breakdown.blockSignals(False)
        self._show_breakdown()
        if report is not None and not report.sessions:
            self.set_status(_("No sessions match these filters. Choose other dates, or “All dates”."))

    def _show_breakdown(self, _index: int = 0) -> None:
        report, name = self.report, self.breakdown.currentData()
        self.breakdown_note.setVisible(report is not None and name == "laptop")
        if name == "laptop":
            from co_app.core.office.donor import LAPTOP_NOTE

            self.breakdown_note.setText(_(LAPTOP_NOTE))
        if report is not None and name in LEARNING_VIEWS:
            self._show_learning(report, name)
            return
        breakdown = report.breakdown(name) if report is not None and name else None
        if breakdown is None:
            fill(self.table, breakdown_headers(self.services, None, ()), [])
            return
        fill(self.table, breakdown_headers(self.services, name, breakdown.rows),
             breakdown_rows(self.services, report, breakdown))

    def _show_learning(self, report, name: str) -> None:
        """The learning figures or the questions most often missed, as the donor report has them."""
        from co_app.core.office import learning_table as lt

        words = labels(self.services, report)
        header = lt.headers(words, lt.FIGURE_HEADERS if name == "learning" else lt.MISSED_HEADERS)
        if name == "learning":
            rows = lt.shown_rows(report.learning, words)
        else:
            rows = lt.missed_rows(report.learning, words)
        if not report.learning.modules:  # every cell set: none left from the breakdown shown before
            rows = [[words.t(lt.NO_ANSWERS), *[""] * (len(header) - 1)]]
        fill(self.table, header, rows, stretch=(0,) if name == "learning" else (1,))

    # --- the donor report ------------------------------------------------------------------

    def export(self, kind: str, path: Path | None = None) -> None:
        """Write the donor report of what is shown, as XLSX or PDF (``path``: no file dialog)."""
        report = self.report
        if report is None:
            return
        if path is None:
            suggested = self.services.paths.exports / f"donor-report-{date.today().isoformat()}.{kind}"
            filters = _("Spreadsheets (*.xlsx)") if kind == "xlsx" else _("PDF files (*.pdf)")
            chosen, _filter = QFileDialog.getSaveFileName(self, _("Save the donor report"), str(suggested), filters)
            if not chosen:
                return
            path = Path(chosen)
        self.run(self._export_work(kind, report, path), lambda written: self._exported(written),
                 working=_("Writing {name}…").format(name=path.name))

    def _export_work(self, kind: str, report, path: Path):
        engine, lang = self.services.db.engine, current_language()

        def work(_report, _cancel) -> Path:
            if kind == "xlsx":
                from co_app.core.office import donor

                donor.write_xlsx(engine, report, path, lang=lang)
            else:
                from co_app.ui.office.donor_pdf import write_pdf

                write_pdf(report, path, lang)
            return path

        return work

    def _exported(self, path: Path) -> None:
        self.last_export = path
        self.set_status(_("The donor report is saved: {path}").format(path=path))

    def retranslate(self) -> None:
        from co_app.ui.shell.language import use_app_digits

        use_app_digits(self.start, self.end)  # 2026-12-07 in Arabic too, as every figure
        self.all_dates.setText(_("All dates"))
        self.from_label.setText(_("From"))
        self.to_label.setText(_("to"))
        for caption, text in zip(self.captions, (_("Destination"), _("Place"), _("Laptop"), _("Facilitator"))):
            caption.setText(text)
        self.show_button.setText(_("Show"))
        self.breakdown_label.setText(_("Breakdown"))
        self.xlsx_button.setText(_("Donor report (XLSX)…"))
        self.pdf_button.setText(_("Donor report (PDF)…"))
        self._fill_choices()
        self._show_report()
