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
from co_app.core.foundation.errors import CoError
from co_app.core.foundation.paths import ENVIRONMENT_VARIABLES, DataPaths, resolve_data_dir

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

    content = commands.add_parser("content", help="towns, modules and their translations")
    content_cmds = content.add_subparsers(dest="content_command", metavar="ACTION", required=True,
                                          parser_class=_Parser)
    content_check = content_cmds.add_parser("check", help="validate every town and module, links and translations")
    _common(content_check, top=False)
    content_check.add_argument("--json", action="store_true", help="print one JSON document")
    content_check.add_argument("--content-dir", metavar="DIR", help="the content folder (default: content/ of the "
                               "application)")
    _common(content, top=False)

    demo = commands.add_parser("demo", help="demonstration content")
    demo_cmds = demo.add_subparsers(dest="demo_command", metavar="ACTION", required=True, parser_class=_Parser)
    demo_media = demo_cmds.add_parser("media", help="build the labelled demo clips and subtitles into the library")
    _common(demo_media, top=False)
    demo_media.add_argument("--force", action="store_true", help="rebuild clips that are already there")
    demo_seed = demo_cmds.add_parser("seed", help="fill the database with made-up sessions, households and "
                                     "participants")
    _common(demo_seed, top=False)
    demo_seed.add_argument("--sessions", type=int, default=8, metavar="N", help="how many sessions (default 8)")
    demo_seed.add_argument("--force", action="store_true", help="add another batch when demo data is already there")
    demo_seed.add_argument("--if-needed", action="store_true",
                           help="when demo data is already there, say so and succeed (for set-up scripts)")
    _common(demo, top=False)
    _add_export_and_sync(commands)
    return parser


def _add_export_and_sync(commands) -> None:  # argparse's subparsers action
    """attendance export, sync export / import (issue 6)."""
    attendance = commands.add_parser("attendance", help="attendance records")
    attendance_cmds = attendance.add_subparsers(dest="attendance_command", metavar="ACTION", required=True,
                                                parser_class=_Parser)
    att_export = attendance_cmds.add_parser(
        "export", help="attendance as a spreadsheet (CSV, or XLSX with sessions, participants, attendance "
        "and summary sheets); no names unless --with-names")
    _common(att_export, top=False)
    att_export.add_argument("--format", choices=("csv", "xlsx"), required=True, help="csv or xlsx")
    att_export.add_argument("--out", metavar="PATH", required=True, help="the file to write")
    names = att_export.add_mutually_exclusive_group()
    names.add_argument("--with-names", action="store_true",
                       help="include case numbers, names, birth years and notes (default: left out)")
    names.add_argument("--pseudonymise", action="store_true",
                       help="show participants and households as stable pseudonyms from the programme secret")
    att_export.add_argument("--secret-file", metavar="FILE",
                            help="the programme secret for --pseudonymise (default: pseudonym-secret.key in the "
                            "data folder, made on first use)")
    att_export.add_argument("--json", action="store_true", help="print one JSON document")
    _common(attendance, top=False)

    sync = commands.add_parser("sync", help="encrypted sync packages between laptops and the office hub")
    sync_cmds = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True, parser_class=_Parser)
    sync_export = sync_cmds.add_parser("export", help="write a sync package (records changed since the last "
                                       "export, or --full)")
    _common(sync_export, top=False)
    sync_export.add_argument("--out", metavar="PATH", required=True, help="the package to write (.cosync)")
    since = sync_export.add_mutually_exclusive_group()
    since.add_argument("--full", action="store_true", help="every record, not only the changes")
    since.add_argument("--since-last", action="store_true",
                       help="only what changed since the last export (the default)")
    passphrase_help = ("file holding the passphrase (else $CO_APP_SYNC_PASSPHRASE, else it is asked for on a "
                       "terminal)")
    sync_export.add_argument("--passphrase-file", metavar="FILE", help=passphrase_help)
    sync_export.add_argument("--json", action="store_true", help="print one JSON document")
    sync_import = sync_cmds.add_parser("import", help="check a sync package, then merge it into the database")
    _common(sync_import, top=False)
    sync_import.add_argument("package", metavar="PATH", help="the sync package")
    sync_import.add_argument("--db", metavar="URL", help="merge into this database instead of the data "
                             "folder's: a SQLite file or postgresql://user:password@host/dbname (the hub)")
    sync_import.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")
    sync_import.add_argument("--passphrase-file", metavar="FILE", help=passphrase_help)
    sync_import.add_argument("--json", action="store_true", help="print one JSON document")
    _common(sync, top=False)


