"""The learning figures of the office's reports as tables, in any language (issue 21,
point 4): the all-sessions report (command line and window), the donor report's
"Learning" sheet and its PDF.  The figures are ``Report.learning``
(``co_app.core.learning.report``), the rules the attendance definitions' — the same as the
session report's.

``figure_rows`` gives per module a row for everyone, then one per sex and per age group
(per-person answers only): the share correct before, after, the change in percentage
points and the answers counted.  ``missed_rows`` gives the questions most often missed.
Numbers stay numbers (``None`` when not known); ``percent`` and ``points`` say them.
"""

from __future__ import annotations

from typing import Any

from co_app.core.attendance import definitions as d
from co_app.core.foundation.i18n import N_
from co_app.core.learning.report import Figure, LearningReport
from co_app.core.office.labels import Labels

TITLE = N_("What the group knew before and after")
NOTE = N_("The share of check answers that were right, asked before each module and again after it. By sex and age "
          "group only answers recorded per person count.")
NO_ANSWERS = N_("No check answers were recorded at these sessions.")
MISSED_TITLE = N_("Questions most often missed")
SHEET = N_("Learning")
FIGURE_HEADERS = (N_("Module"), N_("Who"), N_("Before"), N_("After"), N_("Change"), N_("Answers before"),
                  N_("Answers after"))
MISSED_HEADERS = (N_("Module"), N_("Question"), N_("Asked"), N_("Wrong"), N_("Answers"))
#: The definitions the learning figures follow (``definitions.DEFINITIONS``' keys).
DEFINITION_KEYS = ("learning", "learning_change", "missed")


def definitions(labels: Labels) -> list[tuple[str, str]]:
    """(title, text) of the learning figures' definitions in ``labels``' language."""
    return [(labels.t(title), labels.t(text)) for key, title, text in d.DEFINITIONS if key in DEFINITION_KEYS]


def percent(share: float | None, labels: Labels) -> str:
    """A share as a whole percentage, "–" when nothing was recorded."""
    return "–" if share is None else labels.t(N_("{percent}%")).format(percent=labels.number(round(share * 100)))


def points(change: float | None, labels: Labels) -> str:
    """A change in percentage points, signed, "–" unless asked both before and after."""
    if change is None:
        return "–"
    value = round(change * 100)
    return labels.t(N_("{sign}{points} points")).format(sign="+" if value > 0 else "", points=labels.number(value))


def who(dimension: str, key: str, labels: Labels) -> str:
    if dimension == "sex":
        return labels.sex(key)
    if key == d.UNKNOWN:
        return labels.t(N_("Age unknown"))
    return labels.t(N_("Age {group}")).format(group=labels.key("age_group", key))


def _row(name: str, label: str, figure: Figure) -> list[Any]:
    return [name, label, figure.before, figure.after, figure.change, figure.before_answers, figure.after_answers]


def figure_rows(learning: LearningReport, labels: Labels) -> list[list[Any]]:
    """[module, who, before, after, change, answers before, answers after] per row; shares
    and change as fractions (0.25 is 25 %, or 25 points), None when not known."""
    rows: list[list[Any]] = []
    for module in learning.modules:
        name = labels.key("module", module.module_id)
        rows.append(_row(name, labels.t(N_("Everyone")), module.overall))
        for dimension, keys in module.by.items():
            rows += [_row("", who(dimension, key, labels), figure) for key, figure in keys.items()]
    return rows


def shown_rows(learning: LearningReport, labels: Labels) -> list[list[str]]:
    """``figure_rows`` as text: percentages, signed points and numbers in ``labels``' language."""
    return [[name, label, percent(before, labels), percent(after, labels), points(change, labels),
             labels.number(n_before), labels.number(n_after)]
            for name, label, before, after, change, n_before, n_after in figure_rows(learning, labels)]


def question_text(labels: Labels, module_id: str, question_id: str) -> str:
    """The question as the content asks it in ``labels``' language (its id when unknown)."""
    try:
        module = labels.content.module(module_id, labels.lang)
    except (KeyError, LookupError, OSError, ValueError):
        module = None
    found = next((q.question for q in getattr(module, "self_check", ()) if q.id == question_id), None)
    return found or question_id


def missed_rows(learning: LearningReport, labels: Labels) -> list[list[Any]]:
    """[module, question, asked (before/after), wrong, answers] per question most often missed."""
    return [[labels.key("module", item.module_id), question_text(labels, item.module_id, item.question_id),
             labels.t(N_("after")) if item.phase == "after" else labels.t(N_("before")), item.wrong, item.answers]
            for item in learning.missed]


def headers(labels: Labels, which: tuple[str, ...]) -> list[str]:
    return [labels.t(h) for h in which]
