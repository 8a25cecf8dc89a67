"""One data folder, one writer: an operating-system lock on ``<data folder>/.writer.lock``.

The window holds it while it is open, and so does every command that changes the data
(an import, a sync, a seed).  A second writer on the same folder is told at once, in one
sentence, who holds it (what, which process, since when) instead of meeting a busy
database halfway through its work: an export that failed on its audit entry after writing
its file, two imports of one pack overwriting each other's partial copy, a check-in refused
after five seconds.  Commands that only read (lists, reports, exports) need no lock.

The lock is the system's (``fcntl.flock`` on Linux and macOS, ``msvcrt.locking`` on
Windows), so it goes with the process: a crashed or killed window leaves nothing to clean
up.  The file also holds a line describing the holder, read by the one refused.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from co_app.core.foundation.errors import CoError, sentence
from co_app.core.foundation.i18n import N_

LOCK_NAME = ".writer.lock"
#: On Windows the locked byte lies past the description, which stays readable.
_WINDOWS_OFFSET = 1 << 20
#: What the window writes as the holder: a tag, never shown as such (``Holder.sentence``).
APP_WINDOW = "the application window"


class DataFolderBusy(CoError):
    """Another process is writing to this data folder; ``holder`` says who."""

    exit_code = 1

    def __init__(self, message: str, holder: "Holder | None") -> None:
        super().__init__(message)
        self.holder = holder


@dataclass(frozen=True)
class Holder:
    """Who holds the lock, as it wrote itself into the file."""

    pid: int
    what: str  # "the application window", "media import", …
    since: datetime | None

    def sentence(self, folder: Path) -> str:
        if self.what == APP_WINDOW:  # a whole sentence of its own: the tag is English, in any language
            return app_window_sentence(folder, self.pid)
        if self.since:
            return sentence(N_("The data folder {folder} is in use by {what} (process {pid}, since {time}): wait "
                               "until it has finished, or close it, then try again."), folder=folder, what=self.what,
                            pid=self.pid, time=self.since.astimezone().strftime('%H:%M'))
        return sentence(N_("The data folder {folder} is in use by {what} (process {pid}): wait until it has "
                           "finished, or close it, then try again."), folder=folder, what=self.what, pid=self.pid)


def app_window_sentence(folder: Path, pid: int) -> str:
    """The window is open on ``folder``: said by the command line and by a second window."""
    return sentence(N_("The application is already open on the data folder {folder} (process {pid}): use that "
                       "window, or close it first."), folder=folder, pid=pid)


def read_holder(folder: Path) -> Holder | None:
    """The description the holder left, or None (no lock file, or one not understood)."""
    try:
        with (Path(folder) / LOCK_NAME).open("r", encoding="utf-8") as fh:
            doc = json.loads(fh.readline(4096) or "{}")
        since = datetime.fromisoformat(doc["since"]) if doc.get("since") else None
        return Holder(int(doc["pid"]), str(doc.get("what", "another program"))[:80], since)
    except (OSError, ValueError, KeyError, TypeError):
        return None


class WriterLock:
    """``with WriterLock(folder, "media import"):`` — held until the block ends (or ``release``)."""

    def __init__(self, folder: Path, what: str) -> None:
        self.folder = Path(folder)
        self.what = what
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> "WriterLock":
        """Take the lock at once, or raise ``DataFolderBusy`` naming its holder."""
        if self._fd is not None:
            return self
        path = self.folder / LOCK_NAME
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise CoError(sentence(N_("Cannot open {path} to claim the data folder: {reason}."),
                                   path=path, reason=exc.strerror or exc)) from exc
        if not _try_lock(fd):
            os.close(fd)
            holder = read_holder(self.folder)
            message = holder.sentence(self.folder) if holder else sentence(
                N_("The data folder {folder} is in use by another program of this application: wait until it has "
                   "finished, or close it, then try again."), folder=self.folder)
            raise DataFolderBusy(message, holder)
        self._fd = fd
        self._describe(fd)
        return self

    def _describe(self, fd: int) -> None:
        line = json.dumps({"pid": os.getpid(), "what": self.what,
                           "since": datetime.now(timezone.utc).isoformat(timespec="seconds")}) + "\n"
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, line.encode("utf-8"))
        except OSError:
            pass  # the lock is what counts; the description only helps the one refused

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)  # the next holder writes its own line; nobody reads a stale one
        except OSError:
            pass
        _unlock(fd)
        os.close(fd)

    def __enter__(self) -> "WriterLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised by the Windows build
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WINDOWS_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError:  # a file system without locks (some network shares): do not refuse to work
            return True
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
