"""Import and verification of media packs, on real videos (ffmpeg), real files and a real
SQLite database: checksums, resuming, cancelling, damaged files, subtitles, statuses."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from pathlib import Path

import pytest

from co_app.core.db.engine import open_database
from co_app.core.db.plain import connect
from co_app.core.media.demo import build_demo_pack
from co_app.core.media.library import STATUS_HINTS, FilmStatus, load_records, scan_library
from co_app.core.media.manifest import Manifest, load_manifest
from co_app.core.foundation.errors import Cancelled
from co_app.core.media.importer import RESUMED, SKIPPED, ImportProgress, MediaPackError, import_pack
from co_app.core.media.verify import verify_library
from tests.core.media.test_media_check import cut, make_video


FILM = "germany-jena"
ARABIC_SRT = ("1\n00:00:01,000 --> 00:00:03,000\nمرحبا بكم في يينا.\n\n"
              "2\n00:00:04,000 --> 00:00:06,000\nهذه مدينة صغيرة.\n\n"
              "3\n00:00:07,000 --> 00:00:09,000\nقلوب كبيرة.\n")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def manifest() -> Manifest:
    return load_manifest()


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real MP4 of about 4 MB: four copy chunks, so progress and cancelling can be seen."""
    path = make_video(tmp_path_factory.mktemp("film") / f"{FILM}.mp4", seconds=8, lossless=True)
    assert path.stat().st_size > 3 * (1 << 20)
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A real database file at the current schema, opened with sqlite3 as the Films page and
    the media commands open it."""
    path = tmp_path / "co_app.sqlite3"
    open_database(path).dispose()
    return path


def make_pack(folder: Path, film: Path, *, sums: str | None = "right") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(film, folder / film.name)
    if sums:
        digest = sha(film) if sums == "right" else "0" * 64
        (folder / "SHA256SUMS").write_text(f"{digest}  {film.name}\n", encoding="utf-8")
    return folder


def run_import(pack: Path, media: Path, manifest: Manifest, db: Path, **kwargs):
    with connect(db) as conn:
        return import_pack(pack, media, manifest, conn, **kwargs)


def statuses(media: Path, manifest: Manifest, db: Path) -> dict[str, FilmStatus]:
    with connect(db) as conn:
        records = load_records(conn)
    return {e.film.id: e.status for e in scan_library(media, manifest, records)}


# --- import ----------------------------------------------------------------------------


def test_import_with_checksums_installs_then_skips(tmp_path: Path, film: Path, manifest: Manifest, db: Path):
    pack, media = make_pack(tmp_path / "pack", film), tmp_path / "media"
    seen: list[ImportProgress] = []
    report = run_import(pack, media, manifest, db, progress=seen.append)
    [result] = report.films
    assert (result.film_id, result.action, result.status) == (FILM, "installed", FilmStatus.PRESENT)
    assert result.sha256 == sha(film) and report.ok and report.checksum_file == pack / "SHA256SUMS"
    assert sha(media / film.name) == sha(film)
    assert not list(media.glob(".*.part"))
    assert seen[-1].done_bytes == seen[-1].total_bytes == film.stat().st_size
    assert all(p.film_id == FILM and p.file == film.name for p in seen)
    with connect(db) as conn:
        record = load_records(conn)[FILM]
    assert (record.sha256, record.sha256_source, record.status) == (sha(film), "pack", FilmStatus.PRESENT)
    assert statuses(media, manifest, db)[FILM] is FilmStatus.PRESENT

    mtime = (media / film.name).stat().st_mtime_ns
    again = run_import(pack, media, manifest, db)
    assert again.films[0].action == SKIPPED and again.films[0].status is FilmStatus.PRESENT
    assert (media / film.name).stat().st_mtime_ns == mtime  # not copied again


def test_without_checksums_the_import_hashes_and_trusts_on_first_use(
        tmp_path: Path, film: Path, manifest: Manifest, db: Path):
    pack, media = make_pack(tmp_path / "pack", film, sums=None), tmp_path / "media"
    assert run_import(pack, media, manifest, db).films[0].action == "installed"
    with connect(db) as conn:
        assert load_records(conn)[FILM].sha256_source == "first-use"
    assert run_import(pack, media, manifest, db).films[0].action == SKIPPED  # by hashing the pack's file


def test_a_checksum_mismatch_is_rejected_and_the_good_film_kept(
        tmp_path: Path, film: Path, manifest: Manifest, db: Path):
    media = tmp_path / "media"
    run_import(make_pack(tmp_path / "good", film), media, manifest, db)
    good = sha(media / film.name)

    bad = make_pack(tmp_path / "bad", film, sums="wrong")
    report = run_import(bad, media, manifest, db)
    [result] = report.films
    assert result.rejected and not report.ok
    assert "does not match its checksum" in result.problem and str(bad / film.name) in result.problem
    assert result.status is FilmStatus.PRESENT  # the film already installed is still good
    assert sha(media / film.name) == good
    assert sorted(p.name for p in media.iterdir()) == [film.name]  # no part, nothing new

    fresh = tmp_path / "fresh-media"
    assert run_import(bad, fresh, manifest, db).films[0].status is FilmStatus.MISSING
    assert list(fresh.iterdir()) == []


def test_a_truncated_film_is_rejected_before_copying(tmp_path: Path, film: Path, manifest: Manifest, db: Path):
    pack = tmp_path / "pack"
    pack.mkdir()
    cut(film, pack / film.name, 0.6)
    report = run_import(pack, tmp_path / "media", manifest, db)
    [result] = report.films
    assert result.rejected and "truncated" in result.problem and result.status is FilmStatus.MISSING
    assert list((tmp_path / "media").iterdir()) == []


def test_a_text_file_named_like_a_film_is_rejected(tmp_path: Path, manifest: Manifest, db: Path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / f"{FILM}.mp4").write_text("not a film\n" * 100, encoding="utf-8")
    result = run_import(pack, tmp_path / "media", manifest, db).films[0]
    assert result.rejected and "not a video" in result.problem


def test_a_cut_off_copy_is_resumed(tmp_path: Path, film: Path, manifest: Manifest, db: Path):
    pack, media = make_pack(tmp_path / "pack", film), tmp_path / "media"
    media.mkdir()
    part = media / f".{film.name}.part"
    cut(film, part, 0.5)
    read_from_pack: list[int] = []
    report = run_import(pack, media, manifest, db, progress=lambda p: read_from_pack.append(p.done_bytes))
    assert report.films[0].action == RESUMED
    assert sha(media / film.name) == sha(film) and not part.exists()
    assert report.films[0].status is FilmStatus.PRESENT


def test_a_part_from_another_file_is_not_resumed(tmp_path: Path, film: Path, manifest: Manifest, db: Path):
    pack, media = make_pack(tmp_path / "pack", film), tmp_path / "media"
    media.mkdir()
    (media / f".{film.name}.part").write_bytes(os.urandom(200_000))
    assert run_import(pack, media, manifest, db).films[0].action == "installed"
    assert sha(media / film.name) == sha(film)


def test_a_resumed_copy_that_fails_its_checksum_is_discarded(
        tmp_path: Path, film: Path, manifest: Manifest, db: Path):
    pack, media = make_pack(tmp_path / "pack", film), tmp_path / "media"
    media.mkdir()
    part = media / f".{film.name}.part"
    damaged = bytearray(film.read_bytes()[: film.stat().st_size // 2])
    damaged[1000] ^= 0xFF  # a bad sector early on: the tail still matches
    part.write_bytes(bytes(damaged))
    result = run_import(pack, media, manifest, db).films[0]
    assert result.rejected and "does not match" in result.problem
    assert not part.exists() and not (media / film.name).exists()


def test_cancelling_keeps_the_part_and_the_next_run_resumes(
        tmp_path: Path, film: Path, manifest: Manifest, db: Path):
    pack, media = make_pack(tmp_path / "pack", film), tmp_path / "media"
    cancel = threading.Event()

    def progress(p: ImportProgress) -> None:
        if p.done_bytes >= 1 << 20:
            cancel.set()

    with pytest.raises(Cancelled):
        run_import(pack, media, manifest, db, progress=progress, cancel=cancel)
    part = media / f".{film.name}.part"
    assert 0 < part.stat().st_size < film.stat().st_size
    assert not (media / film.name).exists()
    assert statuses(media, manifest, db)[FILM] is FilmStatus.MISSING

    assert run_import(pack, media, manifest, db).films[0].action == RESUMED
    assert sha(media / film.name) == sha(film)


def test_source_folder_problems(tmp_path: Path, manifest: Manifest, db: Path):
    with pytest.raises(MediaPackError, match="does not exist"):
        run_import(tmp_path / "absent", tmp_path / "media", manifest, db)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(MediaPackError, match="not a folder"):
        run_import(tmp_path / "file", tmp_path / "media", manifest, db)


# --- subtitles -------------------------------------------------------------------------


def test_an_arabic_windows_1256_subtitle_is_installed_as_utf8(
        tmp_path: Path, film: Path, manifest: Manifest, db: Path):
    pack, media = make_pack(tmp_path / "pack", film), tmp_path / "media"
    (pack / f"{FILM}.ar.srt").write_bytes(ARABIC_SRT.encode("cp1256"))
    (pack / f"{FILM}.fr.srt").write_bytes(b"\x00\x01\x02\x03binary\xff\xfe" * 50)  # unreadable
    report = run_import(pack, media, manifest, db)
    [result] = report.films
    assert result.action == "installed"  # the film installs despite the bad subtitle
    subs = {s.language: s for s in result.subtitles}
    assert (subs["ar"].encoding, subs["ar"].cues, subs["ar"].action) == ("cp1256", 3, "installed")
    assert subs["fr"].error and str(pack / f"{FILM}.fr.srt") in subs["fr"].error
    assert not report.ok
    installed = (media / f"{FILM}.ar.srt").read_bytes()
    assert "مرحبا بكم في يينا." in installed.decode("utf-8")
    assert not (media / f"{FILM}.fr.srt").exists()

    with connect(db) as conn:
        verified = verify_library(media, manifest, conn)
    jena = next(f for f in verified.films if f.film_id == FILM)
    assert [(s.language, s.encoding, s.cues, s.problems) for s in jena.subtitles] == [("ar", "utf_8", 3, ())]


def test_subtitle_problems_are_reported_with_their_line(tmp_path: Path, manifest: Manifest, db: Path):
    media = tmp_path / "media"
    media.mkdir()
    (media / f"{FILM}.en.srt").write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n2\n00:00:03,000 -> 00:00:04,000\nBroken arrow.\n",
        encoding="utf-8")
    with connect(db) as conn:
        jena = next(f for f in verify_library(media, manifest, conn).films if f.film_id == FILM)
    [sub] = jena.subtitles
    assert sub.cues == 1 and sub.problems[0][0] == 5


# --- verify and the status of each film ------------------------------------------------


def test_verify_finds_truncated_and_fake_films(tmp_path: Path, film: Path, manifest: Manifest, db: Path):
    media = tmp_path / "media"
    media.mkdir()
    cut(film, media / f"{FILM}.mp4", 0.6)
    (media / "europe.mp4").write_text("hello, I am a text file\n", encoding="utf-8")
    quick = {e.film.id: e for e in scan_library(media, manifest)}  # no hashing, no database
    assert quick[FILM].status is FilmStatus.CORRUPT and "truncated" in quick[FILM].problem
    assert quick["europe"].status is FilmStatus.CORRUPT and "not a video" in quick["europe"].problem

    with connect(db) as conn:
        report = verify_library(media, manifest, conn)
    by_id = {f.film_id: f for f in report.films}
    assert by_id[FILM].status is FilmStatus.CORRUPT and "truncated" in by_id[FILM].problem
    assert by_id["europe"].status is FilmStatus.CORRUPT and "not a video" in by_id["europe"].problem
    assert by_id["italy-biella"].status is FilmStatus.MISSING
    assert not report.ok
    assert statuses(media, manifest, db)[FILM] is FilmStatus.CORRUPT  # recorded


def test_a_hand_copied_film_is_unverified_until_verified(
        tmp_path: Path, film: Path, manifest: Manifest, db: Path):
    media = tmp_path / "media"
    media.mkdir()
    copy = media / film.name
    shutil.copyfile(film, copy)
    assert statuses(media, manifest, db)[FILM] is FilmStatus.UNVERIFIED
    progress: list = []
    with connect(db) as conn:
        report = verify_library(media, manifest, conn, progress=progress.append)
    assert next(f for f in report.films if f.film_id == FILM).sha256 == sha(film)
    assert progress[-1].done_bytes == progress[-1].total_bytes == film.stat().st_size
    assert statuses(media, manifest, db)[FILM] is FilmStatus.PRESENT
    with connect(db) as conn:
        assert load_records(conn)[FILM].sha256_source == "first-use"

    # A new film copied over it by hand: unverified, then trusted again (no checksum known).
    data = bytearray(copy.read_bytes())
    data[-5000] ^= 0xFF
    copy.write_bytes(bytes(data))
    assert statuses(media, manifest, db)[FILM] is FilmStatus.UNVERIFIED
    with connect(db) as conn:
        verify_library(media, manifest, conn)
    assert statuses(media, manifest, db)[FILM] is FilmStatus.PRESENT


def test_a_film_changed_after_a_checked_import_is_corrupt(
        tmp_path: Path, film: Path, manifest: Manifest, db: Path):
    media = tmp_path / "media"
    run_import(make_pack(tmp_path / "pack", film), media, manifest, db)
    installed = media / film.name
    data = bytearray(installed.read_bytes())
    data[len(data) // 2] ^= 0xFF  # bit rot inside the picture data: the container still looks whole
    installed.write_bytes(bytes(data))
    assert statuses(media, manifest, db)[FILM] is FilmStatus.UNVERIFIED
    with connect(db) as conn:
        report = verify_library(media, manifest, conn)
    jena = next(f for f in report.films if f.film_id == FILM)
    assert jena.status is FilmStatus.CORRUPT and "SHA256SUMS" in jena.problem
    assert statuses(media, manifest, db)[FILM] is FilmStatus.CORRUPT
    # Importing the pack again repairs it.
    assert run_import(tmp_path / "pack", media, manifest, db).films[0].action == "installed"
    assert statuses(media, manifest, db)[FILM] is FilmStatus.PRESENT


def test_verify_can_be_cancelled(tmp_path: Path, film: Path, manifest: Manifest, db: Path):
    media = tmp_path / "media"
    media.mkdir()
    shutil.copyfile(film, media / film.name)
    cancel = threading.Event()
    with pytest.raises(Cancelled), connect(db) as conn:
        verify_library(media, manifest, conn, progress=lambda p: cancel.set(), cancel=cancel)
    assert statuses(media, manifest, db)[FILM] is FilmStatus.UNVERIFIED


def test_demo_clips_are_present_with_or_without_the_database(tmp_path: Path, manifest: Manifest, db: Path):
    from dataclasses import replace

    media = tmp_path / "media"
    one = replace(manifest, films=(manifest.film(FILM),))
    build_demo_pack(media, one, seconds=10)
    [entry] = scan_library(media, one)
    assert entry.status is FilmStatus.PRESENT and entry.is_demo and entry.problem is None
    with connect(db) as conn:
        report = verify_library(media, one, conn)
        assert report.ok and load_records(conn)[FILM].sha256_source == "demo"
    assert statuses(media, one, db)[FILM] is FilmStatus.PRESENT


def test_every_status_has_a_hint() -> None:
    assert set(STATUS_HINTS) == set(FilmStatus)
    assert all(hint.endswith(".") for hint in STATUS_HINTS.values())
