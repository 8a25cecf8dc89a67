"""Participants' data is readable by its owner only: database (and its WAL/SHM files),
backups, logs and the folders that hold them."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

from co_app.core.safety.backup import make_backup
from co_app.core.db.engine import open_database
from co_app.core.foundation.logs import LOG_FILE, setup_logging
from co_app.core.sessions.service import create_session

REPO = Path(__file__).resolve().parents[3]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_application_creates_everything_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir", str(data), "media", "list"],
                            capture_output=True, text=True, timeout=120, preexec_fn=lambda: os.umask(0o022))
    assert result.returncode in (0, 1), result.stderr  # 1: films missing, which is fine here
    assert mode(data) == 0o700
    for folder in ("media", "backups", "exports", "logs", "thumbnails"):
        assert mode(data / folder) == 0o700, folder
    assert mode(data / "co_app.sqlite3") == 0o600
    assert mode(data / "logs" / LOG_FILE) == 0o600


def test_the_database_its_wal_and_shm_and_backups_are_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the permissive default of many systems: the files must not rely on it
    try:
        path = tmp_path / "co.sqlite3"
        db = open_database(path)
        with db.session() as s:
            create_session(s, day=date(2026, 5, 9), place="Hall", facilitator="F",
                           language="ar", destination_towns=[])
            wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
            assert wal.exists() and shm.exists()
            assert (mode(path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
        made = make_backup(path, tmp_path / "backups", "manual")
        assert mode(made) == 0o600 and mode(tmp_path / "backups") == 0o700
        db.dispose()
        logs = tmp_path / "logs"
        logs.mkdir()
        assert mode(setup_logging(logs)) == 0o600 and mode(logs) == 0o700
    finally:
        os.umask(old)
