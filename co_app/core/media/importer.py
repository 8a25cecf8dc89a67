"""``media import SRC_DIR``: copy a media pack into the library, verified and resumable.

Offices bring the films on a USB drive that gets pulled out, on laptops whose power fails.
So each film is copied to ``media/.<file>.part``, hashed as it is written, checked against
every checksum we know (the manifest, the pack's ``SHA256SUMS``) and against its container
headers, and only then renamed over the film's name: a damaged copy is never installed
over a good film.  An interrupted copy keeps its ``.part`` and the next run appends to it;
a film already verified in the library is skipped.  Subtitles are normalised to UTF-8.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from co_app.core.foundation.errors import CoError, sentence
from co_app.core.foundation.fileio import atomic_write_text, fsync_dir
from co_app.core.media.library import FilmStatus, MediaRecord, find_subtitles, load_records, quick_status, save_record
from co_app.core.media.library import find_video as find_library_video
from co_app.core.media.manifest import VIDEO_EXTENSIONS, Film, Manifest
from co_app.core.media.check import CHUNK, SUMS_NAME, check_container, file_sha256, read_sha256sums
from co_app.core.foundation.errors import Cancelled
from co_app.core.foundation.diskspace import DiskSpaceError, free_bytes, megabytes, reserve_bytes, room_left
from co_app.core.media.verify import SubtitleResult
from co_app.core.media.problems import MediaProblem, media_problem, problem_code
from co_app.core.foundation.i18n import N_

if TYPE_CHECKING:
    import sqlite3

__all__ = ["Cancelled", "FilmImport", "ImportProgress", "ImportReport", "MediaPackError", "Unfinished",
           "discard_unfinished", "import_pack", "unfinished_import"]

TAIL_CHECK = 64 * 1024  # bytes compared at the end of a .part before resuming it
#: In the media folder while an import runs: the pack's folder, so a cut import can be resumed.
SOURCE_NOTE = ".import-source.json"

INSTALLED, RESUMED, SKIPPED = "installed", "resumed and installed", "already verified, skipped"
SUBTITLES_ONLY = "no film file in the pack (subtitles only)"


class MediaPackError(CoError):
    """The media pack folder cannot be used at all (absent, not a folder, the library itself)."""


@dataclass(frozen=True)
class ImportProgress:
    film_id: str
    file: str  # the pack file being read
    done_bytes: int  # over the whole import
    total_bytes: int


@dataclass(frozen=True)
class FilmImport:
    film_id: str
    status: FilmStatus  # the film's status in the library after the import
    action: str  # INSTALLED, RESUMED, SKIPPED, SUBTITLES_ONLY or "rejected: <why>"
    file: str | None  # the pack's file name
    sha256: str | None
    problem: MediaProblem | None  # why it was rejected: one sentence naming the pack's file
    subtitles: tuple[SubtitleResult, ...] = ()

    @property
    def rejected(self) -> bool:
        return self.action.startswith("rejected")

    def as_dict(self) -> dict[str, object]:
        return {"id": self.film_id, "status": self.status.value, "action": self.action, "file": self.file,
                "sha256": self.sha256, "problem": self.problem, "problem_code": problem_code(self.problem),
                "subtitles": [s.as_dict() for s in self.subtitles]}


@dataclass(frozen=True)
class ImportReport:
    source: Path
    media_dir: Path
    checksum_file: Path | None  # the pack's SHA256SUMS, when it has one
    films: tuple[FilmImport, ...]
    ignored: tuple[str, ...]  # pack files that belong to no film of the manifest

    @property
    def ok(self) -> bool:
        """False when a film or a subtitle was rejected (exit 1)."""
        return not any(f.rejected or any(s.error for s in f.subtitles) for f in self.films)

    def as_dict(self) -> dict[str, object]:
        """The ``media import --json`` document."""
        return {"source": str(self.source), "media_dir": str(self.media_dir), "ok": self.ok,
                "checksum_file": str(self.checksum_file) if self.checksum_file else None,
                "films": [f.as_dict() for f in self.films], "ignored": list(self.ignored)}


class _Counter:
    """Bytes done over the whole import, reported through ``progress``."""

    def __init__(self, total: int, progress: Callable[[ImportProgress], None] | None):
        self.total, self.done, self.progress = total, 0, progress
        self.film_id = self.file = ""

    def start(self, film_id: str, file: str) -> None:
        self.film_id, self.file = film_id, file
        self.add(0)

    def add(self, n: int) -> None:
        self.done += n
        if self.progress:
            self.progress(ImportProgress(self.film_id, self.file, min(self.done, self.total), self.total))


@dataclass(frozen=True)
class Unfinished:
    """An import that stopped before it finished (cancelled, the drive pulled out, the disk
    full, the power gone): its partial copies, and the pack's folder it read from."""

    parts: tuple[Path, ...]
    bytes: int
    source: Path | None  # None when the note is missing or unreadable

    @property
    def film_ids(self) -> tuple[str, ...]:
        """``.germany-jena.mp4.part`` → ``germany-jena``."""
        return tuple(p.name[1:].removesuffix(".part").rsplit(".", 1)[0] for p in self.parts)


