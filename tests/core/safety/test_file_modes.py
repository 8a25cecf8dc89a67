"""Participants' data is readable by its owner only: database (and its WAL/SHM files),
backups, logs and the folders that hold them."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from co_app.core.safety.backup import make_backup
from co_app.core.db.engine import open_database
from co_app.core.foundation.fileio import make_private_dirs
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
        logs = make_private_dirs(tmp_path / "logs")
        assert mode(setup_logging(logs)) == 0o600 and mode(logs) == 0o700
    finally:
        os.umask(old)


def run_main(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python main.py ARGS`` as a user whose umask lets everyone read what they make."""
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd, preexec_fn=lambda: os.umask(0o022))


def test_every_file_and_folder_a_day_of_work_leaves_is_owner_only(tmp_path: Path) -> None:
    """Demo films and subtitles, made-up attendance, a media import (with a subtitle in
    Windows-1256 stored as UTF-8), the player's UTF-8 subtitle copies and a thumbnail, a
    spreadsheet and a sync package: every file 0600, every folder 0700 (thumbnails and
    subtitle copies were 0644)."""
    import shutil

    from co_app.core.media.subtitle_writing import for_player

    data, pack = tmp_path / "data", tmp_path / "pack"
    for args in (("demo", "media"), ("demo", "seed", "--sessions", "2")):
        result = run_main("--data-dir", str(data), *args)
        assert result.returncode == 0, result.stderr
    pack.mkdir()
    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text("a hand-over between two laptops\n", "utf-8")
    film = sorted(data.joinpath("media").glob("*.mp4"))[0]
    shutil.copy(film, pack / film.name)
    (pack / f"{film.stem}.ar.srt").write_bytes("1\n00:00:01,000 --> 00:00:02,000\nمرحبا بكم\n".encode("cp1256"))
    (data / "media" / film.name).unlink()  # so the import copies it again
    for args in (("media", "import", str(pack)),
                 ("attendance", "export", "--format", "xlsx", "--out", str(data / "exports" / "a.xlsx")),
                 ("sync", "export", "--full", "--out", str(data / "exports" / "laptop.cosync"),
                  "--passphrase-file", str(passphrase))):
        result = run_main("--data-dir", str(data), *args)
        assert result.returncode == 0, (args, result.stderr)
    old = os.umask(0o022)  # the window's own writers, in this process
    try:
        foreign = data / "media" / f"{film.stem}.fr.srt"
        foreign.write_bytes("1\n00:00:01,000 --> 00:00:02,000\nÉté à Jena\n".encode("cp1252"))
        os.chmod(foreign, 0o600)  # (written by this test, not by the application)
        playable, problems = for_player({"fr": foreign}, data / "subtitle-copies")
        assert not problems and playable["fr"].parent == data / "subtitle-copies"
        try:
            from co_app.player.thumbnails import cached_thumbnail

            cached_thumbnail(data / "thumbnails", data / "media" / film.name, width=128)
        except ImportError:  # python-vlc is in the lock file: this does not happen in the suite
            pytest.fail("libVLC is needed for the thumbnail")
    finally:
        os.umask(old)
    found = {p.relative_to(data).as_posix(): mode(p) for p in data.rglob("*")}
    assert any(name.startswith("thumbnails/") for name in found) and "subtitle-copies" in found
    assert {"exports/a.xlsx", "exports/laptop.cosync", f"media/{film.name}", "co_app.sqlite3"} <= set(found)
    wrong = {name: oct(m) for name, m in found.items()
             if m != (0o700 if (data / name).is_dir() else 0o600)}
    assert wrong == {}
    assert mode(data) == 0o700


def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    """``--data-dir`` pointed at a folder the office shares: the application makes its own
    folders inside it owner-only and leaves the shared folder as it was."""
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o775)
    result = run_main("--data-dir", str(shared), "media", "list")
    assert result.returncode in (0, 1), result.stderr
    assert mode(shared) == 0o775
    assert mode(shared / "logs") == 0o700 and mode(shared / "co_app.sqlite3") == 0o600

    nested = tmp_path / "a" / "b" / "c"
    assert make_private_dirs(nested) == nested
    assert [mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", nested)] == [0o700] * 3
    os.chmod(nested, 0o750)
    make_private_dirs(nested)
    assert mode(nested) == 0o750
