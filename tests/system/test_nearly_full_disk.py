"""A data folder on a disk that fills up, for real: a small tmpfs mounted for the test.

Check-ins keep working when the disk is full (the spare file is given to the database), a
media import refuses to start when its films would eat the database's reserve, and one
that meets a disk filled by something else stops before the reserve, its copy kept to
resume or discard.  Mounting needs root, as tests/core/destinations.py's real disks do.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from co_app.core.attendance.checkin import CheckInDesk, CheckInError
from co_app.core.db.engine import open_database
from co_app.core.db.models import AttendanceRecord
from co_app.core.foundation import diskspace
from co_app.core.media.importer import discard_unfinished, import_pack, unfinished_import
from co_app.core.media.manifest import load_manifest
from co_app.core.foundation.diskspace import DiskSpaceError
from tests.core.destinations import PRIVILEGED
from tests.core.media.test_media_check import make_video
from tests.core.sync_helpers import populate
from tests.system.test_cli import run



@pytest.fixture(autouse=True)
def _a_small_disk_can_be_mounted() -> None:
    """Not a skip: a suite run without root would otherwise hide that a full disk is untested."""
    if not PRIVILEGED:
        pytest.fail("these tests mount a small tmpfs and need root (CI runs as root): run the suite as root or "
                    "with sudo")

MB = 1024 * 1024
FILM = "germany-jena"


@contextmanager
def small_disk(base: Path, size_mb: int) -> Iterator[Path]:
    folder = base / "small-disk"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0700", "tmpfs", str(folder)],
                   check=True, capture_output=True)
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], check=True, capture_output=True)


def fill(folder: Path, *, leave: int = 0, name: str = "filler.bin") -> Path:
    """Write a file until only ``leave`` bytes are free (0: until the disk refuses)."""
    filler = folder / name
    with filler.open("ab") as fh:
        try:
            while diskspace.free_bytes(folder) > leave:
                fh.write(b"\1" * min(64 * 1024, max(4096, diskspace.free_bytes(folder) - leave)))
                fh.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
    return filler


def test_check_ins_go_on_when_the_disk_is_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(diskspace.RESERVE_ENV, "0")
    with small_disk(tmp_path, 24) as data:
        db = open_database(data / "co_app.sqlite3")
        try:
            ids = populate(db, sessions=1)
            session_id, people = ids["sessions"][0], ids["participants"]
            with db.session() as s:  # a fresh session: nobody checked in yet
                s.query(AttendanceRecord).delete()
                s.commit()
            desk = CheckInDesk(db.session, session_id)

            def checkpoint() -> None:  # the write-ahead log emptied: the next write needs new blocks
                with db.engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

            # Without the spare file the full disk refuses the check-in, in one sentence, and nothing is kept.
            checkpoint()
            filler = fill(data)
            with pytest.raises(CheckInError) as refused:
                desk.check_in([people[0]])
            assert str(refused.value) == ("The disk is full, so this check-in could not be saved: free some space "
                                          "on the laptop, then check in again.")
            assert diskspace.is_disk_full(refused.value.__cause__)  # SQLite's own refusal, said in words
            filler.unlink()

            # With it (made at start-up when there is room), the same full disk takes the check-ins.
            assert diskspace.ensure_spare(data)
            assert (data / diskspace.SPARE_NAME).stat().st_blocks * 512 >= diskspace.SPARE_BYTES  # real blocks
            checkpoint()
            fill(data)
            for person in people[:5]:
                desk.check_in([person])
            assert not (data / diskspace.SPARE_NAME).exists()  # given to the database
            with db.session() as s:
                kept = set(s.scalars(select(AttendanceRecord.participant_id).where(
                    AttendanceRecord.session_id == session_id, AttendanceRecord.deleted_at.is_(None))))
            assert kept == set(people[:5])
        finally:
            db.dispose()
        with sqlite3.connect(data / "co_app.sqlite3") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.fixture(scope="module")
def film_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pack")
    make_video(folder / f"{FILM}.mp4", seconds=6, lossless=True)  # about 3 MB: several copy chunks
    return folder


def test_a_media_import_that_would_eat_the_reserve_is_refused_first(tmp_path: Path, film_pack: Path) -> None:
    size = (film_pack / f"{FILM}.mp4").stat().st_size
    with small_disk(tmp_path, 40) as disk:
        data = disk / "data"
        free = diskspace.free_bytes(disk)
        reserve_mb = (free - size // 2) // MB  # the film fits on the disk, but not beside the reserve
        refused = run("--data-dir", str(data), "media", "import", str(film_pack),
                      env={diskspace.RESERVE_ENV: str(reserve_mb)})
        assert refused.returncode == 1, refused.stderr
        [line] = refused.stderr.strip().splitlines()
        assert line.startswith(f"error: There is not enough space to import the media pack {film_pack}: its films "
                               f"need {diskspace.megabytes(size)}, and the disk has ")
        assert line.endswith(f"free, of which {reserve_mb} MB are kept for the database. Free some space, then "
                             "import again.")
        assert not list((data / "media").glob(".*.part")) and not (data / "media" / f"{FILM}.mp4").exists()
        # With the usual reserve within reach, the same pack goes in.
        done = run("--data-dir", str(data), "media", "import", str(film_pack), env={diskspace.RESERVE_ENV: "1"})
        assert done.returncode == 0, done.stderr
        assert (data / "media" / f"{FILM}.mp4").stat().st_size == size


def test_an_import_stops_before_the_reserve_and_can_resume_or_discard(tmp_path: Path, film_pack: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(diskspace.RESERVE_ENV, "4")
    manifest = load_manifest()
    with small_disk(tmp_path, 40) as disk:
        media = disk / "data" / "media"
        filled: list[Path] = []

        def progress(step) -> None:  # something else fills the disk once the copy has begun
            if step.done_bytes > 0 and not filled:
                filled.append(fill(disk, leave=3 * MB))

        with pytest.raises(DiskSpaceError) as stopped:
            import_pack(film_pack, media, manifest, progress=progress)
        assert str(stopped.value).startswith(f"The disk filled up while copying {FILM}.mp4: ")
        assert str(stopped.value).endswith("4 MB are kept for the database. What was copied is kept: free some "
                                           "space, then resume the import.")
        assert diskspace.free_bytes(disk) >= 2 * MB  # the reserve was not eaten
        cut = unfinished_import(media)
        assert cut is not None and cut.film_ids == (FILM,) and cut.source == film_pack.absolute()
        assert 0 < cut.bytes < (film_pack / f"{FILM}.mp4").stat().st_size
        listed = run("--data-dir", str(disk / "data"), "media", "list", "--json")  # the command line sees it too
        assert json.loads(listed.stdout)["unfinished_import"] == {"films": [FILM], "bytes": cut.bytes,
                                                                  "source": str(film_pack.absolute())}
        assert f"run 'media import {film_pack.absolute()}' to resume it" in run(
            "--data-dir", str(disk / "data"), "media", "list").stderr
        # Resume: room again, the same pack, the copy continues where it stopped.
        filled[0].unlink()
        report = import_pack(cut.source, media, manifest)
        [film] = report.films
        assert film.action == "resumed and installed" and unfinished_import(media) is None
        assert json.loads(json.dumps(report.as_dict()))["ok"] is True
        # Discard: a second cut copy, thrown away, gives its space back.
        (media / f"{FILM}.mp4").unlink()
        filled.clear()
        with pytest.raises(DiskSpaceError):
            import_pack(film_pack, media, manifest, progress=progress)
        before = diskspace.free_bytes(disk)
        freed = discard_unfinished(media)
        assert freed > 0 and unfinished_import(media) is None
        assert diskspace.free_bytes(disk) >= before + freed - 64 * 1024
        assert not (media / ".import-source.json").exists()
        assert os.listdir(media) == []


def test_exports_and_backups_leave_the_reserve_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On the data folder's own disk an export or a backup that would eat the reserve is
    refused in one sentence with nothing left behind; to a USB stick (another disk) it goes."""
    from co_app.core.attendance.export import export_attendance
    from co_app.core.foundation.fileio import OutputFileError
    from co_app.core.safety.backup import BackupError, make_backup

    with small_disk(tmp_path, 24) as data:
        db = open_database(data / "co_app.sqlite3")
        try:
            populate(db)
            monkeypatch.setenv(diskspace.RESERVE_ENV, str(diskspace.free_bytes(data) / MB - 0.01))
            exports = data / "exports"
            exports.mkdir()
            with pytest.raises(OutputFileError) as refused:
                export_attendance(db.engine, exports / "attendance.xlsx", "xlsx")
            assert str(refused.value).startswith(f"Cannot write {exports / 'attendance.xlsx'}: it would leave ")
            assert "are kept for the database. Write it to a USB stick, or free some space" in str(refused.value)
            assert os.listdir(exports) == []
            with pytest.raises(BackupError, match=r"^No backup of co_app.sqlite3 was made: it needs .* are kept "
                                                  r"for the database\. Free some space"):
                make_backup(data / "co_app.sqlite3", data / "backups", "manual")
            assert os.listdir(data / "backups") == []
            stick = tmp_path / "stick"
            stick.mkdir()
            summary = export_attendance(db.engine, stick / "attendance.xlsx", "xlsx")
            assert summary.warning is None and (stick / "attendance.xlsx").stat().st_size > 0
        finally:
            db.dispose()
