"""Reports across laptops, computed by the database: one SQL aggregation per step (the
same SQLAlchemy Core query on SQLite and PostgreSQL), never a Python loop over records.

Every figure follows ``co_app.core.attendance.definitions``.  The filter narrows the
sessions (dates, place, laptop, facilitator) and the people (destination); the report
gives the totals and, for each breakdown, people (by sex) and attendances:

* by **sex, age group, nationality, destination** — attributes of the person (a person
  is in one row; their attendances count in that row);
* by **module** covered and by **laptop** — attributes of the session (a person who
  attended two modules is reached by both).

With them, in the same snapshot, the learning figures of the same sessions (issue 21:
``co_app.core.learning.report``, per module the share correct before and after and the
change, by sex and age group, and the questions most often missed) as ``Report.learning``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine, String, and_, case, cast, func, literal_column, or_, select, union_all
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import Select

from co_app.core.attendance import definitions as d
from co_app.core.content.schema import town_key
from co_app.core.db.models import AppMeta, AttendanceRecord, CoSession, Household, ModuleCoverage, Participant
from co_app.core.db.models import SyncPeer
from co_app.core.foundation.errors import Cancelled, CoError, sentence
from co_app.core.foundation.i18n import N_
from co_app.core.learning import report as learning_report
from co_app.core.learning.report import LearningReport

PERSON_BREAKDOWNS = ("sex", "age_group", "nationality", "destination")
SESSION_BREAKDOWNS = ("module", "laptop")
BREAKDOWNS = (*PERSON_BREAKDOWNS, *SESSION_BREAKDOWNS)
#: Four queries of attendance, then the learning figures (two queries, one step).
STEPS = 5

A, S, P, H = (AttendanceRecord.__table__, CoSession.__table__, Participant.__table__, Household.__table__)
M = ModuleCoverage.__table__


class ReportError(CoError):
    """The report cannot be made as asked (a bad date range, an unwritable file)."""


@dataclass(frozen=True)
class ReportFilter:
    """What the report covers; None (or "") is "any"."""

    start: date | None = None
    end: date | None = None
    #: A town id, or a film id ("germany-jena" is "jena"): only people going there count.
    destination: str | None = None
    place: str | None = None
    #: The device id of the laptop that created the session.
    laptop: str | None = None
    facilitator: str | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ReportError(sentence(N_("The report's range starts on {start}, after its end {end}: swap the "
                                          "dates."), start=self.start.isoformat(), end=self.end.isoformat()))

    def as_json(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    #: Different people with an attendance in this row.
    people: int
    attendances: int
    #: sex → people (every sex of ``definitions.SEXES``, zeros kept).
    people_by_sex: dict[str, int] = field(default_factory=dict)
    #: Sessions in this row (module and laptop breakdowns only; else 0).
    sessions: int = 0


@dataclass(frozen=True)
class Breakdown:
    name: str
    rows: tuple[BreakdownRow, ...]


@dataclass(frozen=True)
class FutureSessions:
    """Sessions a laptop dated after the office's today, counted in the report: planned
    ahead, or dated by a clock running ahead (``clock_offset_days`` > 0, laptops.py)."""

    laptop: str
    name: str
    sessions: int
    clock_offset_days: int = 0


@dataclass(frozen=True)
class Report:
    filter: ReportFilter
    sessions: int
    people: int
    attendances: int
    absences: int
    expected: int
    not_here_yet: int
    breakdowns: tuple[Breakdown, ...]
    #: device id → the laptop's name (as the office knows it), for the laptop breakdown.
    laptop_names: dict[str, str] = field(default_factory=dict)
    #: The learning checks' figures of the same sessions (no modules when no answers).
    learning: LearningReport = field(default_factory=lambda: LearningReport((), ()))
    #: The first and last date of the sessions counted (None: no sessions).
    first_date: date | None = None
    last_date: date | None = None
    #: Per laptop, its sessions counted that are dated after the office's today.
    future: tuple[FutureSessions, ...] = ()

    @property
    def future_sessions(self) -> int:
        return sum(row.sessions for row in self.future)

    def breakdown(self, name: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.name == name)

    def totals(self) -> dict[str, int]:
        return {"sessions": self.sessions, "people": self.people, "attendances": self.attendances,
                "absences": self.absences, "expected": self.expected, "not_here_yet": self.not_here_yet}

    def as_json(self) -> dict[str, Any]:
        return {"filter": self.filter.as_json(), "totals": self.totals(),
                "breakdowns": {b.name: [asdict(r) for r in b.rows] for b in self.breakdowns},
                "laptop_names": self.laptop_names, "learning": self.learning.as_json(),
                "first_date": self.first_date.isoformat() if self.first_date else None,
                "last_date": self.last_date.isoformat() if self.last_date else None,
                "future_sessions": self.future_sessions, "future_sessions_by_laptop": [asdict(r) for r in self.future]}


# --- the SQL ------------------------------------------------------------------------------


def session_laptop_sql(sessions: Any = S) -> Any:
    """The device that created a session: ``origin_device``, derived from the record's dots
    alike on every database (co_app/core/db/origins.py)."""
    return sessions.c.origin_device


def _session_where(flt: ReportFilter) -> list[Any]:
    where: list[Any] = [S.c.deleted_at.is_(None)]
    if flt.start:
        where.append(S.c.session_date >= flt.start)
    if flt.end:
        where.append(S.c.session_date <= flt.end)
    if flt.place:
        where.append(S.c.place == flt.place)
    if flt.facilitator:
        where.append(S.c.facilitator == flt.facilitator)
    if flt.laptop:
        where.append(session_laptop_sql(S) == flt.laptop)
    return where


def session_conditions(flt: ReportFilter) -> list[Any]:
    """The filter's conditions on the sessions table, for reports of the same sessions
    computed elsewhere: ``co_app.core.learning.report.compute(engine, session_conditions(flt))``
    gives the learning figures (issue 21) of exactly these sessions."""
    return _session_where(flt)


def _records_from(flt: ReportFilter) -> tuple[Any, list[Any]]:
    """The join of records, sessions, people and households, and the filter's conditions."""
    where = [*_session_where(flt), A.c.deleted_at.is_(None), P.c.deleted_at.is_(None)]
    live_household = and_(H.c.id == P.c.household_id, H.c.deleted_at.is_(None))
    if flt.destination:
        where.append(d.destination_sql(P.c.destination, H.c.destination) == town_key(flt.destination))
    joined = (A.join(S, S.c.id == A.c.session_id).join(P, P.c.id == A.c.participant_id)
              .outerjoin(H, live_household))
    return joined, where


