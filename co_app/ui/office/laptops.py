"""The laptops that sent the office packages (co_app/core/office/laptops.py): name,
facilitators, the last package and the dates it covered, sessions, people and held changes; a laptop
silent for more than the chosen number of days stands out (a warning colour and the word
"silent" in its row, not colour alone).  Silence is counted from when the office received
the laptop's latest package; the laptop's own date of writing it is shown apart, and a
laptop whose clock seems wrong says so in words in its row (and in another colour)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

from co_app.core.foundation.i18n import _, format_date, format_number, join_list, ngettext
from co_app.ui.office.common import WorkerPanel, data_table, fill

#: The warning colour of a silent laptop's row (the theme's warning text on a pale background).
SILENT_BACKGROUND = "#fdecea"
SILENT_FOREGROUND = "#8a1c12"
DEFAULT_SILENT_DAYS = 14
#: A laptop whose clock seems wrong: its package cell in amber, with the warning in words.
CLOCK_BACKGROUND = "#fff4ce"
CLOCK_FOREGROUND = "#6b4400"


def whole_date(day) -> str:
    """A date that a wrapped cell never breaks: an Arabic '07/12/2026' was split after its
    slashes over three lines of a narrow column ('12/07/' then '2026')."""
    text = format_date(day, "medium")
    return text.replace(" ", "\u00a0").replace("/", "/\u2060").replace("-", "\u2011")


class LaptopsPanel(WorkerPanel):
    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.rows: list = []  # list[Laptop]
        self.silent_label = QLabel()
        self.silent_days = QSpinBox()
        self.silent_days.setRange(1, 365)
        self.silent_days.setValue(int(getattr(services.settings, "office_silent_days", DEFAULT_SILENT_DAYS)
                                      or DEFAULT_SILENT_DAYS))
        self.silent_days.valueChanged.connect(self._silent_days_changed)
        self.silent_label.setBuddy(self.silent_days)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.silent_label)
        row.addWidget(self.silent_days)
        self.table = data_table(6)
        self.table.setWordWrap(True)
        self.layout_.addLayout(row)
        self.layout_.addLayout(self.status_row)
        self.layout_.addWidget(self.table, 1)

    def refresh(self) -> None:
        engine, days = self.services.db.engine, self.silent_days.value()

        def work(_progress, _cancel):
            from co_app.core.office.laptops import list_laptops  # on the worker: no import on the GUI thread

            return list_laptops(engine, silent_after=days)

        self.run(work, self._loaded, working=_("Reading the hub…"))

    def _loaded(self, rows) -> None:
        self.rows = list(rows)
        self.set_status("")
        self.retranslate()

    def _silent_days_changed(self, days: int) -> None:
        settings = self.services.settings
        if hasattr(settings, "office_silent_days"):
            settings.office_silent_days = days
            self.services.save_settings()
        self.refresh()

    def retranslate(self) -> None:
        from co_app.ui.shell.language import use_app_digits

        use_app_digits(self.silent_days)  # 14 in Arabic too, as every figure
        self.silent_label.setText(_("Silent after (days)"))
        silent = sum(1 for row in self.rows if row.silent)
        wrong = sum(1 for row in self.rows if row.clock_wrong)
        if not self.rows:
            self.summary.setText(_("No laptop has sent a package yet. Import a laptop's USB stick to begin."))
        else:
            self.summary.setText(" ".join((
                ngettext("{count} laptop has sent packages.", "{count} laptops have sent packages.",
                         len(self.rows)).format(count=format_number(len(self.rows))),
                ngettext("{count} is silent.", "{count} are silent.", silent).format(count=format_number(silent))
                if silent else _("None is silent."),
                *([ngettext("{count} laptop's clock seems wrong.", "{count} laptops' clocks seem wrong.",
                            wrong).format(count=format_number(wrong))] if wrong else []))))
        headers = [_("Laptop"), _("Facilitators"), _("Last package"), _("Its sessions' dates"), _("Sessions"),
                   _("People"), _("Held changes")]  # dated in the future, for the office's review
        # Names and numbers whole; the facilitators, the last package and the dates share the rest, wrapped.
        fill(self.table, headers, [self._cells(row) for row in self.rows], stretch=(0, 1, 2, 3))
        for r, row in enumerate(self.rows):  # the package's file name where the date is, and what to do
            tip = [row.last_package] if row.last_package else []
            if row.clock_wrong:
                tip.append(clock_warning(row.clock_offset_days))
            if tip:
                self.table.item(r, 2).setToolTip("\n".join(tip))
        self._mark_silent()
        self._mark_clocks()
        # Once the scroll bar the rows brought has narrowed the wrapped columns: their height again.
        QTimer.singleShot(0, self.table.resizeRowsToContents)

    def _cells(self, row) -> list[object]:  # a Laptop
        # Received by the office's clock; written by the laptop's own, apart (it may be wrong).
        received = row.last_received or row.last_written
        package = _("{date} · {status}").format(date=whole_date(received.date()),
                                                status=self._status(row)) if received else self._status(row)
        if row.last_written and row.last_received and row.last_written.date() != row.last_received.date():
            package += "\n" + _("written {date} by the laptop's clock").format(
                date=whole_date(row.last_written.date()))
        if row.clock_wrong:
            package += "\n" + clock_short(row.clock_offset_days)
        if row.first_date and row.last_date:
            span = whole_date(row.first_date) if row.first_date == row.last_date else _(
                "{first} to {last}").format(first=whole_date(row.first_date), last=whole_date(row.last_date))
        else:
            span = "—"
        return [row.name, join_list(list(row.facilitators)) or "—", package, span, row.sessions, row.people,
                row.held]

    @staticmethod
    def _status(row) -> str:  # a Laptop
        if row.silent_days is None:
            return _("silent: no package received")
        if row.silent:
            return ngettext("silent for {count} day", "silent for {count} days",
                            row.silent_days).format(count=format_number(row.silent_days))
        if row.silent_days == 0:
            return _("reported today")
        return ngettext("reported {count} day ago", "reported {count} days ago",
                        row.silent_days).format(count=format_number(row.silent_days))

    def _mark_clocks(self) -> None:
        from PySide6.QtGui import QBrush, QColor

        for r, row in enumerate(self.rows):
            if row.clock_wrong:
                item = self.table.item(r, 2)
                item.setBackground(QBrush(QColor(CLOCK_BACKGROUND)))
                item.setForeground(QBrush(QColor(CLOCK_FOREGROUND)))

    def _mark_silent(self) -> None:
        from PySide6.QtGui import QBrush, QColor, QFont

        for r, row in enumerate(self.rows):
            if not row.silent:
                continue
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                item.setBackground(QBrush(QColor(SILENT_BACKGROUND)))
                item.setForeground(QBrush(QColor(SILENT_FOREGROUND)))
                if c in (0, 2):
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)


def clock_short(offset_days: int) -> str:
    """The warning in the row: "This laptop's clock seems wrong: 3 days ahead"."""
    days = abs(offset_days)
    if offset_days > 0:
        text = ngettext("This laptop's clock seems wrong: {count} day ahead",
                        "This laptop's clock seems wrong: {count} days ahead", days)
    else:
        text = ngettext("This laptop's clock seems wrong: {count} day behind",
                        "This laptop's clock seems wrong: {count} days behind", days)
    return text.format(count=format_number(days))


def clock_warning(offset_days: int) -> str:
    """"This laptop's clock seems wrong: …" — how far ahead or behind, and what to do."""
    days = abs(offset_days)
    if offset_days > 0:
        text = ngettext("This laptop's clock seems wrong: its latest package is dated {count} day after the office "
                        "received it. Set the laptop's date and time.",
                        "This laptop's clock seems wrong: its latest package is dated {count} days after the office "
                        "received it. Set the laptop's date and time.", days)
    else:
        text = ngettext("This laptop's clock seems wrong: its latest package is dated {count} day before the office "
                        "received it. Set the laptop's date and time.",
                        "This laptop's clock seems wrong: its latest package is dated {count} days before the "
                        "office received it. Set the laptop's date and time.", days)
    return text.format(count=format_number(days))
