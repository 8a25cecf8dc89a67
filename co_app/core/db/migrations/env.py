"""Alembic environment.  The application passes its connection in ``config.attributes``;
from the command line (``alembic -c alembic.ini ...``) the URL comes from
``-x url=...`` or the data folder (``CO_APP_HOME``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from co_app.core.db.base import Base
from co_app.core.db import models  # noqa: F401 - registers the tables on Base.metadata

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from co_app.core.foundation.paths import DataPaths, resolve_data_dir

    return f"sqlite:///{DataPaths(resolve_data_dir(None)).database}"


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
    )


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config({"sqlalchemy.url": _url()}, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