def _first_of_person() -> Any:
    """A record counts unless another record of the same person (a person merged into
    another is that person) at the same session is stronger (an attendance beats an absence)
    or as strong and first by id: two records of one person at one session are one visit.
    Asked only of the records a merge touches (a record is unique per session and participant)."""
    a2, p2 = A.alias("other_record"), P.alias("other_person")
    rank_mine, rank_other = d.attended_sql(A.c.status), d.attended_sql(a2.c.status)
    shadowing = (select(literal_column("1")).select_from(a2.join(p2, p2.c.id == a2.c.participant_id))
                 .where(a2.c.session_id == A.c.session_id, a2.c.id != A.c.id, a2.c.deleted_at.is_(None),
                        p2.c.deleted_at.is_(None), d.person_sql(p2) == d.person_sql(P),
                        or_(rank_other > rank_mine, and_(rank_other == rank_mine, a2.c.id < A.c.id))))
    keepers = select(P.c.merged_into).where(P.c.merged_into.is_not(None)).correlate(None).scalar_subquery()
    untouched = and_(P.c.merged_into.is_(None), P.c.id.not_in(keepers))
    return or_(untouched, ~shadowing.exists())


def visits_query(flt: ReportFilter) -> Select:
    """One row per person and session the filter keeps, with what it counts as and the
    person's sex (``_first_of_person``: a merged duplicate's record at a session where the
    person has another counts once)."""
    joined, where = _records_from(flt)
    return (select(d.person_sql(P).label("participant_id"), A.c.session_id, S.c.session_date,
                   d.attended_sql(A.c.status).label("att"),
                   d.absent_sql(A.c.status, S.c.status).label("abs"),
                   d.not_here_yet_sql(A.c.status, S.c.status).label("wait"),
                   d.sex_sql(P.c.sex).label("sex"),
                   session_laptop_sql(S).label("laptop"))
            .select_from(joined).where(*where, _first_of_person()))


