"""Logging into the data folder: a rotating file, nothing on the console but errors."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FILE = "co_app.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(logs_dir: Path, *, level: int = logging.INFO) -> Path:
    """Send every log record to ``logs/co_app.log`` (1 MB × 5 files, rotated)."""
    path = logs_dir / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_co_app", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler._co_app = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    try:
        path.chmod(0o600)
    except OSError:
        pass
    return path