def unfinished_import(media_dir: Path) -> Unfinished | None:
    """The partial copies a cut import left in ``media_dir`` (resumed by importing the same
    pack again, or discarded), or None."""
    media_dir = Path(media_dir)
    try:
        parts = tuple(sorted(p for p in media_dir.glob(".*.part") if p.is_file()))
    except OSError:
        return None
    if not parts:
        return None
    try:
        source = Path(json.loads((media_dir / SOURCE_NOTE).read_text(encoding="utf-8"))["source"])
    except (OSError, ValueError, KeyError, TypeError):
        source = None
    return Unfinished(parts, sum(p.stat().st_size for p in parts if p.exists()), source)


def discard_unfinished(media_dir: Path) -> int:
    """Delete the partial copies of a cut import (and its note); the bytes given back."""
    found = unfinished_import(media_dir)
    freed = 0
    for part in found.parts if found else ():
        try:
            size = part.stat().st_size
            part.unlink()
            freed += size
        except FileNotFoundError:
            pass
    (Path(media_dir) / SOURCE_NOTE).unlink(missing_ok=True)
    return freed


def _note_source(media_dir: Path, src_dir: Path) -> None:
    try:
        atomic_write_text(media_dir / SOURCE_NOTE, json.dumps({"source": str(src_dir.absolute())}))  # 0600
    except OSError:
        pass  # only Resume's convenience: the copies resume from the same pack either way


def _check_space(src_dir: Path, media_dir: Path, plan: list[tuple[Film, Path | None, dict]]) -> None:
    """Refuse before copying when the films would leave less than the database's reserve."""
    needed = 0
    for film, video, _subs in plan:
        if video is None:
            continue
        size = video.stat().st_size
        dest = media_dir / f"{film.id}{video.suffix.lower()}"
        if dest.is_file() and dest.stat().st_size == size:
            continue  # most likely already installed (checked later): nothing to write
        part = media_dir / f".{dest.name}.part"
        needed += size - (min(part.stat().st_size, size) if part.is_file() else 0)
    free = room_left(media_dir, media_dir.parent, needed)
    if free is not None:
        raise DiskSpaceError(
            sentence(N_("There is not enough space to import the media pack {src_dir}: its films need {needed}, "
                        "and the disk has {free} free, of which {kept} are kept for the database. Free "
                        "some space, then import again."),
                     src_dir=src_dir, needed=megabytes(needed), free=megabytes(free),
                     kept=megabytes(reserve_bytes())))


