"""roster import: the Participants page's roster import, for programme offices and scripts.

The same reader (``read_table``: CSV in any common encoding and delimiter, or the first
sheet of an XLSX workbook), the same column guess, the same checks of every row and the
same import as the dialog (``co_app.core.people.roster``).  As in the dialog, a file
with a problem in any row imports nothing unless ``--valid-only`` says to import the
other rows; ``--dry-run`` checks and counts everything and writes nothing.  Messages are
in the interface language (``--lang``); names and cells from the file are printed with
their control characters escaped (``co_app.core.foundation.printable``).

Exit status: 0 imported (or, with ``--dry-run``, would import); 1 rows or columns with a
problem, nothing imported; 2 the file cannot be read, or bad usage.
"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from co_app.cli.common import EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, print_json
from co_app.core.foundation.errors import CoError


def _say(text: str) -> str:
    """One line for the terminal: no bidirectional isolates (a terminal shows them as
    gaps), every control character from the file escaped."""
    from co_app.core.foundation.printable import printable

    return printable(text.replace("\u2068", "").replace("\u2069", ""))


def _echo(text: str) -> None:
    print(_say(text))


def add_roster_parser(commands, common, parser_class) -> None:  # from parser.py: subparsers, _common, _Parser
    """``roster import FILE [--session ID] [--valid-only] [--column HEADER=FIELD] [--dry-run] [--json]``."""
    from co_app.core.foundation.i18n import _
    from co_app.core.people.roster import FIELDS

    roster = commands.add_parser("roster", help=_("the people expected at orientation"))
    roster_cmds = roster.add_subparsers(dest="roster_command", metavar="ACTION", required=True,
                                        parser_class=parser_class)
    imp = roster_cmds.add_parser("import", help=_("import a roster (CSV or XLSX) with the same checks as the window's "
                                 "Participants page"))
    imp.add_argument("file", metavar="FILE", help=_("the roster: CSV or XLSX, column names in the first row"))
    common(imp, top=False)
    imp.add_argument("--session", metavar="ID", help=_("everyone imported is expected at this session"))
    imp.add_argument("--valid-only", action="store_true",
                     help=_("import the rows without a problem and leave out the others (default: a problem "
                     "anywhere imports nothing)"))
    imp.add_argument("--column", metavar="HEADER=FIELD", action="append", default=[],
                     help=_("say what a column holds when the guess is wrong (FIELD: {fields}, or 'none' to leave "
                            "it out); may be repeated").format(fields=", ".join(FIELDS)))
    imp.add_argument("--dry-run", action="store_true", help=_("check and count, write nothing"))
    imp.add_argument("--json", action="store_true", help=_("print one JSON document"))
    common(roster, top=False)


class _Usage(CoError):
    exit_code = EXIT_USAGE


def _mapping(headers: list[str], overrides: list[str]) -> list[str | None]:
    """The dialog's guess, corrected by ``--column HEADER=FIELD``."""
    from co_app.core.foundation.i18n import _
    from co_app.core.people.roster import FIELDS, guess_mapping

    mapping = guess_mapping(headers)
    for override in overrides:
        header, sep, field = override.rpartition("=")
        field = field.strip()
        if not sep or header.strip() not in headers or (field not in FIELDS and field != "none"):
            raise _Usage(_say(_("--column {value}: give a column name of the file and one of the fields: "
                                "{fields}, or none.").format(value=override, fields=", ".join(FIELDS))))
        mapping[headers.index(header.strip())] = None if field == "none" else field
    return mapping


def _towns(content) -> dict[str, list[str]]:  # ContentLibrary
    """Each town's id and its names in every language (as the dialog checks them)."""
    names: dict[str, list[str]] = {}
    for town in content.towns():
        if town.kind != "town":
            continue
        names[town.id] = [town.name, *(content.town(town.id, lang).name for lang in content.languages
                                       if content.town(town.id, lang) is not None)]
    return names


def _check_session(db, session_id: str) -> None:
    from co_app.core.db.models import CoSession
    from co_app.core.foundation.i18n import _
    from co_app.core.sessions import service as session_service

    if db.get(CoSession, session_id) is None:
        raise CoError(_say(_("There is no session {session} on this computer.").format(session=session_id)))
    if session_service.is_closed(db, session_id):
        error = CoError(_say(_("Session {session} is closed: changing it needs the facilitator PIN, in the "
                               "window (Attendance).").format(session=session_id)))
        error.exit_code = EXIT_PROBLEM
        raise error


def _problem_line(problem) -> str:  # RowProblem
    from co_app.core.foundation.i18n import _

    if problem.column:
        return _("Line {line}, column “{column}”: {problem}").format(
            line=problem.line, column=problem.column, problem=problem.message.translated())
    return _("Line {line}: {problem}").format(line=problem.line, problem=problem.message.translated())


