"""Atomic file writes: the old file or the new one, never half of either.

Power can fail at any moment (see DESIGN.md, "Nothing lost"): content goes to a
temporary file in the same folder (``.<name>.<12 hex>.tmp``), is flushed to disk, and then
replaces the target with ``os.replace``, which is atomic on every platform we support; the
folder is flushed too, so the rename itself survives.  The one module that does this:
small files (settings, subtitles, markers) through :func:`atomic_write_bytes`, big ones
written in a stream (exports, sync packages) through :func:`atomic_output`, which also
turns a full disk or a read-only stick into one sentence naming the file.
"""

from __future__ import annotations

import errno
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from co_app.core.foundation.errors import CoError, sentence
from co_app.core.foundation.i18n import N_


class OutputFileError(CoError):
    """A file could not be written where the user asked."""


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
def _replacing(path: Path, mode: int) -> Iterator[BinaryIO]:
    """The one implementation: yield a temporary file beside ``path`` that replaces it when
    the block ends without error, and is removed otherwise.  OSErrors pass through."""
    path = Path(path)
    # O_EXCL with a random name, as tempfile.mkstemp does (without its import cost at start-up).
    tmp = temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(path.parent)


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` atomically, readable by the owner only by default."""
    with _replacing(path, mode) as out:
        out.write(data)


def atomic_write_text(path: Path, text: str, *, mode: int = 0o600) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


@contextmanager
def atomic_output(path: Path, *, mode: int = 0o600, data_dir: Path | None = None) -> Iterator[BinaryIO]:
    """Yield a binary file; when the block ends without error it becomes ``path``.  An
    OSError becomes :class:`OutputFileError` naming the file; the half-written files that
    earlier, interrupted writes left in the folder are removed afterwards.  ``data_dir``:
    the data folder, whose disk keeps the database's reserve (diskspace.py) — a file that
    would eat into it is refused, and nothing is left under its name."""
    path = Path(path)
    try:
        with _replacing(path, mode) as out:
            yield out
            if data_dir is not None:
                _keep_reserve(path, out, data_dir)
    except OSError as exc:
        raise OutputFileError(sentence(N_("Cannot write {path}: {problem}."),
                                       path=path, problem=describe(exc))) from exc
    remove_stale_temporaries(path.parent)


def _keep_reserve(path: Path, out: BinaryIO, data_dir: Path) -> None:
    from co_app.core.foundation.diskspace import megabytes, reserve_bytes, room_left

    out.flush()
    free = room_left(path.parent, data_dir, 0)  # the file written so far is counted already
    if free is not None:
        raise OutputFileError(
            sentence(N_("Cannot write {path}: it would leave {free} free on the disk holding the data folder, "
                        "where {kept} are kept for the database. Write it to a USB stick, or free some space, "
                        "then try again."),
                     path=path, free=megabytes(free), kept=megabytes(reserve_bytes())))


def make_private_dirs(folder: Path) -> Path:
    """Create ``folder`` and whichever of its parents are missing, each owner-only (0700);
    a folder that already exists keeps its mode — a shared folder given as ``--data-dir``
    must not be closed to the others who use it.  (``os.makedirs`` gives the parents the
    default mode.)  OSError passes through; an existing file in the way is ``FileExistsError``."""
    folder = Path(folder)
    missing: list[Path] = []
    current = folder
    while not current.is_dir():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            if not path.is_dir():
                raise
            continue  # made meanwhile by another process: its mode is not ours to change
        try:
            os.chmod(path, 0o700)  # mkdir's mode is masked by the umask; never widened by it
        except OSError:
            pass  # FAT-formatted USB sticks have no permissions to set
    return folder


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX only; a no-op elsewhere)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


#: What a write cut short by a power cut or a kill leaves: ``.<file>.<12 hex>.tmp``, for the
#: files exports write (sync packages, spreadsheets).
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
