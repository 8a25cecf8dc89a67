"""The command line (DESIGN.md's stable contract), over the core only — no Qt here.

Exit status: 0 success; 1 the command ran and found a problem; 2 bad usage or
unreadable input.  Errors are one sentence on stderr; never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Callable, Sequence

from co_app.core.foundation.errors import CoError, sentence, terminal_text
from co_app.core.foundation.i18n import N_, set_language
from co_app.cli.argparse_messages import in_catalog_language

from co_app.cli.attendance import cmd_attendance_export
from co_app.cli.common import EXIT_OK, EXIT_PROBLEM, print_json, writer_lock
from co_app.cli.content import cmd_content_check, cmd_content_review
from co_app.cli.content_pack import cmd_content_import, cmd_content_pack, cmd_content_rollback, cmd_content_status
from co_app.cli.demo import cmd_demo_media, cmd_demo_seed
from co_app.cli.media import cmd_media_import, cmd_media_list, cmd_media_verify
from co_app.cli.roster import cmd_roster_import
from co_app.cli.office import cmd_office_duplicates, cmd_office_laptops, cmd_office_merge, cmd_office_unmerge
from co_app.cli.sync import cmd_sync_export, cmd_sync_import
from co_app.cli.sync_admin import (cmd_sync_conflicts, cmd_sync_enrol, cmd_sync_held, cmd_sync_name,
                                   cmd_sync_office_key, cmd_sync_status)
from co_app.cli.parser import build_parser
from co_app.cli.report import cmd_report

log = logging.getLogger(__name__)


COMMANDS: dict[tuple[str, str], Callable[[argparse.Namespace], int]] = {
    ("attendance", "export"): cmd_attendance_export,
    ("sync", "export"): cmd_sync_export,
    ("office", "laptops"): cmd_office_laptops,
    ("office", "duplicates"): cmd_office_duplicates,
    ("office", "merge"): cmd_office_merge,
    ("office", "unmerge"): cmd_office_unmerge,
    ("sync", "import"): cmd_sync_import,
    ("sync", "status"): cmd_sync_status,
    ("sync", "name"): cmd_sync_name,
    ("sync", "office-key"): cmd_sync_office_key,
    ("sync", "enrol"): cmd_sync_enrol,
    ("sync", "held"): cmd_sync_held,
    ("sync", "conflicts"): cmd_sync_conflicts,
    ("media", "list"): cmd_media_list,
    ("media", "verify"): cmd_media_verify,
    ("media", "import"): cmd_media_import,
    ("demo", "media"): cmd_demo_media,
    ("demo", "seed"): cmd_demo_seed,
    ("roster", "import"): cmd_roster_import,
    ("content", "check"): cmd_content_check,
    ("content", "pack"): cmd_content_pack,
    ("content", "import"): cmd_content_import,
    ("content", "rollback"): cmd_content_rollback,
    ("content", "status"): cmd_content_status,
    ("content", "review"): cmd_content_review,
    ("report", "show"): cmd_report,
}


def run_command(args: argparse.Namespace) -> int:
    action = getattr(args, f"{args.command}_command")
    handler = COMMANDS[(args.command, action)]
    # The command's messages in --lang's language (else $CO_APP_LANG's, else English: a
    # script reading them does not change with the laptop's settings).
    set_language(args.lang or os.environ.get("CO_APP_LANG"))
    lock = None
    try:
        lock = writer_lock(args, (args.command, action))
        return handler(args)
    except CoError as exc:
        # It may name a file, whose name may hold anything: terminal_text makes it printable.
        said = terminal_text(exc.args[0] if len(exc.args) == 1 else str(exc))
        print(terminal_text(sentence(N_("error: {message}"), message=said)), file=sys.stderr)
        if getattr(args, "json", False):  # a script reading stdout gets its one document too
            print_json({"ok": False, "error": said, "exit_status": exc.exit_code})
        return exc.exit_code
    except KeyboardInterrupt:
        print(terminal_text(sentence(N_("Interrupted."))), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`main.py media list | head`): not an error of ours. Point
        # stdout at nothing so the interpreter's final flush does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # a bug: log it whole, say one calm sentence
        log.exception("unexpected error in %s %s", args.command, action)
        message = terminal_text(sentence(N_("unexpected {kind}: {problem} (details in the log file)."),
                                         kind=type(exc).__name__, problem=exc))
        print(terminal_text(sentence(N_("error: {message}"), message=message)), file=sys.stderr)
        if getattr(args, "json", False):
            print_json({"ok": False, "error": message, "exit_status": EXIT_PROBLEM})
        return EXIT_PROBLEM
    finally:
        if lock is not None:
            lock.release()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line, its usage errors and ``--help`` in --lang's language (else
    $CO_APP_LANG's, else English), argparse's own words too."""
    from co_app.core.foundation.languages import LANGUAGES, find_language

    argv = sys.argv[1:] if argv is None else list(argv)
    asked = language_asked(argv)
    if asked and find_language(asked) is not None:  # an unknown code is refused below, in English
        set_language(asked)
    with in_catalog_language():
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.lang is not None and find_language(args.lang) is None:
            codes = ", ".join(lang.code for lang in LANGUAGES)
            parser.error(sentence(N_("unknown language '{language}' (known: {codes})"),
                                  language=args.lang, codes=codes))
    return args


def language_asked(argv: Sequence[str]) -> str | None:
    """The language a command line asks for before argparse reads it (argparse's refusal of
    a mistyped option must already speak it): ``--lang ar`` or ``--lang=ar`` (the last one,
    as argparse keeps), else $CO_APP_LANG."""
    asked = None
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(argv):
            asked = argv[index + 1]
        elif arg.startswith("--lang="):
            asked = arg.partition("=")[2]
    return asked or os.environ.get("CO_APP_LANG")
