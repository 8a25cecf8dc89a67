"""Orientation sessions: the few operations Home needs.  Services take a Session and
return plain data, so widgets never touch a closed ORM session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from co_app.core.db.models import CoSession


@dataclass(frozen=True)
class SessionSummary:
    id: str
    session_date: date
    number_of_day: int
    place: str
    facilitator: str
    interpreter: str
    language: str
    destination_towns: tuple[str, ...]
    status: str


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


def sessions_on(db: Session, day: date) -> list[SessionSummary]:
    rows = db.scalars(
        select(CoSession)
        .where(CoSession.session_date == day, CoSession.deleted_at.is_(None))
        .order_by(CoSession.number_of_day)
    )
    return [_summary(r) for r in rows]


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
        place=place.strip(),
        facilitator=facilitator.strip(),
        interpreter=interpreter.strip(),
        language=language,
        destination_towns=list(destination_towns),
        status="open",
    )
    db.add(row)
    db.commit()
    return _summary(row)
