"""content pack | import | rollback | status: the office's signed content packs, and the
content a laptop uses (co_app/core/content/pack.py and store.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from co_app.cli.common import EXIT_OK, data_paths, fill, print_json, say
from co_app.core.foundation.errors import CoError, sentence, terminal_text
from co_app.core.foundation.i18n import N_, _, ngettext


def _office_signing(args: argparse.Namespace):  # (Ed25519PrivateKey, PublicKeys)
    """The office's signing key: from the hub named by --db, else the data folder's database
    (which must be the office's)."""
    from co_app.core.db import identity
    from co_app.core.sync.keys import own_keys

    if getattr(args, "db", None):
        from co_app.core.sync.hub import open_target

        target = open_target(args.db)
        engine = target.engine
    else:
        from co_app.core.db.engine import open_database

        paths = data_paths(args)
        target = open_database(paths.database, backups_dir=paths.backups)
        engine = target.engine
    try:
        with engine.begin() as conn:
            if identity.role(conn) != "office":
                raise CoError(sentence(N_("Only the office signs content packs: name the office's hub with --db.")))
            keys = own_keys(conn)
    finally:
        target.dispose()
    return keys.sign, keys.public


def _laptop_office(args: argparse.Namespace):  # PublicKeys
    from co_app.core.db.engine import open_database
    from co_app.core.sync.keys import enrolled_office

    paths = data_paths(args)
    db = open_database(paths.database, backups_dir=paths.backups)
    try:
        with db.engine.begin() as conn:
            office = enrolled_office(conn)
    finally:
        db.dispose()
    if office is None:
        raise CoError(sentence(N_("This laptop is not enrolled with an office yet, so it cannot check who signed a "
                                  "content pack: enrol it first (sync enrol FILE, with the office's key file).")))
    return office


def _day(text: str):  # date | str
    """A content version's date ('2026-05-31') as a date, so the line writes it as the language does."""
    from datetime import date

    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return text


def _change_line(line: str) -> str:
    """A pack's change ("town jena changed: ar") in the reader's language, made printable."""
    from co_app.core.content.pack import change_notice

    return terminal_text(change_notice(line))


def _content_doc(content) -> dict[str, Any]:  # ActiveContent
    return {"version": content.version, "date": content.date, "from_pack": content.from_pack,
            "folder": str(content.root), "note": content.note, "changes": list(content.changes),
            "rollback_to": content.previous}


def cmd_content_pack(args: argparse.Namespace) -> int:
    from co_app.core.content.pack import content_files, folder_version, make_pack, tree_hashes
    from co_app.core.content.store import shipped

    folder = Path(args.from_folder).expanduser() if args.from_folder else shipped().root
    sign, public = _office_signing(args)
    version = args.version if args.version is not None else folder_version(folder).version + 1
    base = shipped()
    info = make_pack(folder, Path(args.out).expanduser(), sign, signer_name=public.name,
                     signer_fingerprint=public.fingerprint, version=version, note=args.note or "",
                     baseline=tree_hashes(content_files(base.root, base.films)), films=base.films)
    if args.json:
        print_json({"ok": True, "out": str(args.out), "version": info.version, "date": info.date,
                    "files": len(info.files), "changes": list(info.changes), "signer": info.signer_fingerprint})
        return EXIT_OK
    print(fill(ngettext("Wrote {file}: content version {version} of {date}, {count} file, signed by \"{signer}\" "
                        "({fingerprint}).", "Wrote {file}: content version {version} of {date}, {count} files, "
                        "signed by \"{signer}\" ({fingerprint}).", len(info.files)), file=args.out,
               version=info.version, date=_day(info.date), count=len(info.files), signer=info.signer_name,
               fingerprint=info.signer_fingerprint))
    for line in info.changes or (_("the same as the content shipped with the program"),):
        print(f"  {_change_line(line)}")
    return EXIT_OK


def cmd_content_import(args: argparse.Namespace) -> int:
    from co_app.core.content.store import ContentStore

    office = _laptop_office(args)
    store = ContentStore(data_paths(args).root)
    result = store.install(Path(args.pack).expanduser(), office.sign, office.name)
    _audit(args, "content_import", f"version {result.after.version} of {result.after.date}")
    return _report(args, result, say(N_("Now using content version {version} of {date} (was {before}); "
                                        "'content rollback' goes back to version {before}."),
                                     version=result.after.version, date=_day(result.after.date),
                                     before=result.before.version))


def cmd_content_rollback(args: argparse.Namespace) -> int:
    from co_app.core.content.store import ContentStore

    result = ContentStore(data_paths(args).root).rollback()
    _audit(args, "content_rollback", f"version {result.after.version} of {result.after.date}")
    return _report(args, result, say(N_("Back to content version {version} of {date} (was {before})."),
                                     version=result.after.version, date=_day(result.after.date),
                                     before=result.before.version))


def _report(args: argparse.Namespace, result, sentence: str) -> int:
    if args.json:
        print_json({"ok": True, "before": _content_doc(result.before), "after": _content_doc(result.after),
                    "changes": list(result.changes)})
        return EXIT_OK
    print(sentence)
    for line in result.changes:
        print(f"  {_change_line(line)}")
    return EXIT_OK


def _audit(args: argparse.Namespace, action: str, detail: str) -> None:
    """The switch is in the laptop's audit log (who changed what the sessions show)."""
    from co_app.core.db.plain import connect
    from co_app.core.safety import audit

    try:
        with connect(data_paths(args).database) as conn:
            audit.record_plain(conn, action, detail=detail)
    except CoError:
        pass  # the content switched; the log line is not worth failing for


def cmd_content_status(args: argparse.Namespace) -> int:
    from co_app.core.content.store import ContentStore

    content = ContentStore(data_paths(args).root).active()
    if args.json:
        print_json(_content_doc(content))
        return EXIT_OK
    source = N_("from a content pack") if content.from_pack else N_("shipped with the program")
    print(say(N_("Content version {version} of {date}, {source} ({folder})."), version=content.version,
              date=_day(content.date), source=_(source), folder=content.root))
    if content.previous is not None:
        print(say(N_("'content rollback' goes back to version {version}."), version=content.previous))
    return EXIT_OK
