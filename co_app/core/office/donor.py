"""The donor report: one file for a month or any range, in the office's language.

**XLSX** (``write_xlsx``), written in streaming mode (openpyxl ``write_only``: rows go to
the file as they come, so 200,000 records need no more memory than 2,000): a summary
sheet (what it covers and the totals at the top, the definitions at the bottom), one
sheet per breakdown (people by sex, attendances, sessions, with a chart), the learning
sheet (issue 21: per module the share correct before and after the module and the change,
overall, by sex and by age group, the questions most often missed, the learning
definitions at the bottom; ``co_app/core/office/learning_table.py``), and the
records sheet (one row per record counted, no names).  Written to a temporary file and
renamed: a full disk leaves no half-written report.

**PDF**: ``html`` gives the same report as a document (tables, bars drawn as shaded
cells); the UI layer draws it with Qt (co_app/ui/office/donor_pdf.py), which shapes
Arabic and Ethiopic — the core may not load Qt.
"""

from __future__ import annotations

import contextlib
import html as html_lib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from co_app.core.attendance import definitions as d
from co_app.core.foundation.errors import Cancelled, sentence
from co_app.core.foundation.fileio import atomic_output
from co_app.core.foundation.i18n import N_, format_date, isolate
from co_app.core.foundation.languages import is_rtl
from co_app.core.office import learning_table as lt
from co_app.core.office.labels import Labels
from co_app.core.office.report import BREAKDOWNS, Report, ReportFilter, records_query

TITLE = N_("Cultural orientation: attendance report")
RANGE = N_("From {start} to {end}")
ALL_DATES = N_("All dates")
#: All dates, and the period of the sessions counted.
ALL_DATES_SPAN = N_("All dates: {start} – {end}")
DEFINITIONS_TITLE = N_("Definitions")
#: Under the breakdown by laptop: its people add up to more than the total people.
LAPTOP_NOTE = N_("A person seen on two laptops counts on each, so these people add up to more than the total.")
TOTAL = N_("Total")
RECORDS = N_("Records")
CHANGE_POINTS = N_("Change (percentage points)")
SUMMARY = N_("Summary")
FIGURE = N_("Figure")
NUMBER = N_("Number")
FILTER_TITLES = {"destination": N_("Destination"), "place": N_("Place"), "laptop": N_("Laptop"),
                 "facilitator": N_("Facilitator")}
RECORD_HEADERS = (N_("Session date"), N_("Place"), N_("Laptop"), N_("Sex"), N_("Age (years)"), N_("Nationality"),
                  N_("Destination"), N_("Status"), N_("Counts as"))
STATUS_LABELS = {"present": N_("Present"), "late": N_("Late"), "left_early": N_("Left early"),
                 "absent": N_("Absent")}
COUNTS_AS = {d.ATTENDANCE: N_("Attendance"), d.ABSENCE: N_("Absence"), d.NOT_HERE_YET: N_("Not here (yet)")}
#: Rows fetched from the database at a time for the records sheet.
CHUNK = 5000


def period(report: Report, labels: Labels) -> str:
    flt = report.filter

    def day(value: date | None) -> str:
        # In a right-to-left report each date is isolated: its digits and slashes otherwise
        # reorder with the words around them ("2026/12/07 – 2026/08/…: 27" in an Arabic PDF).
        text = format_date(value, "medium", labels.lang) if value else "…"
        return isolate(text) if is_rtl(labels.lang) else text

    if flt.start is None and flt.end is None:
        if report.first_date is None or report.last_date is None:
            return labels.t(ALL_DATES)
        return labels.t(ALL_DATES_SPAN).format(start=day(report.first_date), end=day(report.last_date))
    return labels.t(RANGE).format(start=day(flt.start), end=day(flt.end))


def filter_lines(flt: ReportFilter, labels: Labels) -> list[tuple[str, str]]:
    """(title, value) of every filter set besides the dates."""
    found = []
    for name, title in FILTER_TITLES.items():
        value = getattr(flt, name)
        if value:
            key = {"destination": "destination", "laptop": "laptop"}.get(name)
            found.append((labels.t(title), labels.key(key, value) if key else value))
    return found


