"""office laptops | duplicates | merge | unmerge, and ``sync import FOLDER``: the office's
console on the command line (issue 18).  Every command takes ``--db URL`` (the hub); without
it, the data folder's own database."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from co_app.cli.common import EXIT_OK, EXIT_PROBLEM, data_paths, fill, print_json, say, terminal_value
from co_app.core.foundation.printable import printable
from co_app.core.foundation.errors import sentence
from co_app.core.foundation.i18n import N_, _, ngettext


def add_office_parser(commands, common, parser_class) -> None:  # argparse's subparsers action
    """The ``office`` command group; ``common`` adds --data-dir."""
    office = commands.add_parser("office", help=_("the office's console: laptops, possible duplicate people"))
    cmds = office.add_subparsers(dest="office_command", metavar="ACTION", required=True, parser_class=parser_class)

    def options(parser: argparse.ArgumentParser) -> None:
        common(parser, top=False)
        parser.add_argument("--db", metavar="URL", help=_("the office's hub (a SQLite file or a PostgreSQL URL) "
                            "instead of the data folder's database"))
        parser.add_argument("--json", action="store_true", help=_("print one JSON document"))

    laptops = cmds.add_parser("laptops", help=_("every laptop that sent a package: its facilitators, its last "
                              "package and that package's dates, its sessions and people; silent ones marked"))
    options(laptops)
    laptops.add_argument("--silent-after", metavar="DAYS", type=int, help=_("a laptop whose last package was "
                         "written more than DAYS ago is silent (default: the setting office_silent_days, 14)"))
    duplicates = cmds.add_parser("duplicates", help=_("people registered on two laptops who may be one person"))
    options(duplicates)
    merge = cmds.add_parser("merge", help=_("DUP_ID is the same person as KEEP_ID: merge them (a change that "
                            "reaches every laptop; undo with office unmerge)"))
    options(merge)
    merge.add_argument("keep_id", metavar="KEEP_ID", help=_("the person to keep"))
    merge.add_argument("dup_id", metavar="DUP_ID", help=_("the duplicate"))
    unmerge = cmds.add_parser("unmerge", help=_("undo a merge: DUP_ID is a person of its own again"))
    options(unmerge)
    unmerge.add_argument("dup_id", metavar="DUP_ID", help=_("the person merged before"))
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
    return terminal_value(value) if value is not None else "—"


def cmd_office_laptops(args: argparse.Namespace) -> int:
    from co_app.core.office.laptops import list_laptops

    days = _silent_after(args)
    with _target(args) as target:
        rows = list_laptops(target.engine, silent_after=days)
    if args.json:
        print_json({"database": target.label, "silent_after_days": days, "laptops": [r.as_dict() for r in rows]})
        return EXIT_OK
    if not rows:
        print(say(N_("No laptop has sent {database} a package yet."), database=target.label))
        return EXIT_OK
    print(fill(ngettext("{count} laptop sent packages to {database}:", "{count} laptops sent packages to {database}:",
                        len(rows)), count=len(rows), database=target.label))
    for row in rows:
        _print_laptop(row)
    silent = sum(row.silent for row in rows)
    if silent:
        print(fill(ngettext("{count} laptop has sent nothing for more than {days} days.",
                            "{count} laptops have sent nothing for more than {days} days.", silent),
                   count=silent, days=days))
    return EXIT_OK


def _print_laptop(row) -> None:  # a Laptop of office.laptops
    mark = _("SILENT") + " " if row.silent else ""
    received = row.last_received or row.last_written
    print(f"{mark}{printable(row.name)}  ({row.device_id})")
    print("  " + fill(ngettext("last package {package}, received {received} ({count} day ago); written {written} by "
                               "the laptop's clock, sessions {first} to {last}",
                               "last package {package}, received {received} ({count} days ago); written {written} by "
                               "the laptop's clock, sessions {first} to {last}", row.silent_days),
                      package=row.last_package or "—", received=_day(received and received.date()),
                      count=row.silent_days, written=_day(row.last_written and row.last_written.date()),
                      first=_day(row.first_date), last=_day(row.last_date)))
    if row.clock_wrong:
        print(f"  {clock_warning(row)}")
    print("  " + say(N_("{sessions} sessions, {people} people; facilitators: {names}"), sessions=row.sessions,
                     people=row.people, names=", ".join(row.facilitators) or "—"))
    if row.held:
        print("  " + fill(ngettext("{count} change held for review, dated in the future (python main.py sync held "
                                   "--accept all --from {device})",
                                   "{count} changes held for review, dated in the future (python main.py sync held "
                                   "--accept all --from {device})", row.held), count=row.held, device=row.device_id))


def clock_warning(row) -> str:  # a Laptop whose clock seems wrong
    """One line for the terminal: how far off, and what to do."""
    days = abs(row.clock_offset_days)
    if row.clock_offset_days > 0:
        text = ngettext("this laptop's clock seems wrong: it is about {count} day ahead (its latest package was "
                        "written or dated far from when the office received it); set the laptop's date and time",
                        "this laptop's clock seems wrong: it is about {count} days ahead (its latest package was "
                        "written or dated far from when the office received it); set the laptop's date and time", days)
    else:
        text = ngettext("this laptop's clock seems wrong: it is about {count} day behind (its latest package was "
                        "written or dated far from when the office received it); set the laptop's date and time",
                        "this laptop's clock seems wrong: it is about {count} days behind (its latest package was "
                        "written or dated far from when the office received it); set the laptop's date and time",
                        days)
    return fill(text, count=days)


def cmd_office_duplicates(args: argparse.Namespace) -> int:
    from co_app.core.office.duplicates import find

    with _target(args) as target:
        groups = find(target.engine)
    if args.json:
        print_json({"database": target.label, "groups": [g.as_dict() for g in groups]})
        return EXIT_OK
    if not groups:
        print(say(N_("No possible duplicates: nobody is registered on two laptops with the same case number or "
                     "names.")))
        return EXIT_OK
    print(fill(ngettext("{count} possible duplicate (the first of each is the one to keep: registered first):",
                        "{count} possible duplicates (the first of each is the one to keep: registered first):",
                        len(groups)), count=len(groups)))
    why = {"case_number": N_("same case number"), "names": N_("same names and birth year")}
    for group in groups:
        print("- " + _(why[group.reason]) + ":")
        for person in group.people:
            print(f"    {person.id}  " + fill(ngettext(
                "{given} {family}, {case}, born {born}, on {laptop}, {count} attendance",
                "{given} {family}, {case}, born {born}, on {laptop}, {count} attendances", person.attendances),
                given=person.given_name, family=person.family_name, case=person.case_number or "—",
                born=str(person.birth_year or "—"), laptop=person.laptop_name or "—", count=person.attendances))
    print(say(N_("Merge with: {command}"), command=f"python main.py office merge KEEP_ID DUP_ID{_db_option(args)}"))
    return EXIT_OK


def cmd_office_merge(args: argparse.Namespace) -> int:
    from co_app.core.office.duplicates import merge

    with _target(args) as target:
        merge(target.database(), args.keep_id, args.dup_id)
    if args.json:
        print_json({"ok": True, "kept": args.keep_id, "merged": args.dup_id})
    else:
        print(say(N_("Merged {dup} into {keep}: one person in every report; the laptops learn it from the office's "
                     "next package. Undo with: {command}"), dup=args.dup_id, keep=args.keep_id,
                  command=f"python main.py office unmerge {shlex.quote(args.dup_id)}{_db_option(args)}"))
    return EXIT_OK


def _db_option(args: argparse.Namespace) -> str:
    """`` --db URL`` as the command was given it (its password shown as ***), for a command
    to run next on the same database; "" without --db."""
    if not args.db:
        return ""
    shown = args.db
    if "://" in shown:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            shown = make_url(shown).render_as_string(hide_password=True)
        except ArgumentError:
            shown = "URL"
    return f" --db {shlex.quote(shown)}"


def cmd_office_unmerge(args: argparse.Namespace) -> int:
    from co_app.core.office.duplicates import unmerge

    with _target(args) as target:
        unmerge(target.database(), args.dup_id)
    if args.json:
        print_json({"ok": True, "unmerged": args.dup_id})
    else:
        print(say(N_("{dup} is a person of its own again; the laptops learn it from the office's next package."),
                  dup=args.dup_id))
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
        print(say(N_("No sync package (*.cosync) in {folder} or its subfolders."), folder=folder))
        return EXIT_PROBLEM
    if before is not None:
        before()
    report = run(target.engine, folder, enrol=args.enrol)
    if args.json:
        print_json({**report.as_dict(), "database": target.label})
        return EXIT_PROBLEM if report.refusals or report.cancelled else EXIT_OK
    packages = report.total("packages")
    print(fill(ngettext("Imported {count} package from {folder} into {database}: {inserted} new, {updated} updated, "
                        "{unchanged} unchanged, {conflicts} conflicts, {refused} refused.",
                        "Imported {count} packages from {folder} into {database}: {inserted} new, {updated} updated, "
                        "{unchanged} unchanged, {conflicts} conflicts, {refused} refused.", packages),
               count=packages, folder=folder, database=target.label, inserted=report.total("inserted"),
               updated=report.total("updated"), unchanged=report.total("unchanged"),
               conflicts=report.total("conflicts"), refused=report.refusals))
    for laptop in report.laptops:
        print(f"  {printable(laptop.name)}: " + fill(ngettext(
            "{count} package, {inserted} new, {updated} updated, {unchanged} unchanged, {conflicts} conflicts",
            "{count} packages, {inserted} new, {updated} updated, {unchanged} unchanged, {conflicts} conflicts",
            laptop.packages), count=laptop.packages, inserted=laptop.inserted, updated=laptop.updated,
            unchanged=laptop.unchanged, conflicts=laptop.conflicts)
              + (say(N_(", {count} held for review"), count=laptop.held) if laptop.held else "")
              + (say(N_(", {count} refused"), count=len(laptop.refused)) if laptop.refused else ""))
        for refusal in laptop.refused:
            print("    " + say(N_("refused {file}: {reason}"), file=refusal.file, reason=refusal.reason))
    for refusal in report.refused:
        print("  " + say(N_("refused {file}: {reason}"), file=refusal.file, reason=refusal.reason))
    return EXIT_PROBLEM if report.refusals else EXIT_OK
