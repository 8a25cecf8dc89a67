"""What every field of every synced record may hold: one set of rules for everything that
writes such a record — the sync import (a package from a laptop or the office), the roster
import and the participant and session forms.

Why one layer: a value that passed one entrance and not another broke later work far from
where it came in.  A control character in a name stopped the XLSX export (openpyxl's
``IllegalCharacterError``) and leaked into the log; a list of numbers in ``languages``
stopped every attendance export (``"; ".join``); an integer beyond 64 bits stopped SQLite
(``OverflowError``); a week date ``2026-W45-3`` or an offset ``+0530`` was stored as it came
and sorted wrongly among the others.

Values are checked in their canonical JSON form (``co_app/core/sync/records.py``): text,
whole numbers, true/false, null, lists and objects; dates as ``YYYY-MM-DD``; timestamps as
UTC ``YYYY-MM-DD HH:MM:SS.ffffff``.  Nothing is corrected on the way in from a package —
every database must hold the same value — so a bad value is refused, and the problem is a
``Notice`` naming the field (``value_problem``).  The forms and the roster clean what a
person typed first (``single_line`` drops control characters), then ask the same rules.
A batch of one column is checked at once (``batch_check``), so a 100,000-record import
stays close to a plain insert.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import chain
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, String

from co_app.core.db.base import UTCDateTime
from co_app.core.db.models import SYNCED_MODELS
from co_app.core.foundation.errors import Notice
from co_app.core.foundation.i18n import N_

SEXES = ("female", "male", "other", "unknown")
AGE_GROUPS = ("0-4", "5-11", "12-17", "18-59", "60+")
#: Needs the facilitator plans for (seating, reading aloud, a sign-language interpreter…).
NEEDS = ("literacy", "mobility", "hearing", "vision", "childcare", "health")
ATTENDANCE_STATUSES = ("present", "late", "left_early", "absent")
SESSION_STATUSES = ("open", "closed")
AGENDA_KINDS = ("module", "film", "town", "break")
#: When a check question was asked (issue 21), and the most people one tally counts;
#: "feedback": the participants' faces at the end of a session (anonymous counts).
LEARNING_PHASES = ("before", "after")
FEEDBACK_PHASE = "feedback"
MAX_GROUP = 10_000
#: The shortest and longest an agenda step may last, in minutes.
MIN_STEP_MINUTES, MAX_STEP_MINUTES = 1, 240

#: The earliest birth year, consent date or session date a record may hold (the form's
#: own limit, 110 years before today, moves each year: a record entered within it must
#: still travel years later).
FIRST_YEAR = 1900
#: A date later than this is a typing error (a session planned a year ahead is fine).
LAST_DATE = "2199-12-31"
#: A whole number in any other column: PostgreSQL's ``integer`` (SQLite would take 64 bits,
#: the hub would not).
INT_RANGE = (-(2**31), 2**31 - 1)
#: Free text (notes): long enough for a page, short enough for a spreadsheet cell (32,767).
MAX_NOTE = 10_000
#: Items in a list field (languages, needs, towns) and steps in an agenda.
MAX_ITEMS = 50
MAX_STEPS = 200

#: Characters no text may hold: C0 and C1 control codes and DEL (invisible, refused by
#: XLSX, able to rewrite a terminal or a log line), lone surrogates (not text at all: the
#: database cannot encode them), the noncharacters U+FFFE, U+FFFF, U+FDD0–U+FDEF, the
#: bidirectional embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069 (a name
#: holding one reads backwards, or drags the words after it along, in every export and
#: report; the interface adds isolation where it shows a name) and the line and paragraph
#: separators U+2028, U+2029 (a line break in disguise).  The marks U+200E, U+200F and the
#: joiners stay: Arabic and Persian names may need them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
#: Free text may also hold tabs and line breaks (spreadsheets keep them in a cell).
_CONTROL_IN_NOTES = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
#: Canonical dates and UTC times, each month with its days (the 29th of February is checked
#: against its year apart): a whole column is matched at once, joined by line breaks.
_DAY = (r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
        r"|02-(?:0[1-9]|1[0-9]|2[0-9]))")
_DATE = f"[0-9]{{4}}-{_DAY}"
_TIMESTAMP = rf"{_DATE} (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{{6}}"
#: Record and device ids: UUIDs, or ids of the same alphabet.
_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{0,35}")
#: Language codes as the forms and the roster store them: ar, fa_AF, ckb, sr-Latn.
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8}){0,2}")
_COUNTRY = re.compile(r"[A-Z]{2}")
#: Town and module ids: germany-jena, housing-and-rent.
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def _many(pattern: str) -> re.Pattern[str]:
    """``pattern`` for a whole column: every value followed by a line break (possessive: a
    mismatch is not retried value by value)."""
    return re.compile(f"(?:{pattern}\n)*+")


def _has_control(control: re.Pattern[str], text: str) -> bool:
    """Whether ``text`` holds a character ``control`` forbids; plain ASCII is checked in one
    C call (its only unprintable characters are its control codes)."""
    if control is _CONTROL and text.isascii():
        return not text.isprintable()
    return control.search(text) is not None


def _all_text(values: list[Any]) -> bool:
    return set(map(type, values)) <= {str}


def shown(value: Any, limit: int = 40) -> str:
    """A value for a message: control characters written as escapes (never raw into a
    terminal or a log), cut to ``limit`` characters."""
    import json

    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    escaped = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text[:limit])
    return f'"{escaped}"' if isinstance(value, str) else escaped


def single_line(text: str) -> str:
    """Typed or imported text made fit for a name, a place or a code: control characters
    (invisible: copied in from another program) dropped, runs of spaces, tabs and line
    breaks made one space, the ends trimmed."""
    return " ".join(_CONTROL.sub(lambda m: " " if m.group() in "\t\n\r\x0b\x0c\u2028\u2029" else "", text).split())


def multi_line(text: str) -> str:
    """Free text (a note) without control characters; tabs and line breaks kept."""
    return _CONTROL_IN_NOTES.sub("", text).strip()


@dataclass(frozen=True)
class Rule:
    """What one field may hold.  ``check(field, value)``: the problem, or None.  ``batch``:
    whether every value of a list passes (the fast path of a whole import)."""

    check: Callable[[str, Any], Notice | None]
    batch: Callable[[list[Any]], bool]

    def problem(self, field: str, value: Any) -> Notice | None:
        return self.check(field, value)


def _nullable(rule: Rule, nullable: bool) -> Rule:
    def check(field: str, value: Any) -> Notice | None:
        if value is None:
            return None if nullable else Notice(N_("the field '{field}' must be filled in"), field=field)
        return rule.check(field, value)

    def batch(values: list[Any]) -> bool:
        if None not in values:
            return rule.batch(values)
        return nullable and rule.batch([v for v in values if v is not None])

    return Rule(check, batch)


def _text(length: int, *, notes: bool = False, pattern: re.Pattern[str] | None = None, example: str = "",
          empty: bool = True) -> Rule:
    control = _CONTROL_IN_NOTES if notes else _CONTROL
    many = _many(pattern.pattern) if pattern is not None else None

    def check(field: str, value: Any) -> Notice | None:
        if type(value) is not str:
            return Notice(N_("the field '{field}' should be text, not {value}"), field=field, value=shown(value))
        found = control.search(value)
        if found:
            return Notice(N_("the field '{field}' holds an invisible control character ({code})"), field=field,
                          code=f"U+{ord(found.group()):04X}")
        if len(value) > length:
            return Notice(N_("the field '{field}' is longer than {count} characters"), field=field, count=length)
        if pattern is not None and not (value == "" and empty) and not pattern.fullmatch(value):
            return Notice(N_("the field '{field}' should be a code such as {example}, not {value}"), field=field,
                          example=example, value=shown(value))
        return None

    def batch(values: list[Any]) -> bool:
        if not values:
            return True
        if not _all_text(values) or _has_control(control, "".join(values)) or max(map(len, values)) > length:
            return False
        if many is None:
            return True
        # No value holds a line break now: the column joined by them is matched at once.
        return bool(many.fullmatch("".join(v + "\n" for v in values if v or not empty)))

    return Rule(check, batch)


def _choice(words: Iterable[str]) -> Rule:
    allowed = frozenset(words)
    listed = ", ".join(f'"{word}"' for word in words)

    def check(field: str, value: Any) -> Notice | None:
        if type(value) is str and value in allowed:
            return None
        return Notice(N_("the field '{field}' should be one of {words}, not {value}"), field=field, words=listed,
                      value=shown(value))

    def batch(values: list[Any]) -> bool:
        return _all_text(values) and set(values) <= allowed

    return Rule(check, batch)


def _whole(low: int | Callable[[], int], high: int | Callable[[], int]) -> Rule:
    def bounds() -> tuple[int, int]:
        return (low() if callable(low) else low), (high() if callable(high) else high)

    def check(field: str, value: Any) -> Notice | None:
        if type(value) is not int:
            return Notice(N_("the field '{field}' should be a whole number, not {value}"), field=field,
                          value=shown(value))
        first, last = bounds()
        if not first <= value <= last:
            return Notice(N_("the field '{field}' should be between {first} and {last}, not {value}"), field=field,
                          first=first, last=last, value=shown(value, 24))
        return None

    def batch(values: list[Any]) -> bool:
        first, last = bounds()
        return set(map(type, values)) <= {int} and (not values or first <= min(values) and max(values) <= last)

    return Rule(check, batch)


def _boolean() -> Rule:
    def check(field: str, value: Any) -> Notice | None:
        if type(value) is bool:
            return None
        return Notice(N_("the field '{field}' should be true or false, not {value}"), field=field, value=shown(value))

    return Rule(check, lambda values: set(map(type, values)) <= {bool})


def _moment(timestamp: bool) -> Rule:
    """A date (``YYYY-MM-DD``) or a UTC timestamp, canonical: the text itself is compared and
    sorted by every database, so another spelling of the same moment is refused."""
    pattern = _TIMESTAMP if timestamp else _DATE
    one, many, size = re.compile(pattern), _many(pattern), 26 if timestamp else 10
    first, last = f"{FIRST_YEAR}-01-01", LAST_DATE if not timestamp else "9999-12-31 23:59:59.999999"

    def leap_days(values: list[str]) -> bool:
        try:
            return all(date.fromisoformat(v[:10]) for v in values if v[5:10] == "02-29")
        except ValueError:  # the 29th of February of a year without one
            return False

    def valid(value: Any) -> bool:
        return (type(value) is str and bool(one.fullmatch(value)) and first <= value <= last
                and leap_days([value]))

    def check(field: str, value: Any) -> Notice | None:
        if valid(value):
            return None
        if timestamp:
            return Notice(N_("the field '{field}' should be a UTC time written YYYY-MM-DD HH:MM:SS.ffffff, "
                             "not {value}"), field=field, value=shown(value))
        return Notice(N_("the field '{field}' should be a date from {first} to {last} written YYYY-MM-DD, "
                         "not {value}"), field=field, first=FIRST_YEAR, last=LAST_DATE[:4], value=shown(value))

    def batch(values: list[Any]) -> bool:
        if not values:
            return True
        if not _all_text(values):
            return False
        joined = "\n".join(values) + "\n"
        # Every value of the same width, so a line break inside one cannot pass for two.
        return (len(joined) == (size + 1) * len(values) and bool(many.fullmatch(joined))
                and first <= min(values) and max(values) <= last and ("-02-29" not in joined or leap_days(values)))

    return Rule(check, batch)


def _list_of(item: Rule, max_items: int = MAX_ITEMS) -> Rule:
    def check(field: str, value: Any) -> Notice | None:
        if type(value) is not list:
            return Notice(N_("the field '{field}' should be a list, not {value}"), field=field, value=shown(value))
        if len(value) > max_items:
            return Notice(N_("the field '{field}' holds more than {count} items"), field=field, count=max_items)
        # An item is named as a field of its own: "the field 'languages[2]' should be text, not 7".
        return next((problem for number, entry in enumerate(value, start=1)
                     if (problem := item.check(f"{field}[{number}]", entry)) is not None), None)

    def batch(values: list[Any]) -> bool:
        return (set(map(type, values)) <= {list} and (not values or max(map(len, values)) <= max_items)
                and item.batch([entry for v in values for entry in v]))

    return Rule(check, batch)


def _agenda_step(field: str, step: Any) -> Notice | None:
    # "moment": a film step's moment id (issue 20), absent from every other step.
    if type(step) is not dict or not {"kind", "minutes"} <= step.keys() <= {"kind", "ref", "minutes", "moment"}:
        return Notice(N_("the field '{field}' should be a step with a kind, a reference and minutes, not {value}"),
                      field=field, value=shown(step))
    ref, moment = step.get("ref", ""), step.get("moment", "")
    return (_CHOICE_KIND.check(f"{field}.kind", step["kind"])
            or (None if ref == "" else _SLUG_TEXT.check(f"{field}.ref", ref))
            or _STEP_MINUTES.check(f"{field}.minutes", step["minutes"])
            or (None if moment == "" else _SLUG_TEXT.check(f"{field}.moment", moment)))


def _agenda() -> Rule:
    def check(field: str, value: Any) -> Notice | None:
        if type(value) is not list:
            return Notice(N_("the field '{field}' should be a list, not {value}"), field=field, value=shown(value))
        if len(value) > MAX_STEPS:
            return Notice(N_("the field '{field}' holds more than {count} items"), field=field, count=MAX_STEPS)
        return next((problem for number, step in enumerate(value, start=1)
                     if (problem := _agenda_step(f"{field}[{number}]", step)) is not None), None)

    return Rule(check, lambda values: all(check("agenda", v) is None for v in values))


def _versions(columns: frozenset[str]) -> Rule:
    """The dot of the last change to each field: {field or "": [device id, counter, hlc]},
    a device id as a record's, a counter and an hlc from 0 to 2^62."""
    def batch(values: list[Any]) -> bool:
        if not set(map(type, values)) <= {dict} or not set().union(*values) <= columns:
            return False
        dots = list(chain.from_iterable(map(dict.values, values)))
        if not dots:
            return True
        if not set(map(type, dots)) <= {list} or set(map(len, dots)) != {3}:
            return False
        devices, counters, hlcs = zip(*dots)
        numbers = counters + hlcs
        return (_ID_TEXT.batch(list(devices)) and set(map(type, numbers)) <= {int}
                and min(numbers) >= 0 and max(numbers) < 2**62)

    def check(field: str, value: Any) -> Notice | None:
        if batch([value]):
            return None
        return Notice(N_("the field '{field}' does not say validly who changed each field when"), field=field)

    return Rule(check, batch)


