"""sync export | import: packages sealed for the office (or by it for its laptops), and the
passphrase of a hand-over between laptops."""

from __future__ import annotations

import argparse
import sys
import os

from co_app.core.foundation.errors import CoError, sentence, terminal_text

from co_app.cli.common import EXIT_OK, data_paths, fill, print_json, say, terminal_value
from co_app.core.foundation.i18n import N_, _, ngettext


PASSPHRASE_HOW = N_("{problem} Use --passphrase-file FILE or the environment variable CO_APP_SYNC_PASSPHRASE.")


def read_passphrase(args: argparse.Namespace, *, confirm: bool) -> str | None:
    """From --passphrase-file, else $CO_APP_SYNC_PASSPHRASE, else None: packages are sealed
    with keys; a passphrase is only for a hand-over between laptops."""
    from pathlib import Path

    if args.passphrase_file:
        path = Path(args.passphrase_file).expanduser()
        try:
            return path.read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise CoError(sentence(N_("Cannot read the passphrase file {path}: {reason}."),
                                   path=path, reason=getattr(exc, 'strerror', None) or exc)) from exc
    if os.environ.get("CO_APP_SYNC_PASSPHRASE"):
        return os.environ["CO_APP_SYNC_PASSPHRASE"]
    return None



def cmd_sync_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from co_app.core.db.engine import open_database
    from co_app.core.sync.package import export_package

    from co_app.core.sync.container import PassphraseError

    passphrase = read_passphrase(args, confirm=True)
    if args.db:
        from co_app.core.sync.hub import open_target

        target = open_target(args.db)
        engine, device_id, dispose = target.engine, target.device_id, target.dispose
    else:
        paths = data_paths(args)
        db = open_database(paths.database, backups_dir=paths.backups)
        engine, device_id, dispose = db.engine, db.device_id, db.dispose
    try:
        result = export_package(engine, device_id, Path(args.out).expanduser(), passphrase=passphrase,
                                full=args.full)
    except PassphraseError as exc:
        if passphrase:
            raise
        raise PassphraseError(sentence(PASSPHRASE_HOW, problem=exc)) from None
    finally:
        dispose()
    if args.json:
        print_json(result.as_dict())
    else:
        print(_export_line(result, passphrase))
        for name, count in result.counts.items():
            print(f"  {name:<16}{terminal_value(count):>8}" + ("  " + say(N_("({count} deleted)"),
                                                                         count=result.tombstones[name])
                                                                if result.tombstones[name] else ""))
    if result.warning:
        print(terminal_text(sentence(N_("warning: {warning} The next package carries these changes again."),
                                     warning=result.warning)), file=sys.stderr)
    return EXIT_OK


def cmd_sync_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from co_app.core.sync.hub import open_target
    from co_app.core.sync.service import import_package

    from co_app.core.sync.container import PassphraseError

    paths = data_paths(args)
    passphrase = read_passphrase(args, confirm=False)
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
    if Path(args.package).expanduser().is_dir():  # a USB stick: every package in it, in order
        from co_app.cli.office import import_folder

        try:
            return import_folder(args, target, Path(args.package).expanduser(), before=backup)
        finally:
            target.dispose()
    try:
        report = import_package(target.engine, Path(args.package).expanduser(), passphrase, dry_run=args.dry_run,
                                before_merge=backup, trust_new=args.enrol)
    except PassphraseError as exc:
        if passphrase:
            raise  # a wrong one: giving it another way would not help
        raise PassphraseError(sentence(PASSPHRASE_HOW, problem=exc)) from None
    finally:
        target.dispose()
    if args.json:
        print_json({**report.as_dict(), "database": target.label})
        return EXIT_OK
    print(fill(ngettext("Would import {package} into {database}: {inserted} inserted, {updated} updated, "
                        "{unchanged} unchanged, {count} conflict logged.",
                        "Would import {package} into {database}: {inserted} inserted, {updated} updated, "
                        "{unchanged} unchanged, {count} conflicts logged.", report.conflicts) if args.dry_run else
               ngettext("Imported {package} into {database}: {inserted} inserted, {updated} updated, {unchanged} "
                        "unchanged, {count} conflict logged.",
                        "Imported {package} into {database}: {inserted} inserted, {updated} updated, {unchanged} "
                        "unchanged, {count} conflicts logged.", report.conflicts),
               package=report.package, database=target.label, inserted=report.inserted, updated=report.updated,
               unchanged=report.unchanged, count=report.conflicts))
    for name, counts in report.tables.items():
        print(f"  {name:<16} " + say(N_("inserted {inserted}  updated {updated}  unchanged {unchanged}  conflicts "
                                        "{conflicts}"), inserted=counts.inserted, updated=counts.updated,
                                     unchanged=counts.unchanged, conflicts=counts.conflicts))
    if report.future_dated:
        print(fill(ngettext("Warning: {count} record is dated in the future (up to {latest} UTC): the laptop that "
                            "made this package has a wrong date or clock. {held} of its changes are held for review "
                            "instead of overwriting later edits (python main.py sync held). Have its clock set right.",
                            "Warning: {count} records are dated in the future (up to {latest} UTC): the laptop "
                            "that made this package has a wrong date or clock. {held} of its changes are held for "
                            "review instead of overwriting later edits (python main.py sync held). Have its clock "
                            "set right.", report.future_dated),
                   count=report.future_dated, latest=report.latest, held=report.held))
    if args.dry_run:
        print(say(N_("Dry run: nothing was changed.")))
    return EXIT_OK


def _export_line(result, passphrase: str | None) -> str:  # ExportResult
    """'Wrote FILE (full, sealed and signed): N records, …', saying why the package holds what it holds."""
    since = ""
    office = result.manifest.get("role") == "office"
    if result.from_seq:  # say why an incremental package holds what it holds
        since = _(" the office does not hold yet (by this laptop's change counters, whatever the clock says; "
                  "records it may already have are recognised there)") if not office else _(
            " that not every laptop holds yet (by the change counters they sent; what a laptop has already is "
            "recognised there)")
    elif result.kind == "full":
        since = _(", all of them (the office has not answered yet, so nothing is left out)") if (
            result.manifest.get("role") == "laptop") else _(
            ", all of them (not every laptop has answered yet, so nothing is left out)")
    lock = _("locked with the passphrase, for another laptop") if passphrase else _("sealed and signed")
    kind = {"full": _("full"), "incremental": _("incremental")}.get(result.kind, result.kind)
    return fill(ngettext("Wrote {file} ({kind}, {lock}): {count} record{since}.",
                         "Wrote {file} ({kind}, {lock}): {count} records{since}.", result.total),
                file=result.path, kind=kind, lock=lock, count=result.total, since=since)
