"""Where each film was left on this laptop, so it resumes there next time."""

from __future__ import annotations

from sqlalchemy.orm import Session

from co_app.core.db.models import PlaybackPosition

#: Closer than this to either end, a film starts from the beginning next time.
RESUME_MARGIN_MS = 5_000


def saved_position(db: Session, film_id: str) -> int:
    row = db.get(PlaybackPosition, film_id)
    return row.position_ms if row else 0


def save_position(db: Session, film_id: str, position_ms: int, length_ms: int) -> int:
    """Record where the film was left; returns the position kept (0 = start again)."""
    keep = position_ms if RESUME_MARGIN_MS <= position_ms <= max(0, length_ms - RESUME_MARGIN_MS) else 0
    row = db.get(PlaybackPosition, film_id)
    if row is None:
        db.add(PlaybackPosition(film_id=film_id, position_ms=keep))
    else:
        row.position_ms = keep
    db.commit()
    return keep
