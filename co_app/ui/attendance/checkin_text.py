"""The words of check-in: an attendance status as the facilitator reads it, people's names
in a sentence (each isolated and kept whole on one line, at most three), and the sentence
that confirms a change on the banner.  Text only: no widgets."""

from __future__ import annotations

from co_app.core.attendance.checkin import Action, CheckInDesk
from co_app.core.foundation.i18n import _, isolate, join_list, ngettext, pgettext


def status_label(status: str | None, closed: bool = False) -> str:
    """The attendance status as the facilitator reads it (None: not on this session's list).
    In a closed session a person still expected did not come: "absent"."""
    if status == "absent" and closed:
        return pgettext("attendance status", "absent")
    return {
        "present": pgettext("attendance status", "present"),
        "late": pgettext("attendance status", "late"),
        "left_early": pgettext("attendance status", "left early"),
        "absent": pgettext("attendance status", "expected, not here yet"),
        None: pgettext("attendance status", "not on this session's list"),
    }.get(status, status or "")


#: Characters that only keep a name on one line: no-break spaces, word joiners after hyphens.
_UNBREAKABLE = str.maketrans({" ": "\u00a0", "-": "-\u2060"})
_READABLE = str.maketrans({"\u2068": None, "\u2069": None, "\u2060": None, "\u00a0": " "})


def _unbreakable(name: str) -> str:
    """A name kept whole on one line of the banner ("Omar Al-Hassan" does not break after
    "Omar" nor after "Al-")."""
    return " ".join(name.split()).translate(_UNBREAKABLE)


def readable(text: str) -> str:
    """A text without the bidi isolation marks and the characters that keep names on one
    line (what a person reads)."""
    return text.translate(_READABLE)


#: At most this many names in one banner sentence; more are "and N others".
MAX_NAMES = 3


def names(desk: CheckInDesk | None, ids: tuple[str, ...]) -> str:
    """The names in the interface language's list style ("A, B and C", "A، B و C"):
    each isolated, so that an Arabic name cannot reorder the commas and words of an
    English sentence around it (nor a Latin name an Arabic one), and kept whole on
    one line."""
    assert desk is not None and desk.index is not None
    people = [desk.index.get(pid) for pid in ids]
    found = [isolate(_unbreakable(p.full_name)) for p in people if p is not None]
    if len(found) > MAX_NAMES:  # a big household: the banner's two lines hold the sentence whole
        rest = len(found) - (MAX_NAMES - 1)
        found = found[:MAX_NAMES - 1] + [ngettext("{count} other", "{count} others", rest).format(count=rest)]
    return join_list(found)


def describe(desk: CheckInDesk | None, action: Action, closed: bool) -> tuple[str, str]:
    """The banner's (kind, text) that confirms a change made (or undone)."""
    status = status_label(action.status, closed)
    changed = tuple(c.participant_id for c in action.changes)
    if action.kind == "undo":
        return ("info", _("Undone: {names} back as before.").format(names=names(desk, changed)))
    if not changed:
        return ("info", ngettext("{names} was already checked in.", "{names} were already checked in.",
                                 len(action.unchanged)).format(names=names(desk, action.unchanged)))
    text = "✓ " + _("{names} — {status}").format(names=names(desk, changed), status=status)
    walk_ins = sum(1 for c in action.changes if c.before is None)
    if walk_ins:
        text += "  " + ngettext("({count} added as a walk-in)", "({count} added as walk-ins)",
                                walk_ins).format(count=walk_ins)
    if action.unchanged:
        text += "  " + ngettext("({count} was already checked in)", "({count} were already checked in)",
                                len(action.unchanged)).format(count=len(action.unchanged))
    return ("ok" if action.status != "absent" else "info", text)