def records_query(flt: ReportFilter) -> Select:
    """One row per record the report counts, without names (the donor report's records
    sheet): session date, place, laptop, sex, age group at that session, nationality,
    destination, status and the session's status."""
    joined, where = _records_from(flt)
    return (select(S.c.session_date, S.c.place, session_laptop_sql(S).label("laptop"),
                   d.sex_sql(P.c.sex).label("sex"),
                   d.age_group_sql(P.c.birth_year, P.c.age_group, d.year_sql(S.c.session_date)).label("age_group"),
                   d.nationality_sql(P.c.nationality).label("nationality"),
                   d.destination_sql(P.c.destination, H.c.destination).label("destination"),
                   A.c.status, S.c.status.label("session_status"))
            .select_from(joined).where(*where).order_by(S.c.session_date, S.c.number_of_day, S.c.id))


def _sessions_query(flt: ReportFilter, visits: Any) -> Select:
    """The report's sessions, with their laptop: every session the filter keeps; with a
    destination, those planned for the town or where someone going there was expected."""
    where = _session_where(flt)
    if flt.destination:
        town = town_key(flt.destination)
        towns = cast(S.c.destination_towns, String)
        where.append(or_(S.c.id.in_(select(visits.c.session_id)),
                         towns.like(f'%"{town}"%'), towns.like(f'%-{town}"%')))
    return select(S.c.id, session_laptop_sql(S).label("laptop"), S.c.session_date).where(*where)


def _dates_query(sessions: Any, today: date) -> Select:
    """Per laptop: the first and last session date, and how many sessions are after ``today``."""
    later = func.coalesce(func.sum(case((sessions.c.session_date > today, 1), else_=0)), 0)
    return (select(sessions.c.laptop, func.min(sessions.c.session_date), func.max(sessions.c.session_date), later)
            .group_by(sessions.c.laptop))


def _totals_query(visits: Any, sessions: Any) -> Select:
    people = func.count(func.distinct(d.case_when_attended(visits.c.att, visits.c.participant_id)))
    return select(select(func.count()).select_from(sessions).scalar_subquery(),
                  people, func.coalesce(func.sum(visits.c.att), 0), func.coalesce(func.sum(visits.c.abs), 0),
                  func.count(visits.c.participant_id), func.coalesce(func.sum(visits.c.wait), 0))


def _person_dimensions(visits: Any) -> Select:
    """One row per person who attended: their attendances and the four person breakdowns'
    keys (age at their first session attended)."""
    per = (select(visits.c.participant_id, func.min(d.case_when_attended(visits.c.att, visits.c.session_date))
                  .label("first"), func.sum(visits.c.att).label("n"))
           .group_by(visits.c.participant_id).having(func.sum(visits.c.att) > 0).cte("per"))
    live_household = and_(H.c.id == P.c.household_id, H.c.deleted_at.is_(None))
    persons = (select(per.c.n, d.sex_sql(P.c.sex).label("sex"),
                      d.age_group_sql(P.c.birth_year, P.c.age_group, d.year_sql(per.c.first)).label("age_group"),
                      d.nationality_sql(P.c.nationality).label("nationality"),
                      d.destination_sql(P.c.destination, H.c.destination).label("destination"))
               .select_from(per.join(P, P.c.id == per.c.participant_id).outerjoin(H, live_household))
               .cte("persons"))
    branches = [select(literal_column(f"'{name}'").label("dim"), persons.c[name].label("key"), persons.c.sex,
                       func.count().label("people"), func.sum(persons.c.n).label("att"))
                .group_by(persons.c[name], persons.c.sex) for name in PERSON_BREAKDOWNS]
    return union_all(*branches)


