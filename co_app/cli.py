"""The command line (DESIGN.md's stable contract), over the core only — no Qt here.

Exit status: 0 success; 1 the command ran and found a problem; 2 bad usage or
unreadable input.  Errors are one sentence on stderr; never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Callable, NoReturn, Sequence

from co_app import APP_NAME, __version__
from co_app.core.errors import CoError
from co_app.core.paths import ENVIRONMENT_VARIABLES, DataPaths, resolve_data_dir

log = logging.getLogger(__name__)

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one sentence and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message}. Run 'python main.py --help' for usage.\n")


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # SUPPRESS below the top level, so "main.py --data-dir X media list" keeps X.
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help="folder holding all data (default: $CO_APP_HOME, else the user data folder)")


def build_parser() -> argparse.ArgumentParser:
    env_help = "\n".join(f"  {name:<14}{text}" for name, text in ENVIRONMENT_VARIABLES.items())
    parser = _Parser(
        prog="main.py",
        description=f"{APP_NAME} {__version__} — offline pre-departure cultural orientation. "
        "With no command, opens the application.",
        epilog=f"environment variables:\n{env_help}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(parser, top=True)
    parser.add_argument("--lang", metavar="LANG", help="interface language for this run (en, ar, fr, …)")
    parser.add_argument("--kiosk", action="store_true", help="open the viewer (kiosk) mode for participants")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    media = commands.add_parser("media", help="the film library")
    media_cmds = media.add_subparsers(dest="media_command", metavar="ACTION", required=True, parser_class=_Parser)
    media_list = media_cmds.add_parser("list", help="status of every film in the library")
    _common(media_list, top=False)
    media_list.add_argument("--json", action="store_true", help="print one JSON document")
    _common(media, top=False)

    demo = commands.add_parser("demo", help="demonstration content")
    demo_cmds = demo.add_subparsers(dest="demo_command", metavar="ACTION", required=True, parser_class=_Parser)
    demo_media = demo_cmds.add_parser("media", help="build the labelled demo clips and subtitles into the library")
    _common(demo_media, top=False)
    demo_media.add_argument("--force", action="store_true", help="rebuild clips that are already there")
    _common(demo, top=False)
    return parser


def _paths(args: argparse.Namespace) -> DataPaths:
    from co_app.core.logs import setup_logging

    paths = DataPaths(resolve_data_dir(args.data_dir)).ensure()
    setup_logging(paths.logs)
    return paths


def cmd_media_list(args: argparse.Namespace) -> int:
    import json

    from co_app.core.library import scan_library
    from co_app.core.manifest import load_manifest

    paths = _paths(args)
    entries = scan_library(paths.media, load_manifest())
    if args.json:
        doc = {
            "media_dir": str(paths.media),
            "films": [
                {
                    "id": e.film.id,
                    "title": e.film.title,
                    "town": e.film.town,
                    "country": e.film.country,
                    "status": e.status.value,
                    "file": str(e.video) if e.video else None,
                    "demo": e.is_demo,
                    "subtitles": sorted(e.subtitles),
                }
                for e in entries
            ],
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        for e in entries:
            subs = ",".join(sorted(e.subtitles)) or "-"
            demo = " (demo clip)" if e.is_demo else ""
            print(f"{e.film.id:<24} {e.status.value:<8} subtitles: {subs}{demo}")
    return EXIT_OK


def cmd_demo_media(args: argparse.Namespace) -> int:
    from co_app.core.demo_media import build_demo_pack

    paths = _paths(args)

    def progress(done: int, total: int, film_id: str) -> None:
        print(f"[{done}/{total}] {film_id}", file=sys.stderr)

    built = build_demo_pack(paths.media, force=args.force, progress=progress)
    print(f"Demo media pack ready in {paths.media} ({len(built)} clips).")
    return EXIT_OK


COMMANDS: dict[tuple[str, str], Callable[[argparse.Namespace], int]] = {
    ("media", "list"): cmd_media_list,
    ("demo", "media"): cmd_demo_media,
}


def run_command(args: argparse.Namespace) -> int:
    action = getattr(args, f"{args.command}_command")
    handler = COMMANDS[(args.command, action)]
    try:
        return handler(args)
    except CoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: log it whole, say one calm sentence
        log.exception("unexpected error in %s %s", args.command, action)
        print(f"error: unexpected {type(exc).__name__}: {exc} (details in the log file).", file=sys.stderr)
        return EXIT_PROBLEM


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)
