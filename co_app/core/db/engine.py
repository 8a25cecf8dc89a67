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

from co_app.core.db.models import AppMeta
from co_app.core.foundation.errors import CoError, DatabaseError, sentence
from co_app.core.db.glance import DEVICE_ID_KEY
from co_app.core.db.identity import check_binding
from co_app.core.db.versions import stamp_changes
from co_app.core.foundation.i18n import N_

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
        event.listen(engine, "handle_error", _on_error)
    return engine


def _on_error(context) -> None:  # sqlalchemy.engine.ExceptionContext
    """The disk is full: give the database the data folder's spare file, so the caller's
    next try (a check-in tries twice) finds room (co_app.core.foundation.diskspace)."""
    from co_app.core.foundation.diskspace import is_disk_full, release_spare

    database = context.engine.url.database if context.engine is not None else None
    if database and database != ":memory:" and is_disk_full(context.original_exception):
        release_spare(Path(database).parent)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


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
            raise DatabaseError(sentence(N_("Cannot create the database {path}: {reason}."),
                                         path=path, reason=exc.strerror or exc)) from exc
    engine = make_engine(url)
    try:
        upgrade_to_head(engine, backups_dir=backups_dir)
        device_id = get_or_create_device_id(engine)
        with engine.begin() as conn:  # a copied or restored data folder becomes a new device
            device_id = check_binding(conn, path.parent) or device_id
    except CoError:
        engine.dispose()
        raise
    except (SQLAlchemyError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        raise DatabaseError(sentence(N_("Cannot open the database {path}: {problem}."),
                                     path=path, problem=_short(exc))) from exc
    return database_for(engine, device_id)


def database_for(engine: Engine, device_id: str) -> Database:
    """Sessions on ``engine`` whose every change is stamped as ``device_id``'s (a laptop's
    SQLite file or the office's hub alike)."""
    factory = sessionmaker(engine, expire_on_commit=False, info={DEVICE_ID_KEY: device_id})
    event.listen(factory, "before_flush", stamp_changes)
    return Database(engine=engine, device_id=device_id, session_factory=factory)


def _short(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]