def _session_dimensions(visits: Any) -> Select:
    came = select(visits).where(visits.c.att == 1).cte("came")
    covered = and_(M.c.session_id == came.c.session_id, M.c.covered.is_(True), M.c.deleted_at.is_(None))
    by_module = (select(literal_column("'module'").label("dim"), M.c.module_id.label("key"), came.c.sex,
                        func.count(func.distinct(came.c.participant_id)).label("people"),
                        func.count().label("att"))
                 .select_from(came.join(M, covered)).group_by(M.c.module_id, came.c.sex))
    by_laptop = (select(literal_column("'laptop'").label("dim"), came.c.laptop.label("key"), came.c.sex,
                        func.count(func.distinct(came.c.participant_id)).label("people"),
                        func.count().label("att"))
                 .group_by(came.c.laptop, came.c.sex))
    return union_all(by_module, by_laptop)


def _session_counts(sessions: Any) -> Select:
    covered = and_(M.c.session_id == sessions.c.id, M.c.covered.is_(True), M.c.deleted_at.is_(None))
    by_module = (select(literal_column("'module'").label("dim"), M.c.module_id.label("key"),
                        func.count().label("n"))
                 .select_from(sessions.join(M, covered)).group_by(M.c.module_id))
    by_laptop = (select(literal_column("'laptop'").label("dim"), sessions.c.laptop.label("key"),
                        func.count().label("n")).group_by(sessions.c.laptop))
    return union_all(by_module, by_laptop)


# --- computing ---------------------------------------------------------------------------


def compute(engine: Engine, flt: ReportFilter = ReportFilter(), progress: Callable[[int, int], None] | None = None,
            cancel: Callable[[], bool] | None = None, module_order: Sequence[str] = (),
            today: date | None = None) -> Report:
    """The report ``flt`` asks for, in ``STEPS`` steps read in one transaction (a
    consistent snapshot).  ``progress(done, STEPS)`` after each; ``cancel()`` is asked
    between them and while each attendance query runs (``Cancelled``; it may be called
    from another thread).  The learning figures list modules in ``module_order``; sessions
    after ``today`` (the office's date) are named per laptop (``Report.future``)."""
    visits = visits_query(flt).cte("visits")
    sessions = _sessions_query(flt, visits).cte("report_sessions")
    found: dict[str, dict[str, dict[str, list[int]]]] = {name: {} for name in BREAKDOWNS}
    counts: dict[tuple[str, str], int] = {}
    queries = (_totals_query(visits, sessions), _person_dimensions(visits), _session_dimensions(visits),
               _session_counts(sessions))
    with engine.connect() as conn, conn.begin():
        results = []
        for step, query in enumerate(queries, start=1):
            if cancel is not None and cancel():
                raise Cancelled(sentence(N_("The report was cancelled.")))
            results.append(_run(conn, query, cancel))
            if progress is not None:
                progress(step, STEPS)
        if cancel is not None and cancel():
            raise Cancelled(sentence(N_("The report was cancelled.")))
        learning = learning_report.compute_on(conn, session_conditions(flt), module_order)
        if progress is not None:
            progress(STEPS, STEPS)
        names = _laptop_names(conn)
        dates = _run(conn, _dates_query(sessions, today or date.today()), cancel)
    totals = tuple(int(v or 0) for v in results[0][0])
    for dim, key, sex, people, att in (*results[1], *results[2]):
        cell = found[dim].setdefault(key if key is not None else d.UNKNOWN, {}).setdefault(sex, [0, 0])
        cell[0] += int(people)
        cell[1] += int(att or 0)
    for dim, key, n in results[3]:
        counts[(dim, key if key is not None else d.UNKNOWN)] = int(n)
    for dim, key in counts:  # a module covered where nobody came is still a row
        found[dim].setdefault(key, {})
    return Report(flt, totals[0], totals[1], totals[2], totals[3], totals[4], totals[5],
                  tuple(Breakdown(name, _rows(name, found[name], counts)) for name in BREAKDOWNS), names, learning,
                  min((row[1] for row in dates), default=None), max((row[2] for row in dates), default=None),
                  _future(engine, dates, names))


