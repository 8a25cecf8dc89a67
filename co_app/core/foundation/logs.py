"""Logging into the data folder: one file, rotated, readable by the owner only.

Rotation: a file over 1 MB is renamed to ``co_app.log.1`` (``.1`` to ``.2`` … up to ``.5``),
at start-up and whenever a write takes it over the limit.  It is done here rather than
through ``logging.handlers``, whose imports (sockets, pickling, queues) cost start-up time.

No personal data: the application never logs a participant's name or case number; what
it logs about records is their ids and counts.  One thing could still carry them — the
values SQLAlchemy prints with a failed statement (``[parameters: (...)]``) inside an
exception's message — so every record is scrubbed of those before it is written.
libVLC's own log joins this file through ``co_app/player/vlc_backend.py``.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path, PurePath

LOG_FILE = "co_app.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def rotate(path: Path, *, max_bytes: int = MAX_BYTES, backups: int = BACKUP_COUNT) -> bool:
    """Shift ``path`` to ``path.1`` (and ``.1`` to ``.2`` …) when it is over ``max_bytes``."""
    try:
        if path.stat().st_size <= max_bytes:
            return False
    except FileNotFoundError:
        return False
    for index in range(backups - 1, 0, -1):
        older = path.with_name(f"{path.name}.{index}")
        if older.exists():
            os.replace(older, path.with_name(f"{path.name}.{index + 1}"))
    os.replace(path, path.with_name(f"{path.name}.1"))
    return True


_SQL_PARAMETERS_RE = re.compile(r"\[parameters: [^\n]*")


def scrub(text: str) -> str:
    """``text`` without the statement parameters SQLAlchemy puts in its error messages
    (they are the values being written: names, case numbers)."""
    return _SQL_PARAMETERS_RE.sub("[parameters hidden]", text)


class ScrubFilter(logging.Filter):
    """Scrubs each record's message and traceback with ``scrub`` before it is written, and
    escapes the control characters of the values put into it (a file's name with a newline
    would forge a line of the log; ``co_app.core.foundation.printable``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            from co_app.core.foundation.printable import printable

            record.args = tuple(printable(arg) if isinstance(arg, (str, PurePath, BaseException)) else arg
                                for arg in record.args)
        message = record.getMessage()
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            from co_app.core.foundation.printable import printable

            record.exc_text = printable(scrub(record.exc_text), keep_newlines=True)
        return True


class RotatingFile(logging.FileHandler):
    """A log file created 0600 that rotates when a write takes it over ``max_bytes``."""

    def __init__(self, path: Path, *, max_bytes: int = MAX_BYTES, backups: int = BACKUP_COUNT) -> None:
        self.max_bytes, self.backups = max_bytes, backups
        super().__init__(path, encoding="utf-8")

    def _open(self):  # logging's own signature
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)  # the handler owns it

    def emit(self, record: logging.LogRecord) -> None:
        super().emit(record)
        try:
            if self.stream is not None and self.stream.tell() > self.max_bytes:
                self.stream.close()
                self.stream = None  # type: ignore[assignment]
                rotate(Path(self.baseFilename), max_bytes=self.max_bytes, backups=self.backups)
                self.stream = self._open()
        except OSError:
            self.handleError(record)


def setup_logging(logs_dir: Path, *, level: int = logging.INFO) -> Path:
    """Send every log record to ``logs/co_app.log``, readable by the owner only (the
    folder is made owner-only by ``DataPaths.ensure``; one that was there keeps its mode)."""
    path = logs_dir / LOG_FILE
    rotate(path)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_co_app", False):
            root.removeHandler(handler)
            handler.close()
    handler = RotatingFile(path)
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(ScrubFilter())
    handler._co_app = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return path
