"""content check: towns, modules and their translations."""

from __future__ import annotations

import argparse

from co_app.core.foundation.errors import CoError
from co_app.core.foundation.printable import printable

from co_app.cli.common import EXIT_OK, EXIT_PROBLEM, data_paths, print_json


#: The review status of one language of a town or module, as content check prints it.
STATE_WORDS = {"source": "source", "machine": "machine-made", "reviewed": "reviewed", "outdated": "OUTDATED"}


def _state_word(status: dict) -> str:
    if status["state"] == "reviewed":
        return f"reviewed by {status['reviewed_by']} on {status['reviewed_on']}"
    return STATE_WORDS[status["state"]]


def cmd_content_review(args: argparse.Namespace) -> int:
    """Stamp a translation as made from today's English text, and reviewed by a person."""
    from pathlib import Path

    from co_app.core.content.library import DEFAULT_CONTENT_DIR
    from co_app.core.content.review import stamp

    root = Path(args.content_dir).expanduser() if args.content_dir else DEFAULT_CONTENT_DIR
    kind, _, item_id = args.item.partition("/")
    path = stamp(root, kind, item_id, args.language, reviewed_by=args.by)
    state = f"reviewed by {args.by.strip()} today" if args.by else "machine-made (not yet reviewed)"
    if args.json:
        print_json({"ok": True, "file": str(path), "state": "reviewed" if args.by else "machine"})
    else:
        print(f"{printable(path)}: {state}, made from the English text as it is now.")
    return EXIT_OK


def cmd_content_check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from co_app.core.content.checks import check_coverage
    from co_app.core.content.library import DEFAULT_CONTENT_DIR, load_content

    try:  # the check needs no data folder; it only logs there when one is usable
        data_paths(args)
    except CoError:
        pass
    manifest = None
    if args.content_dir:
        root = Path(args.content_dir).expanduser()
        films = root / "films.toml"
        if films.is_file():
            from co_app.core.media.manifest import load_manifest

            manifest = load_manifest(films)
    else:
        root = DEFAULT_CONTENT_DIR
    library = load_content(root, manifest)
    languages = library.languages
    coverage = {lang: library.coverage(lang) for lang in languages}

    def item_doc(item, status: dict) -> dict:  # Town or Module
        return {"id": item.id, "title": getattr(item, "name", None) or getattr(item, "title", ""),
                "languages": {lang: {"coverage": round(s.coverage * 100, 1), "review": s.review, "state": s.state,
                                     "reviewed_by": s.reviewed_by, "reviewed_on": s.reviewed_on}
                              for lang, s in status.items()}}

    towns = [item_doc(t, library.town_status(t.id)) for t in library.towns()]
    modules = [item_doc(m, library.module_status(m.id)) for m in library.modules()]
    checks = [check_coverage(m, library.module_status(m.id)) for m in library.modules()]
    if args.json:
        print_json({"ok": library.ok, "content_dir": str(root), "towns": towns, "modules": modules,
                     "checks": [c.as_dict() for c in checks],
                     "coverage": {lang: round(c.overall * 100, 1) for lang, c in coverage.items()},
                     "problems": [p.as_dict() for p in library.problems]})
        return EXIT_OK if library.ok else EXIT_PROBLEM
    for heading, docs in (("Towns", towns), ("Modules", modules)):
        print(f"{heading} ({len(docs)}):")
        for doc in docs:
            langs = ", ".join(f"{lang} {s['coverage']:.0f}% {_state_word(s)}" for lang, s in doc["languages"].items())
            print(f"  {printable(doc['id']):<30} {printable(doc['title']):<32} {langs}")
    print()
    print(f"{'language':<10}{'towns':>8}{'modules':>9}{'overall':>9}   review status (files)")
    statuses = [*(library.town_status(t["id"]) for t in towns), *(library.module_status(m["id"]) for m in modules)]
    for lang, c in coverage.items():
        states = [status[lang].state for status in statuses if lang in status]
        counts = ", ".join(f"{states.count(r)} {STATE_WORDS[r]}" for r in STATE_WORDS if states.count(r))
        print(f"{lang:<10}{c.towns * 100:>7.0f}%{c.modules * 100:>8.0f}%{c.overall * 100:>8.0f}%   {counts or '-'}")
    _print_checks(checks)
    if library.problems:
        print()
    for problem in library.problems:
        print(f"{problem.severity}: {printable(problem)}")
    errors, warnings = len(library.errors), len(library.warnings)
    print(f"\n{len(towns)} towns, {len(modules)} modules: {errors} error{'s' * (errors != 1)}, "
          f"{warnings} warning{'s' * (warnings != 1)}.")
    return EXIT_OK if library.ok else EXIT_PROBLEM



def _print_checks(checks: list) -> None:
    """Check questions (issue 21): how many, of which kinds, which key messages they leave
    unchecked, pictures, and the languages not fully translating them."""
    print(f"\nCheck questions ({sum(c.questions for c in checks)} in {len(checks)} modules):")
    for c in checks:
        kinds = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in c.kinds.items() if n)
        covered = c.key_messages - len(c.uncovered)
        line = f"  {printable(c.module):<30} {c.questions} ({kinds}); key messages {covered}/{c.key_messages}"
        if c.uncovered:
            line += " (none checks " + ", ".join(str(n + 1) for n in c.uncovered) + ")"
        if c.pictures:
            line += f"; {c.pictures} with pictures"
        partial = [f"{lang} {share * 100:.0f}%" for lang, share in c.languages.items() if share < 1.0]
        line += "; not fully translated: " + ", ".join(partial) if partial else "; every language"
        print(line)
