"""Participants and households: add, edit, soft-delete, with validation a person can act on.

A household is a resettlement case: it is identified by its case number and created the
first time a participant with that number is saved.  A participant without a case number
(a walk-in) has no household.  Widgets receive ``ParticipantView`` — a plain frozen
dataclass — never an ORM object.

Age: a participant has a birth year *or*, when it is not known, an age group.  When a birth
year is given the age group is not stored; ``age_group_on`` derives it for any date.
Deletes are soft: the row stays as a tombstone (``deleted_at``) so the deletion syncs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from co_app.core.db import validation
from co_app.core.db.base import utcnow
from co_app.core.db.models import AttendanceRecord, CoSession, Household, Participant
# The words a participant's fields may hold are the validation layer's, the same for the
# sync import, the roster and the forms.
from co_app.core.db.validation import AGE_GROUPS, NEEDS, SEXES
from co_app.core.foundation.errors import CoError, Notice, sentence
from co_app.core.foundation.i18n import N_

__all__ = ["AGE_GROUPS", "NEEDS", "SEXES"]  # also imported from here
NEED_LABELS = {
    "literacy": N_("Reading and writing"),
    "mobility": N_("Mobility"),
    "hearing": N_("Hearing"),
    "vision": N_("Vision"),
    "childcare": N_("Childcare during the session"),
    "health": N_("Health condition"),
}
SEX_LABELS = {"female": N_("Female"), "male": N_("Male"), "other": N_("Other"), "unknown": N_("Not known")}
#: The oldest plausible participant; anything older is a typing mistake.
MAX_AGE = 110
MAX_NAME = 200
MAX_CASE = 64


class ParticipantNotFoundError(CoError):
    """The participant was deleted (or never existed on this computer)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a participant's data: which field, and what, as a ``Notice``
    (``str(problem.message)`` is English, ``.translated()`` the interface language)."""

    field: str
    message: Notice


class InvalidParticipantError(CoError):
    """The data cannot be saved; ``problems`` says what is wrong, field by field."""

    def __init__(self, problems: list[Problem]):
        super().__init__(" ".join(str(p.message) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class ParticipantData:
    """What a form or a roster row says about a person (before it is saved)."""

    case_number: str = ""
    given_name: str = ""
    family_name: str = ""
    sex: str = "unknown"
    birth_year: int | None = None
    age_group: str | None = None
    nationality: str = ""
    languages: tuple[str, ...] = ()
    destination: str = ""
    needs: tuple[str, ...] = ()
    consent: bool = False
    consent_date: date | None = None


@dataclass(frozen=True)
class ParticipantView(ParticipantData):
    """A saved participant, as the interface shows it."""

    id: str = ""
    household_id: str | None = None
    #: The other participants' ids of the same case, for "whole household".
    household_size: int = field(default=1, compare=False)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    def data(self) -> ParticipantData:
        return ParticipantData(**{name: getattr(self, name) for name in ParticipantData.__dataclass_fields__})


#: The donors' age groups: (oldest age in the group, its name); older than all is "60+".
AGE_GROUP_LIMITS = ((4, "0-4"), (11, "5-11"), (17, "12-17"), (59, "18-59"))


def age_group_for_age(age: int) -> str | None:
    """The age group of someone ``age`` years old; None for a negative age (a birth year
    after the date in question)."""
    if age < 0:
        return None
    return next((name for oldest, name in AGE_GROUP_LIMITS if age <= oldest), "60+")


def age_group_on(birth_year: int | None, age_group: str | None, on: date) -> str | None:
    """The age group at ``on``: from the birth year when known (age = years since the birth
    year, as a birth date within the year is not recorded), else the stored group."""
    if birth_year is None:
        return age_group
    return age_group_for_age(on.year - birth_year)


def clean(data: ParticipantData, *, today: date) -> ParticipantData:
    """Whitespace trimmed, control characters dropped (invisible, pasted in from another
    program: they would break the XLSX export), codes in their usual case, the age group
    dropped when a birth year is known, and consent dated today when given without a date."""
    line = validation.single_line
    languages = tuple(dict.fromkeys(line(code) for code in data.languages if code and line(code)))
    given = dict.fromkeys(line(x) for x in data.needs if x and line(x))
    # Known needs in their usual order; unknown ones kept, so that validate() names them.
    needs = tuple(sorted(given, key=lambda n: (NEEDS.index(n) if n in NEEDS else len(NEEDS), n)))
    return replace(
        data,
        case_number=line(data.case_number),
        given_name=line(data.given_name),
        family_name=line(data.family_name),
        sex=line(data.sex or "unknown").lower(),
        age_group=None if data.birth_year is not None else (line(data.age_group or "") or None),
        nationality=line(data.nationality).upper(),
        languages=languages,
        destination=line(data.destination),
        needs=needs,
        consent_date=(data.consent_date or today) if data.consent else None,
    )


def _known_country(code: str) -> bool:
    from babel import Locale

    return code in Locale("en").territories and code.isalpha()


def validate(data: ParticipantData, *, today: date, towns: Iterable[str] | None = None) -> list[Problem]:
    """Every problem with ``data`` (already ``clean``-ed); empty when it may be saved.
    ``towns``: the destination ids allowed (None: not checked)."""
    problems: list[Problem] = []

    def bad(name: str, template: str, **params: object) -> None:
        problems.append(Problem(name, Notice(template, **params)))

    if not data.given_name and not data.family_name:
        bad("given_name", N_("A name is needed: the given name, the family name or both."))
    for name, value in (("given_name", data.given_name), ("family_name", data.family_name)):
        if len(value) > MAX_NAME:
            bad(name, N_("The name is longer than {count} characters."), count=MAX_NAME)
    if len(data.case_number) > MAX_CASE:
        bad("case_number", N_("The case number is longer than {count} characters."), count=MAX_CASE)
    if data.sex not in SEXES:
        bad("sex", N_("The sex '{value}' is not one of female, male, other or not known."), value=data.sex)
    if data.birth_year is not None and not today.year - MAX_AGE <= data.birth_year <= today.year:
        bad("birth_year", N_("The birth year {year} is not between {first} and {last}."),
            year=data.birth_year, first=today.year - MAX_AGE, last=today.year)
    if data.age_group is not None and data.age_group not in AGE_GROUPS:
        bad("age_group", N_("The age group '{value}' is not one of 0-4, 5-11, 12-17, 18-59 or 60+."),
            value=data.age_group)
    if data.nationality and not (len(data.nationality) == 2 and _known_country(data.nationality)):
        bad("nationality", N_("The nationality '{value}' is not a two-letter country code such as SY or AF."),
            value=data.nationality)
    for code in data.languages:
        if len(code) > 16 or not code.replace("_", "").replace("-", "").isalpha():
            bad("languages", N_("The language '{value}' is not a language code such as ar or ti."), value=code)
    if data.destination and towns is not None and data.destination not in set(towns):
        bad("destination", N_("The destination '{value}' is not one of the towns."), value=data.destination)
    for need in data.needs:
        if need not in NEEDS:
            bad("needs", N_("The need '{value}' is not one of those the application knows."), value=need)
    if data.consent_date is not None and data.consent_date > today:
        bad("consent_date", N_("The consent date is in the future."))
    for name, value in _canonical(data).items():  # what the sync import would refuse, said here
        problem = None if any(p.field == name for p in problems) else validation.value_problem(
            "participants", name, value)
        if problem is not None:
            bad(name, N_("This cannot be saved: {problem}."), problem=problem)
    return problems


def _canonical(data: ParticipantData) -> dict[str, object]:
    """The fields as a synced record holds them (co_app/core/sync/records.py)."""
    values: dict[str, object] = {name: getattr(data, name) for name in ParticipantData.__dataclass_fields__}
    values.update(languages=list(data.languages), needs=list(data.needs),
                  consent_date=data.consent_date.isoformat() if data.consent_date else None)
    return values


# --- reading -----------------------------------------------------------------------


def _view(row: Participant, household_size: int = 1) -> ParticipantView:
    return ParticipantView(
        id=row.id,
        household_id=row.household_id,
        household_size=household_size,
        case_number=row.case_number,
        given_name=row.given_name,
        family_name=row.family_name,
        sex=row.sex,
        birth_year=row.birth_year,
        age_group=row.age_group,
        nationality=row.nationality,
        languages=tuple(row.languages or ()),
        destination=row.destination,
        needs=tuple(row.needs or ()),
        consent=row.consent,
        consent_date=row.consent_date,
    )


def _active(db: Session, participant_id: str) -> Participant:
    row = db.get(Participant, participant_id)
    if row is None or row.deleted_at is not None:
        raise ParticipantNotFoundError(sentence(N_("That participant no longer exists on this computer.")))
    return row


def _household_sizes(db: Session) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for household_id in db.scalars(select(Participant.household_id).where(
            Participant.deleted_at.is_(None), Participant.household_id.is_not(None))):
        sizes[household_id] = sizes.get(household_id, 0) + 1
    return sizes


def get_participant(db: Session, participant_id: str) -> ParticipantView:
    row = _active(db, participant_id)
    size = 1
    if row.household_id:
        size = len(household_member_ids(db, row.household_id))
    return _view(row, size)


def household_member_ids(db: Session, household_id: str) -> list[str]:
    return list(db.scalars(select(Participant.id).where(
        Participant.household_id == household_id, Participant.deleted_at.is_(None))))


def list_participants(db: Session, session_id: str | None = None) -> list[ParticipantView]:
    """Everyone (``session_id`` None) or those expected at / checked in to a session,
    sorted by case number then name."""
    query = select(Participant).where(Participant.deleted_at.is_(None))
    if session_id is not None:
        query = query.join(AttendanceRecord, AttendanceRecord.participant_id == Participant.id).where(
            AttendanceRecord.session_id == session_id, AttendanceRecord.deleted_at.is_(None))
    sizes = _household_sizes(db)
    rows = [_view(r, sizes.get(r.household_id or "", 1)) for r in db.scalars(query)]
    rows.sort(key=lambda p: (p.case_number.casefold(), p.family_name.casefold(), p.given_name.casefold()))
    return rows


# --- writing -----------------------------------------------------------------------


def household_for(db: Session, case_number: str, destination: str = "") -> Household | None:
    """The active household of ``case_number``, created when there is none yet (not
    committed).  None for an empty case number."""
    if not case_number:
        return None
    household = db.scalars(select(Household).where(
        Household.case_number == case_number, Household.deleted_at.is_(None))).first()
    if household is None:
        household = Household(case_number=case_number, destination=destination)
        db.add(household)
        db.flush()
    elif destination and not household.destination:
        household.destination = destination
    return household


def _apply(row: Participant, data: ParticipantData) -> None:
    row.case_number = data.case_number
    row.given_name = data.given_name
    row.family_name = data.family_name
    row.sex = data.sex
    row.birth_year = data.birth_year
    row.age_group = data.age_group
    row.nationality = data.nationality
    row.languages = list(data.languages)
    row.destination = data.destination
    row.needs = list(data.needs)
    row.consent = data.consent
    row.consent_date = data.consent_date


def _checked(data: ParticipantData, today: date | None, towns: Iterable[str] | None) -> ParticipantData:
    today = today or date.today()
    data = clean(data, today=today)
    problems = validate(data, today=today, towns=towns)
    if problems:
        raise InvalidParticipantError(problems)
    return data


def expect_at_session(db: Session, session_id: str, participant_id: str) -> bool:
    """Put the participant on the session's roster (an "absent" attendance record, see
    ``co_app.core.attendance.checkin``) unless they already have a record there.  Not committed.
    True when a record was made or brought back."""
    record = db.scalars(select(AttendanceRecord).where(
        AttendanceRecord.session_id == session_id, AttendanceRecord.participant_id == participant_id)).first()
    if record is None:
        db.add(AttendanceRecord(session_id=session_id, participant_id=participant_id, status="absent"))
        return True
    if record.deleted_at is not None:
        record.deleted_at = None
        record.status, record.note, record.checked_in_at = "absent", "", utcnow()
        return True
    return False


def save_new(db: Session, data: ParticipantData) -> Participant:
    """Add an already validated participant (and their household); not committed."""
    household = household_for(db, data.case_number, data.destination)
    row = Participant(household_id=household.id if household else None)
    _apply(row, data)
    db.add(row)
    db.flush()
    return row


def add_participant(db: Session, data: ParticipantData, *, session_id: str | None = None,
                    today: date | None = None, towns: Iterable[str] | None = None) -> ParticipantView:
    """Validate and save a new participant; with ``session_id`` they are expected there."""
    data = _checked(data, today, towns)
    if session_id is not None and db.get(CoSession, session_id) is None:
        raise CoError(sentence(N_("That session no longer exists on this computer.")))
    row = save_new(db, data)
    if session_id is not None:
        expect_at_session(db, session_id, row.id)
    db.commit()
    return get_participant(db, row.id)


def apply_update(db: Session, row: Participant, data: ParticipantData) -> None:
    """Change a participant to ``data`` (validated); a new case number moves them to that
    household, and a household left empty becomes a tombstone.  Not committed."""
    old_household = row.household_id
    if data.case_number != row.case_number or (data.case_number and not row.household_id):
        household = household_for(db, data.case_number, data.destination)
        row.household_id = household.id if household else None
    _apply(row, data)
    db.flush()
    if old_household and old_household != row.household_id and not household_member_ids(db, old_household):
        emptied = db.get(Household, old_household)
        if emptied is not None:
            emptied.deleted_at = utcnow()


def update_participant(db: Session, participant_id: str, data: ParticipantData, *,
                       today: date | None = None, towns: Iterable[str] | None = None) -> ParticipantView:
    data = _checked(data, today, towns)
    row = _active(db, participant_id)
    apply_update(db, row, data)
    db.commit()
    return get_participant(db, participant_id)


def delete_participant(db: Session, participant_id: str) -> None:
    """Soft-delete the participant and their attendance records (so no report counts a
    person who was entered by mistake); a household left empty is deleted too."""
    row = _active(db, participant_id)
    now = utcnow()
    row.deleted_at = now
    for record in db.scalars(select(AttendanceRecord).where(
            AttendanceRecord.participant_id == participant_id, AttendanceRecord.deleted_at.is_(None))):
        record.deleted_at = now
    db.flush()
    if row.household_id and not household_member_ids(db, row.household_id):
        household = db.get(Household, row.household_id)
        if household is not None:
            household.deleted_at = now
    db.commit()
