"""office laptops | duplicates | merge | unmerge, and ``sync import FOLDER``: the office's
console on the command line (issue 18).  Every command takes ``--db URL`` (the hub); without
it, the data folder's own database."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from co_app.cli.common import EXIT_OK, EXIT_PROBLEM, data_paths, print_json
from co_app.core.foundation.printable import printable
from co_app.core.foundation.errors import sentence
from co_app.core.foundation.i18n import N_


def add_office_parser(commands, common, parser_class) -> None:  # argparse's subparsers action
    """The ``office`` command group; ``common`` adds --data-dir."""
    office = commands.add_parser("office", help="the office's console: laptops, possible duplicate people")
    cmds = office.add_subparsers(dest="office_command", metavar="ACTION", required=True, parser_class=parser_class)

    def options(parser: argparse.ArgumentParser) -> None:
        common(parser, top=False)
        parser.add_argument("--db", metavar="URL", help="the office's hub (a SQLite file or a PostgreSQL URL) "
                            "instead of the data folder's database")
        parser.add_argument("--json", action="store_true", help="print one JSON document")

    laptops = cmds.add_parser("laptops", help="every laptop that sent a package: its facilitators, its last "
                              "package and that package's dates, its sessions and people; silent ones marked")
    options(laptops)
    laptops.add_argument("--silent-after", metavar="DAYS", type=int, help="a laptop whose last package was "
                         "written more than DAYS ago is silent (default: the setting office_silent_days, 14)")
    duplicates = cmds.add_parser("duplicates", help="people registered on two laptops who may be one person")
    options(duplicates)
    merge = cmds.add_parser("merge", help="DUP_ID is the same person as KEEP_ID: merge them (a change that "
                            "reaches every laptop; undo with office unmerge)")
    options(merge)
    merge.add_argument("keep_id", metavar="KEEP_ID", help="the person to keep")
    merge.add_argument("dup_id", metavar="DUP_ID", help="the duplicate")
    unmerge = cmds.add_parser("unmerge", help="undo a merge: DUP_ID is a person of its own again")
    options(unmerge)
    unmerge.add_argument("dup_id", metavar="DUP_ID", help="the person merged before")
    common(office, top=False)


@contextmanager
def _target(args: argparse.Namespace) -> Iterator:
    """The hub named by --db, else the data folder's database (a ``sync.hub.Target``)."""
    from co_app.core.sync.hub import Target, open_target

    if args.db:
        target = open_target(args.db)
    else:
        from co_app.core.db.engine import open_database

        paths = data_paths(args)
        db = open_database(paths.database, backups_dir=paths.backups)
        target = Target(db.engine, db.device_id, str(paths.database))
    try:
        yield target
    finally:
        target.dispose()


def _silent_after(args: argparse.Namespace) -> int:
    if args.silent_after is not None:
        return max(0, args.silent_after)
    from co_app.core.foundation.settings import load_settings

    settings, _notice = load_settings(data_paths(args).settings)
    return settings.office_silent_days


def _day(value) -> str:
    return value.isoformat() if value is not None else "—"


def cmd_office_laptops(args: argparse.Namespace) -> int:
    from co_app.core.office.laptops import list_laptops

    days = _silent_after(args)
    with _target(args) as target:
        rows = list_laptops(target.engine, silent_after=days)
    if args.json:
        print_json({"database": target.label, "silent_after_days": days, "laptops": [r.as_dict() for r in rows]})
        return EXIT_OK
    if not rows:
        print(f"No laptop has sent {target.label} a package yet.")
        return EXIT_OK
    print(f"{len(rows)} laptop{'' if len(rows) == 1 else 's'} sent packages to {target.label}:")
    for row in rows:
        mark = "SILENT " if row.silent else ""
        written = f"{row.last_written:%Y-%m-%d}" if row.last_written else "—"
        received = row.last_received or row.last_written
        print(f"{mark}{printable(row.name)}  ({row.device_id})")
        print(f"  last package {row.last_package or '—'}, received {f'{received:%Y-%m-%d}' if received else '—'} "
              f"({row.silent_days} days ago); written {written} by the laptop's clock, "
              f"sessions {_day(row.first_date)} to {_day(row.last_date)}")
        if row.clock_wrong:
            print(f"  {clock_warning(row)}")
        print(f"  {row.sessions} sessions, {row.people} people; facilitators: "
              f"{printable(', '.join(row.facilitators)) or '—'}")
        if row.held:
            print(f"  {row.held} change{'' if row.held == 1 else 's'} held for review, dated in the future "
                  f"(python main.py sync held --accept all --from {row.device_id})")
    silent = sum(row.silent for row in rows)
    if silent:
        print(f"{silent} laptop{' has' if silent == 1 else 's have'} sent nothing for more than {days} days.")
    return EXIT_OK


