"""The schema revision this version of the application expects, readable without
SQLAlchemy — start-up checks it before paying for the ORM's import."""

from __future__ import annotations

import sqlite3
from pathlib import Path

#: The newest migration; a test checks it matches the scripts in migrations/versions.
HEAD_REVISION = "0008_media_problem_codes"


def stored_revision(path: Path) -> str | None:
    """The revision recorded in the database file, or None (absent, new, or unreadable)."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(path)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return row[0] if row else None


def is_current(path: Path) -> bool:
    """True when the file is already at HEAD_REVISION: opening it can wait (no migration)."""
    return stored_revision(path) == HEAD_REVISION
