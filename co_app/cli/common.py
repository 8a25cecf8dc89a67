"""What the commands share: the data folder, the film manifest, progress on stderr, JSON
on stdout, exit statuses."""

from __future__ import annotations

import argparse
import logging
import sys

from co_app.core.foundation.errors import Notice, sentence, terminal_text
from co_app.core.foundation.i18n import N_
from co_app.core.foundation.paths import DataPaths, resolve_data_dir


log = logging.getLogger("co_app.cli")

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


def data_paths(args: argparse.Namespace) -> DataPaths:
    from co_app.core.foundation.logs import setup_logging

    paths = DataPaths(resolve_data_dir(args.data_dir)).ensure()
    setup_logging(paths.logs)
    return paths


#: The commands that change the data folder: each holds its writer lock while it runs
#: (lists, reports and exports only read, and run beside the window).
WRITERS: dict[tuple[str, str], str] = {
    ("media", "import"): "media import", ("media", "verify"): "media verify", ("demo", "media"): "demo media",
    ("demo", "seed"): "demo seed", ("sync", "import"): "sync import", ("sync", "export"): "sync export",
    ("sync", "name"): "sync name", ("sync", "office-key"): "sync office-key", ("sync", "enrol"): "sync enrol",
    ("sync", "held"): "sync held", ("sync", "conflicts"): "sync conflicts", ("roster", "import"): "roster import",
    ("content", "import"): "content import", ("content", "rollback"): "content rollback",
    ("office", "merge"): "office merge", ("office", "unmerge"): "office unmerge",
}


def writer_lock(args: argparse.Namespace, command: tuple[str, str]):  # WriterLock | None
    """The data folder's writer lock for a command that writes to it, taken at once (or
    ``DataFolderBusy``, one sentence naming who holds it); None for one that only reads,
    or that works on another database (``--db``), or only lists (``sync held`` without a
    decision)."""
    from co_app.core.foundation.datalock import WriterLock

    what = WRITERS.get(command)
    if what is None or getattr(args, "db", None) or getattr(args, "dry_run", False):
        return None
    if command in {("sync", "held"), ("sync", "conflicts")} and not any(
            getattr(args, name, None) for name in ("accept", "reject", "keep_lost", "reviewed")):
        return None
    folder = resolve_data_dir(args.data_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # the command itself says what is wrong with the folder
    return WriterLock(folder, what).acquire()


def media_setup(args: argparse.Namespace):  # (paths, manifest)
    """The data folder and the manifest, with the database created or upgraded (the media
    commands then read and write it with sqlite3, as the Films page does)."""
    from co_app.core.db.engine import open_database
    from co_app.core.media.manifest import load_manifest

    paths = data_paths(args)
    manifest = load_manifest()
    open_database(paths.database, backups_dir=paths.backups).dispose()
    return paths, manifest


class StderrProgress:
    """Progress of a long media command on stderr (stdout stays clean for --json): a line
    per file, or on a terminal one status line rewritten in place and cleared at the end."""

    def __init__(self, verb: str):
        from co_app.core.foundation.i18n import _

        self.verb, self.file, self.shown = _(verb), "", 0.0  # marked with N_ by the caller
        self.tty = sys.stderr.isatty()

    def __call__(self, p) -> None:  # ImportProgress or VerifyProgress
        import time

        changed, self.file = p.file != self.file, p.file
        if not self.tty:
            if changed and p.file:
                print(terminal_text(sentence(N_("{verb} {file}"), verb=self.verb, file=p.file)), file=sys.stderr,
                      flush=True)
            return
        if changed or time.monotonic() - self.shown > 0.2:
            self.shown = time.monotonic()
            done, total = p.done_bytes / 1e6, p.total_bytes / 1e6
            line = terminal_text(sentence(N_("{verb} {file}: {done:.1f} of {total:.1f} MB"), verb=self.verb,
                                          file=p.file, done=done, total=total)) if p.file else ""
            sys.stderr.write(f"\r\033[K{line}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.tty:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def print_json(doc: object) -> None:
    import json

    print(json.dumps(doc, ensure_ascii=False, indent=2))


def say(template: str, /, **params: object) -> str:
    """A human line of a command's stdout: ``template`` (marked with ``N_`` where it is
    written) in the interface language, its named placeholders filled by ``fill``.
    ``--json`` never goes through this: its keys and values stay the same in every language."""
    from co_app.core.foundation.i18n import _

    return fill(_(template), **params)


def fill(text: str, /, **params: object) -> str:
    """A translated line (``ngettext(...)`` for a sentence with a number: Arabic has six plural
    forms) with its named placeholders filled with ``terminal_value``."""
    return text.format(**{name: terminal_value(value) for name, value in params.items()})


def terminal_value(value: object) -> str:
    """A value inside a human line: a number or a date as the interface language writes it
    (Babel, as the window does), a translated phrase as it is, anything else (a file name, a
    person's name) made printable."""
    from datetime import date, datetime

    from co_app.core.foundation.i18n import format_date, format_datetime, format_number
    from co_app.core.foundation.printable import printable

    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, datetime):
        return format_datetime(value, "short")
    if isinstance(value, date):
        return format_date(value, "medium")
    if isinstance(value, Notice):
        return terminal_text(value)
    return printable(str(value))



def with_progress(args: argparse.Namespace, label: str, work):
    """Run ``work(paths, manifest, conn, progress)`` with progress on stderr, then close up."""
    from co_app.core.db.plain import connect

    paths, manifest = media_setup(args)
    progress = StderrProgress(label)
    try:
        with connect(paths.database) as conn:
            return work(paths, manifest, conn, progress)
    finally:
        progress.close()
