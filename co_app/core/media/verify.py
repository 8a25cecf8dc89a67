"""``media verify``: hash every film in the media folder, compare it with every checksum we
know, read every subtitle, and record the outcome in the ``media_files`` table.

Checksums come from the manifest, from the media pack's SHA256SUMS as recorded at import,
or from the demo marker.  A film with none of these is trusted on first use: its hash is
recorded, and a later change of content is then a new file to verify, not a corruption.
Runs in a worker thread in the window: ``progress`` is called from that thread and
``cancel`` stops it between 1 MiB chunks, keeping what was recorded so far.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from co_app.core.media.library import (
    FilmStatus,
    MediaRecord,
    demo_checksum,
    find_subtitles,
    find_video,
    load_records,
    save_record,
    size_problem,
    status_hint,
)
from co_app.core.media.manifest import Film, Manifest
from co_app.core.media.check import check_container, file_sha256
from co_app.core.media.problems import media_problem, problem_code
from co_app.core.foundation.errors import Cancelled, sentence
from co_app.core.foundation.i18n import N_

if TYPE_CHECKING:
    import sqlite3

__all__ = ["Cancelled", "FilmVerification", "SubtitleResult", "VerifyProgress", "VerifyReport", "verify_library"]

@dataclass(frozen=True)
class VerifyProgress:
    film_id: str
    file: str  # the file being hashed
    done_bytes: int  # over the whole verification
    total_bytes: int


@dataclass(frozen=True)
class SubtitleResult:
    """One subtitle track, as read (verify) or imported (import)."""

    language: str
    file: str  # its name, in the media folder (verify) or the pack (import)
    format: str | None = None  # "srt" or "vtt"
    encoding: str | None = None  # the codec the file was found in ("utf_8", "cp1256", …)
    cues: int = 0
    problems: tuple[tuple[int, str], ...] = ()  # (line, message): blocks that were skipped
    error: str | None = None  # why the file cannot be used at all
    action: str | None = None  # import only: "installed", "unchanged", "rejected: …", "skipped: …"
    installed_as: str | None = None  # import only: the name in the media folder

    def as_dict(self) -> dict[str, object]:
        doc = {"language": self.language, "file": self.file, "format": self.format, "encoding": self.encoding,
               "cues": self.cues, "problems": [{"line": line, "message": msg} for line, msg in self.problems],
               "error": self.error}
        if self.action is not None:
            doc.update(action=self.action, installed_as=self.installed_as)
        return doc


@dataclass(frozen=True)
class FilmVerification:
    film_id: str
    status: FilmStatus
    file: Path | None
    problem: str | None
    sha256: str | None
    subtitles: tuple[SubtitleResult, ...]

    @property
    def hint(self) -> str:
        return status_hint(self.status)

    @property
    def ok(self) -> bool:
        return self.status is FilmStatus.PRESENT and not any(s.error for s in self.subtitles)

    def as_dict(self) -> dict[str, object]:
        return {"id": self.film_id, "status": self.status.value, "file": str(self.file) if self.file else None,
                "problem": self.problem, "problem_code": problem_code(self.problem), "hint": self.hint,
                "sha256": self.sha256,
                "subtitles": [s.as_dict() for s in self.subtitles]}


@dataclass(frozen=True)
class VerifyReport:
    media_dir: Path
    films: tuple[FilmVerification, ...]

    @property
    def ok(self) -> bool:
        """False when a film is missing or corrupt, or a subtitle cannot be read (exit 1)."""
        return all(f.ok for f in self.films)

    def as_dict(self) -> dict[str, object]:
        """The ``media verify --json`` document."""
        return {"media_dir": str(self.media_dir), "ok": self.ok, "films": [f.as_dict() for f in self.films]}


def read_subtitle(language: str, path: Path) -> SubtitleResult:
    """Read one subtitle file; an unusable one becomes a result with ``error`` set."""
    from co_app.core.media.subtitles import SubtitleError, read_subtitles

    try:
        track = read_subtitles(path, language=language)
    except SubtitleError as exc:
        return SubtitleResult(language=language, file=path.name, error=str(exc))
    return SubtitleResult(language=language, file=path.name, format=track.format, encoding=track.encoding,
                          cues=len(track.cues), problems=tuple((p.line, p.message) for p in track.problems))


def known_checksums(film: Film, video: Path, record: MediaRecord | None) -> list[tuple[str, str]]:
    """(source, sha256) the file must match.  A hash recorded on first use is not one of
    them: it only says what the file was, not what it should be.  A demo clip is held to
    its own checksum only (the manifest's is the real film's)."""
    demo = demo_checksum(video)
    if demo:
        return [("demo", demo)]
    found = [("manifest", film.sha256)] if film.sha256 else []
    if record and record.sha256 and record.sha256_source == "pack" and record.file_name == video.name:
        found.append(("pack", record.sha256))
    return found


def verify_film(film: Film, media_dir: Path, record: MediaRecord | None,
                on_bytes: Callable[[int], None] | None = None,
                cancel: threading.Event | None = None) -> tuple[FilmVerification, MediaRecord | None]:
    """Check one film's file and subtitles; the record to store (None when there is no file)."""
    subtitles = tuple(read_subtitle(lang, path) for lang, path in find_subtitles(media_dir, film.id).items())
    video = find_video(media_dir, film.id)
    if video is None:
        return FilmVerification(film.id, FilmStatus.MISSING, None, None, None, subtitles), None
    try:
        st = video.stat()  # before hashing: a change during the hash shows as "unverified" later
        problem = check_container(video) or size_problem(film, video, st.st_size)
        digest = None if problem else file_sha256(video, on_bytes=on_bytes, cancel=cancel)
    except OSError as exc:
        problem, digest = media_problem("unreadable", file=video, reason=str(exc.strerror or exc)), None
        st = None
    expected = known_checksums(film, video, record)
    wrong = next(((src, sha) for src, sha in expected if digest is not None and sha != digest), None)
    if wrong:
        problem = media_problem(f"checksum-{wrong[0]}", file=video)  # the manifest, the pack or the demo marker
    status = FilmStatus.CORRUPT if problem else FilmStatus.PRESENT
    if wrong:  # keep the checksum the file should have, not the damaged one's
        sha, source = wrong[1], wrong[0]
    elif problem:
        sha, source = (record.sha256, record.sha256_source) if record else (None, None)
    else:
        sha, source = digest, (expected[0][0] if expected else "first-use")
    result = FilmVerification(film.id, status, video, problem, digest, subtitles)
    if st is None:
        return result, None
    return result, MediaRecord(film.id, video.name, st.st_size, st.st_mtime_ns, sha, source, status, problem)


