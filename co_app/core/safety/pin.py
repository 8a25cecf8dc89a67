"""The facilitator PIN: it guards leaving the viewer mode (and, later, participants' data).

Stored as an scrypt hash with its own salt in ``app_meta`` — never the PIN itself — so a
copied database does not give the PIN away; scrypt's cost makes guessing 4–8 digits slow.

Wrong attempts slow down: the first ``FREE_ATTEMPTS`` in a row cost nothing, then each one
makes the next wait longer (30 s, 1 min, 2 min … up to 15 min).  The count and the end
of the wait are kept in ``app_meta``, so closing the application does not reset them; the
right PIN does.  Setting, changing and failing the PIN go to the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from datetime import datetime, timedelta, timezone

from sqlalchemy.orm import Session

from co_app.core.safety import audit
from co_app.core.db.models import AppMeta
from co_app.core.foundation.errors import CoError, sentence
from co_app.core.db.glance import PIN_KEY
from co_app.core.foundation.i18n import N_

PIN_RE = re.compile(r"^\d{4,8}$")
_N, _R, _P = 2**14, 8, 1
FAILURES_KEY = "pin_failures"
WAIT_UNTIL_KEY = "pin_wait_until"
FREE_ATTEMPTS = 3
FIRST_WAIT_S = 30
MAX_WAIT_S = 15 * 60


class PinError(CoError):
    """The PIN given is not acceptable (wrong shape)."""


def _hash(pin: str, salt: bytes, n: int = _N, r: int = _R, p: int = _P) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)


def pin_is_set(db: Session) -> bool:
    """(Home and the viewer ask ``glance.pin_is_set`` instead, without the ORM.)"""
    return db.get(AppMeta, PIN_KEY) is not None


def set_pin(db: Session, pin: str) -> None:
    if not PIN_RE.match(pin):
        raise PinError(sentence(N_("The PIN must be 4 to 8 digits.")))
    salt = os.urandom(16)
    stored = f"scrypt${_N}${_R}${_P}${salt.hex()}${_hash(pin, salt).hex()}"
    row = db.get(AppMeta, PIN_KEY)
    if row is None:
        db.add(AppMeta(key=PIN_KEY, value=stored))
    else:
        row.value = stored
    _forget_failures(db)
    audit.record(db, "pin_set" if row is None else "pin_changed", commit=False)
    db.commit()


def wait_after(failures: int) -> int:
    """Seconds to wait before the next attempt after ``failures`` wrong ones in a row."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(MAX_WAIT_S, FIRST_WAIT_S * 2 ** min(failures - FREE_ATTEMPTS, 16))


def _meta(db: Session, key: str) -> str | None:
    row = db.get(AppMeta, key)
    return row.value if row is not None else None


def _put_meta(db: Session, key: str, value: str) -> None:
    row = db.get(AppMeta, key)
    if row is None:
        db.add(AppMeta(key=key, value=value))
    else:
        row.value = value


def _forget_failures(db: Session) -> None:
    for key in (FAILURES_KEY, WAIT_UNTIL_KEY):
        row = db.get(AppMeta, key)
        if row is not None:
            db.delete(row)


def failures_in_a_row(db: Session) -> int:
    try:
        return max(0, int(_meta(db, FAILURES_KEY) or 0))
    except ValueError:
        return FREE_ATTEMPTS  # a damaged count: slow down rather than forget


def seconds_to_wait(db: Session, now: datetime | None = None) -> int:
    """How long (whole seconds, rounded up) before the PIN may be tried again; 0 = now."""
    until_text = _meta(db, WAIT_UNTIL_KEY)
    if not until_text:
        return 0
    now = now or datetime.now(timezone.utc)
    try:
        until = datetime.fromisoformat(until_text)
    except ValueError:
        return 0
    remaining = (until - now).total_seconds()
    # A clock set back must not lock the facilitator out for days: never more than the rule allows.
    remaining = min(remaining, wait_after(failures_in_a_row(db)))
    return max(0, int(-(-remaining // 1)))


def _record_failure(db: Session, now: datetime) -> None:
    failures = failures_in_a_row(db) + 1
    _put_meta(db, FAILURES_KEY, str(failures))
    wait = wait_after(failures)
    if wait:
        _put_meta(db, WAIT_UNTIL_KEY, (now + timedelta(seconds=wait)).isoformat())
    audit.record(db, "pin_failed", detail="wrong PIN, {count} in a row".format(count=failures), commit=False)
    db.commit()


def check_pin(db: Session, pin: str, *, now: datetime | None = None) -> bool:
    """True when ``pin`` is the facilitator's (compared in constant time).

    A wrong PIN is counted (and audited); while ``seconds_to_wait`` is above zero every
    attempt is refused without being checked or counted — ask ``seconds_to_wait`` first to
    tell the user why.  An empty entry is not an attempt."""
    row = db.get(AppMeta, PIN_KEY)
    if row is None or not pin:
        return False
    now = now or datetime.now(timezone.utc)
    if seconds_to_wait(db, now):
        return False
    if _matches(row.value, pin):
        if _meta(db, FAILURES_KEY) is not None or _meta(db, WAIT_UNTIL_KEY) is not None:
            _forget_failures(db)
            db.commit()
        return True
    _record_failure(db, now)
    return False


def _matches(stored: str, pin: str) -> bool:
    if not PIN_RE.match(pin):
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        return hmac.compare_digest(_hash(pin, bytes.fromhex(salt), int(n), int(r), int(p)), bytes.fromhex(digest))
    except ValueError:
        return False
