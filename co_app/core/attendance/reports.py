"""Attendance reports: who came, disaggregated the way donors ask for it.

Every figure follows the definitions written once in co_app/core/attendance/definitions.py
(attendances, absences, not here (yet), people, age group at the first session attended,
destination, deleted records), which the exports, the office's reports across laptops and
the command line use too.

Pure Python: no Qt.  Services take a SQLAlchemy ``Session`` and return frozen dataclasses.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from co_app.core.attendance import definitions
from co_app.core.people import participants
from co_app.core.content.schema import town_key
from co_app.core.db.models import AttendanceRecord, CoSession, Household, ModuleCoverage, Participant
from co_app.core.sessions.service import SessionNotFoundError, SessionSummary, get_session
from co_app.core.foundation.errors import sentence
from co_app.core.foundation.i18n import N_

# The definitions are written once (co_app/core/attendance/definitions.py); named here too
# for the code that reads them from this module.
AGE_GROUPS, SEXES, UNKNOWN = definitions.AGE_GROUPS, definitions.SEXES, definitions.UNKNOWN
STATUSES = definitions.STATUSES
ATTENDED_STATUSES = definitions.ATTENDED_STATUSES
age_group = definitions.age_group


def age_group_for_age(age: int) -> str:
    return participants.age_group_for_age(age) or UNKNOWN


@dataclass(frozen=True)
class Person:
    """What a report needs to know of one participant (no names)."""

    participant_id: str
    sex: str
    age_group: str
    nationality: str
    destination: str


@dataclass(frozen=True)
class Totals:
    """A number of people, disaggregated.  Every known sex and age group is a key even at
    zero (a table with a missing row reads as an error); nationalities and destinations
    appear when present, most frequent first, "unknown" last."""

    total: int
    by_sex: dict[str, int]
    by_age_group: dict[str, int]
    #: age group → sex → number of people
    by_age_and_sex: dict[str, dict[str, int]]
    by_nationality: dict[str, int]
    by_destination: dict[str, int]


def _ranked(counter: Counter[str]) -> dict[str, int]:
    known = sorted(((k, n) for k, n in counter.items() if k != UNKNOWN), key=lambda kn: (-kn[1], kn[0]))
    if counter.get(UNKNOWN):
        known.append((UNKNOWN, counter[UNKNOWN]))
    return dict(known)


def totals(people: list[Person]) -> Totals:
    age_keys = (*AGE_GROUPS, UNKNOWN)
    by_sex = {s: 0 for s in SEXES}
    by_age = {a: 0 for a in age_keys}
    grid = {a: {s: 0 for s in SEXES} for a in age_keys}
    for p in people:
        by_sex[p.sex] += 1
        by_age[p.age_group] += 1
        grid[p.age_group][p.sex] += 1
    return Totals(
        total=len(people),
        by_sex=by_sex,
        by_age_group=by_age,
        by_age_and_sex=grid,
        by_nationality=_ranked(Counter(p.nationality for p in people)),
        by_destination=_ranked(Counter(p.destination for p in people)),
    )


def _person(participant: Participant, household: Household | None, on: date) -> Person:
    return Person(
        # A duplicate merged into another person is that person (definitions.person).
        participant_id=definitions.person(participant.id, getattr(participant, "merged_into", None)),
        sex=definitions.sex(participant.sex),
        age_group=definitions.age_group(participant.birth_year, participant.age_group, on),
        nationality=definitions.nationality(participant.nationality),
        destination=definitions.destination(participant.destination,
                                            household.destination if household is not None else None),
    )


@dataclass(frozen=True)
class _Visit:
    session_id: str
    session_date: date
    status: str
    participant: Participant
    household: Household | None


def _visits(db: Session, session_ids: list[str]) -> list[_Visit]:
    """Live attendance records of live participants in the given sessions."""
    if not session_ids:
        return []
    rows = db.execute(
        select(AttendanceRecord, CoSession.session_date, Participant, Household)
        .join(CoSession, CoSession.id == AttendanceRecord.session_id)
        .join(Participant, Participant.id == AttendanceRecord.participant_id)
        .outerjoin(Household, (Household.id == Participant.household_id) & Household.deleted_at.is_(None))
        .where(
            AttendanceRecord.session_id.in_(session_ids),
            AttendanceRecord.deleted_at.is_(None),
            Participant.deleted_at.is_(None),
        )
        .order_by(CoSession.session_date, CoSession.number_of_day)
    )
    return [_Visit(rec.session_id, day, rec.status, part, hh) for rec, day, part, hh in rows]


def _covered_modules(db: Session, session_ids: list[str]) -> dict[str, set[str]]:
    """session id → the ids of the modules marked covered there."""
    found: dict[str, set[str]] = {sid: set() for sid in session_ids}
    if not session_ids:
        return found
    rows = db.execute(
        select(ModuleCoverage.session_id, ModuleCoverage.module_id).where(
            ModuleCoverage.session_id.in_(session_ids),
            ModuleCoverage.covered.is_(True),
            ModuleCoverage.deleted_at.is_(None),
        )
    )
    for session_id, module_id in rows:
        found[session_id].add(module_id)
    return found


# --- one session --------------------------------------------------------------------


@dataclass(frozen=True)
class SessionReport:
    session: SessionSummary
    #: People who came (present, late or left early).
    attended: Totals
    #: People expected who did not come (status absent).  While the session is open
    #: (``closed`` is False) they are "not here (yet)" rather than absent.
    absent: Totals
    #: status → number of records: present, late, left_early, absent.
    by_status: dict[str, int]
    #: Ids of the modules marked covered, in the order of ``module_order`` when given.
    modules_covered: tuple[str, ...]

    @property
    def closed(self) -> bool:
        return self.session.status == "closed"


def _kept_people(db: Session, visits: list[_Visit]) -> dict[str, Participant]:
    """The live people merged duplicates were merged into (definitions.person), by id: a
    merged duplicate counts with the kept person's sex, age, nationality and town."""
    wanted = {v.participant.merged_into for v in visits if getattr(v.participant, "merged_into", None)}
    found = {pid: db.get(Participant, pid) for pid in wanted}
    return {pid: p for pid, p in found.items() if p is not None and p.deleted_at is None}


