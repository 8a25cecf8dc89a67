"""Real bad destinations for exports: a disk that is full and a write-protected one.

As root (CI, the development machine) they are real file systems: a 256 KiB tmpfs filled to
the last byte, and a tmpfs mounted read-only, unmounted again when the test ends.  Without
root, "full" is the file-size limit of a process (RLIMIT_FSIZE: writes past it fail with
EFBIG, as on a FAT32 stick) and "read-only" a folder with mode 0555.  ``CO_TEST_UNPRIVILEGED=1``
takes the second way as root too (its read-only folder then stops nobody: root ignores modes).
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import resource
import signal
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from co_app.core.foundation.errors import CoError

PRIVILEGED = os.geteuid() == 0 and os.environ.get("CO_TEST_UNPRIVILEGED") != "1"
#: The file-size limit standing for a full disk without root: the exports are larger.
SIZE_LIMIT = 512


@dataclass(frozen=True)
class Failure:
    """How an attempt to write ended: the exception's kind and message, its errno (its
    cause's, for a CoError), and whether it is one of the project's own errors."""

    kind: str
    message: str
    errno: int | None
    is_co_error: bool


def _failure(exc: BaseException) -> Failure:
    cause = exc if isinstance(exc, OSError) else exc.__cause__
    return Failure(type(exc).__name__, str(exc), getattr(cause, "errno", None), isinstance(exc, CoError))


@dataclass(frozen=True)
class Destination:
    folder: Path
    kind: str                    # "full" or "read-only"
    in_subprocess: bool = False  # the unprivileged "full": the write runs under a file-size limit

    @property
    def reasons(self) -> tuple[str, ...]:
        """What a message may say the problem is (ours, or the system's words for it)."""
        if self.kind == "full":
            return ("the disk is full", "No space left on device") if PRIVILEGED else (
                "the file is too large for this disk", "File too large")
        return ("the disk is read-only", "Read-only file system") if PRIVILEGED else (
            "permission denied", "Permission denied")

    @property
    def errnos(self) -> tuple[int, ...]:
        if self.kind == "full":
            return (errno.ENOSPC,) if PRIVILEGED else (errno.EFBIG,)
        return (errno.EROFS,) if PRIVILEGED else (errno.EACCES,)

    def attempt(self, write: Callable[[], Any], engine: Any = None) -> Failure | None:
        """Run ``write``; how it failed, or None when it did not.  ``engine``: the
        SQLAlchemy engine ``write`` uses, for a forked child to open its own connections."""
        if not self.in_subprocess:
            try:
                write()
            except Exception as exc:  # noqa: BLE001 - the caller asserts which kind
                return _failure(exc)
            return None
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_limited, args=(write, send, engine))
        child.start()
        send.close()
        outcome = receive.recv()
        child.join()
        return outcome

    def leftovers(self) -> list[str]:
        """Files in the folder besides the filler (none may be left by a failed export)."""
        return sorted(p.name for p in self.folder.iterdir() if p.name != FILLER)


def _limited(write: Callable[[], Any], send: Any, engine: Any) -> None:
    if engine is not None:
        engine.dispose(close=False)  # the parent's connections stay the parent's
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (SIZE_LIMIT, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    try:
        write()
    except Exception as exc:  # noqa: BLE001 - sent back whole
        send.send(_failure(exc))
    else:
        send.send(None)
    finally:
        send.close()


@contextmanager
def file_size_limit(limit: int = SIZE_LIMIT) -> Iterator[None]:
    """This process may write no file past ``limit`` bytes (only the soft limit is lowered,
    so it can be raised again without root).  For the interface tests, whose writes must
    happen in this process; keep the block to the one action."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


FILLER = "filler.bin"


def _mount(folder: Path, *options: str) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(folder)], check=True,
                   capture_output=True)


def _unmount(folder: Path) -> None:
    if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(folder)], check=True, capture_output=True)


@contextmanager
def full_disk(base: Path) -> Iterator[Destination]:
    """A folder on a disk with no space left."""
    folder = base / "full-stick"
    folder.mkdir()
    if not PRIVILEGED:
        yield Destination(folder, "full", in_subprocess=True)
        return
    _mount(folder, "size=256k", "mode=0700")
    try:
        fd = os.open(folder / FILLER, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
        finally:
            os.close(fd)
        yield Destination(folder, "full")
    finally:
        _unmount(folder)


@contextmanager
def read_only_disk(base: Path) -> Iterator[Destination]:
    """A folder on a write-protected disk."""
    folder = base / "locked-stick"
    folder.mkdir()
    if not PRIVILEGED:
        folder.chmod(0o555)
        try:
            yield Destination(folder, "read-only")
        finally:
            folder.chmod(0o700)
        return
    _mount(folder, "ro", "size=64k", "mode=0755")
    try:
        yield Destination(folder, "read-only")
    finally:
        _unmount(folder)
