"""media list | verify | import, and demo media: the film library from the command line."""

from __future__ import annotations

import argparse
import sys


from co_app.cli.common import EXIT_OK, EXIT_PROBLEM, media_setup, print_json, with_progress
from co_app.core.foundation.printable import printable
from co_app.core.foundation.errors import sentence, terminal_text
from co_app.core.foundation.i18n import N_


#: The isolation marks (U+2066-U+2069) the core's sentences put around their values for a
#: window's right-to-left text; a terminal shows them as nothing useful, and ``printable``
#: as '\\u2068…\\u2069' around every path of an Arabic refusal (a fresh-eyes attack).
_ISOLATES = dict.fromkeys(range(0x2066, 0x206A))


def _shown(message: object) -> str:
    """A message (or a name) for the terminal: its isolation marks left out, the rest printable."""
    return printable(str(message).translate(_ISOLATES))


def _subtitle_lines(subtitles) -> list[str]:  # SubtitleResult items
    lines = []
    for sub in subtitles:
        if sub.error:
            lines.append(f"    subtitles {sub.language}: {_shown(sub.error)}")
        lines.extend(f"    subtitles {sub.language}, line {line}: {_shown(message)}"
                     for line, message in sub.problems)
    return lines


def cmd_media_list(args: argparse.Namespace) -> int:
    from co_app.core.db.plain import connect
    from co_app.core.media.library import load_records, scan_library

    paths, manifest = media_setup(args)
    with connect(paths.database) as conn:
        records = load_records(conn)
    entries = scan_library(paths.media, manifest, records)
    from co_app.core.media.importer import unfinished_import

    cut = unfinished_import(paths.media)  # a cut import's partial copies, to resume or discard
    if args.json:
        print_json({"media_dir": str(paths.media), "films": [
            {"id": e.film.id, "title": e.film.title, "town": e.film.town, "country": e.film.country,
             "status": e.status.value, "file": str(e.video) if e.video else None, "demo": e.is_demo,
             "subtitles": sorted(e.subtitles), "problem": e.problem, "hint": e.hint}
            for e in entries], "unfinished_import": None if cut is None else {
                "films": list(cut.film_ids), "bytes": cut.bytes, "source": str(cut.source) if cut.source else None}})
        return EXIT_OK
    for e in entries:
        subs = ",".join(sorted(e.subtitles)) or "-"
        demo = " (demo clip)" if e.is_demo else ""
        problem = f" — {_shown(e.problem)}" if e.problem else ""  # one line per film, for grep and scripts
        print(f"{e.film.id:<24} {e.status.value:<10} subtitles: {subs}{demo}{problem}")
    if cut is not None:  # on stderr: stdout keeps one line per film
        source = str(cut.source) if cut.source else "SRC_DIR"
        print(terminal_text(sentence(N_("A media import stopped before it finished: {films} partly copied "
                                        "({size:.1f} MB); run 'media import {source}' to resume it, or discard the "
                                        "copies on the Films page."),
                                     films=", ".join(cut.film_ids), size=cut.bytes / 1e6, source=source)),
              file=sys.stderr)
    return EXIT_OK



def cmd_media_verify(args: argparse.Namespace) -> int:
    from co_app.core.media.verify import verify_library

    report = with_progress(args, N_("verifying"), lambda paths, manifest, conn, progress: verify_library(
        paths.media, manifest, conn, progress=progress))
    if args.json:
        print_json(report.as_dict())
    else:
        for film in report.films:
            subs = ", ".join(f"{s.language} ({s.cues} cue{'s' * (s.cues != 1)})"
                             for s in film.subtitles if not s.error) or "-"
            problem = f" — {_shown(film.problem)}" if film.problem else ""
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
    report = with_progress(args, N_("importing"), lambda paths, manifest, conn, progress: import_pack(
        source, paths.media, manifest, conn, progress=progress))
    if args.json:
        print_json(report.as_dict())
    else:
        for film in report.films:
            print(f"{film.film_id:<24} {_shown(film.action)}" + ("" if film.rejected else f" ({film.status.value})"))
            for sub in film.subtitles:
                found = f" (found in {sub.encoding}, {sub.cues} cue{'s' * (sub.cues != 1)})" if sub.encoding else ""
                print(f"    subtitles {sub.language}: {_shown(sub.action)}{found}")
        if report.ignored:
            print("Ignored (no film of that name): " + ", ".join(_shown(name) for name in report.ignored))
        rejected = sum(f.rejected for f in report.films)
        if not report.films:
            print(terminal_text(sentence(N_("No film of the manifest was found in {source}: films are named like "
                                            "'germany-jena.mp4' (see media_manifest/films.toml)."),
                                         source=report.source)), file=sys.stderr)
        else:
            print(f"Imported {len(report.films) - rejected} of {len(report.films)} films from "
                  f"{_shown(report.source)}" + (f"; {rejected} rejected." if rejected else "."))
    # A pack with no film of the manifest is a problem (a wrong folder, a wrong stick).
    return EXIT_OK if report.ok and report.films else EXIT_PROBLEM
