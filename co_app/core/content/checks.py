"""Check questions (issue 21): a module's [[self_check]] entries, shown on its slides and
asked before and after it, their answers recorded under the module's id and the question's
``id`` (co_app.core.learning).  SCHEMA.md, "Check questions", is the author's side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from co_app.core.foundation.i18n import N_

if TYPE_CHECKING:
    from co_app.core.content.schema import Reader

#: The kinds of check question (issue 21): choose one of 2–4 answers (or pictures), a
#: statement that is true or false, and "what would you do" in a situation.
CHECK_KINDS = ("choice", "true_false", "what_would_you_do")
CHECK_OPTIONS = (2, 4)
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
_CHECK_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

@dataclass(frozen=True)
class SelfCheckQuestion:
    """One check question: on the module's slides, and asked before and after the module
    (issue 21), its answers recorded under the module's id and this question's ``id``."""

    question: str
    options: tuple[str, ...]
    answer: int  # index into options, from 0
    explanation: str
    id: str = ""  # unique in the module; what recorded answers name, so it never changes
    kind: str = "choice"  # one of CHECK_KINDS
    key_message: int = -1  # index into the module's key_messages, from 0
    picture: str = ""  # a picture for the question, relative to the module's folder
    option_pictures: tuple[str, ...] = ()  # one picture per option ("choose a picture"), or none


CHECK_FIELDS = ("id", "kind", "key_message", "question", "options", "answer", "explanation", "picture",
                "option_pictures")


def _picture(e: Reader, name: str, value: str) -> None:
    """A picture is a PNG, JPEG or SVG file inside the module's folder (packs carry it)."""
    if not value:
        return
    relative = Path(value)
    folder = e.path.parent
    if relative.is_absolute() or ".." in relative.parts:
        e.report(name, N_("is {value!r}; a picture is named relative to the module's folder, e.g. "
                          "'pictures/fire.png'"), value=value)
    elif relative.suffix.lower() not in PICTURE_SUFFIXES:
        e.report(name, N_("is {value!r}; a picture is a {suffixes} file"), value=value,
                 suffixes=", ".join(PICTURE_SUFFIXES))
    elif not (folder / relative).is_file():
        e.report(name, N_("is {value!r}; there is no such file in {folder}/"), value=value, folder=folder.name)


def check_question(e: Reader, key_messages: int) -> SelfCheckQuestion:
    """One [[self_check]] entry: its id, kind, key message, options, answer and pictures."""
    e.unknown_fields(CHECK_FIELDS)
    check_id = e.text("id")
    if check_id and not _CHECK_ID_RE.match(check_id):
        e.report("id", N_("is {value!r}; an id is lower-case letters, digits and hyphens, e.g. 'who-chooses'"),
                 value=check_id)
    kind = e.choice("kind", CHECK_KINDS) if "kind" in e.table else "choice"
    key_message = e.integer("key_message", low=0)
    if key_messages and key_message >= key_messages:
        e.report("key_message", N_("is {value}; it must be an index into key_messages, from 0 to {last}"),
                 value=key_message, last=key_messages - 1)
    options = e.texts("options", minimum=CHECK_OPTIONS[0])
    if len(options) > CHECK_OPTIONS[1]:
        e.report("options", N_("has {count} entries; at most {most} (numbered 1 to {most} on the screen)"),
                 count=len(options), most=CHECK_OPTIONS[1])
    if kind == "true_false" and options and len(options) != 2:
        e.report("options", N_("a true_false question has two options: true, then false"))
    answer = e.integer("answer", low=0)
    if options and not 0 <= answer < len(options):
        e.report("answer", N_("is {value}; it must be an index into options, from 0 to {last}"), value=answer,
                 last=len(options) - 1)
    picture = e.text("picture", required=False)
    _picture(e, "picture", picture)
    option_pictures = e.texts("option_pictures", minimum=0, required=False)
    if option_pictures and len(option_pictures) != len(options):
        e.report("option_pictures", N_("has {count} entries; one per option ({options}) expected"),
                 count=len(option_pictures), options=len(options))
    for number, name in enumerate(option_pictures, start=1):
        _picture(e, f"option_pictures[{number}]", name)
    return SelfCheckQuestion(e.text("question"), options, answer, e.text("explanation"), check_id, kind,
                             key_message, picture, option_pictures)


def unique_checks(r: Reader, checks: tuple[SelfCheckQuestion, ...]) -> tuple[SelfCheckQuestion, ...]:
    """Each check question's id once in its module: recorded answers are filed under it."""
    seen: set[str] = set()
    for number, check in enumerate(checks, start=1):
        if check.id in seen:
            r.report(f"self_check[{number}].id", N_("{id!r} appears twice in this module"), id=check.id)
        seen.add(check.id)
    return checks


@dataclass(frozen=True)
class CheckCoverage:
    """What ``content check`` says of one module's check questions."""

    module: str
    questions: int
    kinds: dict[str, int]              # kind → how many
    key_messages: int                  # how many the module has
    uncovered: tuple[int, ...]         # key messages (from 0) no question checks
    pictures: int                      # questions with a picture or pictures as options
    languages: dict[str, float]        # language → share of the questions' text translated, 0.0–1.0

    def as_dict(self) -> dict:
        return {"module": self.module, "questions": self.questions, "kinds": self.kinds,
                "key_messages": self.key_messages, "uncovered_key_messages": [n + 1 for n in self.uncovered],
                "pictures": self.pictures,
                "languages": {lang: round(share * 100, 1) for lang, share in self.languages.items()}}


def check_coverage(module, status: dict) -> CheckCoverage:
    """``module``'s English copy and its ``library.module_status()``: how its check
    questions cover its key messages, their kinds and pictures, and each language."""
    checks = module.self_check
    linked = {check.key_message for check in checks}
    languages = {lang: 1.0 if lang == "en" else (s.checks_translated / s.checks_total if s.checks_total else 1.0)
                 for lang, s in status.items()}
    return CheckCoverage(
        module.id, len(checks), {kind: sum(c.kind == kind for c in checks) for kind in CHECK_KINDS},
        len(module.key_messages), tuple(n for n in range(len(module.key_messages)) if n not in linked),
        sum(bool(c.picture or c.option_pictures) for c in checks), languages)
