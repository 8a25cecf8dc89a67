"""The facilitator PIN: it guards leaving the viewer mode (and, later, participants' data).

Stored as an scrypt hash with its own salt in ``app_meta`` — never the PIN itself — so a
copied database does not give the PIN away; scrypt's cost makes guessing 4–8 digits slow.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re

from sqlalchemy.orm import Session

from co_app.core.db.models import AppMeta
from co_app.core.errors import CoError

PIN_KEY = "facilitator_pin"
PIN_RE = re.compile(r"^\d{4,8}$")
_N, _R, _P = 2**14, 8, 1


class PinError(CoError):
    """The PIN given is not acceptable (wrong shape)."""


def _hash(pin: str, salt: bytes, n: int = _N, r: int = _R, p: int = _P) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)


def pin_is_set(db: Session) -> bool:
    return db.get(AppMeta, PIN_KEY) is not None


def set_pin(db: Session, pin: str) -> None:
    if not PIN_RE.match(pin):
        raise PinError("The PIN must be 4 to 8 digits.")
    salt = os.urandom(16)
    stored = f"scrypt${_N}${_R}${_P}${salt.hex()}${_hash(pin, salt).hex()}"
    row = db.get(AppMeta, PIN_KEY)
    if row is None:
        db.add(AppMeta(key=PIN_KEY, value=stored))
    else:
        row.value = stored
    db.commit()


def check_pin(db: Session, pin: str) -> bool:
    """True when ``pin`` is the facilitator's (compared in constant time)."""
    row = db.get(AppMeta, PIN_KEY)
    if row is None or not PIN_RE.match(pin or ""):
        return False
    try:
        scheme, n, r, p, salt, digest = row.value.split("$")
        if scheme != "scrypt":
            return False
        return hmac.compare_digest(_hash(pin, bytes.fromhex(salt), int(n), int(r), int(p)), bytes.fromhex(digest))
    except ValueError:
        return False
