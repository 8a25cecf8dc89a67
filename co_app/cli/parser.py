"""The argument parser of the command line: every command group and its options."""

from __future__ import annotations

import argparse
from typing import NoReturn

from co_app import APP_NAME, __version__
from co_app.cli.common import EXIT_USAGE
from co_app.core.foundation.errors import sentence, terminal_text
from co_app.core.foundation.i18n import N_, _
from co_app.core.foundation.paths import ENVIRONMENT_VARIABLES

#: The isolation marks a sentence puts around its values in a right-to-left language (a
#: type's refusal inside argparse's message): a terminal gets the values as they are.
_ISOLATES = dict.fromkeys(range(0x2066, 0x206A))


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one sentence in the interface language (argparse's own
    words too: co_app/cli/argparse_messages.py), values made printable, and exit status 2."""

    def error(self, message: str) -> NoReturn:
        said = sentence(N_("{prog}: {message}. Run 'python main.py --help' for usage."), prog=self.prog,
                        message=str(message).translate(_ISOLATES))
        self.exit(EXIT_USAGE, terminal_text(said) + "\n")


def number_or_all(value: str) -> int | str:
    """``sync held --accept``: a held change's number, or ``all`` (argparse says "invalid
    number_or_all value: 'x'" for anything else)."""
    return "all" if value.strip().casefold() == "all" else int(value)


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # SUPPRESS below the top level, so "main.py --data-dir X media list" keeps X.
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help=_("folder holding all data (default: $CO_APP_HOME, else the user data folder)"))


def build_parser() -> argparse.ArgumentParser:
    width = max(len(name) for name in ENVIRONMENT_VARIABLES) + 2
    env_help = "\n".join(f"  {name:<{width}}" + _(text) for name, text in ENVIRONMENT_VARIABLES.items())
    parser = _Parser(
        prog="main.py",
        description=_("{app} {version} — offline pre-departure cultural orientation. With no command, opens the "
                      "application.").format(app=APP_NAME, version=__version__),
        epilog=_("environment variables:") + "\n" + env_help,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(parser, top=True)
    parser.add_argument("--lang", metavar="LANG", help=_("interface language for this run (en, ar, fr, …)"))
    parser.add_argument("--kiosk", action="store_true", help=_("open the viewer (kiosk) mode for participants"))
    parser.add_argument("--db", metavar="URL", help=_("open the office's hub instead of the data folder's database: "
                        "a PostgreSQL URL or a SQLite hub file (the window shows the Office section)"))
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}",
                        help=_("show program's version number and exit"))  # argparse's words, not in its _()
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    media = commands.add_parser("media", help=_("the film library"))
    media_cmds = media.add_subparsers(dest="media_command", metavar="ACTION", required=True, parser_class=_Parser)
    media_list = media_cmds.add_parser("list", help=_("status of every film in the library"))
    _common(media_list, top=False)
    media_list.add_argument("--json", action="store_true", help=_("print one JSON document"))
    media_verify = media_cmds.add_parser("verify", help=_("check every film's file (SHA-256, container) and subtitles"))
    _common(media_verify, top=False)
    media_verify.add_argument("--json", action="store_true", help=_("print one JSON document"))
    media_import = media_cmds.add_parser("import", help=_("copy and verify a media pack (a folder or USB drive)"))
    media_import.add_argument("src_dir", metavar="SRC_DIR", help=_("the media pack's folder"))
    _common(media_import, top=False)
    media_import.add_argument("--json", action="store_true", help=_("print one JSON document"))
    _common(media, top=False)

    content = commands.add_parser("content", help=_("towns, modules and their translations"))
    content_cmds = content.add_subparsers(dest="content_command", metavar="ACTION", required=True,
                                          parser_class=_Parser)
    content_check = content_cmds.add_parser("check", help=_("validate every town and module, links and translations"))
    _common(content_check, top=False)
    content_check.add_argument("--json", action="store_true", help=_("print one JSON document"))
    content_check.add_argument("--content-dir", metavar="DIR", help=_("the content folder (default: content/ of the "
                               "application)"))
    _add_content_packs(content_cmds)
    _common(content, top=False)

    demo = commands.add_parser("demo", help=_("demonstration content"))
    demo_cmds = demo.add_subparsers(dest="demo_command", metavar="ACTION", required=True, parser_class=_Parser)
    demo_media = demo_cmds.add_parser("media", help=_("build the labelled demo clips and subtitles into the library"))
    _common(demo_media, top=False)
    demo_media.add_argument("--force", action="store_true", help=_("rebuild clips that are already there"))
    demo_seed = demo_cmds.add_parser("seed", help=_("fill the database with made-up sessions, households and "
                                     "participants"))
    _common(demo_seed, top=False)
    demo_seed.add_argument("--sessions", type=int, default=8, metavar="N", help=_("how many sessions (default 8)"))
    demo_seed.add_argument("--force", action="store_true", help=_("add another batch when demo data is already there"))
    demo_seed.add_argument("--if-needed", action="store_true",
                           help=_("when demo data is already there, say so and succeed (for set-up scripts)"))
    demo_seed.add_argument("--laptop", type=int, metavar="N", help=_("which demo laptop this is, 1 to 8, for the "
                           "office's demonstration: each number's made-up people are its own (case numbers, birth "
                           "years), save two families every laptop shares — the office's real duplicates "
                           "(default: a number from the device id)"))
    _common(demo, top=False)
    _add_export_and_sync(commands)
    from co_app.cli.office import add_office_parser

    add_office_parser(commands, _common, _Parser)
    _add_report(commands)
    from co_app.cli.roster import add_roster_parser

    add_roster_parser(commands, _common, _Parser)
    return parser


