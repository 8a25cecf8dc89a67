"""What every figure means: written once, used by the screen's reports, the CSV and XLSX
exports, the office's reports across laptops, the donor report and the command line.

Each rule exists twice, side by side, and tests hold them equal: as a **SQL expression**
(for the reports the database computes: the same query on SQLite and PostgreSQL) and as a
**Python function** (for code that walks rows one by one: the exports).  ``DEFINITIONS`` is
the same rules in words, shown in README and at the bottom of the donor report.

* **Attendance** — a check-in with status present, late or left early (one per person per
  session attended: a person at three sessions is three attendances).
* **Absence** — a record with status absent at a *closed* session.  At a session still open
  it is **not here (yet)**: never an absence.
* **Expected** — every record on a session's list, whatever its status (attendances +
  absences + not here yet).
* **People** — different participants with at least one attendance (each counted once; a
  duplicate merged into another person is that person).
* **Age group** — from the birth year relative to the session's year, else the group
  recorded at registration, else "unknown"; across sessions at the person's first
  session attended in the report.
* **Sex** — as recorded; anything else is "unknown".  **Nationality** — the ISO code in
  capitals, "unknown" when empty.  **Destination** — the participant's town, else their
  household's, as a town id (a film id "germany-jena" counts as "jena").
* Deleted records (sessions, people, households, check-ins, module marks) never count.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Integer, and_, case, cast, extract, func, literal

from co_app.core.content.schema import TOWN_IDS, town_key
from co_app.core.foundation.i18n import N_
from co_app.core.people.participants import AGE_GROUP_LIMITS, age_group_for_age

T = TypeVar("T")
UNKNOWN = "unknown"
AGE_GROUPS: tuple[str, ...] = ("0-4", "5-11", "12-17", "18-59", "60+")
SEXES: tuple[str, ...] = ("female", "male", "other", "unknown")
STATUSES: tuple[str, ...] = ("present", "late", "left_early", "absent")
ATTENDED_STATUSES = frozenset({"present", "late", "left_early"})
ABSENT_STATUS = "absent"
CLOSED = "closed"

#: What a record counts as (``counts_as``): the CSV carries it on every row.
ATTENDANCE, ABSENCE, NOT_HERE_YET = "attendance", "absence", "not here yet"

#: The figures and rules in words: (key, title, text).  Translated where shown.
DEFINITIONS: tuple[tuple[str, str, str], ...] = (
    ("attendances", N_("Attendances"),
     N_("Check-ins with status present, late or left early: one per person per session attended "
        "(a person at three sessions is three attendances).")),
    ("absences", N_("Absences"),
     N_("People on a closed session's list with status absent. At a session still open they are "
        "not here (yet), never absences.")),
    ("expected", N_("Expected"),
     N_("Everyone on the sessions' lists, whatever their status: attendances, absences and not here (yet).")),
    ("people", N_("People"),
     N_("Different participants with at least one attendance, each counted once however many "
        "sessions they attended.")),
    ("age_group", N_("Age group"),
     N_("From the birth year at the person's first session attended in the report, else the group "
        "recorded at registration, else not known.")),
    ("destination", N_("Destination"),
     N_("The participant's destination town, else their household's.")),
    ("module", N_("Modules"),
     N_("A module counts for a session where it was marked covered; the people it reached are those "
        "who attended such a session.")),
    ("deleted", N_("Deleted records"),
     N_("Deleted sessions, people, households, check-ins and module marks never count.")),
    ("learning", N_("Share correct"),
     N_("Of the answers recorded to a module's check questions, the share that were right: asked before the "
        "module and again after it. A group tally counts each person who raised a hand for an answer; by sex "
        "and age group only answers recorded per person count.")),
    ("learning_change", N_("Change"),
     N_("The share correct after the module minus the share before, in percentage points, for modules "
        "checked both before and after.")),
    ("missed", N_("Most often missed"),
     N_("The check questions with the largest share of wrong answers after the module (before it when "
        "not asked after): what the module could explain better.")),
)


def definition_texts(translate: Callable[[str], str]) -> list[tuple[str, str]]:
    """(title, text) of every definition in the language ``translate`` speaks."""
    return [(translate(title), translate(text)) for _key, title, text in DEFINITIONS]


# --- Python: one row at a time -------------------------------------------------------


def counts_as(status: str, session_status: str) -> str:
    """"attendance", "absence" or "not here yet" (see the definitions above)."""
    if status in ATTENDED_STATUSES:
        return ATTENDANCE
    return ABSENCE if session_status == CLOSED else NOT_HERE_YET


def person(participant_id: str, merged_into: str | None) -> str:
    """``person_sql`` in Python."""
    return merged_into or participant_id


#: Two records of one person at one session (a duplicate merged into the person) are one
#: visit, counted as the stronger: an attendance, else an absence, else not here (yet).
STRENGTH = {ATTENDANCE: 3, ABSENCE: 2, NOT_HERE_YET: 1}


def strongest(first: str | None, second: str) -> str:
    """The stronger of two ``counts_as`` values (``first`` None: none yet)."""
    return second if first is None or STRENGTH[second] > STRENGTH[first] else first


def fold_visits(records: Iterable[T], visit: Callable[[T], Hashable], counted: Callable[[T], str]) -> list[T]:
    """One record per visit — ``visit(record)`` is (session, person) — the strongest by
    ``STRENGTH`` of what it ``counted`` as (the first of equals), in the order the visits
    first appear: what the exports list, so a merged duplicate's record and the kept
    person's at one session are one row, as the reports count one visit."""
    chosen: dict[Hashable, tuple[T, str]] = {}
    for record in records:
        key, value = visit(record), counted(record)
        held = chosen.get(key)
        if held is None or STRENGTH[value] > STRENGTH[held[1]]:
            chosen[key] = (record, value)
    return [record for record, _value in chosen.values()]


