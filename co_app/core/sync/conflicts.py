"""The conflict log, as the interface shows it: which record, who won, what was lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from co_app.core.db.glance import DEVICE_ID_KEY
from co_app.core.db.models import AppMeta, SyncConflict
from co_app.core.sync import records


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
    #: The field the two laptops changed at once (None: a whole-record conflict from before
    #: field-level sync) and the value kept for it then.
    field: str | None = None
    winner_value: Any = None

    @property
    def lost_value(self) -> Any:
        return self.loser_data.get(self.field) if self.field else None


def list_conflicts(db: Session, *, include_reviewed: bool = True, limit: int = 1000) -> list[ConflictLine]:
    query = (select(SyncConflict).where(SyncConflict.winner != "same")  # absorbed: nothing was lost (merge.py)
             .order_by(SyncConflict.detected_at.desc(), SyncConflict.id.desc()).limit(limit))
    if not include_reviewed:
        query = query.where(SyncConflict.reviewed.is_(False))
    return [ConflictLine(c.id, c.detected_at, c.table_name, c.record_id, c.winner, c.winner_updated_at,
                         c.winner_device_id, c.loser_updated_at, c.loser_device_id, dict(c.loser_data), c.package,
                         c.reviewed, c.field, c.winner_value) for c in db.scalars(query)]


def device_names(db: Session) -> dict[str, str]:
    """Device id -> the name its laptop (or the office) was given, this database's included."""
    from co_app.core.db import identity
    from co_app.core.sync.review import laptop_names

    names = laptop_names(db)
    conn = db.connection()
    own = conn.execute(select(AppMeta.value).where(AppMeta.key == DEVICE_ID_KEY)).scalar()
    if own:
        names[own] = identity.device_name(conn) or names.get(own, "")
    return names


def unreviewed_count(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(SyncConflict).where(SyncConflict.reviewed.is_(False))) or 0)


def mark_reviewed(db: Session, ids: list[int]) -> None:
    if ids:
        db.execute(update(SyncConflict).where(SyncConflict.id.in_(ids)).values(reviewed=True))
        db.commit()


@dataclass(frozen=True)
class ConflictSubject:
    """Who or what a conflict is about, in the words an officer knows (names, dates,
    places, case numbers), for the interface to put into a sentence.  Read from the
    database where the record is there, from the lost version where it is not."""

    table_name: str
    person: str = ""
    session_date: str = ""  # YYYY-MM-DD
    session_place: str = ""
    case_number: str = ""
    module_id: str = ""


@dataclass(frozen=True)
class FieldChange:
    field: str
    kept: Any
    lost: Any


def _current(db: Session, table_name: str, record_id: str) -> dict[str, Any] | None:
    table = records.TABLE_BY_NAME.get(table_name)
    if table is None:
        return None
    row = db.execute(select(table).where(table.c.id == record_id)).mappings().first()
    return records.CODECS[table_name].canonical(row) if row is not None else None


def _person(db: Session, participant_id: str | None) -> str:
    row = _current(db, "participants", participant_id) if participant_id else None
    return " ".join(p for p in (row["given_name"], row["family_name"]) if p) if row else ""


def _session(db: Session, session_id: str | None) -> tuple[str, str]:
    row = _current(db, "co_sessions", session_id) if session_id else None
    return (row["session_date"] or "", row["place"] or "") if row else ("", "")


def describe(db: Session, line: ConflictLine) -> ConflictSubject:
    record = _current(db, line.table_name, line.record_id) or line.loser_data
    table = line.table_name
    if table == "participants":
        person = " ".join(p for p in (record.get("given_name", ""), record.get("family_name", "")) if p)
        return ConflictSubject(table, person=person, case_number=record.get("case_number", ""))
    if table == "households":
        return ConflictSubject(table, case_number=record.get("case_number", ""))
    if table == "co_sessions":
        return ConflictSubject(table, session_date=record.get("session_date") or "",
                               session_place=record.get("place", ""))
    day, place = _session(db, record.get("session_id"))
    if table == "attendance":
        return ConflictSubject(table, person=_person(db, record.get("participant_id")), session_date=day,
                               session_place=place)
    return ConflictSubject(table, session_date=day, session_place=place, module_id=record.get("module_id", ""))


#: Fields that say who changed a record and when, not what it holds: not listed as changes.
_BOOKKEEPING = frozenset({"id", "created_at", *records.VERSION_COLUMNS})


def differences(db: Session, line: ConflictLine) -> list[FieldChange]:
    """The fields in which the kept version (the record as it is now) and the lost one
    differ; every field of the lost version when the record is no longer there."""
    kept = _current(db, line.table_name, line.record_id) or {}
    lost = line.loser_data
    return [FieldChange(name, kept.get(name), lost[name]) for name in sorted(lost)
            if name not in _BOOKKEEPING and kept.get(name) != lost[name]]