def breakdown_table(report: Report, name: str, labels: Labels) -> tuple[list[str], list[list[Any]]]:
    """A breakdown as a table: header, then one row per key and a total row.  People by
    sex (the columns of every sex present), people, attendances (and sessions for the
    module and laptop breakdowns)."""
    rows = report.breakdown(name).rows
    sexes = [s for s in d.SEXES if s in ("female", "male") or any(r.people_by_sex.get(s) for r in rows)]
    with_sessions = name in ("module", "laptop")
    header = [labels.column(name), *(labels.sex(s) for s in sexes), labels.figure("people"),
              labels.figure("attendances"), *([labels.figure("sessions")] if with_sessions else [])]
    body: list[list[Any]] = [[labels.key(name, r.key), *(r.people_by_sex.get(s, 0) for s in sexes), r.people,
                              r.attendances, *([r.sessions] if with_sessions else [])] for r in rows]
    if name in ("sex", "age_group", "nationality", "destination"):  # each person in one row: a total adds up
        body.append([labels.t(TOTAL), *(sum(r[i + 1] for r in body) for i in range(len(sexes))),
                     sum(r.people for r in rows), sum(r.attendances for r in rows)])
    return header, body


# --- XLSX -------------------------------------------------------------------------------


def write_xlsx(engine: Engine, report: Report, path: Path, lang: str | None = None, *, content: Any = None,
               progress: Callable[[int, int], None] | None = None, cancel: Callable[[], bool] | None = None) -> Path:
    """Write the donor report ``report`` (computed from ``engine``) to ``path``.
    ``progress(records_written, expected)``; ``cancel()`` stops it (``Cancelled``; nothing
    is written).  An unwritable ``path`` is ``OutputFileError`` naming it."""
    from openpyxl import Workbook

    labels = Labels(lang, content, report.laptop_names)
    book = Workbook(write_only=True)
    try:
        _summary_sheet(book, report, labels)
        for name in BREAKDOWNS:
            _breakdown_sheet(book, report, name, labels)
        _learning_sheet(book, report, labels)
        sheet = _sheet(book, labels.t(RECORDS), labels)
        sheet.append([labels.t(h) for h in RECORD_HEADERS])
        for done, row in enumerate(record_rows(engine, report, labels), start=1):
            sheet.append(row)
            if done % CHUNK == 0:
                _check(cancel, path)
                if progress is not None:
                    progress(done, report.expected)
        _check(cancel, path)
        with atomic_output(Path(path)) as out:
            book.save(out)
    except BaseException:
        _abandon(book)
        raise
    return Path(path)


def _check(cancel: Callable[[], bool] | None, path: Path) -> None:
    if cancel is not None and cancel():
        raise Cancelled(sentence(N_("The donor report {path} was not written: cancelled."), path=path))


def _abandon(book: Any) -> None:
    """Close the sheets' staging files of a workbook that will not be saved (openpyxl
    removes them when the program ends)."""
    for sheet in book.worksheets:
        if not sheet.closed:
            with contextlib.suppress(OSError, ValueError):
                sheet.close()


def _sheet(book: Any, title: str, labels: Labels) -> Any:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    sheet = book.create_sheet(title[:31])
    if is_rtl(labels.lang):
        sheet.sheet_view.rightToLeft = True
    return sheet


def _summary_sheet(book: Any, report: Report, labels: Labels) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    sheet = _sheet(book, labels.t(SUMMARY), labels)
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90

    def bold(text: str) -> Any:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True, size=12)
        return cell

    sheet.append([bold(labels.t(TITLE))])
    sheet.append([period(report, labels)])
    if report.future:
        sheet.append([bold(labels.future_warning(report))])
    for title, value in filter_lines(report.filter, labels):
        sheet.append([title, value])
    sheet.append([])
    sheet.append([bold(labels.t(FIGURE)), bold(labels.t(NUMBER))])
    for name, value in report.totals().items():
        sheet.append([labels.figure(name), value])
    sheet.append([])
    sheet.append([bold(labels.t(DEFINITIONS_TITLE))])
    for title, text in d.definition_texts(labels.t):
        wrapped = WriteOnlyCell(sheet, value=text)
        wrapped.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.append([title, wrapped])