def verify_library(media_dir: Path, manifest: Manifest, conn: sqlite3.Connection | None = None, *,
                   progress: Callable[[VerifyProgress], None] | None = None,
                   cancel: threading.Event | None = None) -> VerifyReport:
    """Verify every film of the manifest; each outcome is recorded (and committed) in
    ``conn`` (the database, co_app/core/db/plain.py) as soon as it is known, so a cancelled run
    keeps the films already done."""
    media_dir = Path(media_dir)
    records = load_records(conn) if conn is not None else {}
    videos = {film.id: find_video(media_dir, film.id) for film in manifest.films}
    total = sum(_size(v) for v in videos.values() if v is not None)
    done = 0
    results = []
    for film in manifest.films:
        if cancel is not None and cancel.is_set():
            raise Cancelled(sentence(N_("The verification was cancelled.")))
        video = videos[film.id]
        name = video.name if video else film.file

        def on_bytes(n: int, film_id: str = film.id, name: str = name) -> None:
            nonlocal done
            done += n
            if progress:
                progress(VerifyProgress(film_id, name, done, total))

        start = done
        if progress and video:
            progress(VerifyProgress(film.id, name, done, total))
        result, record = verify_film(film, media_dir, records.get(film.id), on_bytes, cancel)
        done = start + (_size(video) if video else 0)  # a file skipped as corrupt still counts as done
        if record is not None and conn is not None:
            save_record(conn, record)
        results.append(result)
    if progress:
        progress(VerifyProgress("", "", total, total))
    return VerifyReport(media_dir, tuple(results))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