def _visit_person(visit: _Visit, on: date, kept: dict[str, Participant]) -> Person:
    person = _person(visit.participant, visit.household, on)
    other = kept.get(person.participant_id) if person.participant_id != visit.participant.id else None
    if other is None:
        return person
    household = other.household if other.household is not None and other.household.deleted_at is None else None
    return _person(other, household, on)


def session_report(db: Session, session_id: str, module_order: tuple[str, ...] = ()) -> SessionReport:
    """The report of one session; raises ``SessionNotFoundError`` for a deleted one.  A
    person merged into another is that person: came if either record says so."""
    summary = get_session(db, session_id)
    found: dict[str, tuple[bool, Person]] = {}
    by_status = {s: 0 for s in STATUSES}
    visits = _visits(db, [session_id])
    kept = _kept_people(db, visits)
    for visit in visits:
        person = _visit_person(visit, summary.session_date, kept)
        by_status[visit.status] = by_status.get(visit.status, 0) + 1
        came = visit.status in ATTENDED_STATUSES or found.get(person.participant_id, (False, person))[0]
        found[person.participant_id] = (came, person)
    covered = _covered_modules(db, [session_id])[session_id]
    return SessionReport(
        session=summary,
        attended=totals([p for came, p in found.values() if came]),
        absent=totals([p for came, p in found.values() if not came]),
        by_status=by_status,
        modules_covered=_in_order(covered, module_order),
    )


def _in_order(ids: set[str], order: tuple[str, ...]) -> tuple[str, ...]:
    known = [m for m in order if m in ids]
    return (*known, *sorted(ids - set(known)))


# --- across sessions ----------------------------------------------------------------


@dataclass(frozen=True)
class SessionLine:
    """One session's row in the overall report."""

    session_id: str
    session_date: date
    number_of_day: int
    place: str
    destination_towns: tuple[str, ...]
    attended: int
    #: Absent records; always 0 for an open session (see ``not_here_yet``).
    absent: int
    modules_covered: int
    closed: bool = True
    #: On the list of an open session and not checked in (yet); 0 for a closed session.
    not_here_yet: int = 0


