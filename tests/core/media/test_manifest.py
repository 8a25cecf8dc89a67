"""The media manifest (data a maintainer edits) and the library scan over a media folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from co_app.core.foundation.errors import CoError, ManifestError
from co_app.core.media.library import FilmStatus, find_subtitles, scan_library
from co_app.core.media.manifest import DEFAULT_MANIFEST, SUPPORTED_FORMAT, Film, Manifest, load_manifest

#: DESIGN.md's table of films, in its order.
DESIGN_FILMS = [
    ("austria-gaenserndorf", "Gänserndorf", "AT"),
    ("netherlands-zaanstad", "Zaanstad", "NL"),
    ("belgium-merchtem", "Merchtem", "BE"),
    ("germany-jena", "Jena", "DE"),
    ("romania-somcuta-mare", "Șomcuta Mare", "RO"),
    ("italy-biella", "Biella", "IT"),
    ("portugal-caranguejeira", "Caranguejeira", "PT"),
    ("europe", "Europe", "EU"),
]


def film_toml(**fields: object) -> str:
    """One [[film]] table; a field given as None is left out."""
    values: dict[str, object] = {
        "id": "germany-jena",
        "title": "Small Places, Great Hearts – Germany",
        "town": "Jena",
        "country": "DE",
        "partner": "MigrAfrica",
        "partner_confirmed": False,
        "source_title": "Small Places Great Hearts - Germany",
        "source_url": "",
        "file": "germany-jena.mp4",
        "subtitles": {"ar": "germany-jena.ar.srt", "fa_AF": "germany-jena.fa_AF.vtt"},
    }
    values.update(fields)
    lines = ["[[film]]"]
    for key, value in values.items():
        if value is None:
            continue
        lines.append(f"{key} = {_toml(value)}")
    return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f'{k} = {_toml(v)}' for k, v in value.items()) + " }"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(tmp_path: Path, *films: str, header: str = f"format = {SUPPORTED_FORMAT}\n") -> Path:
    path = tmp_path / "films.toml"
    path.write_text(header + "\n".join(films), encoding="utf-8")
    return path


# --- the shipped manifest ---------------------------------------------------------


def test_shipped_manifest_has_the_eight_films_in_order() -> None:
    manifest = load_manifest()
    assert manifest.path == DEFAULT_MANIFEST
    assert manifest.ids == [film_id for film_id, _, _ in DESIGN_FILMS]
    for film, (film_id, town, country) in zip(manifest.films, DESIGN_FILMS):
        assert (film.id, film.town, film.country) == (film_id, town, country)
        assert Path(film.file).stem == film.id
        assert film.title
        assert film.partner
        for lang, name in film.subtitles.items():
            assert name.startswith(f"{film.id}.{lang}.")
    assert manifest.checksum == hashlib.sha256(DEFAULT_MANIFEST.read_bytes()).hexdigest()


def test_shipped_manifest_lookups() -> None:
    manifest = load_manifest()
    jena = manifest.film("germany-jena")
    assert jena is not None and jena.town == "Jena"
    assert manifest.film("no-such-film") is None
    assert jena.town_name("ar") != "Jena"  # Arabic script name for Arabic readers
    assert jena.town_name("ar_SY") == jena.town_name("ar")
    assert jena.town_name("so") == "Jena"  # falls back to the Latin name


def test_a_minimal_valid_manifest(tmp_path: Path) -> None:
    sha = "a" * 64
    path = write(tmp_path, film_toml(size=1234, sha256=sha, duration_s=185.5, subtitles=None,
                                     town_names=None, source_url=None))
    manifest = load_manifest(path)
    (film,) = manifest.films
    assert isinstance(manifest, Manifest) and isinstance(film, Film)
    assert film.size == 1234 and film.sha256 == sha and film.duration_s == 185.5
    assert film.subtitles == {} and film.source_url == ""


# --- malformed manifests: the message names the file and what is wrong ------------


BROKEN = {
    "missing title": (film_toml(title=None), ["title", "germany-jena", "missing"]),
    "empty town": (film_toml(town="  "), ["town", "germany-jena"]),
    "lower-case country": (film_toml(country="de"), ["country", "germany-jena"]),
    "three-letter country": (film_toml(country="DEU"), ["country"]),
    "bad id": (film_toml(id="Germany_Jena", file="Germany_Jena.mp4"), ["id", "Germany_Jena"]),
    "id not text": (film_toml(id=7), ["id"]),
    "file named after another film": (film_toml(file="germany-erfurt.mp4"), ["file", "germany-jena"]),
    "file not a video": (film_toml(file="germany-jena.txt"), ["file"]),
    "subtitle misnamed": (film_toml(subtitles={"ar": "jena-arabic.srt"}), ["subtitles", "germany-jena", "ar"]),
    "subtitle language mismatch": (film_toml(subtitles={"ar": "germany-jena.fr.srt"}), ["subtitles", "ar"]),
    "subtitle wrong format": (film_toml(subtitles={"ar": "germany-jena.ar.ass"}), ["subtitles"]),
    "bad language code": (film_toml(subtitles={"Arabic": "germany-jena.Arabic.srt"}), ["subtitles", "Arabic"]),
    "bad sha256": (film_toml(sha256="ABC123"), ["sha256", "germany-jena"]),
    "upper-case sha256": (film_toml(sha256="A" * 64), ["sha256"]),
    "negative size": (film_toml(size=-1), ["size", "germany-jena"]),
    "size as text": (film_toml(size="big"), ["size"]),
    "partner_confirmed not a boolean": (film_toml(partner_confirmed="yes"), ["partner_confirmed"]),
}


@pytest.mark.parametrize("film,expected", BROKEN.values(), ids=BROKEN.keys())
def test_malformed_film_names_file_film_and_field(tmp_path: Path, film: str, expected: list[str]) -> None:
    path = write(tmp_path, film)
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    message = str(info.value)
    assert str(path) in message
    for part in expected:
        assert part in message, (part, message)
    assert "\n" not in message


def test_error_names_the_position_of_the_film(tmp_path: Path) -> None:
    path = write(tmp_path, film_toml(), film_toml(id="italy-biella", file="italy-biella.mp4",
                                                   subtitles=None, town=None))
    with pytest.raises(ManifestError, match=r"film #2 \(italy-biella\): field 'town' is missing"):
        load_manifest(path)


def test_duplicate_id(tmp_path: Path) -> None:
    path = write(tmp_path, film_toml(), film_toml())
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    assert str(path) in str(info.value)
    assert "germany-jena" in str(info.value)
    assert "twice" in str(info.value)


def test_not_toml(tmp_path: Path) -> None:
    path = tmp_path / "films.toml"
    path.write_text("format = 1\n[[film]\nid = 'x'\n", encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    assert str(path) in str(info.value)
    assert "TOML" in str(info.value)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "films.toml"
    path.write_bytes(b"format = 1\n# \xff\xfe\n")
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("header", ["format = 2\n", "format = '1'\n", ""], ids=["newer", "text", "missing"])
def test_wrong_format_version(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, film_toml(), header=header)
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    assert str(path) in str(info.value)
    assert "format" in str(info.value)


def test_no_films(tmp_path: Path) -> None:
    path = write(tmp_path)
    with pytest.raises(ManifestError, match="no films") as info:
        load_manifest(path)
    assert str(path) in str(info.value)


def test_film_that_is_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "films.toml"
    path.write_text("format = 1\nfilm = [1, 2]\n", encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    assert str(path) in str(info.value)
    assert "film #1" in str(info.value)


def test_missing_manifest_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "films.toml"
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, CoError) and info.value.exit_code == 2


# --- the library: what a media folder holds for each film -------------------------


def test_empty_or_absent_media_folder_lists_every_film_missing(tmp_path: Path) -> None:
    manifest = load_manifest()
    for folder in (tmp_path / "absent", tmp_path):
        entries = scan_library(folder, manifest)
        assert [e.film.id for e in entries] == manifest.ids
        assert {e.status for e in entries} == {FilmStatus.MISSING}
        assert all(e.video is None and e.subtitles == {} and not e.is_demo for e in entries)


def test_scan_finds_videos_and_their_subtitles(tmp_path: Path) -> None:
    manifest = load_manifest()
    media = tmp_path / "media"
    media.mkdir()
    (media / "germany-jena.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"x" * 100)
    (media / "italy-biella.mkv").write_bytes(b"\x1aE\xdf\xa3" + b"x" * 100)  # any video extension
    (media / "germany-jena.ar.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nمرحبا\n", encoding="utf-8")
    (media / "germany-jena.fa_AF.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (media / "germany-jena.ti.srt").write_text("", encoding="utf-8")
    # Not subtitles of germany-jena by the media-pack naming rule:
    (media / "germany-jena.srt").write_text("no language", encoding="utf-8")
    (media / "germany-jena.ar.old.srt").write_text("two dots", encoding="utf-8")
    (media / "germany-jena.fr.txt").write_text("not a subtitle format", encoding="utf-8")
    (media / "germany-jenaX.ar.srt").write_text("another film", encoding="utf-8")
    (media / "europe.fr.srt").write_text("subtitles without their film", encoding="utf-8")
    # An empty file is a failed copy, not a film.
    (media / "belgium-merchtem.mp4").write_bytes(b"")

    entries = {e.film.id: e for e in scan_library(media, manifest)}
    assert list(entries) == manifest.ids

    jena = entries["germany-jena"]
    assert jena.status is FilmStatus.CORRUPT  # only a header: the container check sees it is cut short
    assert jena.video == media / "germany-jena.mp4"
    assert jena.subtitles == {
        "ar": media / "germany-jena.ar.srt",
        "fa_AF": media / "germany-jena.fa_AF.vtt",
        "ti": media / "germany-jena.ti.srt",
    }
    assert jena.is_demo is False

    assert entries["italy-biella"].status is FilmStatus.CORRUPT
    assert entries["italy-biella"].video == media / "italy-biella.mkv"
    assert entries["belgium-merchtem"].status is FilmStatus.MISSING
    assert entries["europe"].status is FilmStatus.MISSING
    assert entries["europe"].subtitles == {"fr": media / "europe.fr.srt"}
    found = sorted(i for i, e in entries.items() if e.video is not None)
    assert found == ["germany-jena", "italy-biella"]


def test_find_subtitles_ignores_folders_named_like_subtitles(tmp_path: Path) -> None:
    (tmp_path / "europe.ar.srt").mkdir()
    (tmp_path / "europe.so.SRT").write_text("upper-case extension", encoding="utf-8")
    assert find_subtitles(tmp_path, "europe") == {"so": tmp_path / "europe.so.SRT"}


def test_a_subtitle_s_language_part_is_a_language_code(tmp_path: Path) -> None:
    """'germany-jena.e<ESC>[2Jn.srt' in a pack was imported as the language 'e<ESC>[2Jn' and
    printed raw by media import (clearing the terminal): only a code is a language."""
    for name in ("europe.ar.srt", "europe.fa_AF.vtt", "europe.pt-BR.srt", "europe.e\x1b[2Jn.srt",
                 "europe.en\nforged.srt", "europe.en.forced.srt", "europe.\u0639\u0631.srt", "europe..srt"):
        (tmp_path / name).write_text("1\n00:00:01,000 --> 00:00:02,000\nhi\n", encoding="utf-8")
    assert find_subtitles(tmp_path, "europe") == {"ar": tmp_path / "europe.ar.srt",
                                                  "fa_AF": tmp_path / "europe.fa_AF.vtt",
                                                  "pt-BR": tmp_path / "europe.pt-BR.srt"}


def test_moments_are_read_with_their_times(tmp_path) -> None:
    from co_app.core.media.manifest import load_manifest, parse_clock

    jena = load_manifest().film("germany-jena")
    assert jena is not None and [m.id for m in jena.moments] == ["welcome", "daily-life"]
    assert all(m.end_ms > m.start_ms and not m.confirmed for m in jena.moments)
    assert jena.moments[0].title_in("ar") != jena.moments[0].title
    assert parse_clock("02:10") == 130_000 and parse_clock("1:02:10.5") == 3_730_500
    assert parse_clock("2 minutes") is None


def test_a_moment_ending_before_it_starts_names_the_film_and_field(tmp_path) -> None:
    import pytest

    from co_app.core.foundation.errors import ManifestError
    from co_app.core.media.manifest import DEFAULT_MANIFEST, load_manifest

    text = DEFAULT_MANIFEST.read_text(encoding="utf-8").replace('end = "00:05"', 'end = "00:00"', 1)
    broken = tmp_path / "films.toml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as err:
        load_manifest(broken)
    message = str(err.value)
    assert str(broken) in message and "austria-gaenserndorf" in message and "moment" in message
    assert "'end' must come after 'start'" in message


def test_a_manifest_nested_too_deep_or_not_a_file_is_one_sentence(tmp_path: Path) -> None:
    """Issue 19: deep nesting ended in RecursionError, a FIFO waited for a writer forever."""
    import os
    import subprocess
    import sys

    from co_app.core.foundation.errors import ManifestError
    from co_app.core.media.manifest import load_manifest

    deep = tmp_path / "films.toml"
    deep.write_text("format = 1\nx = " + "[" * 5_000 + "]" * 5_000 + "\n", encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        load_manifest(deep)
    assert str(caught.value) == (f"{deep}: its arrays or tables are nested hundreds of levels deep, which no media "
                                 "manifest is.")
    code = ("import sys; from co_app.core.foundation.errors import ManifestError\n"
            "from co_app.core.media.manifest import load_manifest\n"
            "try:\n    load_manifest(__import__('pathlib').Path(sys.argv[1]))\nexcept ManifestError as exc:\n"
            "    print(exc)\n")
    link, fifo = tmp_path / "zero.toml", tmp_path / "fifo.toml"
    link.symlink_to("/dev/zero")
    os.mkfifo(fifo)
    root = Path(__file__).resolve().parents[3]
    for path in (link, fifo):  # in a child process with a timeout: a regression fails, it does not hang
        done = subprocess.run([sys.executable, "-c", code, str(path)], cwd=root, capture_output=True, text=True,
                              timeout=60, env={**os.environ, "PYTHONPATH": str(root)})
        assert done.stdout.strip() == (f"The media manifest {path} is not a file of at most 4 MB, so it is not a "
                                       "media manifest."), done.stderr[-2000:]
