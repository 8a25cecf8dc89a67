"""Room on the disk for the database: what large writers leave free, and a spare file.

A laptop's disk fills up (a media pack of eight films, a year of backups, someone's
downloads), and the day it is full a check-in fails with "database or disk is full".  Two
things keep the database writable:

* **The reserve.**  Every large writer on the data folder's disk (a media import, an
  export, a backup) first checks that ``reserve_bytes()`` (200 MB, or
  ``$CO_APP_DISK_RESERVE_MB``) stay free after it, and refuses in one sentence otherwise;
  the media import checks again while it copies.
* **The spare file.**  ``.disk-reserve`` in the data folder (8 MB) is made when there is
  room and deleted the moment SQLite reports the disk full (``engine.py``), so the
  check-in that met the full disk is written on its second try, and the ones after it too.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
from pathlib import Path

from co_app.core.foundation.errors import CoError, sentence
from co_app.core.foundation.i18n import N_

log = logging.getLogger(__name__)

RESERVE_ENV = "CO_APP_DISK_RESERVE_MB"
DEFAULT_RESERVE_MB = 200
SPARE_NAME = ".disk-reserve"
SPARE_BYTES = 8 * 1024 * 1024
MB = 1024 * 1024


class DiskSpaceError(CoError):
    """Not enough room for a large write while keeping the database's reserve."""

    exit_code = 1


def reserve_bytes() -> int:
    """The space large writers leave free on the data folder's disk."""
    try:
        return max(0, int(float(os.environ.get(RESERVE_ENV, DEFAULT_RESERVE_MB)) * MB))
    except ValueError:
        return DEFAULT_RESERVE_MB * MB


def free_bytes(folder: Path) -> int:
    """Free space for an ordinary user where ``folder`` is (or would be made)."""
    place = Path(folder)
    while not place.exists() and place.parent != place:
        place = place.parent
    return shutil.disk_usage(place).free


def same_disk(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` (or the nearest folders that exist) lie on one file system."""
    def device(path: Path) -> int | None:
        path = Path(path)
        while not path.exists() and path.parent != path:
            path = path.parent
        try:
            return path.stat().st_dev
        except OSError:
            return None

    first = device(a)
    return first is not None and first == device(b)


def megabytes(n: int) -> str:
    return f"{max(0, n) / MB:,.0f} MB" if n >= MB or n <= 0 else f"{n / MB:.1f} MB"


def room_left(folder: Path, data_dir: Path, needed: int) -> int | None:
    """None when writing ``needed`` bytes into ``folder`` keeps the reserve (or ``folder`` is on
    another disk than the data folder: a USB stick keeps no reserve); else the free bytes."""
    if not same_disk(folder, data_dir):
        return None
    free = free_bytes(folder)
    return None if free - needed >= reserve_bytes() else free


def check_room(target: Path, data_dir: Path, needed: int) -> None:
    """Refuse to write ``target`` (about ``needed`` bytes) when it would eat the reserve."""
    free = room_left(target.parent, data_dir, needed)
    if free is not None:
        raise DiskSpaceError(
            sentence(N_("Cannot write {target}: it needs about {needed} and the disk holding the data folder has "
                        "{free} free, of which {kept} are kept for the database. Free some space (or "
                        "write it to a USB stick), then try again."),
                     target=target, needed=megabytes(needed), free=megabytes(free),
                     kept=megabytes(reserve_bytes())))


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` (an OSError, a sqlite3 error or SQLAlchemy's wrapper of one) means the disk is full."""
    import sqlite3

    inner = getattr(exc, "orig", None) or exc
    if isinstance(inner, OSError):
        return inner.errno in (errno.ENOSPC, errno.EDQUOT)
    if isinstance(inner, sqlite3.Error):
        return getattr(inner, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(inner)
    return False


def ensure_spare(data_dir: Path) -> bool:
    """Make the spare file when it is missing and the disk has room for it and the reserve; True if it is there."""
    spare = Path(data_dir) / SPARE_NAME
    try:
        if spare.is_file() and spare.stat().st_size >= SPARE_BYTES:
            return True
        if free_bytes(data_dir) < SPARE_BYTES + reserve_bytes():
            return False
        fd = os.open(spare, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            _allocate(fd, SPARE_BYTES)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        log.warning("no spare file for the database: %s", exc.strerror or exc)
        spare.unlink(missing_ok=True)
        return False
    return True


def _allocate(fd: int, size: int) -> None:
    """Real blocks, not a sparse file: freeing it must give the disk back ``size`` bytes."""
    if hasattr(os, "posix_fallocate"):
        try:
            os.posix_fallocate(fd, 0, size)
            return
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
                raise
    block = b"\0" * MB
    for _ in range(size // MB):
        os.write(fd, block)


def release_spare(data_dir: Path) -> bool:
    """Delete the spare file (the disk is full and the database needs room); True if there was one."""
    spare = Path(data_dir) / SPARE_NAME
    try:
        spare.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        log.warning("the spare file could not be released: %s", exc.strerror or exc)
        return False
    log.warning("the disk is full: the database's spare file (%d MB) was released", SPARE_BYTES // MB)
    return True