def _paths(args: argparse.Namespace) -> DataPaths:
    from co_app.core.foundation.logs import setup_logging

    paths = DataPaths(resolve_data_dir(args.data_dir)).ensure()
    setup_logging(paths.logs)
    return paths


def _media_setup(args: argparse.Namespace):  # (paths, manifest)
    """The data folder and the manifest, with the database created or upgraded (the media
    commands then read and write it with sqlite3, as the Films page does)."""
    from co_app.core.db.engine import open_database
    from co_app.core.media.manifest import load_manifest

    paths = _paths(args)
    manifest = load_manifest()
    open_database(paths.database, backups_dir=paths.backups).dispose()
    return paths, manifest


class _StderrProgress:
    """Progress of a long media command on stderr (stdout stays clean for --json): a line
    per file, or on a terminal one status line rewritten in place and cleared at the end."""

    def __init__(self, verb: str):
        self.verb, self.file, self.shown = verb, "", 0.0
        self.tty = sys.stderr.isatty()

    def __call__(self, p) -> None:  # ImportProgress or VerifyProgress
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


def _subtitle_lines(subtitles) -> list[str]:  # SubtitleResult items
    lines = []
    for sub in subtitles:
        if sub.error:
            lines.append(f"    subtitles {sub.language}: {sub.error}")
        lines.extend(f"    subtitles {sub.language}, line {line}: {message}" for line, message in sub.problems)
    return lines


def cmd_media_list(args: argparse.Namespace) -> int:
    from co_app.core.db.plain import connect
    from co_app.core.media.library import load_records, scan_library

    paths, manifest = _media_setup(args)
    with connect(paths.database) as conn:
        records = load_records(conn)
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


def _with_progress(args: argparse.Namespace, label: str, work):
    """Run ``work(paths, manifest, conn, progress)`` with progress on stderr, then close up."""
    from co_app.core.db.plain import connect

    paths, manifest = _media_setup(args)
    progress = _StderrProgress(label)
    try:
        with connect(paths.database) as conn:
            return work(paths, manifest, conn, progress)
    finally:
        progress.close()


def cmd_media_verify(args: argparse.Namespace) -> int:
    from co_app.core.media.verify import verify_library

    report = _with_progress(args, "verifying", lambda paths, manifest, conn, progress: verify_library(
        paths.media, manifest, conn, progress=progress))
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

    from co_app.core.media.importer import import_pack

    source = Path(args.src_dir).expanduser()
    report = _with_progress(args, "importing", lambda paths, manifest, conn, progress: import_pack(
        source, paths.media, manifest, conn, progress=progress))
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
        if not report.films:
            print(f"No film of the manifest was found in {report.source}: films are named like "
                  "'germany-jena.mp4' (see media_manifest/films.toml).", file=sys.stderr)
        else:
            print(f"Imported {len(report.films) - rejected} of {len(report.films)} films from {report.source}"
                  + (f"; {rejected} rejected." if rejected else "."))
    # A pack with no film of the manifest is a problem (a wrong folder, a wrong stick).
    return EXIT_OK if report.ok and report.films else EXIT_PROBLEM


def cmd_demo_media(args: argparse.Namespace) -> int:
    from co_app.core.media.demo import build_demo_pack

    paths = _paths(args)

    def progress(done: int, total: int, film_id: str) -> None:
        print(f"[{done}/{total}] {film_id}", file=sys.stderr)

    built = build_demo_pack(paths.media, force=args.force, progress=progress)
    print(f"Demo media pack ready in {paths.media} ({len(built)} clips).")
    return EXIT_OK


def cmd_demo_seed(args: argparse.Namespace) -> int:
    from co_app.core.content.library import load_content
    from co_app.core.db.engine import open_database
    from co_app.core.attendance.demo_seed import is_seeded, seed_demo
    from co_app.core.media.manifest import load_manifest

    paths, manifest = _paths(args), load_manifest()
    db = open_database(paths.database, backups_dir=paths.backups)
    content = load_content(manifest=manifest)
    towns = [(t.id, t.film) for t in content.towns() if t.kind == "town"]
    modules = [(m.id, m.minutes) for m in content.modules()]
    try:
        with db.session() as session:
            if args.if_needed and not args.force and is_seeded(session):
                print(f"Demo data is already in {paths.database}.")
                return EXIT_OK
            report = seed_demo(session, towns=towns, modules=modules, sessions=args.sessions, force=args.force)
    finally:
        db.dispose()
    print(f"Demo data added to {paths.database}: {report.sessions} sessions, {report.households} households, "
          f"{report.participants} participants, {report.attendance} attendance records (all made up).")
    return EXIT_OK