def sex(value: str | None) -> str:
    return value if value in SEXES else UNKNOWN


def nationality(value: str | None) -> str:
    return (value or "").strip().upper() or UNKNOWN


def destination(own: str | None, household: str | None) -> str:
    return town_key((own or "").strip() or (household or "").strip()) or UNKNOWN


def age_group(birth_year: int | None, recorded_group: str | None, on: date | int) -> str:
    """The age group in the year of ``on`` (a date or a year): from the birth year when
    known (the day of birth is not recorded), else the group recorded, else "unknown"."""
    year = on if isinstance(on, int) else on.year
    if birth_year:
        return age_group_for_age(year - birth_year) or UNKNOWN
    return recorded_group if recorded_group in AGE_GROUPS else UNKNOWN


# --- SQL: the same rules for the database ----------------------------------------------


def attended_sql(status: Any) -> ColumnElement[int]:
    """1 for an attendance, else 0."""
    return case((status.in_(sorted(ATTENDED_STATUSES)), 1), else_=0)


def absent_sql(status: Any, session_status: Any) -> ColumnElement[int]:
    """1 for an absence (absent at a closed session), else 0."""
    return case((and_(status == ABSENT_STATUS, session_status == CLOSED), 1), else_=0)


def not_here_yet_sql(status: Any, session_status: Any) -> ColumnElement[int]:
    """1 for someone on an open session's list not checked in (yet), else 0."""
    return case((and_(status.not_in(sorted(ATTENDED_STATUSES)), session_status != CLOSED), 1), else_=0)


def person_sql(participants: Any) -> ColumnElement[str]:
    """Who a participant record is: the person it was merged into (a duplicate registered
    on another laptop, co_app/core/office/duplicates.py), else itself."""
    return func.coalesce(participants.c.merged_into, participants.c.id)


def case_when_attended(att: Any, value: Any) -> ColumnElement[Any]:
    """``value`` for an attendance (``att`` is ``attended_sql``'s 1), else NULL."""
    return case((att == 1, value), else_=None)


def sex_sql(column: Any) -> ColumnElement[str]:
    return case((column.in_(SEXES), column), else_=literal(UNKNOWN))


def nationality_sql(column: Any) -> ColumnElement[str]:
    cleaned = func.upper(func.trim(func.coalesce(column, "")))
    return case((cleaned == "", literal(UNKNOWN)), else_=cleaned)


def destination_sql(own: Any, household: Any) -> ColumnElement[str]:
    """``destination`` in SQL: the participant's, else the household's, as a town id."""
    own_clean = func.trim(func.coalesce(own, ""))
    ref = case((own_clean != "", own_clean), else_=func.trim(func.coalesce(household, "")))
    whens = [(ref == "", literal(UNKNOWN)), (ref.in_(TOWN_IDS), ref)]
    whens += [(ref.like(f"%-{town}"), literal(town)) for town in TOWN_IDS]
    return case(*whens, else_=ref)


def age_group_sql(birth_year: Any, recorded_group: Any, year: Any) -> ColumnElement[str]:
    """``age_group`` in SQL; ``year`` is an integer expression (the session's year)."""
    age = year - birth_year
    by_year = [(and_(birth_year.is_not(None), birth_year != 0, age < 0), literal(UNKNOWN))]
    by_year += [(and_(birth_year.is_not(None), birth_year != 0, age <= oldest), literal(name))
                for oldest, name in AGE_GROUP_LIMITS]
    by_year.append((and_(birth_year.is_not(None), birth_year != 0), literal(AGE_GROUPS[-1])))
    return case(*by_year, (recorded_group.in_(AGE_GROUPS), recorded_group), else_=literal(UNKNOWN))


def year_sql(day: Any) -> ColumnElement[int]:
    """The year of a date column (or of SQLite's text date), as an integer on both databases."""
    return cast(extract("year", day), Integer)


# --- learning checks (issue 21): the share correct, the same everywhere ---------------


def share_correct(correct: int, answered: int) -> float | None:
    """Right answers over answers recorded (None when none were)."""
    return correct / answered if answered else None


def learning_change(before: float | None, after: float | None) -> float | None:
    """After minus before (a fraction: 0.25 is 25 percentage points), None unless both are known."""
    return None if before is None or after is None else after - before


def answers_sql(count: Any) -> ColumnElement[int]:
    """How many answers a learning answer record stands for: 1 for a person's, the tally's count."""
    return func.coalesce(func.sum(count), 0)


def correct_answers_sql(correct: Any, count: Any) -> ColumnElement[int]:
    """How many of them were right."""
    return func.coalesce(func.sum(case((correct.is_(True), count), else_=0)), 0)
