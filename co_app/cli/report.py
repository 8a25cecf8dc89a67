"""report: the office's report across laptops (issue 18), on the screen, as JSON, or as
the donor report (XLSX or PDF) — from the data folder's database or a hub (``--db``).

Also ``records_database``: the database a reading command works on (the hub named by
``--db``, else the data folder's), shared with ``attendance export``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from co_app.cli.common import EXIT_OK, data_paths, print_json, say, terminal_value
from co_app.core.foundation.errors import CoError, sentence
from co_app.core.foundation.i18n import N_, _, current_language
from co_app.core.office.donor import ALL_DATES_SPAN
from co_app.core.foundation.printable import printable


@contextmanager
def records_database(args: argparse.Namespace) -> Iterator[Engine]:
    """The engine of the hub named by ``--db`` (PostgreSQL or a SQLite hub file, which must
    exist), else of the data folder's database."""
    url = getattr(args, "db", None)
    if url:
        from co_app.core.sync.hub import open_target

        target = open_target(url)
        try:
            yield target.engine
        finally:
            target.dispose()
        return
    from co_app.core.db.engine import open_database

    paths = data_paths(args)
    db = open_database(paths.database, backups_dir=paths.backups)
    try:
        yield db.engine
    finally:
        db.dispose()


def parse_day(value: str) -> date:
    """argparse type: an ISO date (2026-05-31)."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(sentence(N_("'{value}' is not a date: write it as YYYY-MM-DD"),
                                                  value=value)) from None


def _laptop_id(engine: Engine, given: str) -> str:
    """``--laptop``: a device id, or a laptop's name as ``office laptops`` shows it."""
    from co_app.core.office import laptops

    with engine.connect() as conn:
        known = laptops.names(conn)
    if given in known:
        return given
    return next((device for device, name in known.items() if name.casefold() == given.strip().casefold()), given)


def cmd_report(args: argparse.Namespace) -> int:
    from co_app.core.office.report import ReportFilter, compute

    flt = ReportFilter(start=args.start, end=args.end, destination=args.destination, place=args.place,
                       laptop=args.laptop, facilitator=args.facilitator)
    lang = getattr(args, "lang", None) or "en"
    with records_database(args) as engine:
        if args.laptop:
            flt = replace(flt, laptop=_laptop_id(engine, args.laptop))
        report = compute(engine, flt, module_order=_module_order())
        if args.xlsx:
            from co_app.core.office import donor

            written = donor.write_xlsx(engine, report, Path(args.xlsx).expanduser(), lang)
    if args.pdf:
        written = _write_pdf(report, Path(args.pdf).expanduser(), lang)
    if args.json:
        print_json(report.as_json())
    elif args.xlsx or args.pdf:
        print(say(N_("Wrote {file}: {people} people, {attendances} attendances in {sessions} sessions."),
                  file=written, people=report.people, attendances=report.attendances, sessions=report.sessions))
        if report.future:
            from co_app.core.office.labels import Labels

            print(Labels(current_language()).future_warning(report, printable))
    else:
        _print_report(report)
    return EXIT_OK


def _module_order() -> tuple[str, ...]:
    """The modules in the content's order, for the learning figures (none when the content
    cannot be read: then by id)."""
    from co_app.core.content.library import load_content

    try:
        return tuple(module.id for module in load_content().modules())
    except (OSError, ValueError, LookupError):
        return ()


def _write_pdf(report, path: Path, lang: str) -> Path:
    """The PDF is drawn by Qt, which the command line does not load: a child process draws
    the report's document."""
    from co_app.core.office import donor

    if path.parent and not path.parent.is_dir():
        raise CoError(sentence(N_("Cannot write {path}: the folder {folder} does not exist."), path=path,
                               folder=path.parent))
    with tempfile.TemporaryDirectory(prefix="co-report-") as tmp:
        source = Path(tmp) / "report.html"
        source.write_text(donor.html(report, lang), encoding="utf-8")
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        done = subprocess.run([sys.executable, "-m", "co_app.ui.office.donor_pdf", str(source), str(path), lang],
                              capture_output=True, text=True, env=env, timeout=600)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
        reason = lines[-1][len("error: "):] if lines else sentence(N_("Cannot write the PDF {path}."), path=path)
        raise CoError(reason)
    return path


def _print_report(report) -> None:
    from co_app.core.office.labels import Labels

    labels = Labels(current_language(), laptop_names=report.laptop_names)
    flt = report.filter
    # The period the figures cover: the donor report's own words, the real dates when none was asked for.
    start, end = (flt.start, flt.end) if flt.start or flt.end else (report.first_date, report.last_date)
    if flt.start or flt.end:
        span = say(N_("{start} to {end}"), start=start or "…", end=end or "…")
    elif start and end:
        span = say(ALL_DATES_SPAN, start=start, end=end)
    else:
        span = _("all dates")
    print(say(N_("Report, {span}"), span=span))
    if report.future:
        print(labels.future_warning(report, printable))
    for name, value in report.totals().items():
        print(f"  {labels.figure(name):<34}{terminal_value(value):>8}")
    people, attendances = _("people"), _("attendances")
    for breakdown in report.breakdowns:
        print(f"{labels.breakdown(breakdown.name):<36}{people:>8}{attendances:>12}")
        for row in breakdown.rows:
            label = wrapped(printable(labels.key(breakdown.name, row.key)), 34)  # whole, never cut
            print(f"{label}{terminal_value(row.people):>8}{terminal_value(row.attendances):>12}")
    _print_learning(report, labels)


def wrapped(text: str, width: int) -> str:
    """A table's first column, indented and ``width`` wide: a longer label (a module's title)
    is given whole on more lines, the next ones indented further, the figures on its last."""
    import textwrap

    lines = textwrap.wrap(text, width - 1, subsequent_indent="  ") or [""]
    return "".join(f"  {line}\n" for line in lines[:-1]) + f"  {lines[-1]:<{width}}"


def _print_learning(report, labels) -> None:
    """The learning figures (issue 21): per module and who, before, after, change; the
    questions most often missed."""
    from co_app.core.office import learning_table as lt

    print(labels.t(lt.TITLE))
    if not report.learning.modules:
        print(f"  {labels.t(lt.NO_ANSWERS)}")
        return
    header = lt.headers(labels, lt.FIGURE_HEADERS)
    print(f"  {header[0]:<26}{header[1]:<16}{header[2]:>8}{header[3]:>8}{header[4]:>12}{header[5]:>16}"
          f"{header[6]:>15}")
    for module, who, before, after, change, n_before, n_after in lt.shown_rows(report.learning, labels):
        print(f"{wrapped(printable(module), 26)}{printable(who)[:15]:<16}{before:>8}{after:>8}{change:>12}"
              f"{n_before:>16}{n_after:>15}")
    if report.learning.missed:
        print(labels.t(lt.MISSED_TITLE))
        for module, question, asked, wrong, answers in lt.missed_rows(report.learning, labels):
            print(f"{wrapped(printable(module), 26)}{asked:<8}{wrong:>4}/{answers:<5} {printable(question)}")