def _summary(added: int, updated: int, skipped: int) -> str:
    from co_app.core.foundation.i18n import join_list, ngettext

    parts = [ngettext("{count} person added", "{count} people added", added).format(count=added),
             ngettext("{count} person updated", "{count} people updated", updated).format(count=updated)]
    if skipped:
        parts.append(ngettext("{count} row with a problem left out", "{count} rows with a problem left out",
                              skipped).format(count=skipped))
    return join_list(parts)


def _document(table, checked, outcome, args: argparse.Namespace) -> dict:
    """The --json summary: what was read, the columns, each left-out row and why, the counts."""
    from co_app.core.people.roster import FIELD_LABELS

    bad_rows = [r for r in checked.rows if not r.ok]
    return {
        "ok": outcome is not None, "file": table.source, "dry_run": bool(args.dry_run), "session": args.session,
        "read": {"format": "csv" if table.delimiter else "xlsx", "encoding": table.encoding or None,
                 "delimiter": table.delimiter or None},
        "columns": [{"header": h, "field": f, "label": FIELD_LABELS[f] if f else None}
                    for h, f in zip(table.headers, checked.mapping)],
        "mapping_problems": [p.translated().replace("\u2068", "").replace("\u2069", "")
                             for p in checked.mapping_problems],
        "rows_read": len(checked.rows), "rows_valid": len(checked.valid_rows),
        "imported": outcome is not None and not args.dry_run,
        "added": outcome.added if outcome else 0, "updated": outcome.updated if outcome else 0,
        "skipped": outcome.skipped if outcome else len(bad_rows),
        "skipped_rows": [{"line": r.line, "problems": [
            {"column": p.column or None, "message": p.message.translated().replace("\u2068", "").replace("\u2069", "")}
            for p in r.problems]} for r in bad_rows],
    }


def _print_text(table, checked, outcome, args: argparse.Namespace) -> None:
    from co_app.core.foundation.i18n import _, ngettext
    from co_app.core.people.roster import FIELD_LABELS

    rows = ngettext("{count} row", "{count} rows", len(table.rows)).format(count=len(table.rows))
    if table.delimiter:  # the dialog's words for it
        separated = {",": _("separated by commas"), ";": _("separated by semicolons"), "\t": _("separated by tabs"),
                     "|": _("separated by vertical bars")}
        how = f"{table.encoding} · {separated.get(table.delimiter, table.delimiter)}"
    else:
        how = _("Excel workbook")
    _echo(_("{file}: {details}").format(file=table.source, details=f"{rows} · {how}"))
    for header, field in zip(table.headers, checked.mapping):
        _echo("  " + _("Column “{column}”: {field}").format(
            column=header, field=_(FIELD_LABELS[field]) if field else _("Leave out")))
    for problem in checked.mapping_problems:
        _echo(_("Columns: {problem}").format(problem=problem.translated()))
    for problem in checked.problems:
        _echo(_problem_line(problem))
    total, valid = len(checked.rows), len(checked.valid_rows)
    if outcome is None:
        if checked.mapping_problems:
            _echo(_("Nothing was imported: set what the columns hold with --column HEADER=FIELD."))
        elif not valid:
            _echo(_("Nothing was imported: no row is without a problem."))
        else:
            _echo(ngettext(
                "{bad} of {total} rows has a problem. Nothing was imported: correct the file, or run again with "
                "--valid-only to import the other rows.",
                "{bad} of {total} rows have a problem. Nothing was imported: correct the file, or run again with "
                "--valid-only to import the other rows.", total - valid).format(bad=total - valid, total=total))
        return
    summary = _summary(outcome.added, outcome.updated, outcome.skipped)
    if args.dry_run:
        _echo(_("Nothing was written (--dry-run). The import would give: {summary}.").format(summary=summary))
    else:
        _echo(_("Roster imported: {summary}.").format(summary=summary))


def cmd_roster_import(args: argparse.Namespace) -> int:
    from co_app.core.bootstrap import bootstrap
    from co_app.core.people import roster

    services = bootstrap(args.data_dir, language=args.lang or os.environ.get("CO_APP_LANG"))
    try:
        try:
            table = roster.read_table(Path(args.file).expanduser())
        except roster.RosterError as exc:  # one sentence naming the file; its name may hold anything
            raise CoError(_say(str(exc))) from exc
        checked = roster.preview(table, _mapping(table.headers, args.column), towns=_towns(services.content),
                                 today=date.today())
        outcome = None
        with services.db.session() as db:
            if args.session:
                _check_session(db, args.session)
            if not checked.mapping_problems and checked.valid_rows and (checked.ok or args.valid_only):
                outcome = roster.import_roster(db, checked, session_id=args.session, valid_only=args.valid_only,
                                               dry_run=args.dry_run)
    finally:
        services.close()
    if args.json:
        print_json(_document(table, checked, outcome, args))
    else:
        _print_text(table, checked, outcome, args)
    return EXIT_OK if outcome is not None else EXIT_PROBLEM
