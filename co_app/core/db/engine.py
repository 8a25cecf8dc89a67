"""Opening the database: SQLite in WAL mode with foreign keys, and the session hook
that stamps every synced record with this device and the time of change."""

from __future__ import annotations

import logging
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from co_app.core.db.base import SyncMixin, utcnow
from co_app.core.db.models import AppMeta
from co_app.core.foundation.errors import CoError, DatabaseError
from co_app.core.db.glance import DEVICE_ID_KEY

log = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # FULL: a transaction the screen confirmed survives a power cut, not only a crash.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=5000")
    finally:
        cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (``sqlite:///path`` or a PostgreSQL URL)."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _stamp_sync_records(session: Session, _flush_context, _instances) -> None:
    device_id = session.info.get(DEVICE_ID_KEY)
    now = utcnow()
    for obj in session.new:
        if isinstance(obj, SyncMixin):
            obj.device_id = device_id or obj.device_id
            if obj.created_at is None:
                obj.created_at = now
            obj.updated_at = now
    for obj in session.dirty:
        if isinstance(obj, SyncMixin) and session.is_modified(obj, include_collections=False):
            obj.device_id = device_id or obj.device_id
            obj.updated_at = now


def get_or_create_device_id(engine: Engine) -> str:
    """This installation's stable id, made on first run and kept in ``app_meta``."""
    with Session(engine) as session, session.begin():
        row = session.scalar(select(AppMeta).where(AppMeta.key == DEVICE_ID_KEY))
        if row is not None:
            return row.value
        device_id = str(uuid.uuid4())
        session.add(AppMeta(key=DEVICE_ID_KEY, value=device_id))
        log.info("new device id %s", device_id)
        return device_id


@dataclass
class Database:
    """An open, up-to-date database and the factory for its sessions."""

    engine: Engine
    device_id: str
    session_factory: sessionmaker[Session]

    def session(self) -> Session:
        return self.session_factory()

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(path: Path, *, backups_dir: Path | None = None) -> Database:
    """Open (creating and upgrading as needed) the database file at ``path``."""
    from co_app.core.db.migrate import upgrade_to_head

    url = sqlite_url(path)
    if not path.exists():
        # Participants' data: readable by the owner only (the data folder itself is 0700 too).
        try:
            path.touch(mode=0o600)
        except OSError as exc:
            raise DatabaseError(f"Cannot create the database {path}: {exc.strerror or exc}.") from exc
    engine = make_engine(url)
    try:
        upgrade_to_head(engine, backups_dir=backups_dir)
        device_id = get_or_create_device_id(engine)
    except CoError:
        engine.dispose()
        raise
    except (SQLAlchemyError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        raise DatabaseError(f"Cannot open the database {path}: {_short(exc)}.") from exc
    factory = sessionmaker(engine, expire_on_commit=False, info={DEVICE_ID_KEY: device_id})
    event.listen(factory, "before_flush", _stamp_sync_records)
    return Database(engine=engine, device_id=device_id, session_factory=factory)


def _short(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]
