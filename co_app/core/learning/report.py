"""What the group knew before and after (issue 21, point 4), computed by the database: per
module the share correct before and after and the change, overall and by sex and age
group, and the questions most often missed.  The rules are ``co_app.core.attendance.
definitions``' (``share_correct``, ``learning_change``, ``answers_sql``,
``correct_answers_sql``; in words ``DEFINITIONS``' "learning", "learning_change" and
"missed"), so the session report, the office's report across laptops and the donor report
say the same.

Two queries (SQLAlchemy Core, the same on SQLite and PostgreSQL): the figures by module,
phase and breakdown, and by question.  ``compute`` takes the sessions to count as SQL
conditions on the sessions table (the office passes its report filter's); ``for_session``
is one session's.  A person's answer counts with the attributes of the person it was
merged into (a duplicate found at the office), their age group in the session's year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, and_, literal, literal_column, select, union_all
from sqlalchemy.orm import Session

from co_app.core.attendance import definitions as d
from co_app.core.db.models import CoSession, LearningAnswer, Participant
from co_app.core.learning.answers import AFTER, BEFORE

L, S, P = LearningAnswer.__table__, CoSession.__table__, Participant.__table__
BREAKDOWNS = ("sex", "age_group")
OVERALL = "all"
#: How many questions "most often missed" lists per report.
MISSED = 10


@dataclass(frozen=True)
class Figure:
    """Answers recorded and right ones, before and after; shares and change per definitions."""

    before_answers: int = 0
    before_correct: int = 0
    after_answers: int = 0
    after_correct: int = 0

    @property
    def before(self) -> float | None:
        return d.share_correct(self.before_correct, self.before_answers)

    @property
    def after(self) -> float | None:
        return d.share_correct(self.after_correct, self.after_answers)

    @property
    def change(self) -> float | None:
        return d.learning_change(self.before, self.after)

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "before": self.before, "after": self.after, "change": self.change}


@dataclass(frozen=True)
class ModuleLearning:
    module_id: str
    overall: Figure
    #: breakdown ("sex", "age_group") → key → figure (per-person answers only)
    by: dict[str, dict[str, Figure]]


@dataclass(frozen=True)
class Missed:
    module_id: str
    question_id: str
    phase: str          # the phase the share is of: "after", else "before"
    answers: int
    wrong: int

    @property
    def share_wrong(self) -> float:
        return self.wrong / self.answers if self.answers else 0.0


@dataclass(frozen=True)
class LearningReport:
    modules: tuple[ModuleLearning, ...]
    missed: tuple[Missed, ...]

    def module(self, module_id: str) -> ModuleLearning | None:
        return next((m for m in self.modules if m.module_id == module_id), None)

    def as_json(self) -> dict[str, Any]:
        return {"modules": [{"module": m.module_id, "overall": m.overall.as_json(),
                             "by": {dim: {key: f.as_json() for key, f in keys.items()} for dim, keys in m.by.items()}}
                            for m in self.modules],
                "most_often_missed": [{**asdict(x), "share_wrong": x.share_wrong} for x in self.missed]}


def _answers(where: Sequence[Any]) -> Any:
    """One row per live answer record of the sessions ``where`` keeps, with the person's
    (the kept person's) sex and age group; a tally's are NULL."""
    kept = P.alias("kept")
    person = and_(P.c.id == L.c.participant_id, P.c.deleted_at.is_(None))
    joined = (L.join(S, S.c.id == L.c.session_id).outerjoin(P, person)
              .outerjoin(kept, kept.c.id == d.person_sql(P)))
    live = [L.c.deleted_at.is_(None), S.c.deleted_at.is_(None), L.c.phase.in_((BEFORE, AFTER)),
            (L.c.participant_id.is_(None)) | (P.c.id.is_not(None))]
    return (select(L.c.module_id, L.c.question_id, L.c.phase, L.c.correct, L.c.count,
                   L.c.participant_id, d.sex_sql(kept.c.sex).label("sex"),
                   d.age_group_sql(kept.c.birth_year, kept.c.age_group, d.year_sql(S.c.session_date))
                   .label("age_group"))
            .select_from(joined).where(*live, *where).cte("answers"))


def _figures_query(answers: Any) -> Any:
    def branch(dim: str, key: Any | None, *where: Any) -> Any:
        groups = (answers.c.module_id, answers.c.phase) + ((key,) if key is not None else ())
        shown = key.label("key") if key is not None else literal_column(f"'{OVERALL}'").label("key")
        return (select(answers.c.module_id, answers.c.phase, literal(dim).label("dim"), shown,
                       d.answers_sql(answers.c.count), d.correct_answers_sql(answers.c.correct, answers.c.count))
                .where(*where).group_by(*groups))

    per_person = answers.c.participant_id.is_not(None)
    return union_all(branch(OVERALL, None), *(branch(dim, answers.c[dim], per_person) for dim in BREAKDOWNS))


def _questions_query(answers: Any) -> Any:
    return (select(answers.c.module_id, answers.c.question_id, answers.c.phase, d.answers_sql(answers.c.count),
                   d.correct_answers_sql(answers.c.correct, answers.c.count))
            .group_by(answers.c.module_id, answers.c.question_id, answers.c.phase))


def compute_on(conn: Connection, where: Sequence[Any] = (), module_order: Sequence[str] = ()) -> LearningReport:
    """The learning report of the sessions ``where`` (conditions on the sessions table) keeps."""
    answers = _answers(where)
    cells: dict[str, dict[tuple[str, str], list[int]]] = {}
    for module_id, phase, dim, key, answered, right in conn.execute(_figures_query(answers)):
        cell = cells.setdefault(module_id, {}).setdefault((dim, key or d.UNKNOWN), [0, 0, 0, 0])
        offset = 0 if phase == BEFORE else 2
        cell[offset], cell[offset + 1] = cell[offset] + int(answered), cell[offset + 1] + int(right)
    modules = []
    for module_id in sorted(cells, key=lambda m: (list(module_order).index(m) if m in module_order
                                                   else len(module_order), m)):
        by: dict[str, dict[str, Figure]] = {dim: {} for dim in BREAKDOWNS}
        overall = Figure()
        for (dim, key), values in cells[module_id].items():
            if dim == OVERALL:
                overall = Figure(*values)
            else:
                by[dim][key] = Figure(*values)
        order = {"sex": d.SEXES, "age_group": (*d.AGE_GROUPS, d.UNKNOWN)}
        by = {dim: dict(sorted(keys.items(), key=lambda kv, o=order[dim]: o.index(kv[0]) if kv[0] in o else 99))
              for dim, keys in by.items()}
        modules.append(ModuleLearning(module_id, overall, by))
    return LearningReport(tuple(modules), _missed(conn.execute(_questions_query(answers)).all()))


def _missed(rows: list[Any]) -> tuple[Missed, ...]:
    """Per question the after phase's answers (the before phase's when not asked after),
    the largest share wrong first."""
    found: dict[tuple[str, str], Missed] = {}
    for module_id, question_id, phase, answered, right in rows:
        key = (module_id, question_id)
        if int(answered) and (key not in found or phase == AFTER):
            found[key] = Missed(module_id, question_id, phase, int(answered), int(answered) - int(right))
    ranked = sorted(found.values(), key=lambda m: (-m.share_wrong, -m.wrong, m.module_id, m.question_id))
    return tuple(m for m in ranked if m.wrong)[:MISSED]


def compute(engine: Any, where: Sequence[Any] = (), module_order: Sequence[str] = ()) -> LearningReport:
    """``compute_on`` in a transaction of its own (one consistent snapshot)."""
    with engine.connect() as conn, conn.begin():
        return compute_on(conn, where, module_order)


def for_session(db: Session, session_id: str, module_order: Sequence[str] = ()) -> LearningReport:
    """One session's learning figures (the session report)."""
    return compute_on(db.connection(), [S.c.id == session_id], module_order)


def feedback_counts(db: Session, session_id: str) -> dict[str, dict[int, int]]:
    """The participants' feedback faces of one session (``feedback.counts``), beside its figures."""
    from co_app.core.learning.feedback import counts

    return counts(db, session_id)
