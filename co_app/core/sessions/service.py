"""Orientation sessions: create, list, edit, close.  Services take a Session and return
plain data, so widgets never touch a closed ORM session.  (Home, Films and Towns read the
day's sessions without the ORM: ``co_app.core.db.glance.sessions_on``.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from co_app.core.safety import audit
from co_app.core.db.base import utcnow
from co_app.core.db.models import CoSession
from co_app.core.db.validation import single_line
from co_app.core.foundation.errors import CoError, sentence
from co_app.core.db.glance import SessionSummary
from co_app.core.foundation.i18n import N_


class SessionNotFoundError(CoError):
    """The session was deleted (or never existed on this computer)."""


def _summary(row: CoSession) -> SessionSummary:
    return SessionSummary(
        id=row.id,
        session_date=row.session_date,
        number_of_day=row.number_of_day,
        place=row.place,
        facilitator=row.facilitator,
        interpreter=row.interpreter,
        language=row.language,
        destination_towns=tuple(row.destination_towns or ()),
        status=row.status,
    )


def recent_sessions(db: Session, limit: int = 50) -> list[SessionSummary]:
    rows = db.scalars(
        select(CoSession)
        .where(CoSession.deleted_at.is_(None))
        .order_by(CoSession.session_date.desc(), CoSession.number_of_day.desc())
        .limit(limit)
    )
    return [_summary(r) for r in rows]


def last_session(db: Session) -> SessionSummary | None:
    """The most recently created session: its facilitator and language are good defaults."""
    row = db.scalars(
        select(CoSession).where(CoSession.deleted_at.is_(None)).order_by(CoSession.created_at.desc()).limit(1)
    ).first()
    return _summary(row) if row else None


def create_session(
    db: Session,
    *,
    day: date,
    place: str,
    facilitator: str,
    interpreter: str = "",
    language: str,
    destination_towns: list[str],
) -> SessionSummary:
    """Create and commit a session; its number is the next of that day."""
    highest = db.scalar(
        select(func.max(CoSession.number_of_day)).where(CoSession.session_date == day, CoSession.deleted_at.is_(None))
    )
    row = CoSession(
        session_date=day,
        number_of_day=(highest or 0) + 1,
        # As the participant forms: no control character (pasted in, invisible) is stored, and
        # nothing longer than the column, which the office's database would refuse.
        place=single_line(place)[:200],
        facilitator=single_line(facilitator)[:200],
        interpreter=single_line(interpreter)[:200],
        language=language,
        destination_towns=list(destination_towns),
        status="open",
    )
    db.add(row)
    db.commit()
    return _summary(row)


def get_session(db: Session, session_id: str) -> SessionSummary:
    row = db.get(CoSession, session_id)
    if row is None or row.deleted_at is not None:
        raise SessionNotFoundError(sentence(N_("That session no longer exists on this computer.")))
    return _summary(row)


def is_closed(db: Session, session_id: str) -> bool:
    return get_session(db, session_id).status == "closed"


def close_session(db: Session, session_id: str, *,
                  after_close: Callable[[], object] | None = None) -> SessionSummary:
    """Lock the session: from now on an edit needs the facilitator PIN and is audited.

    ``after_close`` runs once the closing is committed (not when the session was already
    closed); the interface passes ``lambda: services.backup_now("session-closed")`` so that
    every closed session is in a backup (co_app/core/safety/backup.py)."""
    row = db.get(CoSession, session_id)
    if row is None or row.deleted_at is not None:
        raise SessionNotFoundError(sentence(N_("That session no longer exists on this computer.")))
    if row.status != "closed":
        row.status = "closed"
        row.closed_at = utcnow()
        audit.record(db, "session_closed", subject=session_id, commit=False)
        db.commit()
        if after_close is not None:
            after_close()
    return _summary(row)


def record_closed_edit(db: Session, session_id: str, what: str) -> None:
    """Write to the audit log that a closed session was edited (after the PIN was given).
    ``what`` names the kind of change ("attendance status", "module coverage", …) —
    never a participant."""
    audit.record(db, "closed_session_edit", subject=session_id, detail=what)
