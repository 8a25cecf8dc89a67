"""What the media folder holds for each film of the manifest, and in what state.

The media folder follows the media-pack layout of DESIGN.md: ``<film id>.<ext>`` and
``<film id>.<language>.srt|vtt`` side by side.  Every film has a status — present,
missing, corrupt or unverified — and a hint saying what to do about it.

``scan_library`` is called by the window on every refresh, so it never hashes: it trusts
what ``media verify`` / import recorded (``MediaRecord``, from the ``media_files`` table)
while the file's size and modification time are unchanged, and otherwise only reads the
container's headers.  The records are read and written with ``sqlite3``
(co_app/core/db/plain.py): the Films page never pays for the ORM.
"""

from __future__ import annotations

import enum
import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping

from co_app.core.db.plain import format_datetime, parse_datetime
from co_app.core.media.demo import read_marker, is_demo_clip
from co_app.core.foundation.i18n import N_
from co_app.core.media.manifest import SUBTITLE_EXTENSIONS, VIDEO_EXTENSIONS, Film, Manifest
from co_app.core.media.check import check_container, mp4_duration_ms
from co_app.core.media.problems import MediaProblem, from_stored, media_problem, stored_form


class FilmStatus(str, enum.Enum):
    PRESENT = "present"  # checked: whole, and its checksum matched (or was recorded)
    MISSING = "missing"  # no file for the film in the media folder
    CORRUPT = "corrupt"  # cut short, not a video, or a checksum that does not match
    UNVERIFIED = "unverified"  # a file is there, but nobody has checked it since it changed


#: What to do about each status; English, marked for the catalogs: show ``_(hint)``.
STATUS_HINTS: dict[FilmStatus, str] = {
    FilmStatus.PRESENT: N_("Ready to play."),
    FilmStatus.MISSING: N_("Import the film from the programme's media pack (a folder or USB drive)."),
    FilmStatus.CORRUPT: N_("This file is damaged or is not a video: import the film again from the media pack."),
    FilmStatus.UNVERIFIED: N_("This file was copied by hand or has changed: check the films before the session."),
}


def status_hint(status: FilmStatus) -> str:
    """The English hint for ``status``; translate it where it is shown (``_(hint)``)."""
    return STATUS_HINTS[FilmStatus(status)]


@dataclass(frozen=True)
class MediaRecord:
    """What was verified about a film's file, as a plain value (a row of ``media_files``)."""

    film_id: str
    file_name: str
    size: int
    mtime_ns: int
    sha256: str | None
    #: Where ``sha256`` came from: "manifest", "pack" (SHA256SUMS), "demo" or "first-use".
    sha256_source: str | None
    status: FilmStatus
    #: Why the file is corrupt: a ``MediaProblem`` (stored as its code and values), or the
    #: text of a record written before codes.
    problem: str | None
    verified_at: datetime | None = None

    def describes(self, path: Path, st: os.stat_result) -> bool:
        """True when ``path`` is still the very file that was verified (same name, size, time)."""
        return self.file_name == path.name and self.size == st.st_size and self.mtime_ns == st.st_mtime_ns


@dataclass(frozen=True)
class LibraryEntry:
    film: Film
    status: FilmStatus
    video: Path | None
    #: language code → subtitle file found beside the video
    subtitles: dict[str, Path] = field(default_factory=dict)
    #: True when the video is one of the project's labelled demo clips
    is_demo: bool = False
    #: Why the film is corrupt (one sentence naming the file, a ``MediaProblem`` but for an
    #: old record's text; a window shows ``problems.problem_text(problem)``); None otherwise.
    problem: str | None = None
    #: How long the film lasts, from the file's own header (else the manifest); None if unknown.
    duration_ms: int | None = None

    @property
    def hint(self) -> str:
        """What to do, in English (translate with ``_()``)."""
        return status_hint(self.status)


def find_video(folder: Path, film_id: str) -> Path | None:
    for ext in VIDEO_EXTENSIONS:
        candidate = folder / f"{film_id}{ext}"
        if candidate.is_file() and candidate.stat().st_size > 0:
            return candidate
    return None


#: A subtitle file's language part: a language code such as 'ar', 'fa_AF' or 'pt-BR', ASCII only.
#: Anything else ('e<ESC>[2Jn', a name with a newline) is not a subtitle of the film: it was
#: imported under that "language" and printed raw to the terminal (a fresh-eyes attack).
_LANGUAGE_PART = re.compile(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8}){0,2}")