def _check_source(src_dir: Path, media_dir: Path) -> None:
    if not src_dir.exists():
        raise MediaPackError(sentence(N_("The media pack folder {src_dir} does not exist."), src_dir=src_dir))
    if not src_dir.is_dir():
        raise MediaPackError(sentence(N_("{src_dir} is not a folder; give the folder that holds the media pack."),
                                      src_dir=src_dir))
    if media_dir.exists() and src_dir.resolve() == media_dir.resolve():
        raise MediaPackError(sentence(N_("{src_dir} is the library's own media folder; give the media pack's folder."),
                                      src_dir=src_dir))


def _pack_video(src_dir: Path, film: Film) -> Path | None:
    """The pack's file for the film, even an empty one (which is then reported, not ignored)."""
    return next((src_dir / f"{film.id}{ext}" for ext in VIDEO_EXTENSIONS if (src_dir / f"{film.id}{ext}").is_file()),
                None)


def import_pack(src_dir: Path, media_dir: Path, manifest: Manifest, conn: sqlite3.Connection | None = None, *,
                progress: Callable[[ImportProgress], None] | None = None,
                cancel: threading.Event | None = None) -> ImportReport:
    """Import every film and subtitle of the pack folder ``src_dir`` into ``media_dir``.

    Raises ``MediaPackError`` (or ``ChecksumFileError``) when the pack cannot be used at
    all, and ``Cancelled`` when ``cancel`` is set (a partial copy stays for resuming).
    Each installed film is recorded (committed) in ``conn`` at once."""
    src_dir, media_dir = Path(src_dir), Path(media_dir)
    _check_source(src_dir, media_dir)
    sums_path = src_dir / SUMS_NAME
    sums = read_sha256sums(sums_path) if sums_path.is_file() else {}
    records = load_records(conn) if conn is not None else {}
    plan = [(film, _pack_video(src_dir, film), find_subtitles(src_dir, film.id)) for film in manifest.films]
    plan = [(film, video, subs) for film, video, subs in plan if video or subs]
    used = {p.name for _f, video, subs in plan for p in ([video] if video else []) + list(subs.values())}
    ignored = sorted(p.name for p in src_dir.iterdir()
                     if p.is_file() and not p.name.startswith(".") and p.name != SUMS_NAME and p.name not in used)
    try:
        media_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MediaPackError(sentence(N_("Cannot create the media folder {media_dir}: {reason}."),
                                      media_dir=media_dir, reason=exc.strerror or exc)) from exc
    _check_space(src_dir, media_dir, plan)
    _note_source(media_dir, src_dir)
    counter = _Counter(sum(v.stat().st_size for _f, v, _s in plan if v), progress)
    films = []
    for film, video, subs in plan:
        if cancel is not None and cancel.is_set():
            raise Cancelled(sentence(N_("The import was cancelled; run it again to resume.")))
        try:
            result, record = _import_film(film, video, media_dir, sums, records.get(film.id), counter, cancel)
        except OSError as exc:  # the drive was pulled out, the disk is full: a part stays for resuming
            raise MediaPackError(sentence(N_("Cannot import {filename} ({reason}); run the import again to resume."),
                                          filename=exc.filename or video, reason=exc.strerror or exc)) from exc
        if record is not None and conn is not None:
            save_record(conn, record)
        subtitles = import_subtitles(film, subs, media_dir, sums, skip_reason=N_("the film was rejected")
                                     if result.rejected else None)
        films.append(replace(result, subtitles=subtitles))
    if unfinished_import(media_dir) is None:
        (media_dir / SOURCE_NOTE).unlink(missing_ok=True)
    return ImportReport(src_dir, media_dir, sums_path if sums else None, tuple(films), tuple(ignored))


