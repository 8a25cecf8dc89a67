"""Mutated media manifests: the loader returns a manifest or raises ManifestError with a
message — never anything else."""

from __future__ import annotations

import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from co_app.core.foundation.errors import CoError, ManifestError
from co_app.core.media.manifest import DEFAULT_MANIFEST, load_manifest
from tests.fuzz.mutations import dump_toml, mutated_bytes, mutated_document

RAW = DEFAULT_MANIFEST.read_bytes()
DOCUMENT = tomllib.loads(RAW.decode("utf-8"))


def load(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "films.toml"
        path.write_bytes(raw)
        try:
            manifest = load_manifest(path)
        except ManifestError as exc:
            assert str(exc).strip() and str(path) in str(exc)  # names the file
            return
        for film in manifest.films:  # what the rest of the application asks of a loaded manifest
            film.town_name("ar")
            for moment in film.moments:
                assert 0 <= moment.start_ms < moment.end_ms
                moment.title_in("fa_AF")
            assert manifest.film(film.id) is film


#: The manifest's optional fields, which the shipped file does not use everywhere.
FIELDS = ("size", "sha256", "duration_s", "source_url", "town_names", "subtitles", "moment", "titles", "confirmed",
          "start", "end", "partner_confirmed", "format", "film")


@given(mutated_document(DOCUMENT, names=FIELDS))
def test_a_manifest_with_damaged_fields(document: dict) -> None:
    load(dump_toml(document).encode("utf-8"))


@given(mutated_bytes(RAW))
def test_a_manifest_with_damaged_bytes(raw: bytes) -> None:
    load(raw)


@given(st.binary(max_size=2_000))
def test_anything_at_all_as_a_manifest(raw: bytes) -> None:
    load(raw)


def test_the_error_allowed_above_is_the_projects_own() -> None:
    assert issubclass(ManifestError, CoError)
    with pytest.raises(ManifestError, match="Cannot read the media manifest"):
        load_manifest(Path("/nonexistent/films.toml"))


@pytest.mark.parametrize("field,value", [("size", float("inf")), ("size", float("nan")), ("size", 1.5),
                                         ("duration_s", float("nan")), ("duration_s", float("-inf"))])
def test_numbers_that_are_not_finite_are_refused_with_the_field_named(field: str, value: float) -> None:
    """Found by the fuzzing above: ``size = inf`` escaped as OverflowError, ``nan`` as ValueError,
    and ``duration_s = nan`` was accepted."""
    document = tomllib.loads(RAW.decode("utf-8"))
    document["film"][0][field] = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "films.toml"
        path.write_text(dump_toml(document), encoding="utf-8")
        with pytest.raises(ManifestError, match=f"field '{field}' must be a"):
            load_manifest(path)
