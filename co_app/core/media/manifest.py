"""The media manifest: which films exist and what files a media pack holds for them.

``media_manifest/films.toml`` is data a content maintainer edits.  Loading validates
every film; an error names the file, the film and the field.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from co_app.core.foundation import resources
from co_app.core.foundation.errors import ManifestError, sentence
from co_app.core.foundation.i18n import N_
from co_app.core.foundation.safe_read import FileTooLargeError, NotRegularFileError, read_regular_file

#: The programme's film series, translated where participants see it (slides, the viewer).
SERIES = N_("Small Places, Great Hearts")

DEFAULT_MANIFEST = resources.DEFAULT_MANIFEST  # defined once, in foundation/resources.py
SUPPORTED_FORMAT = 1
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
VIDEO_EXTENSIONS = (".mp4", ".mkv", ".webm", ".m4v", ".mov", ".avi", ".ogv")
SUBTITLE_EXTENSIONS = (".srt", ".vtt")

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANG_RE = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Moment:
    """A named time range of a film that modules and town profiles link to."""

    id: str
    title: str
    start_ms: int
    end_ms: int
    #: False until someone has checked the times against the real film (not the demo clip).
    confirmed: bool = False
    titles: dict[str, str] = field(default_factory=dict)

    def title_in(self, language: str) -> str:
        return self.titles.get(language) or self.titles.get(language.split("_")[0]) or self.title


@dataclass(frozen=True)
class Film:
    id: str
    title: str
    town: str
    country: str
    partner: str
    partner_confirmed: bool
    source_title: str
    source_url: str
    file: str
    subtitles: dict[str, str]
    town_names: dict[str, str] = field(default_factory=dict)
    size: int | None = None
    sha256: str | None = None
    duration_s: float | None = None
    moments: tuple[Moment, ...] = ()

    def moment(self, moment_id: str) -> Moment | None:
        return next((m for m in self.moments if m.id == moment_id), None)

    def town_name(self, language: str) -> str:
        """The town's name for a reader of ``language`` (falls back to the Latin name)."""
        return self.town_names.get(language) or self.town_names.get(language.split("_")[0]) or self.town

    def title_in(self, language: str, locale_dir: Path | None = None) -> str:
        """The title for a reader of ``language``: "Small Places, Great Hearts – Austria" as the
        series' name from the catalogs and the country's (Europe's) name; another form of title,
        or English, as published."""
        from co_app.core.foundation.i18n import country_name, translator_for
        from co_app.core.foundation.languages import SOURCE_LANGUAGE

        if language == SOURCE_LANGUAGE or not self.title.startswith(SERIES + " – "):
            return self.title
        translate = translator_for(language, locale_dir) if locale_dir else translator_for(language)
        where = self.town_name(language) if self.country == "EU" else country_name(self.country, language)
        return f"{translate(SERIES)} – {where}"


@dataclass(frozen=True)
class Manifest:
    path: Path
    films: tuple[Film, ...]
    checksum: str  # SHA-256 of the file: two laptops with the same manifest agree on it

    def film(self, film_id: str) -> Film | None:
        return next((f for f in self.films if f.id == film_id), None)

    @property
    def ids(self) -> list[str]:
        return [f.id for f in self.films]


class _Field:
    """Reads one film's table and raises errors that name file, film and field."""

    def __init__(self, path: Path, index: int, table: dict[str, Any]):
        self.path, self.table = path, table
        film_id = table.get("id")
        self.where = f"film #{index}" + (f" ({film_id})" if isinstance(film_id, str) else "")

    def fail(self, name: str, problem: str) -> ManifestError:
        return ManifestError(sentence(N_("{file}: {where}: field '{field}' {problem}."), file=self.path,
                                      where=self.where, field=name, problem=problem))

    def text(self, name: str, *, required: bool = True, pattern: re.Pattern[str] | None = None) -> str:
        value = self.table.get(name)
        if value is None:
            if required:
                raise self.fail(name, sentence(N_("is missing")))
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(name, sentence(N_("must be non-empty text")))
        if pattern is not None and not pattern.match(value):
            raise self.fail(name, sentence(N_("has the invalid value {value!r}"), value=value))
        return value

    def mapping(self, name: str, *, required: bool) -> dict[str, str]:
        value = self.table.get(name)
        if value is None:
            if required:
                raise self.fail(name, sentence(N_("is missing")))
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, str) and v for v in value.values()):
            raise self.fail(name, sentence(N_("must be a table of language = text")))
        for lang in value:
            if not _LANG_RE.match(lang):
                raise self.fail(name, sentence(N_("has the invalid language code {lang!r}"), lang=lang))
        return dict(value)

    def optional_number(self, name: str, kind: type) -> Any:
        value = self.table.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise self.fail(name, sentence(N_("must be a positive number")))
        if kind is int and value != int(value):
            raise self.fail(name, sentence(N_("must be a whole number")))
        return kind(value)


_CLOCK_RE = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d)(?:\.(\d{1,3}))?$")