def cmd_content_check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from co_app.core.content.library import DEFAULT_CONTENT_DIR, load_content

    try:  # the check needs no data folder; it only logs there when one is usable
        _paths(args)
    except CoError:
        pass
    root = Path(args.content_dir).expanduser() if args.content_dir else DEFAULT_CONTENT_DIR
    library = load_content(root)
    languages = library.languages
    coverage = {lang: library.coverage(lang) for lang in languages}

    def item_doc(item, status: dict) -> dict:  # Town or Module
        return {"id": item.id, "title": getattr(item, "name", None) or getattr(item, "title", ""),
                "languages": {lang: {"coverage": round(s.coverage * 100, 1), "review": s.review}
                              for lang, s in status.items()}}

    towns = [item_doc(t, library.town_status(t.id)) for t in library.towns()]
    modules = [item_doc(m, library.module_status(m.id)) for m in library.modules()]
    if args.json:
        _print_json({"ok": library.ok, "content_dir": str(root), "towns": towns, "modules": modules,
                     "coverage": {lang: round(c.overall * 100, 1) for lang, c in coverage.items()},
                     "problems": [p.as_dict() for p in library.problems]})
        return EXIT_OK if library.ok else EXIT_PROBLEM
    for heading, docs in (("Towns", towns), ("Modules", modules)):
        print(f"{heading} ({len(docs)}):")
        for doc in docs:
            langs = ", ".join(f"{lang} {s['coverage']:.0f}% {s['review']}" for lang, s in doc["languages"].items())
            print(f"  {doc['id']:<30} {doc['title']:<32} {langs}")
    print()
    print(f"{'language':<10}{'towns':>8}{'modules':>9}{'overall':>9}   review (files)")
    statuses = [*(library.town_status(t["id"]) for t in towns), *(library.module_status(m["id"]) for m in modules)]
    for lang, c in coverage.items():
        states = [status[lang].review for status in statuses if lang in status]
        counts = ", ".join(f"{states.count(r)} {r}" for r in ("draft", "translated", "reviewed") if states.count(r))
        print(f"{lang:<10}{c.towns * 100:>7.0f}%{c.modules * 100:>8.0f}%{c.overall * 100:>8.0f}%   {counts or '-'}")
    if library.problems:
        print()
    for problem in library.problems:
        print(f"{problem.severity}: {problem}")
    errors, warnings = len(library.errors), len(library.warnings)
    print(f"\n{len(towns)} towns, {len(modules)} modules: {errors} error{'s' * (errors != 1)}, "
          f"{warnings} warning{'s' * (warnings != 1)}.")
    return EXIT_OK if library.ok else EXIT_PROBLEM


#: How to give the passphrase without a terminal to type it in.
PASSPHRASE_HOW = "Use --passphrase-file FILE or the environment variable CO_APP_SYNC_PASSPHRASE."


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str | None:
    """From --passphrase-file, else $CO_APP_SYNC_PASSPHRASE, else asked on a terminal."""
    from pathlib import Path

    if args.passphrase_file:
        path = Path(args.passphrase_file).expanduser()
        try:
            return path.read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise CoError(f"Cannot read the passphrase file {path}: {getattr(exc, 'strerror', None) or exc}.") from exc
    if os.environ.get("CO_APP_SYNC_PASSPHRASE"):
        return os.environ["CO_APP_SYNC_PASSPHRASE"]
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("Passphrase: ")
        if confirm and getpass.getpass("Passphrase again: ") != first:
            raise CoError("The two passphrases differ; nothing was written.")
        return first
    return None


def cmd_attendance_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from co_app.core.db.engine import open_database
    from co_app.core.attendance.export import ExportOptions, export_attendance, programme_secret

    paths = _paths(args)
    secret = None
    if args.pseudonymise:
        secret = programme_secret(paths.root, Path(args.secret_file).expanduser() if args.secret_file else None)
    db = open_database(paths.database, backups_dir=paths.backups)
    try:
        summary = export_attendance(db.engine, Path(args.out).expanduser(), args.format,
                                    ExportOptions(with_names=args.with_names, secret=secret))
    finally:
        db.dispose()
    if args.json:
        _print_json(summary.as_dict())
    else:
        print(f"Wrote {summary.path}: {summary.attendance} check-ins in {summary.sessions} sessions, "
              f"{summary.participants} participants ({summary.mode}).")
    return EXIT_OK