_CHOICE_KIND = _choice(AGENDA_KINDS)
_SLUG_TEXT = _text(64, pattern=_SLUG, example="germany-jena", empty=False)
_STEP_MINUTES = _whole(MIN_STEP_MINUTES, MAX_STEP_MINUTES)
_ID_TEXT = _text(36, pattern=_ID, example="3f2b…", empty=False)


def _this_year_and_next() -> int:
    return date.today().year + 1


#: The fields whose rule says more than their column's type.
_SPECIAL: dict[str, dict[str, Rule]] = {
    "co_sessions": {
        "number_of_day": _whole(1, 999),
        "language": _text(16, pattern=_LANGUAGE, example="ar"),
        "destination_towns": _list_of(_SLUG_TEXT),
        "agenda": _agenda(),
        "status": _choice(SESSION_STATUSES),
    },
    "households": {},
    "participants": {
        "sex": _choice(SEXES),
        "birth_year": _whole(FIRST_YEAR, _this_year_and_next),
        "age_group": _choice(AGE_GROUPS),
        "nationality": _text(2, pattern=_COUNTRY, example="SY"),
        "languages": _list_of(_text(16, pattern=_LANGUAGE, example="ar", empty=False)),
        "needs": _list_of(_choice(NEEDS)),
    },
    "attendance": {"status": _choice(ATTENDANCE_STATUSES)},
    "module_coverage": {"module_id": _SLUG_TEXT},
    "learning_answers": {"module_id": _SLUG_TEXT, "question_id": _SLUG_TEXT,
                         "phase": _choice((*LEARNING_PHASES, FEEDBACK_PHASE)),
                         "slot": _text(40, pattern=_ID, example="tally-2", empty=False), "answer": _whole(0, 3),
                         "count": _whole(0, MAX_GROUP), "present": _whole(0, MAX_GROUP)},
}
#: Columns local to one database, never written by a package or a form.  (``origin_device``
#: travels: a device id like ``device_id``, or null in a package that leaves it to the dots.)
LOCAL_COLUMNS = frozenset({"sync_seq"})


