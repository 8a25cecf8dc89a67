"""Big files written in a stream, yet atomically: a temporary name in the destination
folder, flushed to disk, then renamed over the target — the old file or the new one,
never half of either.  A full disk, a read-only USB stick or a folder we may not write
becomes one sentence naming the file; the temporary file is removed."""

from __future__ import annotations

import errno
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from co_app.core.foundation.errors import CoError
from co_app.core.foundation.fileio import _fsync_dir


class OutputFileError(CoError):
    """The export could not be written where the user asked."""


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "the folder does not exist",
    errno.EDQUOT: "the disk quota is exhausted",
    errno.EFBIG: "the file is too large for this disk",
}


def describe(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def temp_name(path: Path) -> Path:
    return path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp"


@contextmanager
def atomic_output(path: Path, *, mode: int = 0o600) -> Iterator[BinaryIO]:
    """Yield a binary file; when the block ends without error it becomes ``path``."""
    path = Path(path)
    tmp = temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as exc:
        raise OutputFileError(f"Cannot write {path}: {describe(exc)}.") from exc
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputFileError(f"Cannot write {path}: {describe(exc)}.") from exc
        raise
    _fsync_dir(path.parent)
    remove_stale_temporaries(path.parent)


#: What a write cut short by a power cut or a kill leaves: ``.<file>.<12 hex>.tmp``, for the
#: files this application writes (sync packages, spreadsheets).
_TEMPORARY = re.compile(r"^\..+\.(cosync|csv|xlsx)\.[0-9a-f]{12}\.tmp$")
STALE_AFTER_S = 3600


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the half-written files an interrupted export left in ``folder`` (an hour old
    or more: never one that another export is writing now); returns them.  Called after
    each successful write there, so a power cut's leftovers do not stay for good."""
    removed: list[Path] = []
    now = time.time()
    try:
        candidates = [p for p in Path(folder).iterdir() if _TEMPORARY.match(p.name)]
    except OSError:
        return removed
    for candidate in candidates:
        try:
            if now - candidate.stat().st_mtime >= STALE_AFTER_S and candidate.is_file():
                candidate.unlink()
                removed.append(candidate)
        except OSError:
            continue
    return removed
