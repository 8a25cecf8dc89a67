"""attendance export: CSV or XLSX for people."""

from __future__ import annotations

import argparse
import sys


from co_app.cli.common import EXIT_OK, data_paths, fill, print_json
from co_app.core.foundation.errors import sentence, terminal_text
from co_app.core.foundation.i18n import N_, _, ngettext

#: The export's names mode (its --json keeps the English constant), as a person reads it.
EXPORT_MODES = {"with names": N_("with names"), "pseudonymised": N_("pseudonymised"),
                "without names": N_("without names")}


def cmd_attendance_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from co_app.cli.report import records_database
    from co_app.core.attendance.export import ExportOptions, export_attendance, programme_secret

    paths = data_paths(args)
    secret = None
    if args.pseudonymise:
        secret = programme_secret(paths.root, Path(args.secret_file).expanduser() if args.secret_file else None)
    with records_database(args) as engine:  # the hub with --db
        summary = export_attendance(engine, Path(args.out).expanduser(), args.format,
                                    ExportOptions(with_names=args.with_names, secret=secret))
    if args.json:
        print_json(summary.as_dict())
    else:
        # People as the report counts them; the participants sheet lists everyone registered.
        print(fill(ngettext("Wrote {file}: {count} check-in in {sessions} sessions, {people} people attending, "
                            "{participants} participants listed ({mode}).",
                            "Wrote {file}: {count} check-ins in {sessions} sessions, {people} people attending, "
                            "{participants} participants listed ({mode}).", summary.attendance),
                   count=summary.attendance, file=summary.path, people=summary.people,
                   sessions=summary.sessions, participants=summary.participants,
                   mode=_(EXPORT_MODES.get(summary.mode, summary.mode))))
    if summary.warning:
        print(terminal_text(sentence(N_("warning: {warning}"), warning=summary.warning)), file=sys.stderr)
    return EXIT_OK
