"""Where each film was left on this laptop, so it resumes there next time.

Local to this laptop (not synced), read and written with ``sqlite3`` (co_app/core/db/plain.py):
playing a film never loads the ORM.
"""

from __future__ import annotations

import sqlite3

from co_app.core.db.plain import utcnow_text

#: Closer than this to either end, a film starts from the beginning next time.
RESUME_MARGIN_MS = 5_000


def saved_position(conn: sqlite3.Connection, film_id: str) -> int:
    row = conn.execute("SELECT position_ms FROM playback_positions WHERE film_id = ?", (film_id,)).fetchone()
    return int(row[0]) if row else 0


def save_position(conn: sqlite3.Connection, film_id: str, position_ms: int, length_ms: int) -> int:
    """Record (and commit) where the film was left; returns the position kept (0 = start again)."""
    keep = position_ms if RESUME_MARGIN_MS <= position_ms <= max(0, length_ms - RESUME_MARGIN_MS) else 0
    conn.execute(
        "INSERT INTO playback_positions (film_id, position_ms, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (film_id) DO UPDATE SET position_ms = excluded.position_ms, updated_at = excluded.updated_at",
        (film_id, keep, utcnow_text()),
    )
    conn.commit()
    return keep
