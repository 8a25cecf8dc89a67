"""The database an import merges into: this laptop's, or a central hub named by a URL.

``--db`` takes a SQLite file (a path, or ``sqlite:///path``) or a PostgreSQL URL
(``postgresql://user:password@host/dbname``; the psycopg 3 driver is used).  Either gets
the same models and migrations, brought up to date before the first import.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from co_app.core.db.models import AppMeta
from co_app.core.foundation.errors import CoError, DatabaseError, sentence
from co_app.core.foundation.i18n import N_

if TYPE_CHECKING:
    from co_app.core.db.engine import Database


@dataclass
class Target:
    engine: Engine
    device_id: str
    label: str

    def dispose(self) -> None:
        self.engine.dispose()

    def database(self) -> "Database":
        """Sessions whose changes (the office's decisions) are stamped as this database's."""
        from co_app.core.db.engine import database_for

        return database_for(self.engine, self.device_id)


def normalise_url(value: str) -> str:
    """A path becomes a SQLite URL; ``postgresql://`` uses psycopg 3."""
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().absolute()}"
    try:
        url = make_url(value)
    except ArgumentError:
        raise DatabaseError(sentence(N_("'{value}' is not a database URL (sqlite:///path or postgresql://…)."),
                                     value=value)) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError(sentence(N_("The database {url} is neither SQLite nor PostgreSQL."),
                                     url=url.render_as_string(hide_password=True)))
    return url.render_as_string(hide_password=False)


def _office(engine: Engine) -> None:
    """A database named with --db is the office's hub (its packages are the office's)."""
    from co_app.core.db import identity

    with engine.begin() as conn:
        if conn.execute(select(AppMeta.value).where(AppMeta.key == identity.ROLE_KEY)).scalar() is None:
            identity.set_role(conn, "office")
            identity.set_name(conn, "Office")  # not the computer's name: `sync name --db` renames it


def open_target(value: str, *, create: bool = False) -> Target:
    """Open (migrating as needed) the database named by ``value``.  A SQLite hub that does not
    exist is made only with ``create`` (naming the office, writing its key file): a mistyped
    path would otherwise become a second, empty office with keys of its own."""
    from co_app.core.db.engine import get_or_create_device_id, make_engine, open_database
    from co_app.core.db.migrate import upgrade_to_head

    url = make_url(normalise_url(value))
    label = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite":
        if not create and not Path(url.database or "").is_file():
            raise DatabaseError(sentence(N_("There is no office hub at {database}: check the path. A new hub is made "
                                            "by its first `sync name --db` or `sync office-key --db`."),
                                         database=url.database))
        db = open_database(Path(url.database or ""))
        _office(db.engine)
        return Target(db.engine, db.device_id, label)
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        upgrade_to_head(engine)
        device_id = get_or_create_device_id(engine)
        _office(engine)
    except CoError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        orig = getattr(exc, "orig", None)
        reason = str(orig or exc).strip().splitlines()[0]
        raise DatabaseError(sentence(N_("Cannot open the database {label}: {reason}."),
                                     label=label, reason=reason)) from None
    return Target(engine, device_id, label)
