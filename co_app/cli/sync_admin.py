"""sync status | name | office-key | enrol | held | conflicts: who this database is, the
keys, enrolment, and the office's review of what an import could not decide alone."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from co_app.cli.common import EXIT_OK, data_paths, print_json, say, terminal_value
from co_app.core.foundation.errors import CoError, sentence
from co_app.core.foundation.printable import printable
from co_app.core.foundation.i18n import N_, _

#: A database's role (its --json keeps the English word), as a person reads it.
ROLES = {"laptop": N_("laptop"), "office": N_("office")}


@contextmanager
def _database(args: argparse.Namespace, *, create: bool = False) -> Iterator[Any]:
    """The hub named by --db (made only with ``create``), else the data folder's database."""
    if getattr(args, "db", None):
        from co_app.core.sync.hub import open_target

        target = open_target(args.db, create=create)
        try:
            yield target.database()
        finally:
            target.dispose()
        return
    from co_app.core.db.engine import open_database

    paths = data_paths(args)
    db = open_database(paths.database, backups_dir=paths.backups)
    try:
        yield db
    finally:
        db.dispose()


def cmd_sync_status(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from co_app.core.db import identity
    from co_app.core.db.models import SyncPeer
    from co_app.core.sync.keys import enrolled_office, own_keys

    with _database(args) as db, db.engine.begin() as conn:
        keys = own_keys(conn).public
        office = enrolled_office(conn)
        peers = [{"device_id": p.device_id, "name": p.name, "role": p.role, "enrolled": p.sign_key is not None,
                  "last_package": p.last_package,
                  "last_package_at": p.last_package_at.isoformat() if p.last_package_at else None}
                 for p in conn.execute(select(SyncPeer).order_by(SyncPeer.name)).all()]
        doc = {"device_id": db.device_id, "name": identity.device_name(conn), "role": identity.role(conn),
               "fingerprint": keys.fingerprint, "predecessors": identity.predecessors(conn),
               "office": office.as_json() if office else None, "peers": peers}
    if args.json:
        print_json(doc)
        return EXIT_OK
    print(say(N_("{name} — {role}, device {device}"), name=doc["name"] or _("(no name yet: sync name NAME)"),
              role=_(ROLES.get(doc["role"], doc["role"])), device=doc["device_id"]))
    print(say(N_("Key fingerprint: {fingerprint}"), fingerprint=doc["fingerprint"]))
    if doc["role"] == "laptop":
        print(say(N_("Office: {name} ({fingerprint})"), name=office.name, fingerprint=office.fingerprint) if office
              else say(N_("Office: not enrolled yet (sync enrol FILE, with the office's key file).")))
    for peer in peers:
        who, at = peer["name"] or peer["device_id"], peer["last_package_at"]
        when = terminal_value(datetime.fromisoformat(at)) if at else "—"
        role = _(ROLES.get(peer["role"], peer["role"]))
        print(f"  {role:<7} {printable(who):<30} "
              + say(N_("last package {when}"), when=when)
              + ("" if peer["enrolled"] or doc["role"] == "laptop" else "  " + _("(not enrolled)")))
    return EXIT_OK


def cmd_sync_name(args: argparse.Namespace) -> int:
    from co_app.core.db import identity

    with _database(args, create=True) as db, db.engine.begin() as conn:
        try:
            identity.set_name(conn, args.name)
        except ValueError as exc:
            raise CoError(sentence(N_("'{name}' cannot be this laptop's name: {problem}."),
                                   name=args.name, problem=exc)) from None
        name = identity.device_name(conn)
        identity_role = identity.role(conn)
    if args.json:
        print_json({"ok": True, "name": name})
    else:
        print(say(N_("This database is now called \"{name}\"; the laptops see that name from its next package on.")
                  if identity_role == "office" else
                  N_("This database is now called \"{name}\"; the office sees that name from its next package on."),
                  name=name))
    return EXIT_OK


def cmd_sync_office_key(args: argparse.Namespace) -> int:
    from co_app.core.sync.keys import write_office_key

    with _database(args, create=True) as db, db.engine.begin() as conn:
        public = write_office_key(conn, Path(args.out).expanduser())
    if args.json:
        print_json(public.as_json())
    else:
        print(say(N_("Wrote {file}: the public key of \"{name}\", fingerprint {fingerprint}. Copy it to each laptop "
                     "and enrol it there (sync enrol FILE)."), file=args.out, name=public.name,
                  fingerprint=public.fingerprint))
    return EXIT_OK


def cmd_sync_enrol(args: argparse.Namespace) -> int:
    from co_app.core.sync.keys import enrol_with_office

    with _database(args) as db, db.engine.begin() as conn:
        office = enrol_with_office(conn, Path(args.key_file).expanduser(), replace=args.replace)
    if args.json:
        print_json({"ok": True, "office": office.as_json()})
    else:
        print(say(N_("Enrolled with \"{name}\" (fingerprint {fingerprint}): this laptop's packages are now sealed "
                     "for that office, and it accepts that office's packages only."), name=office.name,
                  fingerprint=office.fingerprint))
    return EXIT_OK


def _held_devices(session: Any, given: str | None) -> set[str] | None:
    """``--from``: the laptop's device ids (its name as office laptops shows it, or an id, with
    the ids it used before); None for every laptop."""
    if given is None:
        return None
    from co_app.core.office import laptops

    conn = session.connection()
    known = laptops.names(conn)
    device = given if given in known else next(
        (device for device, name in known.items() if name.casefold() == given.strip().casefold()), given)
    return {old for old, owner in laptops.device_owners(conn).items() if owner == device} | {device}


def cmd_sync_held(args: argparse.Namespace) -> int:
    from co_app.core.sync import review

    with _database(args) as db, db.session() as session:
        accepted = 0
        if "all" in args.accept:
            accepted = review.accept_all(session, _held_devices(session, args.from_laptop))
        for held_id in (i for i in args.accept if i != "all"):
            review.accept_held(session, held_id)
            accepted += 1
        for held_id in args.reject:
            review.reject_held(session, held_id)
        held = review.list_held(session)
    if args.json:
        print_json({"held": [{"id": h.id, "table": h.table_name, "record_id": h.record_id, "field": h.field,
                              "value": h.value, "dated": h.dated.isoformat(), "device_id": h.device_id,
                              "package": h.package} for h in held]})
        return EXIT_OK
    if args.accept or args.reject:
        print(say(N_("Decided: {accepted} accepted, {rejected} rejected; they reach the laptops with the office's "
                     "next package."), accepted=accepted, rejected=len(args.reject)))
    if not held:
        print(say(N_("No change is held for review.")))
    for h in held:
        what = _("a new record") if h.field == "*" else f"{printable(h.field)} = {printable(repr(h.value))}"
        print(f"  {h.id:>5}  {h.table_name}/{h.record_id[:8]}  {what}  "
              + say(N_("dated {dated} UTC (package {package})"), dated=h.dated, package=h.package))
    return EXIT_OK


def cmd_sync_conflicts(args: argparse.Namespace) -> int:
    from co_app.core.sync import review
    from co_app.core.sync.conflicts import device_names, list_conflicts

    with _database(args) as db, db.session() as session:
        for conflict_id in args.keep_lost:
            review.keep_lost_value(session, conflict_id)
            if not args.json:
                print(say(N_("Conflict {id}: the lost value is kept; it reaches every laptop with the office's next "
                             "package."), id=str(conflict_id)))
        for conflict_id in args.reviewed:
            review.keep_current_value(session, conflict_id)
            if not args.json:
                print(say(N_("Conflict {id}: the kept value stays; marked as reviewed."), id=str(conflict_id)))
        lines = list_conflicts(session, include_reviewed=False)
        names = device_names(session)
    if args.json:
        print_json({"conflicts": [{"id": c.id, "table": c.table_name, "record_id": c.record_id, "field": c.field,
                                   "kept": c.winner_value, "kept_by": names.get(c.winner_device_id, c.winner_device_id),
                                   "lost": c.lost_value, "lost_by": names.get(c.loser_device_id, c.loser_device_id)}
                                  for c in lines]})
        return EXIT_OK
    if not lines:
        print(say(N_("No conflict waits for review.")))
    for c in lines:
        print(f"  {c.id:>5}  {c.table_name}/{c.record_id[:8]}  "
              + say(N_("{field}: kept {kept} ({kept_by}), lost {lost} ({lost_by})"),
                    field=c.field or _("several fields"), kept=repr(c.winner_value),
                    kept_by=names.get(c.winner_device_id, c.winner_device_id[:8]), lost=repr(c.lost_value),
                    lost_by=names.get(c.loser_device_id, c.loser_device_id[:8])))
    return EXIT_OK