def find_subtitles(folder: Path, film_id: str) -> dict[str, Path]:
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    prefix = f"{film_id}."
    for path in sorted(folder.iterdir()):
        name = path.name
        if not name.startswith(prefix) or path.suffix.lower() not in SUBTITLE_EXTENSIONS:
            continue
        language = name[len(prefix) : -len(path.suffix)]
        if _LANGUAGE_PART.fullmatch(language) and path.is_file():
            found.setdefault(language, path)
    return found


def demo_checksum(video: Path) -> str | None:
    """The SHA-256 the demo marker records for ``video`` — only while its size still says it
    is our clip; a real film imported over a demo clip is not held to the clip's checksum."""
    if not is_demo_clip(video):
        return None
    entry = next((e for e in read_marker(video.parent).values() if e.get("file") == video.name), {})
    sha = entry.get("sha256")
    return sha if isinstance(sha, str) else None


def size_problem(film: Film, video: Path, size: int) -> MediaProblem | None:
    """A size the manifest knows and the file does not have: cheap proof of a bad copy."""
    if film.size is not None and size != film.size:
        return media_problem("size", file=video, size=size, expected=film.size)
    return None


def quick_status(film: Film, video: Path | None, record: MediaRecord | None) -> tuple[FilmStatus, str | None]:
    """The film's status without hashing: the record while the file is unchanged, else a
    header check (a truncated or renamed file shows up as corrupt at once)."""
    if video is None:
        return FilmStatus.MISSING, None
    try:
        st = video.stat()
    except OSError as exc:
        return FilmStatus.CORRUPT, media_problem("unreadable", file=video, reason=str(exc.strerror or exc))
    if record is not None and record.describes(video, st):
        return FilmStatus(record.status), record.problem
    problem = check_container(video) or size_problem(film, video, st.st_size)
    if problem:
        return FilmStatus.CORRUPT, problem
    if is_demo_clip(video):  # recorded by size in the demo marker: the out-of-the-box state
        return FilmStatus.PRESENT, None
    return FilmStatus.UNVERIFIED, None


def scan_library(media_dir: Path, manifest: Manifest,
                 records: Mapping[str, MediaRecord] | None = None) -> list[LibraryEntry]:
    """One entry per film of the manifest, in manifest order; ``records`` from
    ``load_records`` (without them, an unchecked real film is "unverified")."""
    records = records or {}
    entries = []
    for film in manifest.films:
        video = find_video(media_dir, film.id)
        status, problem = quick_status(film, video, records.get(film.id))
        entries.append(
            LibraryEntry(
                film=film,
                status=status,
                video=video,
                subtitles=find_subtitles(media_dir, film.id),
                is_demo=video is not None and is_demo_clip(video),
                problem=problem,
                duration_ms=_duration(film, video, status),
            )
        )
    return entries


def _duration(film: Film, video: Path | None, status: FilmStatus) -> int | None:
    if video is not None and status is not FilmStatus.CORRUPT:
        declared = mp4_duration_ms(video)
        if declared:
            return declared
    return round(film.duration_s * 1000) if film.duration_s else None


# --- the media_files table -------------------------------------------------------------


_RECORD_COLUMNS = "film_id, file_name, size, mtime_ns, sha256, sha256_source, status, problem, verified_at"


def load_records(conn: sqlite3.Connection) -> dict[str, MediaRecord]:
    """Every recorded verification, by film id (for ``scan_library``); each problem said in
    the interface language of the moment."""
    rows = conn.execute(f"SELECT {_RECORD_COLUMNS} FROM media_files")  # noqa: S608 - a constant
    return {
        r[0]: MediaRecord(film_id=r[0], file_name=r[1], size=r[2], mtime_ns=r[3], sha256=r[4], sha256_source=r[5],
                          status=FilmStatus(r[6]), problem=from_stored(r[7]),
                          verified_at=parse_datetime(r[8]) if r[8] else None)
        for r in rows
    }


def save_record(conn: sqlite3.Connection, record: MediaRecord) -> None:
    """Insert or replace the film's record and commit: each verified film is kept even if
    the rest of a long verification or import is cancelled or the power fails.  A problem is
    kept as its code and values (``MediaProblem.stored``), in no language."""
    verified_at = format_datetime(record.verified_at or datetime.now(timezone.utc))
    conn.execute(
        f"INSERT OR REPLACE INTO media_files ({_RECORD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        (record.film_id, record.file_name, record.size, record.mtime_ns, record.sha256, record.sha256_source,
         FilmStatus(record.status).value, stored_form(record.problem), verified_at),
    )
    conn.commit()