def _add_report(commands) -> None:  # argparse's subparsers action
    """report: the office's report across laptops (issue 18)."""
    from co_app.cli.report import parse_day

    report = commands.add_parser("report", help=_("people and attendances across laptops, by sex, age group, "
                                 "nationality, destination, module and laptop; or the donor report (XLSX, PDF)"))
    report.set_defaults(report_command="show")
    _common(report, top=False)
    _records_db(report)
    report.add_argument("--from", dest="start", type=parse_day, metavar="DATE", help=_("first session date "
                        "(YYYY-MM-DD; default: the first)"))
    report.add_argument("--to", dest="end", type=parse_day, metavar="DATE", help=_("last session date (default: "
                        "the last)"))
    report.add_argument("--destination", metavar="ID", help=_("only people going to this town (town or film id)"))
    report.add_argument("--place", metavar="PLACE", help=_("only sessions held at this place"))
    report.add_argument("--laptop", metavar="LAPTOP",
                        help=_("only sessions created on this laptop (its name or its device id)"))
    report.add_argument("--facilitator", metavar="NAME", help=_("only sessions led by this facilitator"))
    out = report.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help=_("print one JSON document"))
    out.add_argument("--xlsx", metavar="PATH", help=_("write the donor report as a spreadsheet"))
    out.add_argument("--pdf", metavar="PATH", help=_("write the donor report as a PDF"))


def _records_db(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: "main.py --db URL report" keeps the URL given before the command.
    parser.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help=_("read this database (the office's hub: postgresql://… or a SQLite hub file) "
                        "instead of the data folder's"))


