"""Participants' feedback at the end of a session (issue 21, point 5): three questions
answered in the viewer by touching a big face, anonymous, counted per session.

A face is one more in a count: a ``LearningAnswer`` tally record of the session, module
``FEEDBACK_MODULE``, question ``useful`` / ``clear`` / ``next``, phase "feedback", answer
the face (0 happy, 1 in between, 2 unhappy).  No person, no time of its own beyond the
record's: nobody can tell who chose which face.  It travels in sync packages with the
session's answers; the learning report leaves it out (it is not a check).

Each laptop counts in records of its own: the slot is ``f<face>-<the laptop's device id>``
(``device_slot``), so two laptops handing the viewer round at one session (two rooms, a
second facilitator) keep separate counts that sync merges without loss, and a session's
count is the sum over every laptop's records.  (One record per face for everyone would be
merged field by field, the later count replacing the other laptop's.)  Records from before
this rule (slot ``tally-<face>``) are counted too.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from co_app.core.db import versions
from co_app.core.db.glance import DEVICE_ID_KEY
from co_app.core.db.models import AppMeta, CoSession, LearningAnswer
from co_app.core.db.validation import FEEDBACK_PHASE
from co_app.core.foundation.i18n import N_

FEEDBACK_MODULE = "session-feedback"
#: (id, the question as the viewer asks it, marked for the catalogs)
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("useful", N_("Was today useful for you?")),
    ("clear", N_("Was it clear and easy to follow?")),
    ("next", N_("Do you feel ready for what comes next?")),
)
FACES = (0, 1, 2)  # happy, in between, unhappy


def device_slot(db: Session, face: int) -> str:
    """The slot of this laptop's count of ``face``: ``f<face>-`` and the device id without
    its dashes (a slot is at most 36 letters, digits and dashes)."""
    device = db.info.get(DEVICE_ID_KEY) or db.scalar(select(AppMeta.value).where(AppMeta.key == DEVICE_ID_KEY))
    return f"f{face}-{re.sub(r'[^0-9A-Za-z]', '', device or '')[:32] or 'local'}"


def add_face(db: Session, session_id: str, question_id: str, face: int) -> None:
    """One more person chose ``face`` for ``question_id`` at the session (in this laptop's count)."""
    if question_id not in dict(QUESTIONS) or face not in FACES:
        raise ValueError(f"feedback {question_id!r} {face!r}")
    slot = device_slot(db, face)
    record_id = versions.natural_id("learning_answers", session_id,
                                    f"{FEEDBACK_MODULE}/{question_id}/{FEEDBACK_PHASE}/{slot}")
    record = db.get(LearningAnswer, record_id)
    if record is None:
        db.add(LearningAnswer(session_id=session_id, module_id=FEEDBACK_MODULE, question_id=question_id,
                              phase=FEEDBACK_PHASE, slot=slot, answer=face, correct=False, count=1,
                              recorded_by=""))
    else:
        record.count += 1
        record.deleted_at = None


def counts(db: Session, session_id: str) -> dict[str, dict[int, int]]:
    """question id → face → how many chose it (zeros kept)."""
    found = {question: dict.fromkeys(FACES, 0) for question, _text in QUESTIONS}
    rows = db.execute(select(LearningAnswer.question_id, LearningAnswer.answer, LearningAnswer.count).where(
        LearningAnswer.session_id == session_id, LearningAnswer.phase == FEEDBACK_PHASE,
        LearningAnswer.deleted_at.is_(None)))
    for question, face, count in rows:
        if question in found and face in FACES:
            found[question][face] += count
    return found


def todays_session(db: Session, today: date | None = None) -> str | None:
    """The session feedback is for: today's open session (the latest of the day); once
    today's sessions are all closed, the one closed most recently — a facilitator closes the
    session, prints its report, then hands the laptop round, and the faces still count for
    it; with no session today, the latest open session of the latest day."""
    today = today or date.today()
    alive = select(CoSession.id).where(CoSession.deleted_at.is_(None))
    todays = alive.where(CoSession.session_date == today)
    for query in (todays.where(CoSession.status == "open").order_by(CoSession.number_of_day.desc()),
                  todays.where(CoSession.status == "closed").order_by(CoSession.closed_at.desc(),
                                                                      CoSession.number_of_day.desc()),
                  alive.where(CoSession.status == "open").order_by(CoSession.session_date.desc(),
                                                                   CoSession.number_of_day.desc())):
        found = db.scalar(query.limit(1))
        if found is not None:
            return found
    return None
