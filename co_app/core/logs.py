"""Logging into the data folder: one file, rotated at start-up, nothing on the console.

Rotation happens when the application starts (the file over 1 MB is renamed to
``co_app.log.1`` … ``.5``) rather than through ``logging.handlers``: a session's log is
small, and that module's imports (sockets, pickling, queues) cost start-up time the
facilitator waits for.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

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


def setup_logging(logs_dir: Path, *, level: int = logging.INFO) -> Path:
    """Send every log record to ``logs/co_app.log``, readable by the owner only."""
    path = logs_dir / LOG_FILE
    rotate(path)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_co_app", False):
            root.removeHandler(handler)
            handler.close()
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler._co_app = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return path