def clock_warning(row) -> str:  # a Laptop whose clock seems wrong
    """One line for the terminal: how far off, and what to do."""
    days = abs(row.clock_offset_days)
    way = "ahead" if row.clock_offset_days > 0 else "behind"
    return (f"this laptop's clock seems wrong: it is about {days} day{'' if days == 1 else 's'} {way} (its latest "
            "package was written or dated far from when the office received it); set the laptop's date and time")


def cmd_office_duplicates(args: argparse.Namespace) -> int:
    from co_app.core.office.duplicates import find

    with _target(args) as target:
        groups = find(target.engine)
    if args.json:
        print_json({"database": target.label, "groups": [g.as_dict() for g in groups]})
        return EXIT_OK
    if not groups:
        print("No possible duplicates: nobody is registered on two laptops with the same case number or names.")
        return EXIT_OK
    print(f"{len(groups)} possible duplicate{'' if len(groups) == 1 else 's'} (the first of each is the one to "
          "keep: registered first):")
    why = {"case_number": "same case number", "names": "same names and birth year"}
    for group in groups:
        print(f"- {why[group.reason]}:")
        for person in group.people:
            print(f"    {person.id}  {printable(person.given_name)} {printable(person.family_name)}, "
                  f"{printable(person.case_number or '—')}, born {person.birth_year or '—'}, "
                  f"on {printable(person.laptop_name or '—')}, "
                  f"{person.attendances} attendance{'' if person.attendances == 1 else 's'}")
    print("Merge with: python main.py office merge KEEP_ID DUP_ID")
    return EXIT_OK


def cmd_office_merge(args: argparse.Namespace) -> int:
    from co_app.core.office.duplicates import merge

    with _target(args) as target:
        merge(target.database(), args.keep_id, args.dup_id)
    if args.json:
        print_json({"ok": True, "kept": args.keep_id, "merged": args.dup_id})
    else:
        print(f"Merged {args.dup_id} into {args.keep_id}: one person in every report; the laptops learn it "
              "from the office's next package. Undo with: python main.py office unmerge " + args.dup_id)
    return EXIT_OK


def cmd_office_unmerge(args: argparse.Namespace) -> int:
    from co_app.core.office.duplicates import unmerge

    with _target(args) as target:
        unmerge(target.database(), args.dup_id)
    if args.json:
        print_json({"ok": True, "unmerged": args.dup_id})
    else:
        print(f"{args.dup_id} is a person of its own again; the laptops learn it from the office's next package.")
    return EXIT_OK


def import_folder(args: argparse.Namespace, target, folder: Path, before=None) -> int:
    """``sync import FOLDER``: every package in the folder, one summary per laptop.  ``before``
    (a laptop's backup) runs first."""
    from co_app.core.foundation.errors import CoError
    from co_app.core.office.usb_import import find_packages
    from co_app.core.office.usb_import import import_folder as run

    if args.dry_run:
        raise CoError(sentence(N_("--dry-run reads one package, not a folder: name a package to see what it would "
                                  "change.")))
    if not find_packages(folder):
        print(f"No sync package (*.cosync) in {printable(folder)} or its subfolders.")
        return EXIT_PROBLEM
    if before is not None:
        before()
    report = run(target.engine, folder, enrol=args.enrol)
    if args.json:
        print_json({**report.as_dict(), "database": target.label})
        return EXIT_PROBLEM if report.refusals or report.cancelled else EXIT_OK
    packages = report.total("packages")
    print(f"Imported {packages} package{'' if packages == 1 else 's'} from {printable(folder)} into "
          f"{printable(target.label)}: "
          f"{report.total('inserted')} new, {report.total('updated')} updated, {report.total('unchanged')} "
          f"unchanged, {report.total('conflicts')} conflicts, {report.refusals} refused.")
    for laptop in report.laptops:
        print(f"  {printable(laptop.name)}: {laptop.packages} package{'' if laptop.packages == 1 else 's'}, "
              f"{laptop.inserted} new, "
              f"{laptop.updated} updated, {laptop.unchanged} unchanged, {laptop.conflicts} conflicts"
              + (f", {laptop.held} held for review" if laptop.held else "")
              + (f", {len(laptop.refused)} refused" if laptop.refused else ""))
        for refusal in laptop.refused:
            print(f"    refused {printable(refusal.file)}: {printable(refusal.reason)}")
    for refusal in report.refused:
        print(f"  refused {printable(refusal.file)}: {printable(refusal.reason)}")
    return EXIT_PROBLEM if report.refusals else EXIT_OK