def _import_film(film: Film, video: Path | None, media_dir: Path, sums: dict[str, str],
                 record: MediaRecord | None, counter: _Counter,
                 cancel: threading.Event | None) -> tuple[FilmImport, MediaRecord | None]:
    """Install one film's file; the record to store when it was installed or skipped."""

    def outcome(action: str, problem: MediaProblem | None = None, sha: str | None = None) -> FilmImport:
        status, _ = quick_status(film, find_library_video(media_dir, film.id), record)
        return FilmImport(film.id, status, action, video.name if video else None, sha, problem)

    if video is None:
        return outcome(SUBTITLES_ONLY), None
    size = video.stat().st_size
    counter.start(film.id, video.name)
    expected = ([("manifest", film.sha256)] if film.sha256 else []) + (
        [("pack", sums[video.name])] if video.name in sums else [])
    problem = check_container(video)
    if problem is None and film.size is not None and size != film.size:
        problem = media_problem("size", file=video, size=size, expected=film.size)
    if problem:
        counter.add(size)
        return outcome(f"rejected: {problem}", problem), None
    dest = media_dir / f"{film.id}{video.suffix.lower()}"
    if _already_installed(dest, size, expected, record, video, counter, cancel):
        return outcome(SKIPPED, sha=record.sha256 if record else None), None
    part = media_dir / f".{dest.name}.part"
    offset, digest = _copy(video, part, counter, cancel)
    wrong = next((src for src, sha in expected if sha != digest), None)
    if wrong == "manifest":
        problem = media_problem("import-checksum-manifest", file=video)
    elif wrong is not None:
        problem = media_problem("import-checksum-pack", file=video, sums=video.parent / SUMS_NAME)
    else:
        problem = check_container(part)
        problem = problem.about(video) if problem else None  # the pack's file, not our partial copy
    if problem:
        part.unlink(missing_ok=True)
        return outcome(f"rejected: {problem}", problem), None
    record = _install(film, part, dest, digest, expected)
    return FilmImport(film.id, FilmStatus.PRESENT, RESUMED if offset else INSTALLED, video.name, digest, None), record


def _install(film: Film, part: Path, dest: Path, digest: str, expected: list[tuple[str, str]]) -> MediaRecord:
    """Rename the verified part over the film's name (atomic) and describe what is there now."""
    os.replace(part, dest)
    fsync_dir(dest.parent)
    for ext in VIDEO_EXTENSIONS:  # another copy under another extension would shadow this one
        other = dest.parent / f"{film.id}{ext}"
        if other != dest and other.is_file():
            other.unlink()
    st = dest.stat()
    source = next((src for src in ("pack", "manifest") if any(s == src for s, _ in expected)), "first-use")
    return MediaRecord(film.id, dest.name, st.st_size, st.st_mtime_ns, digest, source, FilmStatus.PRESENT, None,
                       datetime.now(timezone.utc))


def _already_installed(dest: Path, size: int, expected: list[tuple[str, str]], record: MediaRecord | None,
                       video: Path, counter: _Counter, cancel: threading.Event | None) -> bool:
    """True when the library already holds this very file, verified and unchanged since.

    With a checksum to go by, nothing is read; without one the pack's file is hashed
    (reading is what a copy would cost anyway, and nothing is written)."""
    if record is None or record.status is not FilmStatus.PRESENT or not record.sha256 or not dest.is_file():
        return False
    st = dest.stat()
    if not record.describes(dest, st) or st.st_size != size:
        return False
    if expected:
        same = all(sha == record.sha256 for _src, sha in expected)
        counter.add(size if same else 0)
        return same
    return file_sha256(video, on_bytes=counter.add, cancel=cancel) == record.sha256


def _resume_offset(part: Path, source: Path, size: int) -> int:
    """How much of ``part`` can be kept: all of it if it is no longer than the source and
    its last 64 KiB match the source there (a part left by another file, or ending in
    the zeros a power cut can leave, starts again from nothing)."""
    try:
        have = part.stat().st_size
    except FileNotFoundError:
        return 0
    if 0 < have <= size:
        n = min(TAIL_CHECK, have)
        with part.open("rb") as p, source.open("rb") as s:
            p.seek(have - n)
            s.seek(have - n)
            if p.read(n) == s.read(n):
                return have
    part.unlink()
    return 0