@dataclass(frozen=True)
class ModuleReach:
    module_id: str
    #: In how many of the report's sessions the module was marked covered.
    sessions_covered: int
    #: How many different people attended a session where it was covered.
    people_reached: int


@dataclass(frozen=True)
class OverallReport:
    start: date
    end: date
    destination: str | None
    sessions: tuple[SessionLine, ...]
    #: Different people who attended at least one session (each counted once).
    people: Totals
    #: Attendances: one per person per session attended (a person at 3 sessions = 3).
    attendances: int
    #: Absent records (one per person per closed session missed).  People not checked
    #: in at a session still open are not absences: they are in ``not_here_yet``.
    absences: int
    #: Modules in ``module_order`` first, then any other id found; zero rows kept.
    modules: tuple[ModuleReach, ...]
    #: Absent records at sessions still open: expected, not here (yet).
    not_here_yet: int = 0


def _sessions_between(db: Session, start: date, end: date) -> list[CoSession]:
    return list(db.scalars(
        select(CoSession)
        .where(CoSession.session_date >= start, CoSession.session_date <= end, CoSession.deleted_at.is_(None))
        .order_by(CoSession.session_date, CoSession.number_of_day)))


def _module_reach(covered: dict[str, set[str]], attended_in: dict[str, set[str]],
                  module_order: tuple[str, ...]) -> tuple[ModuleReach, ...]:
    """Per module: the sessions that covered it and the people who attended one of them."""
    all_modules = set().union(*covered.values()) if covered else set()
    modules = []
    for module_id in _in_order(all_modules | set(module_order), module_order):
        sessions_with = [sid for sid, ids in covered.items() if module_id in ids]
        reached = set().union(*(attended_in[sid] for sid in sessions_with)) if sessions_with else set()
        modules.append(ModuleReach(module_id, len(sessions_with), len(reached)))
    return tuple(modules)


def overall_report(
    db: Session,
    start: date,
    end: date,
    *,
    destination: str | None = None,
    module_order: tuple[str, ...] = (),
) -> OverallReport:
    """Sessions dated ``start`` to ``end`` (both included).  ``destination`` is a town id
    or a film id (see ``town_key``).

    With ``destination`` only participants going there count; the sessions listed are
    those planned for that town plus any other where one of those participants came.
    """
    rows = _sessions_between(db, start, end)
    destination = town_key(destination) if destination else None
    visits = _visits(db, [r.id for r in rows])
    closed = {r.id for r in rows if r.status == "closed"}
    people_at: dict[str, Person] = {}  # first attended session decides the age
    attended_in: dict[str, set[str]] = {r.id: set() for r in rows}
    absent_in: dict[str, int] = {r.id: 0 for r in rows}
    waiting_in: dict[str, int] = {r.id: 0 for r in rows}  # open sessions: not here (yet)
    found: dict[tuple[str, str], str] = {}  # (session, person) → what it counts as, once
    kept = _kept_people(db, visits)
    for v in visits:
        person = _person(v.participant, v.household, v.session_date)
        if destination and person.destination != destination:  # the record's own person, as in SQL
            continue
        person = _visit_person(v, v.session_date, kept)
        counted = definitions.counts_as(v.status, "closed" if v.session_id in closed else "open")
        key = (v.session_id, person.participant_id)
        found[key] = definitions.strongest(found.get(key), counted)
        if counted == definitions.ATTENDANCE:
            people_at.setdefault(person.participant_id, person)
    for (session_id, person_id), counted in found.items():
        if counted == definitions.ATTENDANCE:
            attended_in[session_id].add(person_id)
        elif counted == definitions.ABSENCE:
            absent_in[session_id] += 1
        else:
            waiting_in[session_id] += 1
    if destination:
        rows = [r for r in rows if attended_in[r.id] or absent_in[r.id] or waiting_in[r.id]
                or destination in {town_key(t) for t in r.destination_towns or ()}]
    covered = _covered_modules(db, [r.id for r in rows])
    lines = tuple(
        SessionLine(r.id, r.session_date, r.number_of_day, r.place,
                    tuple(town_key(t) for t in r.destination_towns or ()),
                    len(attended_in[r.id]), absent_in[r.id], len(covered[r.id]),
                    closed=r.id in closed, not_here_yet=waiting_in[r.id])
        for r in rows
    )
    return OverallReport(
        start=start,
        end=end,
        destination=destination,
        sessions=lines,
        people=totals(list(people_at.values())),
        attendances=sum(len(ids) for ids in attended_in.values()),
        absences=sum(absent_in.values()),
        modules=_module_reach(covered, attended_in, module_order),
        not_here_yet=sum(waiting_in.values()),
    )


