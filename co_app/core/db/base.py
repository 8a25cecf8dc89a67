"""Declarative base, UTC timestamps and the columns every synced record carries."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from typing import Any

from sqlalchemy import CHAR, JSON, DateTime, Integer, MetaData, String, TypeDecorator, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names: Alembic's batch mode on SQLite needs them to alter tables.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_uuid() -> str:
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC — the same on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use an aware datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SyncMixin:
    """UUID key, UTC timestamps, last-changing device and tombstone: ready for sync.

    ``device_id`` and ``updated_at`` are filled in at flush time by the session hook in
    ``co_app.core.db.engine`` — callers never set them by hand.
    """

    id: Mapped[str] = mapped_column(CHAR(36), primary_key=True, default=new_uuid)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False, index=True)
    device_id: Mapped[str] = mapped_column(CHAR(36), nullable=False)
    #: Soft delete: a deleted record stays as a tombstone so the deletion can be synced.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: The dot of the last change to each field: {column: [device id, counter, hlc ms]}
    #: (co_app/core/db/versions.py).  Travels with the record.
    versions: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict,
                                                     server_default=text("'{}'"))
    #: This database's arrival order of the record's last change (local: never exported).
    sync_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0, index=True,
                                          server_default=text("0"))


ShortText = String(200)