def _copy(source: Path, part: Path, counter: _Counter, cancel: threading.Event | None) -> tuple[int, str]:
    """Append the rest of ``source`` to ``part``, hashing all of ``part``; (offset, sha256).

    The hash covers the bytes as written, and the part is synced before it is renamed."""
    import hashlib

    size = source.stat().st_size
    offset = _resume_offset(part, source, size)
    digest = hashlib.sha256()
    if offset:
        with part.open("rb") as kept:
            while block := kept.read(CHUNK):
                digest.update(block)
                counter.add(len(block))
    with source.open("rb") as src, part.open("ab") as out:
        src.seek(offset)
        while block := src.read(CHUNK):
            if cancel is not None and cancel.is_set():
                raise Cancelled(sentence(N_("The import was cancelled while copying {name}; run it again to resume."),
                                         name=source.name))
            _keep_reserve(source, part)  # a statvfs a MiB: nothing beside the copy itself
            out.write(block)
            digest.update(block)
            counter.add(len(block))
        out.flush()
        os.fsync(out.fileno())
    return offset, digest.hexdigest()


def _keep_reserve(source: Path, part: Path) -> None:
    """Something else filled the disk while copying: stop before the database's reserve."""
    free = free_bytes(part.parent)
    if free < reserve_bytes():
        raise DiskSpaceError(
            sentence(N_("The disk filled up while copying {name}: {free} are left, and {kept} are kept "
                        "for the database. What was copied is kept: free some space, then resume the import."),
                     name=source.name, free=megabytes(free), kept=megabytes(reserve_bytes())))


def import_subtitles(film: Film, subtitles: dict[str, Path], media_dir: Path, sums: dict[str, str], *,
                     skip_reason: str | None = None) -> tuple[SubtitleResult, ...]:
    """Normalise each of the pack's subtitle files to UTF-8 in the media folder.

    An unreadable file, or one that does not match SHA256SUMS, is reported and skipped;
    the film is installed all the same.  When the film itself was rejected its subtitles
    are left alone too: the pack is suspect."""
    return tuple(_import_subtitle(film, lang, path, media_dir, sums, skip_reason) for lang, path in subtitles.items())


def _import_subtitle(film: Film, language: str, path: Path, media_dir: Path, sums: dict[str, str],
                     skip_reason: str | None) -> SubtitleResult:
    from co_app.core.media.subtitles import SubtitleError, read_subtitles, render_subtitles, write_normalised

    if skip_reason:
        return SubtitleResult(language, path.name, action=f"skipped: {skip_reason}")
    try:
        if path.name in sums and file_sha256(path) != sums[path.name]:
            raise SubtitleError(sentence(N_("{path} does not match its checksum in {sums}."),
                                         path=path, sums=path.parent / SUMS_NAME))
        track = read_subtitles(path, language=language)
        if not track.cues:
            raise SubtitleError(sentence(N_("{path} has no subtitle that could be read."), path=path))
    except (SubtitleError, OSError) as exc:
        error = str(exc) if isinstance(exc, SubtitleError) else sentence(
            N_("{path} cannot be read ({reason})."), path=path, reason=exc.strerror or exc)
        return SubtitleResult(language, path.name, error=error, action=f"rejected: {error}")
    dest = media_dir / f"{film.id}.{language}.{track.format}"
    try:
        unchanged = dest.is_file() and dest.read_bytes() == render_subtitles(track, track.format).encode("utf-8")
        if not unchanged:
            write_normalised(track, dest)
        other = dest.with_suffix(".vtt" if track.format == "srt" else ".srt")
        other.unlink(missing_ok=True)  # the other format would be picked before or after this one
    except OSError as exc:
        error = sentence(N_("Cannot write {path} ({reason})."), path=dest, reason=exc.strerror or exc)
        return SubtitleResult(language, path.name, error=error, action=f"rejected: {error}")
    return SubtitleResult(language, path.name, track.format, track.encoding, len(track.cues),
                          tuple((p.line, p.message) for p in track.problems),
                          action="unchanged" if unchanged else "installed", installed_as=dest.name)
