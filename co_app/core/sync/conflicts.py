"""The conflict log, as the interface shows it: which record, who won, what was lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from co_app.core.db.models import SyncConflict


@dataclass(frozen=True)
class ConflictLine:
    id: int
    detected_at: datetime
    table_name: str
    record_id: str
    winner: str
    winner_updated_at: datetime
    winner_device_id: str
    loser_updated_at: datetime
    loser_device_id: str
    loser_data: dict[str, Any]
    package: str
    reviewed: bool


def list_conflicts(db: Session, *, include_reviewed: bool = True, limit: int = 1000) -> list[ConflictLine]:
    query = select(SyncConflict).order_by(SyncConflict.detected_at.desc(), SyncConflict.id.desc()).limit(limit)
    if not include_reviewed:
        query = query.where(SyncConflict.reviewed.is_(False))
    return [ConflictLine(c.id, c.detected_at, c.table_name, c.record_id, c.winner, c.winner_updated_at,
                         c.winner_device_id, c.loser_updated_at, c.loser_device_id, dict(c.loser_data), c.package,
                         c.reviewed) for c in db.scalars(query)]


def unreviewed_count(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(SyncConflict).where(SyncConflict.reviewed.is_(False))) or 0)


def mark_reviewed(db: Session, ids: list[int]) -> None:
    if ids:
        db.execute(update(SyncConflict).where(SyncConflict.id.in_(ids)).values(reviewed=True))
        db.commit()
