"""What the media folder holds for each film of the manifest.

The media folder follows the media-pack layout of DESIGN.md: ``<film id>.<ext>`` and
``<film id>.<language>.srt|vtt`` side by side.  This module only looks at names and
sizes; checksums, import and playability checks belong to the films capability.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from co_app.core.demo_media import is_demo_clip
from co_app.core.manifest import SUBTITLE_EXTENSIONS, VIDEO_EXTENSIONS, Film, Manifest


class FilmStatus(str, enum.Enum):
    PRESENT = "present"
    MISSING = "missing"


@dataclass(frozen=True)
class LibraryEntry:
    film: Film
    status: FilmStatus
    video: Path | None
    #: language code → subtitle file found beside the video
    subtitles: dict[str, Path] = field(default_factory=dict)
    #: True when the video is one of the project's labelled demo clips
    is_demo: bool = False


def find_video(folder: Path, film_id: str) -> Path | None:
    for ext in VIDEO_EXTENSIONS:
        candidate = folder / f"{film_id}{ext}"
        if candidate.is_file() and candidate.stat().st_size > 0:
            return candidate
    return None


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
        if language and "." not in language and path.is_file():
            found.setdefault(language, path)
    return found


def scan_library(media_dir: Path, manifest: Manifest) -> list[LibraryEntry]:
    entries = []
    for film in manifest.films:
        video = find_video(media_dir, film.id)
        entries.append(
            LibraryEntry(
                film=film,
                status=FilmStatus.PRESENT if video else FilmStatus.MISSING,
                video=video,
                subtitles=find_subtitles(media_dir, film.id),
                is_demo=video is not None and is_demo_clip(video),
            )
        )
    return entries