def cmd_sync_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from co_app.core.db.engine import open_database
    from co_app.core.sync.package import export_package

    from co_app.core.sync.container import PassphraseError

    paths = _paths(args)
    passphrase = _passphrase(args, confirm=True)
    db = open_database(paths.database, backups_dir=paths.backups)
    try:
        result = export_package(db.engine, db.device_id, Path(args.out).expanduser(), passphrase=passphrase,
                                full=args.full)
    except PassphraseError as exc:
        if passphrase:
            raise
        raise PassphraseError(f"{exc} {PASSPHRASE_HOW}") from None
    finally:
        db.dispose()
    if args.json:
        _print_json(result.as_dict())
    else:
        since = ""
        if result.since:  # the overlap is on purpose; say so, or "35 records changed" after a full export puzzles
            from co_app.core.sync.package import OVERLAP

            minutes = int(OVERLAP.total_seconds() // 60)
            since = (f" changed since {result.since:%Y-%m-%d %H:%M} UTC (including {minutes} minutes before the last "
                     f"export, at {result.since + OVERLAP:%H:%M} UTC, so nothing is missed; the office's import "
                     "ignores what it already has)")
        lock = "encrypted" if result.encrypted else "not encrypted (no personal data)"
        print(f"Wrote {result.path} ({result.kind}, {lock}): {result.total} records{since}.")
        for name, count in result.counts.items():
            print(f"  {name:<16}{count:>8}" + (f"  ({result.tombstones[name]} deleted)"
                                                if result.tombstones[name] else ""))
    return EXIT_OK


def cmd_sync_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from co_app.core.sync.hub import open_target
    from co_app.core.sync.service import import_package

    from co_app.core.sync.container import PassphraseError

    paths = _paths(args)
    passphrase = _passphrase(args, confirm=False)
    backup = None
    if args.db:
        target = open_target(args.db)  # a hub: its own backups are its operator's
    else:
        from functools import partial

        from co_app.core.safety.backup import make_backup
        from co_app.core.db.engine import open_database
        from co_app.core.sync.hub import Target

        db = open_database(paths.database, backups_dir=paths.backups)
        target = Target(db.engine, db.device_id, str(paths.database))
        # This laptop's database is backed up before a package is merged into it.
        backup = partial(make_backup, paths.database, paths.backups, "before-sync")
    try:
        report = import_package(target.engine, Path(args.package).expanduser(), passphrase, dry_run=args.dry_run,
                                before_merge=backup)
    except PassphraseError as exc:
        if passphrase:
            raise  # a wrong one: giving it another way would not help
        raise PassphraseError(f"{exc} {PASSPHRASE_HOW}") from None
    finally:
        target.dispose()
    if args.json:
        _print_json({**report.as_dict(), "database": target.label})
        return EXIT_OK
    verb = "Would import" if args.dry_run else "Imported"
    print(f"{verb} {report.package} into {target.label}: {report.inserted} inserted, {report.updated} updated, "
          f"{report.unchanged} unchanged, {report.conflicts} conflicts logged.")
    for name, counts in report.tables.items():
        print(f"  {name:<16} inserted {counts.inserted:>7}  updated {counts.updated:>7}  "
              f"unchanged {counts.unchanged:>7}  conflicts {counts.conflicts:>5}")
    if report.future_dated:
        print(f"Warning: {report.future_dated} records are dated in the future (up to "
              f"{report.latest:%Y-%m-%d %H:%M} UTC): the laptop that made this package has a wrong date or "
              "clock, and its changes win over later ones until then. Have its clock set right.")
    if args.dry_run:
        print("Dry run: nothing was changed.")
    return EXIT_OK


COMMANDS: dict[tuple[str, str], Callable[[argparse.Namespace], int]] = {
    ("attendance", "export"): cmd_attendance_export,
    ("sync", "export"): cmd_sync_export,
    ("sync", "import"): cmd_sync_import,
    ("media", "list"): cmd_media_list,
    ("media", "verify"): cmd_media_verify,
    ("media", "import"): cmd_media_import,
    ("demo", "media"): cmd_demo_media,
    ("demo", "seed"): cmd_demo_seed,
    ("content", "check"): cmd_content_check,
}


def run_command(args: argparse.Namespace) -> int:
    action = getattr(args, f"{args.command}_command")
    handler = COMMANDS[(args.command, action)]
    try:
        return handler(args)
    except CoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if getattr(args, "json", False):  # a script reading stdout gets its one document too
            _print_json({"ok": False, "error": str(exc), "exit_status": exc.exit_code})
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
        message = f"unexpected {type(exc).__name__}: {exc} (details in the log file)."
        print(f"error: {message}", file=sys.stderr)
        if getattr(args, "json", False):
            _print_json({"ok": False, "error": message, "exit_status": EXIT_PROBLEM})
        return EXIT_PROBLEM


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang is not None:
        from co_app.core.foundation.languages import LANGUAGES, find_language

        if find_language(args.lang) is None:
            codes = ", ".join(lang.code for lang in LANGUAGES)
            parser.error(f"unknown language '{args.lang}' (known: {codes})")
    return args