def _rule_for(table: Any, column: Any) -> Rule:  # sqlalchemy Table and Column
    special = _SPECIAL[table.name].get(column.name)
    column_type = column.type
    if special is not None:
        rule = special
    elif column.name == "versions":
        rule = _versions(frozenset(c.name for c in table.columns) | {""})
    elif isinstance(column_type, UTCDateTime):
        rule = _moment(timestamp=True)
    elif isinstance(column_type, Date):
        rule = _moment(timestamp=False)
    elif isinstance(column_type, Boolean):
        rule = _boolean()
    elif isinstance(column_type, Integer):
        rule = _whole(*INT_RANGE)
    elif isinstance(column_type, JSON):
        raise TypeError(f"{table.name}.{column.name}: a list or object field needs its own rule in _SPECIAL")
    elif isinstance(column_type, String) and column_type.length == 36:  # ids: CHAR(36), household_id, …
        rule = _ID_TEXT
    elif isinstance(column_type, String) and column_type.length:
        rule = _text(column_type.length)
    else:  # Text: notes
        rule = _text(MAX_NOTE, notes=True)
    return _nullable(rule, bool(column.nullable))


#: Every field of every synced table → its rule (local columns left out).
RULES: dict[str, dict[str, Rule]] = {
    model.__table__.name: {column.name: _rule_for(model.__table__, column)  # type: ignore[attr-defined]
                           for column in model.__table__.columns if column.name not in LOCAL_COLUMNS}  # type: ignore[attr-defined]
    for model in SYNCED_MODELS
}


def value_problem(table: str, field: str, value: Any) -> Notice | None:
    """What is wrong with ``value`` (canonical form) in ``table.field``; None when nothing."""
    return RULES[table][field].problem(field, value)


def record_problem(table: str, record: dict[str, Any]) -> tuple[str, Notice] | None:
    """The first field of ``record`` (canonical form) that breaks its rule, and the problem;
    None when every field present is valid (which fields must be present is the caller's)."""
    rules = RULES[table]
    for field, value in record.items():
        rule = rules.get(field)
        problem = rule.problem(field, value) if rule is not None else None
        if problem is not None:
            return field, problem
    return None


def batch_check(table: str, field: str) -> Callable[[list[Any]], bool]:
    """Whether every value of a list (one column of a batch of records) is valid."""
    return RULES[table][field].batch
