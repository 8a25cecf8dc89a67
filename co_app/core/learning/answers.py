"""Recording the answers to a module's check questions (issue 21, point 3).

Each answer is one ``LearningAnswer`` record, keyed by session, module, question, phase
("before" / "after") and *slot*: the person's id for a person's answer, ``tally-<n>`` for
the number of people in a group tally who chose answer ``n``.  The record's id is made from
that key (co_app/core/db/versions.py), so a changed answer is an edit of the same record,
two laptops recording the same answer record one, and sync merges them field by field
like check-ins.  A closed session is locked: its answers change only once the facilitator
gave the PIN (``unlocked=True``, after ``co_app.ui.sessions.lock.ensure_editable``), as its
attendance does.  Whether the answer was right is stored with it (the content's answer
then), so the office's reports need no content and do not change when a module is edited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from co_app.core.content.checks import SelfCheckQuestion
from co_app.core.db import versions
from co_app.core.db.models import LearningAnswer
from co_app.core.db.validation import LEARNING_PHASES, MAX_GROUP
from co_app.core.foundation.errors import CoError, Notice, sentence
from co_app.core.foundation.i18n import N_
from co_app.core.sessions.service import is_closed

BEFORE, AFTER = LEARNING_PHASES
TALLY = "tally-"


class AnswerError(CoError):
    """An answer that cannot be recorded (an option the question does not have, a tally
    larger than the group): ``str()`` in the interface language, ``notice`` to render again."""

    def __init__(self, template: str, **params: object) -> None:
        self.notice = Notice(template, **params)
        super().__init__(sentence(template, **params))


@dataclass(frozen=True)
class Where:
    """One question asked at one moment: the session, the module, the question, the phase."""

    session_id: str
    module_id: str
    question: SelfCheckQuestion
    phase: str


#: What the check window and the core say when a closed session's answers are changed without the PIN.
CLOSED = N_("This session is closed: recording answers needs the facilitator PIN.")


def _writable(db: Session, where: Where, unlocked: bool) -> None:
    """Refuse a change to a closed session's answers unless the PIN was given (``unlocked``)."""
    if not unlocked and is_closed(db, where.session_id):
        raise AnswerError(CLOSED)


def _check(where: Where, answer: int) -> None:
    if where.phase not in LEARNING_PHASES:
        raise ValueError(f"phase {where.phase!r}")
    if not 0 <= answer < len(where.question.options):
        raise AnswerError(N_("Answer {number} is not one of this question's {count} answers."),
                          number=answer + 1, count=len(where.question.options))


def _upsert(db: Session, where: Where, slot: str, **values) -> LearningAnswer:
    record_id = versions.natural_id("learning_answers", where.session_id,
                                    f"{where.module_id}/{where.question.id}/{where.phase}/{slot}")
    record = db.get(LearningAnswer, record_id)
    if record is None:
        record = LearningAnswer(session_id=where.session_id, module_id=where.module_id,
                                question_id=where.question.id, phase=where.phase, slot=slot)
        db.add(record)
    for name, value in values.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
    if record.deleted_at is not None:
        record.deleted_at = None
    return record


def record_person(db: Session, where: Where, participant_id: str, answer: int, recorded_by: str, *,
                  unlocked: bool = False) -> LearningAnswer:
    """``participant_id`` chose option ``answer`` (from 0); a second answer replaces the first.
    In a closed session only when ``unlocked`` (the facilitator gave the PIN)."""
    _writable(db, where, unlocked)
    _check(where, answer)
    return _upsert(db, where, participant_id, participant_id=participant_id, answer=answer,
                   correct=answer == where.question.answer, count=1, present=None, recorded_by=recorded_by)


def clear_person(db: Session, where: Where, participant_id: str, *, unlocked: bool = False) -> None:
    """The person's answer taken back (a tombstone: the removal syncs too); in a closed
    session only when ``unlocked``."""
    from co_app.core.db.base import utcnow

    _writable(db, where, unlocked)
    record = db.get(LearningAnswer, versions.natural_id(
        "learning_answers", where.session_id, f"{where.module_id}/{where.question.id}/{where.phase}/{participant_id}"))
    if record is not None and record.deleted_at is None:
        record.deleted_at = utcnow()


def record_tally(db: Session, where: Where, counts: Mapping[int, int], present: int,
                 recorded_by: str, *, unlocked: bool = False) -> list[LearningAnswer]:
    """A group's answers: ``counts`` maps each option (from 0) to how many chose it, of
    ``present`` people there; options not in ``counts`` are 0.  Replaces an earlier tally.
    In a closed session only when ``unlocked``."""
    _writable(db, where, unlocked)
    if not 0 <= present <= MAX_GROUP:
        raise AnswerError(N_("{present} people present is not a number this check can record."), present=present)
    for option in counts:
        _check(where, option)
    total = sum(counts.values())
    if any(n < 0 for n in counts.values()) or total > present:
        raise AnswerError(N_("The answers add up to {total}, more than the {present} people present."),
                          total=total, present=present)
    return [_upsert(db, where, f"{TALLY}{option}", participant_id=None, answer=option,
                    correct=option == where.question.answer, count=counts.get(option, 0), present=present,
                    recorded_by=recorded_by)
            for option in range(len(where.question.options))]


@dataclass(frozen=True)
class Recorded:
    """What is recorded for one question at one moment: each person's answer, or the tally."""

    people: dict[str, int]       # participant id → option
    tally: dict[int, int]        # option → how many (empty when no tally)
    present: int | None


def recorded(db: Session, session_id: str, module_id: str, question_id: str, phase: str) -> Recorded:
    rows = db.execute(select(LearningAnswer.slot, LearningAnswer.participant_id, LearningAnswer.answer,
                             LearningAnswer.count, LearningAnswer.present).where(
        LearningAnswer.session_id == session_id, LearningAnswer.module_id == module_id,
        LearningAnswer.question_id == question_id, LearningAnswer.phase == phase,
        LearningAnswer.deleted_at.is_(None))).all()
    people = {r.participant_id: r.answer for r in rows if not r.slot.startswith(TALLY) and r.participant_id}
    tally = {r.answer: r.count for r in rows if r.slot.startswith(TALLY)}
    present = next((r.present for r in rows if r.slot.startswith(TALLY)), None)
    return Recorded(people, tally, present)