def _future(engine: Engine, dates: list[Any], names: dict[str, str]) -> tuple[FutureSessions, ...]:
    """The laptops whose sessions counted are dated after today, with how far their clock
    seems ahead (laptops.py's check of their latest package; a device a laptop used before
    its folder was restored counts as that laptop)."""
    if not any(row[3] for row in dates):
        return ()
    from co_app.core.db.origins import device_owners
    from co_app.core.office import laptops

    with engine.connect() as conn:
        owners = device_owners(conn)
    clocks = {row.device_id: row for row in laptops.list_laptops(engine)}
    per: dict[str, int] = {}
    for device, _first, _last, later in dates:
        if later:
            key = owners.get(device, device) or ""
            per[key] = per.get(key, 0) + int(later)
    out = [FutureSessions(key, clocks[key].name if key in clocks else names.get(key) or key[:8], n,
                          max(0, clocks[key].clock_offset_days) if key in clocks else 0) for key, n in per.items()]
    return tuple(sorted(out, key=lambda row: (-row.sessions, row.name.casefold())))


def _run(conn: Any, query: Any, cancel: Callable[[], bool] | None) -> list[Any]:
    """``query``'s rows; Cancel stops it in the middle (over 200,000 records a query takes
    seconds): SQLite asks ``cancel`` every few thousand steps, PostgreSQL is sent a cancel
    request by a watcher thread.  Either way ``Cancelled``, the connection still usable."""
    if cancel is None:
        return conn.execute(query).all()
    raw = conn.connection.driver_connection
    stop = threading.Event()
    watcher = None
    if conn.dialect.name == "sqlite":
        raw.set_progress_handler(lambda: 1 if cancel() else 0, 20_000)
    else:
        def watch() -> None:
            while not stop.wait(0.1):
                if cancel():
                    raw.cancel_safe()
                    return

        watcher = threading.Thread(target=watch, name="report-cancel", daemon=True)
        watcher.start()
    try:
        return conn.execute(query).all()
    except SQLAlchemyError:
        if cancel():
            raise Cancelled(sentence(N_("The report was cancelled."))) from None
        raise
    finally:
        stop.set()
        if watcher is not None:
            watcher.join()
        elif conn.dialect.name == "sqlite":
            raw.set_progress_handler(None, 0)


def _rows(name: str, cells: dict[str, dict[str, list[int]]], counts: dict[tuple[str, str], int]) \
        -> tuple[BreakdownRow, ...]:
    rows = []
    for key in {"sex": d.SEXES[:-1], "age_group": d.AGE_GROUPS}.get(name, ()):  # zero rows kept
        cells.setdefault(key, {})
    for key, by_sex in cells.items():
        sexes = {s: by_sex.get(s, [0, 0])[0] for s in d.SEXES}
        rows.append(BreakdownRow(key, sum(sexes.values()), sum(v[1] for v in by_sex.values()), sexes,
                                 counts.get((name, key), 0)))
    return tuple(sorted(rows, key=_order(name)))


def _order(name: str) -> Callable[[BreakdownRow], tuple]:
    fixed = {"sex": d.SEXES, "age_group": (*d.AGE_GROUPS, d.UNKNOWN)}.get(name)
    if fixed is not None:
        return lambda row: (fixed.index(row.key) if row.key in fixed else len(fixed), row.key)
    return lambda row: (row.key == d.UNKNOWN, -row.people, -row.sessions, row.key)


def _laptop_names(conn: Any) -> dict[str, str]:
    from co_app.core.db import identity
    from co_app.core.db.glance import DEVICE_ID_KEY

    names = {device: name for device, name in conn.execute(select(SyncPeer.device_id, SyncPeer.name)) if name}
    own = conn.execute(select(AppMeta.value).where(AppMeta.key == DEVICE_ID_KEY)).scalar()
    if own:
        names[own] = identity.device_name(conn) or names.get(own, "")
    return names
