"""Bring a database to the schema this version of the application expects.

Start-up is on the fast path: when the stored revision is already ``HEAD_REVISION``
Alembic is not even imported.  A revision we do not know means the file was written by a
newer version of the application: we refuse to touch it rather than guess.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from co_app.core.db.revision import HEAD_REVISION
from co_app.core.foundation.errors import DatabaseTooNewError, sentence
from co_app.core.foundation.i18n import N_

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine | None = None):  # alembic imported lazily
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        # Alembic's options go through configparser, which reads "%" as interpolation: a
        # percent-encoded password ("p%40ss") or socket folder ("?host=%2Frun") would crash
        # it.  The migrations run on the connection given in ``attributes``; the URL is
        # only informative, escaped.
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def upgrade_to_head(engine: Engine, *, backups_dir: Path | None = None) -> bool:
    """Upgrade in place; returns True when anything was migrated."""
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return False
    if revision is not None and revision not in known_revisions():
        raise DatabaseTooNewError(
            sentence(N_("The database {database} was written by a newer version of Welcoming Communities CO (schema "
                        "{revision}); install that version, or open another data folder."),
                     database=engine.url.database, revision=revision)
        )
    if revision is not None and backups_dir is not None and engine.dialect.name == "sqlite":
        _backup_before_upgrade(Path(engine.url.database or ""), backups_dir, revision)
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    log.info("database upgraded from %s to %s", revision, HEAD_REVISION)
    return True


def _backup_before_upgrade(db_path: Path, backups_dir: Path, revision: str) -> Path:
    """A copy through SQLite's online backup API, in case an upgrade goes wrong."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    target = backups_dir / f"before-upgrade-{revision}-{stamp}.sqlite3"
    src = sqlite3.connect(db_path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    target.chmod(0o600)
    log.info("backup before upgrade written to %s", target.name)
    return target