def parse_clock(value: str) -> int | None:
    """'02:10', '1:02:10' or '02:10.5' → milliseconds; None when it is not a time."""
    match = _CLOCK_RE.match(value.strip()) if isinstance(value, str) else None
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    millis = int((fraction or "0").ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis


def _parse_moments(f: "_Field", tables: Any) -> tuple[Moment, ...]:
    if not isinstance(tables, list):
        raise f.fail("moment", sentence(N_("must be a list of [[film.moment]] tables")))
    moments: list[Moment] = []
    for number, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            raise f.fail("moment", sentence(N_("#{number} must be a table"), number=number))
        where = f"moment #{number}"
        moment_id, title = table.get("id"), table.get("title")
        if not isinstance(moment_id, str) or not _ID_RE.match(moment_id):
            raise f.fail("moment", sentence(N_("#{number}: 'id' must be lower-case words joined by hyphens"),
                                            number=number))
        if not isinstance(title, str) or not title.strip():
            raise f.fail("moment", sentence(N_("{moment_id}: 'title' must be non-empty text"), moment_id=moment_id))
        start, end = parse_clock(table.get("start", "")), parse_clock(table.get("end", ""))
        if start is None or end is None:
            raise f.fail("moment", sentence(N_('{moment_id}: \'start\' and \'end\' must be times such as "02:10"'),
                                            moment_id=moment_id))
        if end <= start:
            raise f.fail("moment", sentence(N_("{moment_id}: 'end' must come after 'start'"), moment_id=moment_id))
        if any(m.id == moment_id for m in moments):
            raise f.fail("moment", sentence(N_("{where}: the id '{moment_id}' appears twice"),
                                            where=where, moment_id=moment_id))
        titles = table.get("titles", {})
        if not isinstance(titles, dict) or not all(isinstance(v, str) for v in titles.values()):
            raise f.fail("moment", sentence(N_("{moment_id}: 'titles' must be a table of language = text"),
                                            moment_id=moment_id))
        moments.append(Moment(moment_id, title, start, end, bool(table.get("confirmed", False)), dict(titles)))
    return tuple(moments)


def _parse_film(path: Path, index: int, table: Any) -> Film:
    if not isinstance(table, dict):
        raise ManifestError(sentence(N_("{path}: film #{index} must be a table ([[film]])."),
                                     path=path, index=index))
    f = _Field(path, index, table)
    film_id = f.text("id", pattern=_ID_RE)
    file_name = f.text("file")
    if Path(file_name).stem != film_id or Path(file_name).suffix.lower() not in VIDEO_EXTENSIONS:
        raise f.fail("file", sentence(N_("must be named {film_id}.<ext> with a video extension"), film_id=film_id))
    subtitles = f.mapping("subtitles", required=False)
    for lang, name in subtitles.items():
        if name != f"{film_id}.{lang}{Path(name).suffix}" or Path(name).suffix not in SUBTITLE_EXTENSIONS:
            raise f.fail("subtitles", sentence(N_("must name {film_id}.{lang}.srt or .vtt for '{lang}', not {name!r}"),
                                               film_id=film_id, lang=lang, name=name))
    sha = f.text("sha256", required=False)
    if sha and not _SHA_RE.match(sha):
        raise f.fail("sha256", sentence(N_("must be 64 lower-case hexadecimal digits")))
    confirmed = table.get("partner_confirmed", False)
    if not isinstance(confirmed, bool):
        raise f.fail("partner_confirmed", sentence(N_("must be true or false")))
    country = f.text("country")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise f.fail("country", sentence(N_("must be a two-letter country code such as 'DE'")))
    return Film(
        id=film_id,
        title=f.text("title"),
        town=f.text("town"),
        country=country,
        partner=f.text("partner"),
        partner_confirmed=confirmed,
        source_title=f.text("source_title"),
        source_url=f.text("source_url", required=False),
        file=file_name,
        subtitles=subtitles,
        town_names=f.mapping("town_names", required=False),
        size=f.optional_number("size", int),
        sha256=sha or None,
        duration_s=f.optional_number("duration_s", float),
        moments=_parse_moments(f, table.get("moment", [])),
    )


def load_manifest(path: Path = DEFAULT_MANIFEST) -> Manifest:
    import hashlib
    import tomllib

    try:  # a regular file of at most 4 MB (the shipped one is a few KB): never a FIFO or /dev/zero
        raw = read_regular_file(path, MAX_MANIFEST_BYTES)
    except (NotRegularFileError, FileTooLargeError):
        raise ManifestError(sentence(N_("The media manifest {file} is not a file of at most {limit} MB, so it is "
                                        "not a media manifest."), file=path,
                                     limit=MAX_MANIFEST_BYTES // 2**20)) from None
    except OSError as exc:
        raise ManifestError(sentence(N_("Cannot read the media manifest {path}: {reason}."),
                                     path=path, reason=exc.strerror or exc)) from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(sentence(N_("{path}: not valid TOML ({problem})."), path=path, problem=exc)) from exc
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ManifestError(sentence(N_("{file}: its arrays or tables are nested hundreds of levels deep, which no "
                                        "media manifest is."), file=path)) from None
    fmt = data.get("format")
    if fmt != SUPPORTED_FORMAT:
        raise ManifestError(sentence(N_("{path}: field 'format' must be {supported}, found {fmt!r}."),
                                     path=path, supported=SUPPORTED_FORMAT, fmt=fmt))
    tables = data.get("film")
    if not isinstance(tables, list) or not tables:
        raise ManifestError(sentence(N_("{path}: no films ([[film]] tables) found."), path=path))
    films = tuple(_parse_film(path, i, t) for i, t in enumerate(tables, start=1))
    seen: set[str] = set()
    for film in films:
        if film.id in seen:
            raise ManifestError(sentence(N_("{path}: the film id '{id}' appears twice."), path=path, id=film.id))
        seen.add(film.id)
    return Manifest(path=path, films=films, checksum=hashlib.sha256(raw).hexdigest())