def _add_content_packs(content_cmds) -> None:  # argparse's subparsers action
    """The office's signed content packs and the content a laptop uses (issue 22)."""
    pack = content_cmds.add_parser("pack", help=_("at the office: write a signed content pack of a content folder"))
    _common(pack, top=False)
    pack.add_argument("--out", metavar="FILE", required=True, help=_("the pack to write (.copack)"))
    pack.add_argument("--from", dest="from_folder", metavar="FOLDER",
                      help=_("the content folder (towns/, modules/, map/, films.toml; default: the program's)"))
    pack.add_argument("--db", metavar="URL", help=_("the office's hub, whose key signs the pack"))
    pack.add_argument("--version", type=int, metavar="N", help=_("the pack's version (default: one more than the "
                      "folder's version.toml, which is then set to it)"))
    pack.add_argument("--note", metavar="TEXT", help=_("what this update is for, in a sentence"))
    pack.add_argument("--json", action="store_true", help=_("print one JSON document"))
    imp = content_cmds.add_parser("import", help=_("on a laptop: check a content pack signed by its office and "
                                  "switch to it (the previous content is kept for rollback)"))
    _common(imp, top=False)
    imp.add_argument("pack", metavar="FILE", help=_("the content pack (.copack)"))
    imp.add_argument("--json", action="store_true", help=_("print one JSON document"))
    rollback = content_cmds.add_parser("rollback", help=_("go back to the content used before the last import"))
    _common(rollback, top=False)
    rollback.add_argument("--json", action="store_true", help=_("print one JSON document"))
    review = content_cmds.add_parser("review", help=_("record that a translation was made from today's English "
                                     "text, and reviewed by a native speaker (--by)"))
    _common(review, top=False)
    review.add_argument("item", metavar="KIND/ID", help=_("town/jena, module/housing, …"))
    review.add_argument("language", metavar="LANG", help=_("the translation's language code (ar, so, …)"))
    review.add_argument("--by", metavar="NAME", help=_("the native speaker who reviewed it (else: machine-made)"))
    review.add_argument("--content-dir", metavar="DIR", help=_("the content folder (default: the program's)"))
    review.add_argument("--json", action="store_true", help=_("print one JSON document"))
    status = content_cmds.add_parser("status", help=_("which content version this laptop uses"))
    _common(status, top=False)
    status.add_argument("--json", action="store_true", help=_("print one JSON document"))


def _add_export_and_sync(commands) -> None:  # argparse's subparsers action
    """attendance export, sync export / import (issue 6)."""
    attendance = commands.add_parser("attendance", help=_("attendance records"))
    attendance_cmds = attendance.add_subparsers(dest="attendance_command", metavar="ACTION", required=True,
                                                parser_class=_Parser)
    att_export = attendance_cmds.add_parser(
        "export", help=_("attendance as a spreadsheet (CSV, or XLSX with sessions, participants, attendance "
        "and summary sheets); no names unless --with-names"))
    _common(att_export, top=False)
    att_export.add_argument("--format", choices=("csv", "xlsx"), required=True, help=_("csv or xlsx"))
    att_export.add_argument("--out", metavar="PATH", required=True, help=_("the file to write"))
    names = att_export.add_mutually_exclusive_group()
    names.add_argument("--with-names", action="store_true",
                       help=_("include case numbers, names, birth years and notes (default: left out)"))
    names.add_argument("--pseudonymise", action="store_true",
                       help=_("show participants and households as stable pseudonyms from the programme secret"))
    att_export.add_argument("--secret-file", metavar="FILE",
                            help=_("the programme secret for --pseudonymise (default: pseudonym-secret.key in the "
                            "data folder, made on first use)"))
    att_export.add_argument("--json", action="store_true", help=_("print one JSON document"))
    _records_db(att_export)
    _common(attendance, top=False)

    sync = commands.add_parser("sync", help=_("encrypted sync packages between laptops and the office hub"))
    sync_cmds = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True, parser_class=_Parser)
    sync_export = sync_cmds.add_parser("export", help=_("write a sync package (records changed since the last "
                                       "export, or --full)"))
    _common(sync_export, top=False)
    sync_export.add_argument("--out", metavar="PATH", required=True, help=_("the package to write (.cosync)"))
    since = sync_export.add_mutually_exclusive_group()
    since.add_argument("--full", action="store_true", help=_("every record, not only the changes"))
    since.add_argument("--since-last", action="store_true",
                       help=_("only what changed since the last export (the default)"))
    passphrase_help = _("only for a hand-over between laptops: a file holding the passphrase (or "
                        "$CO_APP_SYNC_PASSPHRASE); without it the package is sealed with keys for the office, or by "
                        "the office for its laptops")
    sync_export.add_argument("--passphrase-file", metavar="FILE", help=passphrase_help)
    sync_export.add_argument("--db", metavar="URL", help=_("export from this database (the office's hub) instead of "
                             "the data folder's: a package for every laptop enrolled with the office"))
    sync_export.add_argument("--json", action="store_true", help=_("print one JSON document"))
    sync_import = sync_cmds.add_parser("import", help=_("check a sync package, then merge it into the database"))
    _common(sync_import, top=False)
    sync_import.add_argument("package", metavar="PATH", help=_("the sync package"))
    sync_import.add_argument("--db", metavar="URL", help=_("merge into this database instead of the data "
                             "folder's: a SQLite file or postgresql://user:password@host/dbname (the hub)"))
    sync_import.add_argument("--dry-run", action="store_true", help=_("say what would change, change nothing"))
    sync_import.add_argument("--passphrase-file", metavar="FILE", help=passphrase_help)
    sync_import.add_argument("--enrol", action="store_true", help=_("at the office: enrol the laptop that signed "
                             "the package (compare the fingerprint the refusal showed with the laptop's first)"))
    sync_import.add_argument("--json", action="store_true", help=_("print one JSON document"))
    _add_sync_admin(sync_cmds)
    _common(sync, top=False)


