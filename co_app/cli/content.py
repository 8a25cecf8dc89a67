"""content check: towns, modules and their translations."""

from __future__ import annotations

import argparse

from co_app.core.foundation.errors import CoError, sentence, terminal_text
from co_app.core.foundation.i18n import N_, _, ngettext
from co_app.core.foundation.printable import printable

from co_app.cli.common import EXIT_OK, EXIT_PROBLEM, data_paths, fill, print_json, say, terminal_value


#: The review status of one language of a town or module, as content check prints it.
STATE_WORDS = {"source": N_("source"), "machine": N_("machine-made"), "reviewed": N_("reviewed"),
               "outdated": N_("OUTDATED")}


def _state_word(status: dict) -> str:
    if status["state"] == "reviewed":
        return say(N_("reviewed by {name} on {date}"), name=status["reviewed_by"], date=status["reviewed_on"])
    return _(STATE_WORDS[status["state"]])


def cmd_content_review(args: argparse.Namespace) -> int:
    """Stamp a translation as made from today's English text, and reviewed by a person."""
    from pathlib import Path

    from co_app.core.content.library import DEFAULT_CONTENT_DIR
    from co_app.core.content.review import stamp

    root = Path(args.content_dir).expanduser() if args.content_dir else DEFAULT_CONTENT_DIR
    kind, _, item_id = args.item.partition("/")
    path = stamp(root, kind, item_id, args.language, reviewed_by=args.by)
    if args.json:
        print_json({"ok": True, "file": str(path), "state": "reviewed" if args.by else "machine"})
    elif args.by:
        print(say(N_("{file}: reviewed by {name} today, made from the English text as it is now."), file=path,
                  name=args.by.strip()))
    else:
        print(say(N_("{file}: machine-made (not yet reviewed), made from the English text as it is now."), file=path))
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
    _print_items(library, towns, modules, coverage)
    _print_checks(checks)
    if library.problems:
        print()
    for problem in library.problems:
        template = SEVERITIES.get(problem.severity, SEVERITIES["error"])
        print(terminal_text(sentence(template, message=problem.notice())))
    errors, warnings = len(library.errors), len(library.warnings)
    print("\n" + say(N_("{towns} towns, {modules} modules: {errors}, {warnings}."), towns=len(towns),
                     modules=len(modules),
                     errors=fill(ngettext("{count} error", "{count} errors", errors), count=errors),
                     warnings=fill(ngettext("{count} warning", "{count} warnings", warnings), count=warnings)))
    return EXIT_OK if library.ok else EXIT_PROBLEM


def _percent(share: float) -> str:
    from co_app.core.foundation.i18n import format_percent

    return format_percent(share)


def _print_items(library, towns: list[dict], modules: list[dict], coverage: dict) -> None:
    """Every town and module with each language's coverage and review state, then each language's totals."""
    for heading, docs in ((N_("Towns ({count}):"), towns), (N_("Modules ({count}):"), modules)):
        print(say(heading, count=len(docs)))
        for doc in docs:
            langs = ", ".join(f"{lang} {_percent(s['coverage'] / 100)} {_state_word(s)}"
                              for lang, s in doc["languages"].items())
            print(f"  {printable(doc['id']):<30} {printable(doc['title']):<32} {langs}")
    print()
    titles = _("language"), _("towns"), _("modules"), _("overall"), _("review status (files)")
    print(f"{titles[0]:<10}{titles[1]:>8}{titles[2]:>9}{titles[3]:>9}   {titles[4]}")
    statuses = [*(library.town_status(t["id"]) for t in towns), *(library.module_status(m["id"]) for m in modules)]
    for lang, c in coverage.items():
        states = [status[lang].state for status in statuses if lang in status]
        counts = ", ".join(terminal_value(states.count(r)) + " " + _(STATE_WORDS[r]) for r in STATE_WORDS
                           if states.count(r))
        print(f"{lang:<10}{_percent(c.towns):>8}{_percent(c.modules):>9}{_percent(c.overall):>9}   {counts or '-'}")



def _print_checks(checks: list) -> None:
    """Check questions (issue 21): how many, of which kinds, which key messages they leave
    unchecked, pictures, and the languages not fully translating them."""
    print("\n" + say(N_("Check questions ({questions} in {modules} modules):"),
                     questions=sum(c.questions for c in checks), modules=len(checks)))
    for c in checks:
        kinds = ", ".join(terminal_value(n) + " " + _(CHECK_KIND_WORDS.get(kind, kind)) for kind, n in c.kinds.items()
                          if n)
        covered = c.key_messages - len(c.uncovered)
        line = f"  {printable(c.module):<30} {terminal_value(c.questions)} ({kinds}); " + say(
            N_("key messages {covered}/{total}"), covered=covered, total=c.key_messages)
        if c.uncovered:
            line += " " + say(N_("(none checks {numbers})"),
                              numbers=", ".join(terminal_value(n + 1) for n in c.uncovered))
        if c.pictures:
            line += "; " + say(N_("{count} with pictures"), count=c.pictures)
        partial = [f"{lang} {_percent(share)}" for lang, share in c.languages.items() if share < 1.0]
        line += "; " + (say(N_("not fully translated: {languages}"), languages=", ".join(partial)) if partial
                        else _("every language"))
        print(line)


#: "error: …" / "warning: …" before a content problem.
SEVERITIES = {"error": N_("error: {message}"), "warning": N_("warning: {message}")}

#: A check question's kind (content/SCHEMA.md), as content check prints it.
CHECK_KIND_WORDS = {"choice": N_("choice"), "true_false": N_("true false"),
                    "what_would_you_do": N_("what would you do")}
