"""Which laptop (or office) a database is: its device id, its name, its role — and a new
identity when the data folder was copied to another computer or another folder.

**How a copy is found.**  The database keeps a *binding*: a digest of this computer's
machine id (``/etc/machine-id`` on Linux, the ``MachineGuid`` on Windows, the platform
UUID on macOS, else the network card's address and the host name) and of the data
folder's real path.  Opening the database elsewhere — ``cp -a`` of the folder to a USB
stick and on to another laptop, a second folder on one laptop, a restored backup copied
in — gives another binding: the database then takes a **new device id** and keeps the old
one as its *predecessor*.  Its changes from then on are its own; the records both copies
had were made by the predecessor, and counted once however many copies send them.  (A
USB stick mounted under another path is a new device too: harmless, since nothing is
counted twice.)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import subprocess
import sys
import uuid
from pathlib import Path

from sqlalchemy import Connection, select

from co_app.core.db.glance import DEVICE_ID_KEY
from co_app.core.db.models import AppMeta, SyncContext, SyncSeen
from co_app.core.db.versions import COUNTER_KEY, meta_int, set_meta
from co_app.core.foundation.errors import sentence
from co_app.core.foundation.i18n import N_

log = logging.getLogger(__name__)

NAME_KEY = "device_name"
ROLE_KEY = "sync_role"
BINDING_KEY = "device_binding"
PREDECESSORS_KEY = "device_predecessors"
#: This database's private keys (co_app/core/sync/keys.py): a new identity gets new ones.
SIGN_KEY = "sync_sign_key"
BOX_KEY = "sync_box_key"
ROLES = ("laptop", "office")


def machine_id() -> str:
    """A stable id of this computer (not secret; only compared with itself)."""
    if sys.platform.startswith("linux"):
        for path in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
            try:
                value = Path(path).read_text().strip()
            except OSError:
                continue
            if value:
                return value
    elif sys.platform == "win32":  # pragma: no cover - Windows only
        try:
            import winreg

            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography") as key:
                return str(winreg.QueryValueEx(key, "MachineGuid")[0])
        except OSError:
            pass
    elif sys.platform == "darwin":  # pragma: no cover - macOS only
        try:
            out = subprocess.run(["ioreg", "-rd1", "-c", "IOPlatformExpertDevice"], capture_output=True,
                                 text=True, timeout=5).stdout
            for line in out.splitlines():
                if "IOPlatformUUID" in line:
                    return line.split('"')[-2]
        except (OSError, subprocess.SubprocessError):
            pass
    return f"{uuid.getnode():012x}-{platform.node()}"


def binding_for(folder: Path) -> str:
    where = os.path.realpath(folder)
    return hashlib.sha256(f"{machine_id()}\n{where}".encode()).hexdigest()


def _text(conn: Connection, key: str) -> str | None:
    return conn.execute(select(AppMeta.value).where(AppMeta.key == key)).scalar()


def device_name(conn: Connection) -> str:
    return _text(conn, NAME_KEY) or ""


def role(conn: Connection) -> str:
    return _text(conn, ROLE_KEY) or "laptop"


def predecessors(conn: Connection) -> list[str]:
    return json.loads(_text(conn, PREDECESSORS_KEY) or "[]")


def set_name(conn: Connection, name: str) -> None:
    name = " ".join(name.split())
    if not name or len(name) > 80 or not name.isprintable():
        raise ValueError(sentence(N_("a laptop's name is 1 to 80 printable characters")))
    set_meta(conn, NAME_KEY, name)


def set_role(conn: Connection, value: str) -> None:
    if value not in ROLES:
        raise ValueError(sentence(N_("a role is one of {roles}"), roles=', '.join(ROLES)))
    set_meta(conn, ROLE_KEY, value)


def check_binding(conn: Connection, folder: Path) -> str | None:
    """Bind the database to this computer and folder on its first opening; when it was
    bound elsewhere, give it a new device id (returned) with the old one as predecessor."""
    current = binding_for(folder)
    stored = _text(conn, BINDING_KEY)
    if stored == current:
        return None
    set_meta(conn, BINDING_KEY, current)
    if stored is None or _text(conn, DEVICE_ID_KEY) is None:
        # First opening (or first since the upgrade): this is where it lives.  Until someone
        # names it (Settings, sync name), the office sees the computer's own name.
        if not device_name(conn):
            try:
                set_name(conn, platform.node() or "")
            except ValueError:
                pass
        return None
    return renew(conn, "this data folder was copied from elsewhere")


def renew(conn: Connection, why: str) -> str:
    """Make this database a new device (returned), the old id its predecessor: after a copy,
    and after a restore — the restored file's counter is behind the changes this laptop
    made and exported since, and reusing those counters would make two changes one."""
    old = _text(conn, DEVICE_ID_KEY) or ""
    new = str(uuid.uuid4())
    counter = meta_int(conn, COUNTER_KEY) or 0
    set_meta(conn, DEVICE_ID_KEY, new)
    set_meta(conn, PREDECESSORS_KEY, json.dumps([*predecessors(conn), old]))
    set_meta(conn, COUNTER_KEY, 0)
    conn.execute(AppMeta.__table__.delete().where(AppMeta.key.in_((SIGN_KEY, BOX_KEY))))
    # Everything the old identity made is held here: say so in the seen vector and in the
    # new device's context, so its changes come after the copied ones.
    conn.execute(SyncSeen.__table__.delete().where(SyncSeen.device_id == old))
    conn.execute(SyncSeen.__table__.insert().values(device_id=old, counter=counter))
    seen = {device: c for device, c in conn.execute(select(SyncSeen.device_id, SyncSeen.counter))}
    conn.execute(SyncContext.__table__.insert().values(device_id=new, first_counter=1, vector=seen))
    name = device_name(conn)
    if name:
        set_meta(conn, NAME_KEY, f"{name} (copy)"[:80])
    log.warning("%s: new device id %s (was %s)", why, new, old)
    return new
