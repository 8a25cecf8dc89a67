"""Keys instead of shared passphrases: every laptop and the office have a key pair.

* **Ed25519** signs: every keyed package is signed by the database that wrote it, so the
  office refuses a package a laptop it enrolled did not write, and a laptop refuses one
  its office did not write.
* **X25519** receives: a package's content key (random, AES-256-GCM) is wrapped for each
  recipient — the office, for a laptop's package; every enrolled laptop, for the office's —
  with an ephemeral X25519 exchange and HKDF-SHA256.  A laptop cannot read another
  laptop's package: it is not among its recipients.

The private keys live in the database's ``app_meta`` (the file is readable by its owner
only); a copied data folder gets new keys with its new device id (co_app/core/db/identity.py).
A laptop is **enrolled** with the office's public key file (``sync enrol FILE``, made by
``sync office-key``); the office enrols a laptop the first time it imports one of its
packages, after the officer compared the fingerprint shown with the one on the laptop.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from sqlalchemy import Connection, select

from co_app.core.db import identity
from co_app.core.db.glance import DEVICE_ID_KEY
from co_app.core.db.models import AppMeta
from co_app.core.db.versions import meta_text, set_meta
from co_app.core.sync.container import PackageError
from co_app.core.foundation.errors import sentence
from co_app.core.foundation.i18n import N_

OFFICE_KEY = "sync_office_key"
KEY_FILE_FORMAT = "welcoming-communities-co-office-key"
_RAW = serialization.Encoding.Raw


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def fingerprint(sign_key: bytes, box_key: bytes) -> str:
    """What an officer compares on two screens: 8 groups of 4 hex digits."""
    digest = hashlib.sha256(sign_key + box_key).hexdigest()[:32].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True)
class PublicKeys:
    device_id: str
    name: str
    role: str
    sign: bytes
    box: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign, self.box)

    def as_json(self) -> dict[str, Any]:
        return {"format": KEY_FILE_FORMAT, "device_id": self.device_id, "name": self.name, "role": self.role,
                "sign": b64(self.sign), "box": b64(self.box), "fingerprint": self.fingerprint}


@dataclass(frozen=True)
class OwnKeys:
    public: PublicKeys
    sign: Ed25519PrivateKey
    box: X25519PrivateKey


def own_keys(conn: Connection) -> OwnKeys:
    """This database's key pair, made the first time it is needed."""
    sign_text = meta_text(conn, identity.SIGN_KEY)
    box_text = meta_text(conn, identity.BOX_KEY)
    if sign_text is None or box_text is None:
        sign, box = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
        set_meta(conn, identity.SIGN_KEY, b64(sign.private_bytes_raw()))
        set_meta(conn, identity.BOX_KEY, b64(box.private_bytes_raw()))
    else:
        sign = Ed25519PrivateKey.from_private_bytes(unb64(sign_text))
        box = X25519PrivateKey.from_private_bytes(unb64(box_text))
    device = conn.execute(select(AppMeta.value).where(AppMeta.key == DEVICE_ID_KEY)).scalar() or ""
    public = PublicKeys(device, identity.device_name(conn), identity.role(conn),
                        sign.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw),
                        box.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw))
    return OwnKeys(public, sign, box)


def write_office_key(conn: Connection, out: Path) -> PublicKeys:
    """The office's public key file, for the laptops' USB stick."""
    if identity.role(conn) != "office":
        raise PackageError(sentence(N_("Only the office's database has the office key; open the hub with --db.")))
    public = own_keys(conn).public
    from co_app.core.foundation.fileio import atomic_write_text

    from co_app.core.foundation.fileio import describe

    try:
        atomic_write_text(Path(out), json.dumps(public.as_json(), indent=1, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise PackageError(sentence(N_("Cannot write the office key file {out}: {problem}."),
                                    out=out, problem=describe(exc))) from None
    return public


def read_key_file(path: Path) -> PublicKeys:
    try:
        raw = Path(path).read_bytes()
        if len(raw) > 64 * 1024:
            raise ValueError
        data = json.loads(raw.decode("utf-8"))
        if data.get("format") != KEY_FILE_FORMAT or data.get("role") != "office":
            raise ValueError
        keys = PublicKeys(str(data["device_id"]), str(data.get("name", ""))[:80], "office", unb64(data["sign"]),
                          unb64(data["box"]))
        Ed25519PublicKey.from_public_bytes(keys.sign)
        X25519PublicKey.from_public_bytes(keys.box)
    except OSError as exc:
        raise PackageError(sentence(N_("Cannot read the office key file {path}: {reason}."),
                                    path=path, reason=exc.strerror or exc)) from None
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):  # RecursionError: [[[… deep
        raise PackageError(sentence(N_("{path} is not an office key file of Welcoming Communities CO."),
                                    path=path)) from None
    return keys


def enrol_with_office(conn: Connection, path: Path, *, replace: bool = False) -> PublicKeys:
    """This laptop sends its packages to the office whose key file is ``path``."""
    if identity.role(conn) == "office":
        raise PackageError(sentence(N_("This is the office's database: laptops enrol with it, not the other way "
                                       "round.")))
    keys = read_key_file(path)
    current = enrolled_office(conn)
    if current is not None and not replace and (current.sign, current.box) != (keys.sign, keys.box):
        raise PackageError(sentence(N_('This laptop is enrolled with "{name}" (fingerprint {fingerprint}); {path} is '
                                       'the key of "{other_name}" (fingerprint {other_fingerprint}). To move the '
                                       "laptop to that office, enrol it again with --replace."),
                                    name=current.name, fingerprint=current.fingerprint, path=path, other_name=keys.name,
                                    other_fingerprint=keys.fingerprint))
    set_meta(conn, OFFICE_KEY, json.dumps(keys.as_json()))
    return keys


def enrolled_office(conn: Connection) -> PublicKeys | None:
    text = meta_text(conn, OFFICE_KEY)
    if not text:
        return None
    data = json.loads(text)
    return PublicKeys(data["device_id"], data.get("name", ""), "office", unb64(data["sign"]), unb64(data["box"]))
