"""demo media | seed: labelled placeholder clips, and made-up sessions, households and attendance."""

from __future__ import annotations

import argparse
import sys


from co_app.cli.common import EXIT_OK, data_paths, fill, say
from co_app.core.foundation.i18n import N_, ngettext


def cmd_demo_seed(args: argparse.Namespace) -> int:
    from co_app.core.content.library import load_content
    from co_app.core.db.engine import open_database
    from co_app.core.attendance.demo_seed import is_seeded, seed_demo
    from co_app.core.media.manifest import load_manifest
    from co_app.core.sessions.agenda import opening_moments

    paths, manifest = data_paths(args), load_manifest()
    db = open_database(paths.database, backups_dir=paths.backups)
    content = load_content(manifest=manifest)
    towns = [(t.id, t.film) for t in content.towns() if t.kind == "town"]
    modules = [(m.id, m.minutes) for m in content.modules()]
    try:
        with db.session() as session:
            if args.if_needed and not args.force and is_seeded(session):
                print(say(N_("Demo data is already in {file}."), file=paths.database))
                return EXIT_OK
            report = seed_demo(session, towns=towns, modules=modules, sessions=args.sessions, force=args.force,
                               openings=opening_moments(content), laptop=args.laptop)
    finally:
        db.dispose()
    print(say(N_("Demo data added to {file}: {sessions} sessions, {households} households, {participants} "
              "participants, {attendance} attendance records (all made up)."), file=paths.database,
              sessions=report.sessions, households=report.households, participants=report.participants,
              attendance=report.attendance))
    return EXIT_OK


def cmd_demo_media(args: argparse.Namespace) -> int:
    from co_app.core.media.demo import build_demo_pack

    paths = data_paths(args)

    def progress(done: int, total: int, film_id: str) -> None:
        print(f"[{done}/{total}] {film_id}", file=sys.stderr)

    built = build_demo_pack(paths.media, force=args.force, progress=progress)
    print(fill(ngettext("Demo media pack ready in {folder} ({count} clip).",
                        "Demo media pack ready in {folder} ({count} clips).", len(built)),
               count=len(built), folder=paths.media))
    return EXIT_OK