def session_date_range(db: Session) -> tuple[date, date] | None:
    """The first and last session dates on this computer (the overall report's default)."""
    days = list(db.scalars(select(CoSession.session_date).where(CoSession.deleted_at.is_(None))))
    return (min(days), max(days)) if days else None


@dataclass(frozen=True)
class SessionState:
    """What the session's actions need: whether it is closed (and when), and how many
    people are on its list and came (for the sign-in sheet and certificates)."""

    session_id: str
    closed: bool
    closed_at: datetime | None
    on_list: int
    attended: int


def session_state(db: Session, session_id: str) -> SessionState:
    row = db.get(CoSession, session_id)
    if row is None or row.deleted_at is not None:
        raise SessionNotFoundError(sentence(N_("That session no longer exists on this computer.")))
    visits = _visits(db, [session_id])
    return SessionState(
        session_id=session_id,
        closed=row.status == "closed",
        closed_at=row.closed_at,
        on_list=len(visits),
        attended=sum(1 for v in visits if v.status in ATTENDED_STATUSES),
    )


# --- who is on the sign-in sheet, and who gets a certificate ------------------------


@dataclass(frozen=True)
class RosterLine:
    """A participant as the printouts show them (names: personal data, never audited)."""

    participant_id: str
    case_number: str
    household_case: str
    given_name: str
    family_name: str
    status: str  # the attendance status: present, late, left_early or absent
    languages: tuple[str, ...]
    destination: str


def _roster_line(p: Participant, hh: Household | None, status: str) -> RosterLine:
    return RosterLine(
        participant_id=p.id,
        case_number=p.case_number,
        household_case=hh.case_number if hh is not None else "",
        given_name=p.given_name,
        family_name=p.family_name,
        status=status,
        languages=tuple(p.languages or ()),
        destination=town_key(p.destination or (hh.destination if hh is not None else "")),
    )


def _sort_key(line: RosterLine) -> tuple[str, str, str, str]:
    # Households stay together on paper: a family signs on neighbouring lines.
    return (line.household_case or line.case_number, line.case_number, line.family_name.casefold(),
            line.given_name.casefold())


def expected_participants(db: Session, session_id: str) -> list[RosterLine]:
    """Who is on the session's list: everyone with an attendance record there, whatever
    its status (co_app/core/attendance/checkin.py: a roster import or an added participant makes an
    "absent" record, check-in turns it to present).  A session with no list yet gives an
    empty list: its sign-in sheet is all empty lines."""
    get_session(db, session_id)
    return sorted((_roster_line(v.participant, v.household, v.status) for v in _visits(db, [session_id])),
                  key=_sort_key)


def attended_participants(db: Session, session_id: str) -> list[RosterLine]:
    """Who came to the session (present, late or left early): they get a certificate."""
    get_session(db, session_id)
    return sorted(
        (_roster_line(v.participant, v.household, v.status) for v in _visits(db, [session_id])
         if v.status in ATTENDED_STATUSES),
        key=_sort_key,
    )



def check_in_times(db: Session, session_id: str) -> dict[str, datetime]:
    """participant id → when they were checked in, for those who came (the sign-in sheet's
    time column); nobody not yet checked in has a time."""
    rows = db.execute(
        select(AttendanceRecord.participant_id, AttendanceRecord.checked_in_at).where(
            AttendanceRecord.session_id == session_id,
            AttendanceRecord.deleted_at.is_(None),
            AttendanceRecord.status.in_(sorted(ATTENDED_STATUSES)),
        )
    )
    return {pid: when for pid, when in rows if when is not None}
