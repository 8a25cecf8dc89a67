"""The command line (DESIGN.md's stable contract), over the core only — no Qt here.

Exit status: 0 success; 1 the command ran and found a problem; 2 bad usage or
unreadable input.  Errors are one sentence on stderr; never a traceback.
"""

from __future__ import annotations

import argparse
import os
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
    media_verify = media_cmds.add_parser("verify", help="check every film's file (SHA-256, container) and subtitles")
    _common(media_verify, top=False)
    media_verify.add_argument("--json", action="store_true", help="print one JSON document")
    media_import = media_cmds.add_parser("import", help="copy and verify a media pack (a folder or USB drive)")
    media_import.add_argument("src_dir", metavar="SRC_DIR", help="the media pack's folder")
    _common(media_import, top=False)
    media_import.add_argument("--json", action="store_true", help="print one JSON document")
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


def _media_setup(args: argparse.Namespace):  # noqa: ANN202 - (paths, manifest, database)
    from co_app.core.db.engine import open_database
    from co_app.core.manifest import load_manifest

    paths = _paths(args)
    manifest = load_manifest()
    return paths, manifest, open_database(paths.database, backups_dir=paths.backups)


class _StderrProgress:
    """Progress of a long media command on stderr (stdout stays clean for --json): a line
    per file, or on a terminal one status line rewritten in place and cleared at the end."""

    def __init__(self, verb: str):
        self.verb, self.file, self.shown = verb, "", 0.0
        self.tty = sys.stderr.isatty()

    def __call__(self, p) -> None:  # noqa: ANN001 - ImportProgress or VerifyProgress
        import time

        changed, self.file = p.file != self.file, p.file
        if not self.tty:
            if changed and p.file:
                print(f"{self.verb} {p.file}", file=sys.stderr, flush=True)
            return
        if changed or time.monotonic() - self.shown > 0.2:
            self.shown = time.monotonic()
            done, total = p.done_bytes / 1e6, p.total_bytes / 1e6
            line = f"{self.verb} {p.file}: {done:.1f} of {total:.1f} MB" if p.file else ""
            sys.stderr.write(f"\r\033[K{line}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.tty:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _print_json(doc: object) -> None:
    import json

    print(json.dumps(doc, ensure_ascii=False, indent=2))


def _subtitle_lines(subtitles) -> list[str]:  # noqa: ANN001 - SubtitleResult items
    lines = []
    for sub in subtitles:
        if sub.error:
            lines.append(f"    subtitles {sub.language}: {sub.error}")
        lines.extend(f"    subtitles {sub.language}, line {line}: {message}" for line, message in sub.problems)
    return lines


def cmd_media_list(args: argparse.Namespace) -> int:
    from co_app.core.library import load_records, scan_library

    paths, manifest, db = _media_setup(args)
    with db.session() as session:
        records = load_records(session)
    db.dispose()
    entries = scan_library(paths.media, manifest, records)
    if args.json:
        _print_json({"media_dir": str(paths.media), "films": [
            {"id": e.film.id, "title": e.film.title, "town": e.film.town, "country": e.film.country,
             "status": e.status.value, "file": str(e.video) if e.video else None, "demo": e.is_demo,
             "subtitles": sorted(e.subtitles), "problem": e.problem, "hint": e.hint}
            for e in entries]})
        return EXIT_OK
    for e in entries:
        subs = ",".join(sorted(e.subtitles)) or "-"
        demo = " (demo clip)" if e.is_demo else ""
        problem = f" — {e.problem}" if e.problem else ""  # one line per film, for grep and scripts
        print(f"{e.film.id:<24} {e.status.value:<10} subtitles: {subs}{demo}{problem}")
    return EXIT_OK


def cmd_media_verify(args: argparse.Namespace) -> int:
    from co_app.core.media_verify import verify_library

    paths, manifest, db = _media_setup(args)
    progress = _StderrProgress("verifying")
    try:
        with db.session() as session:
            report = verify_library(paths.media, manifest, session, progress=progress)
    finally:
        progress.close()
        db.dispose()
    if args.json:
        _print_json(report.as_dict())
    else:
        for film in report.films:
            subs = ", ".join(f"{s.language} ({s.cues} cue{'s' * (s.cues != 1)})"
                             for s in film.subtitles if not s.error) or "-"
            problem = f" — {film.problem}" if film.problem else ""
            print(f"{film.film_id:<24} {film.status.value:<10} subtitles: {subs}{problem}")
            for line in _subtitle_lines(film.subtitles):
                print(line)
        counts = {s: sum(f.status.value == s for f in report.films) for s in ("present", "missing", "corrupt")}
        print(f"{len(report.films)} films: " + ", ".join(f"{n} {s}" for s, n in counts.items()) + ".")
    return EXIT_OK if report.ok else EXIT_PROBLEM


def cmd_media_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from co_app.core.media_import import import_pack

    paths, manifest, db = _media_setup(args)
    progress = _StderrProgress("importing")
    try:
        with db.session() as session:
            report = import_pack(Path(args.src_dir).expanduser(), paths.media, manifest, session, progress=progress)
    finally:
        progress.close()
        db.dispose()
    if args.json:
        _print_json(report.as_dict())
    else:
        for film in report.films:
            print(f"{film.film_id:<24} {film.action}" + ("" if film.rejected else f" ({film.status.value})"))
            for sub in film.subtitles:
                found = f" (found in {sub.encoding}, {sub.cues} cue{'s' * (sub.cues != 1)})" if sub.encoding else ""
                print(f"    subtitles {sub.language}: {sub.action}{found}")
        if report.ignored:
            print("Ignored (no film of that name): " + ", ".join(report.ignored))
        rejected = sum(f.rejected for f in report.films)
        print(f"Imported {len(report.films) - rejected} of {len(report.films)} films from {report.source}"
              + (f"; {rejected} rejected." if rejected else "."))
    return EXIT_OK if report.ok else EXIT_PROBLEM


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
    ("media", "verify"): cmd_media_verify,
    ("media", "import"): cmd_media_import,
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
    except BrokenPipeError:
        # The reader went away (`main.py media list | head`): not an error of ours. Point
        # stdout at nothing so the interpreter's final flush does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # a bug: log it whole, say one calm sentence
        log.exception("unexpected error in %s %s", args.command, action)
        print(f"error: unexpected {type(exc).__name__}: {exc} (details in the log file).", file=sys.stderr)
        return EXIT_PROBLEM


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang is not None:
        from co_app.core.languages import LANGUAGES, find_language

        if find_language(args.lang) is None:
            codes = ", ".join(lang.code for lang in LANGUAGES)
            parser.error(f"unknown language '{args.lang}' (known: {codes})")
    return args
