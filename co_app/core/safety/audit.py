"""The audit log: exports, imports, PIN changes, restores and edits of closed sessions.

Entries never hold personal data — ``subject`` is a record id, ``detail`` describes the
action in words (counts, file names chosen by the user, field names), never a
participant's name or case number.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from co_app.core.db import glance
from co_app.core.db.plain import utcnow_text
from co_app.core.foundation.errors import Notice
from co_app.core.foundation.i18n import N_

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: The actions written to the log (others are refused, so a typo cannot hide an entry).
ACTIONS = frozenset({
    "export", "import", "sync_export", "sync_import", "pin_set", "pin_changed", "pin_failed",
    "session_closed", "session_reopened", "closed_session_edit", "backup", "restore",
    "content_import", "content_rollback", "person_merged", "person_unmerged",
})


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    action: str
    subject: str
    detail: str
    device_id: str


def record(db: Session, action: str, *, subject: str = "", detail: str = "", commit: bool = True) -> None:
    """Add one entry.  ``commit=False`` lets the caller write it in the same transaction as
    the change it describes (so neither exists without the other)."""
    from co_app.core.db.models import AuditEntry

    _check(action)
    device_id = str(db.info.get("device_id", "")) if hasattr(db, "info") else ""
    db.add(AuditEntry(action=action, subject=subject[:64], detail=detail, device_id=device_id))
    if commit:
        db.commit()


def record_plain(conn: sqlite3.Connection, action: str, *, subject: str = "", detail: str = "") -> None:
    """``record`` without the ORM (the day's backup, made while only Home has been opened),
    in the caller's transaction (``plain.connect`` commits it)."""
    _check(action)
    conn.execute("INSERT INTO audit_log (at, action, subject, detail, device_id) VALUES (?, ?, ?, ?, ?)",
                 (utcnow_text(), action, subject[:64], detail, glance.device_id(conn) or ""))


def after_written(path: Path, write: Callable[[], None]) -> Notice | None:
    """Run ``write``, the audit entry (and notes) of a file already written and renamed into
    place: the file is what the user asked for, so a database that is busy (another process
    writing), full or damaged at that moment makes a warning, never a failure — the file
    stays.  None when the entry was written."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        write()
    except (SQLAlchemyError, sqlite3.Error, OSError) as exc:
        # The exception's text may quote the statement's values: its kind is enough for the log.
        log.warning("the audit entry for %s was not written (%s)", path.name, type(getattr(exc, "orig", exc)).__name__)
        return Notice(N_("{file} was written, but the audit log could not record it just now (the database was "
                         "busy or the disk full)."), file=str(path))
    return None


def _check(action: str) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")


def entries(db: Session, *, limit: int = 500, action: str | None = None) -> list[AuditLine]:
    from sqlalchemy import select

    from co_app.core.db.models import AuditEntry

    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEntry.action == action)
    return [AuditLine(e.at, e.action, e.subject, e.detail, e.device_id) for e in db.scalars(query)]