def _add_sync_admin(sync_cmds) -> None:  # argparse's subparsers action
    """Naming a laptop, the keys and enrolment, and the office's review (issue 17)."""
    def db_option(parser: argparse.ArgumentParser) -> None:
        _common(parser, top=False)
        parser.add_argument("--db", metavar="URL", help=_("the office's hub (a SQLite file or a PostgreSQL URL) "
                            "instead of the data folder's database"))
        parser.add_argument("--json", action="store_true", help=_("print one JSON document"))

    status = sync_cmds.add_parser("status", help=_("this laptop (or the office): name, role, key fingerprint, "
                                  "enrolment, and every laptop or office it exchanged packages with"))
    db_option(status)
    name = sync_cmds.add_parser("name", help=_("give this laptop the name the office will see (\"Amman laptop 2\")"))
    db_option(name)
    name.add_argument("name", metavar="NAME", help=_("1 to 80 characters"))
    office_key = sync_cmds.add_parser("office-key", help=_("at the office: write the office's public key file for "
                                      "the laptops' USB stick"))
    db_option(office_key)
    office_key.add_argument("--out", metavar="FILE", required=True, help=_("the key file to write (office.key)"))
    enrol = sync_cmds.add_parser("enrol", help=_("on a laptop: enrol with the office whose key file this is"))
    db_option(enrol)
    enrol.add_argument("key_file", metavar="FILE", help=_("the office's key file (from sync office-key)"))
    enrol.add_argument("--replace", action="store_true", help=_("move a laptop already enrolled with another office "
                       "to this one"))
    held = sync_cmds.add_parser("held", help=_("changes dated in the future, held for review; accept or reject them"))
    db_option(held)
    held.add_argument("--accept", metavar="ID", type=number_or_all, nargs="+", default=[],
                      help=_("let these count ('all': every held change)"))
    held.add_argument("--reject", metavar="ID", type=int, nargs="+", default=[], help=_("refuse these"))
    held.add_argument("--from", dest="from_laptop", metavar="LAPTOP", help=_("with --accept all: only this laptop's "
                      "(its name as office laptops shows it, or its device id)"))
    conflicts = sync_cmds.add_parser("conflicts", help=_("true conflicts (one field changed on two laptops at once)"))
    db_option(conflicts)
    conflicts.add_argument("--keep-lost", metavar="ID", type=int, nargs="+", default=[],
                           help=_("keep the lost value of these conflicts (a new change that wins everywhere)"))
    conflicts.add_argument("--reviewed", metavar="ID", type=int, nargs="+", default=[],
                           help=_("keep the kept value of these (mark them reviewed)"))
