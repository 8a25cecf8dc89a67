"""What the office decides after an import: which value of a true conflict to keep, and
whether a change dated in the future may count.

Every decision is an ordinary change made here (the ORM stamps it with this database's
device, counter and hlc), made *after* both versions it decides between: it wins over
them on every database, and travels to the laptops in the next export like any edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from co_app.core.db.models import (AttendanceRecord, CoSession, Household, LearningAnswer, ModuleCoverage, Participant,
                                   SyncConflict, SyncHeld, SyncPeer)
from co_app.core.db.origins import origin_of
from co_app.core.db.versions import META_COLUMNS
from co_app.core.foundation.errors import CoError, sentence
from co_app.core.sync import records
from co_app.core.foundation.i18n import N_

MODELS = {model.__tablename__: model for model in (CoSession, Household, Participant, AttendanceRecord, ModuleCoverage,
                                                   LearningAnswer)}


class ReviewError(CoError):
    """A decision that cannot be carried out (the record is gone, the item was decided)."""


def laptop_names(db: Session) -> dict[str, str]:
    """Device id -> the name its laptop was given (the office's own name included)."""
    return {device: name for device, name in db.execute(select(SyncPeer.device_id, SyncPeer.name)) if name}


def _typed(table: str, field: str, value: Any) -> Any:
    """A canonical (JSON) value as the model's attribute takes it."""
    kind = records.CODECS[table].kinds[field]
    if value is None:
        return None
    if kind == "datetime":
        return records.parse_timestamp(value)
    if kind == "date":
        return date.fromisoformat(value)
    return value


def _set(db: Session, table: str, record_id: str, field: str, value: Any) -> None:
    obj = db.get(MODELS[table], record_id)
    if obj is None:
        raise ReviewError(sentence(N_("The {table} record {record_id} is no longer in this database."),
                                   table=table, record_id=record_id))
    setattr(obj, field, _typed(table, field, value))
    flag_modified(obj, field)  # a change even when the value is the same: it must travel


def keep_lost_value(db: Session, conflict_id: int) -> None:
    """**Keep this one** on the lost value of a field conflict: it becomes a new change here,
    which wins everywhere; the conflict is marked reviewed.  Committed."""
    conflict = db.get(SyncConflict, conflict_id)
    if conflict is None:
        raise ReviewError(sentence(N_("There is no conflict {conflict_id} in the log (sync conflicts lists them)."),
                                   conflict_id=conflict_id))
    if conflict.reviewed:
        raise ReviewError(sentence(N_("Conflict {conflict_id} was already reviewed."), conflict_id=conflict_id))
    if conflict.field is None:
        raise ReviewError(sentence(N_("Only a conflict about one field can be reversed; review the others by hand.")))
    _set(db, conflict.table_name, conflict.record_id, conflict.field, conflict.loser_data[conflict.field])
    conflict.reviewed = True
    db.commit()


def keep_current_value(db: Session, conflict_id: int) -> None:
    """**Keep this one** on the kept value: nothing to change, the conflict is reviewed."""
    conflict = db.get(SyncConflict, conflict_id)
    if conflict is None:
        raise ReviewError(sentence(N_("There is no conflict {conflict_id} in the log (sync conflicts lists them)."),
                                   conflict_id=conflict_id))
    conflict.reviewed = True
    db.commit()


@dataclass(frozen=True)
class HeldChange:
    id: int
    held_at: datetime
    table_name: str
    record_id: str
    field: str  # "*": a whole new record
    value: Any
    dated: datetime
    device_id: str
    package: str
    state: str


def list_held(db: Session, *, only_open: bool = True) -> list[HeldChange]:
    from co_app.core.db.versions import hlc_datetime

    query = select(SyncHeld).order_by(SyncHeld.id)
    if only_open:
        query = query.where(SyncHeld.state == "held")
    out = []
    for row in db.scalars(query):
        dots = row.dot if isinstance(row.dot, list) else max(row.dot.values(), key=lambda d: d[2])
        out.append(HeldChange(row.id, row.held_at, row.table_name, row.record_id, row.field,
                              row.record if row.field == "*" else row.value, hlc_datetime(int(dots[2])),
                              str(dots[0]), row.package, row.state))
    return out


PARENTS = {"participants": (("household_id", "households"),),
           "attendance": (("session_id", "co_sessions"), ("participant_id", "participants")),
           "module_coverage": (("session_id", "co_sessions"),),
           "learning_answers": (("session_id", "co_sessions"), ("participant_id", "participants"))}


def _content(row: SyncHeld) -> dict[str, Any]:
    return {name: _typed(row.table_name, name, value) for name, value in (row.record or {}).items()
            if name not in records.VERSION_COLUMNS and name != "created_at"}


def accept_held(db: Session, held_id: int) -> None:
    """The office lets a future-dated change count: it is made again here, dated now.  A
    held new record takes its held parents with it (a check-in needs its person)."""
    row = _open_held(db, held_id)
    _accept(db, row)
    db.commit()


def accept_all(db: Session, devices: set[str] | None = None) -> int:
    """Accept every open held change (of ``devices`` only, when given: a laptop and the ids it
    used before); a held record taken in with another counts once.  Returns how many were
    accepted.  Committed."""
    accepted = 0
    for held in list_held(db):
        row = db.get(SyncHeld, held.id)
        if row is None or row.state != "held" or (devices is not None and held.device_id not in devices):
            continue  # accepted since, as the parent of a check-in; or another laptop's
        _accept(db, row)
        accepted += 1
    db.commit()
    return accepted


def _accept(db: Session, row: SyncHeld) -> None:
    if row.field == "*":
        for key, parent_table in PARENTS.get(row.table_name, ()):
            parent = db.scalar(select(SyncHeld).where(SyncHeld.record_id == (row.record or {}).get(key),
                                                      SyncHeld.table_name == parent_table, SyncHeld.field == "*",
                                                      SyncHeld.state == "held"))
            if parent is not None:
                _accept(db, parent)
        model = MODELS[row.table_name]
        existing = db.get(model, row.record_id)
        if existing is None:
            content = _content(row)
            if hasattr(model, "origin_device") and content.get("origin_device") is None:  # an older package
                content["origin_device"] = origin_of(row.dot, (row.record or {}).get("created_at"))
            db.add(model(**content))  # made here, still created on its laptop (co_app/core/db/origins.py)
            db.flush()
        else:  # it arrived since (a later package): each held value is made again here
            for name, value in (row.record or {}).items():
                if name in records.CODECS[row.table_name].column_set and name not in META_COLUMNS:
                    _set(db, row.table_name, row.record_id, name, value)
    else:
        _set(db, row.table_name, row.record_id, row.field, row.value)
    row.state = "accepted"


def reject_held(db: Session, held_id: int) -> None:
    """The office refuses a future-dated change: the value here is confirmed as a new change
    (so the laptop that made it takes it back too); a held new record becomes a deleted one."""
    row = _open_held(db, held_id)
    if row.field == "*":
        model = MODELS[row.table_name]
        existing = db.get(model, row.record_id)
        if existing is None:
            obj = model(**_content(row))
            from co_app.core.db.base import utcnow

            obj.deleted_at = utcnow()
            db.add(obj)
        else:  # it arrived since: the values here are confirmed as the office's, field by field
            for name in _content(row):
                if name != "id":
                    flag_modified(existing, name)
    else:
        obj = db.get(MODELS[row.table_name], row.record_id)
        if obj is not None:
            flag_modified(obj, row.field)
    row.state = "rejected"
    db.commit()


def _open_held(db: Session, held_id: int) -> SyncHeld:
    row = db.get(SyncHeld, held_id)
    if row is None or row.state != "held":
        raise ReviewError(sentence(N_("That held change was already decided.")))
    return row