def _breakdown_sheet(book: Any, report: Report, name: str, labels: Labels) -> None:
    from openpyxl.chart import BarChart, Reference

    sheet = _sheet(book, labels.breakdown(name), labels)
    sheet.column_dimensions["A"].width = 32
    header, body = breakdown_table(report, name, labels)
    sheet.append([labels.breakdown(name)])
    sheet.append([period(report, labels)])
    sheet.append(header)
    for row in body:
        sheet.append(row)
    if name == "laptop":
        sheet.append([labels.t(LAPTOP_NOTE)])
    keys = len(report.breakdown(name).rows)
    sexes = len(header) - (4 if name in ("module", "laptop") else 3)
    if keys:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = labels.breakdown(name)
        chart.y_axis.title = labels.figure("people")
        chart.add_data(Reference(sheet, min_col=2, max_col=1 + sexes, min_row=3, max_row=3 + keys),
                       titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=4, max_row=3 + keys))
        chart.height, chart.width = max(7.5, 0.6 * keys + 3), 18
        sheet.add_chart(chart, f"{chr(ord('A') + len(header) + 1)}3")


def _learning_sheet(book: Any, report: Report, labels: Labels) -> None:
    """The learning figures: shares as percentages (numbers), the change in points."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    sheet = _sheet(book, labels.t(lt.SHEET), labels)
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 40
    sheet.append([labels.t(lt.TITLE)])
    sheet.append([period(report, labels)])
    sheet.append([labels.t(lt.NOTE)])
    learning = report.learning
    if not learning.modules:
        sheet.append([labels.t(lt.NO_ANSWERS)])
    else:
        header = lt.headers(labels, lt.FIGURE_HEADERS)
        header[4] = labels.t(CHANGE_POINTS)
        sheet.append(header)
        for name, who, before, after, change, n_before, n_after in lt.figure_rows(learning, labels):
            cells = []
            for value in (before, after):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "0%"
                cells.append(cell)
            sheet.append([name, who, *cells, None if change is None else round(change * 100, 1), n_before, n_after])
        sheet.append([])
        sheet.append([labels.t(lt.MISSED_TITLE)])
        sheet.append(lt.headers(labels, lt.MISSED_HEADERS))
        for row in lt.missed_rows(learning, labels):
            sheet.append(row)
    sheet.append([])
    title = WriteOnlyCell(sheet, value=labels.t(DEFINITIONS_TITLE))
    title.font = Font(bold=True)
    sheet.append([title])
    for name, text in lt.definitions(labels):
        wrapped = WriteOnlyCell(sheet, value=text)
        wrapped.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.append([name, wrapped])


def record_rows(engine: Engine, report: Report, labels: Labels) -> Iterator[list[Any]]:
    """The records sheet's rows, streamed from the database ``CHUNK`` at a time."""
    cache: dict[tuple[str, str], str] = {}

    def label(kind: str, key: str) -> str:
        found = cache.get((kind, key))
        if found is None:
            found = cache[(kind, key)] = labels.key(kind, key)
        return found

    status = {k: labels.t(v) for k, v in STATUS_LABELS.items()}
    counts = {k: labels.t(v) for k, v in COUNTS_AS.items()}
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=CHUNK).execute(records_query(report.filter))
        for day, place, laptop, sex, age, nat, dest, state, session_state in result:
            yield [day if isinstance(day, date) else date.fromisoformat(str(day)), place,
                   label("laptop", laptop or ""), label("sex", sex), label("age_group", age),
                   label("nationality", nat), label("destination", dest), status.get(state, state),
                   counts[d.counts_as(state, session_state)]]


# --- the document the PDF is drawn from -------------------------------------------------


