"""media list | verify | import, and demo media: the film library from the command line."""

from __future__ import annotations

import argparse
import sys


from co_app.cli.common import EXIT_OK, EXIT_PROBLEM, fill, media_setup, print_json, with_progress
from co_app.core.foundation.printable import printable
from co_app.core.foundation.errors import sentence, terminal_text
from co_app.core.foundation.i18n import N_, _, ngettext, pgettext


#: The isolation marks (U+2066-U+2069) the core's sentences put around their values for a
#: window's right-to-left text; a terminal shows them as nothing useful, and ``printable``
#: as '\\u2068…\\u2069' around every path of an Arabic refusal (a fresh-eyes attack).
_ISOLATES = dict.fromkeys(range(0x2066, 0x206A))


def _shown(message: object) -> str:
    """A message (or a name) for the terminal: its isolation marks left out, the rest printable."""
    return printable(str(message).translate(_ISOLATES))


#: The importer's action words (English constants its --json keeps for scripts), as a person reads them.
_ACTIONS = {
    "installed": N_("installed"),
    "resumed and installed": N_("resumed and installed"),
    "already verified, skipped": N_("already verified, skipped"),
    "no film file in the pack (subtitles only)": N_("no film file in the pack (subtitles only)"),
    "unchanged": N_("unchanged"),
}


def _status_word(status: str) -> str:
    """A film's status (``FilmStatus`` value) in the interface language, for the human lines."""
    words = {"present": pgettext("media status", "present"), "missing": pgettext("media status", "missing"),
             "corrupt": pgettext("media status", "corrupt"), "unverified": pgettext("media status", "unverified")}
    return words.get(status, status)


def _action_words(action: str | None, why: str | None = None) -> str:
    """The importer's ``action`` (its English constant, or 'rejected: …' / 'skipped: …') in the
    interface language; ``why``: the refusal as the core said it (translated), when there is one."""
    action = action or ""
    for prefix, template in (("rejected: ", N_("rejected: {reason}")), ("skipped: ", N_("skipped: {reason}"))):
        if action.startswith(prefix):
            reason = action[len(prefix):]
            return _(template).format(reason=_shown(why or (_(reason) if reason else reason)))
    return _(_ACTIONS[action]) if action in _ACTIONS else _shown(action)


def _subtitle_lines(subtitles) -> list[str]:  # SubtitleResult items
    lines = []
    for sub in subtitles:
        if sub.error:
            lines.append("    " + _("subtitles {language}: {problem}").format(
                language=sub.language, problem=_shown(sub.error)))
        lines.extend("    " + _("subtitles {language}, line {line}: {problem}").format(
            language=sub.language, line=line, problem=_shown(message)) for line, message in sub.problems)
    return lines


def cmd_media_list(args: argparse.Namespace) -> int:
    from co_app.core.db.plain import connect
    from co_app.core.media.library import load_records, scan_library
    from co_app.core.media.problems import problem_code

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
             "subtitles": sorted(e.subtitles), "problem": e.problem, "problem_code": problem_code(e.problem),
             "hint": e.hint}
            for e in entries], "unfinished_import": None if cut is None else {
                "films": list(cut.film_ids), "bytes": cut.bytes, "source": str(cut.source) if cut.source else None}})
        return EXIT_OK
    for e in entries:
        subs = ",".join(sorted(e.subtitles)) or "-"
        demo = " " + _("(demo clip)") if e.is_demo else ""
        problem = f" — {_shown(e.problem)}" if e.problem else ""  # one line per film, for grep and scripts
        print(f"{e.film.id:<24} {_status_word(e.status.value):<10} "
              + _("subtitles: {languages}").format(languages=subs) + demo + problem)
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
            subs = ", ".join(fill(ngettext("{language} ({count} cue)", "{language} ({count} cues)", s.cues),
                                  language=s.language, count=s.cues) for s in film.subtitles if not s.error) or "-"
            problem = f" — {_shown(film.problem)}" if film.problem else ""
            print(f"{film.film_id:<24} {_status_word(film.status.value):<10} "
                  + _("subtitles: {languages}").format(languages=subs) + problem)
            for line in _subtitle_lines(film.subtitles):
                print(line)
        counts = {s: sum(f.status.value == s for f in report.films) for s in ("present", "missing", "corrupt")}
        print(fill(ngettext("{count} film: {present} present, {missing} missing, {corrupt} corrupt.",
                            "{count} films: {present} present, {missing} missing, {corrupt} corrupt.",
                            len(report.films)), count=len(report.films), **counts))
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
            print(f"{film.film_id:<24} {_action_words(film.action, film.problem)}"
                  + ("" if film.rejected else f" ({_status_word(film.status.value)})"))
            for sub in film.subtitles:
                found = " " + fill(ngettext("(found in {encoding}, {count} cue)", "(found in {encoding}, {count} cues)",
                                            sub.cues), encoding=sub.encoding, count=sub.cues) if sub.encoding else ""
                print("    " + _("subtitles {language}: {action}").format(
                    language=sub.language, action=_action_words(sub.action, sub.error)) + found)
        if report.ignored:
            print(_("Ignored (no film of that name): {names}").format(
                names=", ".join(_shown(name) for name in report.ignored)))
        rejected = sum(f.rejected for f in report.films)
        if not report.films:
            print(terminal_text(sentence(N_("No film of the manifest was found in {source}: films are named like "
                                            "'germany-jena.mp4' (see media_manifest/films.toml)."),
                                         source=report.source)), file=sys.stderr)
        else:
            total, source = len(report.films), str(report.source).translate(_ISOLATES)
            print(fill(ngettext("Imported {imported} of {total} film from {source}; {rejected} rejected.",
                                "Imported {imported} of {total} films from {source}; {rejected} rejected.", total),
                       imported=total - rejected, total=total, source=source, rejected=rejected) if rejected else
                  fill(ngettext("Imported {imported} of {total} film from {source}.",
                                "Imported {imported} of {total} films from {source}.", total),
                       imported=total - rejected, total=total, source=source))
    # A pack with no film of the manifest is a problem (a wrong folder, a wrong stick).
    return EXIT_OK if report.ok and report.films else EXIT_PROBLEM
