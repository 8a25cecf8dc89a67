"""attendance export: CSV or XLSX for people."""

from __future__ import annotations

import argparse
import sys


from co_app.cli.common import EXIT_OK, data_paths, print_json
from co_app.core.foundation.printable import printable
from co_app.core.foundation.errors import sentence, terminal_text
from co_app.core.foundation.i18n import N_


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
        print(f"Wrote {printable(summary.path)}: {summary.attendance} check-ins in {summary.sessions} sessions, "
              f"{summary.participants} participants ({summary.mode}).")
    if summary.warning:
        print(terminal_text(sentence(N_("warning: {warning}"), warning=summary.warning)), file=sys.stderr)
    return EXIT_OK