def html(report: Report, lang: str | None = None, *, content: Any = None) -> str:
    """The donor report as HTML that Qt's QTextDocument draws: totals at the top, a table
    and bars per breakdown, the definitions at the bottom."""
    labels = Labels(lang, content, report.laptop_names)
    e = html_lib.escape
    direction = "rtl" if is_rtl(labels.lang) else "ltr"
    parts = [f'<html dir="{direction}"><body dir="{direction}">', f"<h1>{e(labels.t(TITLE))}</h1>",
             f"<p>{e(period(report, labels))}</p>"]
    if report.future:
        parts.append(f"<p><b>{e(labels.future_warning(report))}</b></p>")
    parts += [f"<p><b>{e(t)}:</b> {e(v)}</p>" for t, v in filter_lines(report.filter, labels)]
    parts.append(f'<table border="1" cellspacing="0" cellpadding="4" {_side(labels)}>')
    parts += [_tr([f"<td>{e(labels.figure(k))}</td>", f'<td align="right">{e(labels.number(v))}</td>'], labels)
              for k, v in report.totals().items()]
    parts.append("</table>")
    for name in BREAKDOWNS:
        parts.append(_html_breakdown(report, name, labels))
    parts.append(_html_learning(report, labels))
    parts.append(f"<h2>{e(labels.t(DEFINITIONS_TITLE))}</h2>")
    parts += [f"<p><b>{e(t)}</b> — {e(x)}</p>" for t, x in d.definition_texts(labels.t)]
    parts.append("</body></html>")
    return "\n".join(parts)


def _html_breakdown(report: Report, name: str, labels: Labels) -> str:
    e = html_lib.escape
    header, body = breakdown_table(report, name, labels)
    people_col = header.index(labels.figure("people"))
    most = max((row[people_col] for row in body[:len(report.breakdown(name).rows)]), default=0) or 1
    out = [f"<h2>{e(labels.breakdown(name))}</h2>",
           f'<table border="1" cellspacing="0" cellpadding="3" {_side(labels)}>',
           _tr([*(f"<th>{e(str(h))}</th>" for h in header), f"<th>{e(labels.figure('people'))}</th>"],
               labels)]  # the bars show the people column
    for index, row in enumerate(body):
        cells = [f"<td>{e(str(v))}</td>" if i == 0 else f'<td align="right">{e(labels.number(v))}</td>'
                 for i, v in enumerate(row)]
        bar = ""
        if index < len(report.breakdown(name).rows):
            width = max(1, round(160 * row[people_col] / most)) if row[people_col] else 0
            bar = (f'<table cellspacing="0" cellpadding="0"><tr><td width="{width}" bgcolor="#2f7d8c" '
                   f'height="10"></td></tr></table>' if width else "")
        out.append(_tr([*cells, f"<td>{bar}</td>"], labels))
    out.append("</table>")
    if name == "laptop":
        out.append(f"<p>{e(labels.t(LAPTOP_NOTE))}</p>")
    return "\n".join(out)


def _html_learning(report: Report, labels: Labels) -> str:
    """The learning figures (issue 21) as tables; their definitions are among the report's."""
    e = html_lib.escape
    out = [f"<h2>{e(labels.t(lt.TITLE))}</h2>", f"<p>{e(labels.t(lt.NOTE))}</p>"]
    if not report.learning.modules:
        out.append(f"<p>{e(labels.t(lt.NO_ANSWERS))}</p>")
        return "\n".join(out)
    tables = ((lt.headers(labels, lt.FIGURE_HEADERS), lt.shown_rows(report.learning, labels)),
              (lt.headers(labels, lt.MISSED_HEADERS),
               [[*row[:3], labels.number(row[3]), labels.number(row[4])]
                for row in lt.missed_rows(report.learning, labels)]))
    for index, (header, rows) in enumerate(tables):
        if index and rows:
            out.append(f"<h3>{e(labels.t(lt.MISSED_TITLE))}</h3>")
        if not rows:
            continue
        out.append(f'<table border="1" cellspacing="0" cellpadding="3" {_side(labels)}>')
        out.append(_tr([f"<th>{e(h)}</th>" for h in header], labels))
        out += [_tr([f"<td>{e(str(v))}</td>" if i < 2 else f'<td align="right">{e(str(v))}</td>'
                     for i, v in enumerate(row)], labels) for row in rows]
        out.append("</table>")
    return "\n".join(out)


def _side(labels: Labels) -> str:
    return 'align="right"' if is_rtl(labels.lang) else ""


def _tr(cells: list[str], labels: Labels) -> str:
    """A table row; in Arabic and Dari its first column on the right (Qt's rich text
    does not mirror tables)."""
    return "<tr>" + "".join(reversed(cells) if is_rtl(labels.lang) else cells) + "</tr>"
