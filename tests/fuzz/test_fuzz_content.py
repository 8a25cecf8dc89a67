"""Mutated town and module files: ``load_content`` collects problems and never raises
anything but ContentError (for a missing folder); what it returns can be used."""

from __future__ import annotations

import shutil
import tempfile
import tomllib
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from co_app.core.content.library import DEFAULT_CONTENT_DIR, ContentLibrary, load_content
from co_app.core.media.manifest import load_manifest
from tests.fuzz.mutations import dump_toml, mutated_bytes, mutated_document

MANIFEST = load_manifest()
#: (kind folder, item, language files) copied into a scratch content folder per example.
ITEMS = (("towns", "jena", ("en", "ar")), ("modules", "housing", ("en", "fr")))
FILES = [DEFAULT_CONTENT_DIR / kind / item / f"{lang}.toml" for kind, item, langs in ITEMS for lang in langs]
RAW = {path: path.read_bytes() for path in FILES}
DOCS = {path: tomllib.loads(raw.decode("utf-8")) for path, raw in RAW.items()}


def _all_keys(node) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for v in node.values() for k in _all_keys(v)}
    if isinstance(node, list):
        return {k for v in node for k in _all_keys(v)}
    return set()


#: Every field name used anywhere in the shipped content, so mutations add real fields too.
NAMES = tuple(sorted({k for p in DEFAULT_CONTENT_DIR.glob("*/*/*.toml")
                      for k in _all_keys(tomllib.loads(p.read_text("utf-8")))}))


def use(library: ContentLibrary) -> None:
    """What the pages ask of the content, in English and in a translation."""
    for language in ("en", "ar", "fr", "fa_AF"):
        for town in library.towns(language):
            assert town.id
        for module in library.modules(language):
            assert module.id
        library.coverage(language)
    library.town_status("jena")
    library.module_status("housing")
    for problem in library.problems:
        assert problem.message.strip()


def load_with(path: Path, raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        for kind, item, langs in ITEMS:
            (root / kind / item).mkdir(parents=True)
            for lang in langs:
                shutil.copyfile(DEFAULT_CONTENT_DIR / kind / item / f"{lang}.toml", root / kind / item / f"{lang}.toml")
        (root / path.parent.parent.name / path.parent.name / path.name).write_bytes(raw)
        use(load_content(root, manifest=MANIFEST))


@st.composite
def damaged_field(draw: st.DrawFn) -> tuple[Path, bytes]:
    path = draw(st.sampled_from(FILES))
    return path, dump_toml(draw(mutated_document(DOCS[path], names=NAMES))).encode("utf-8")


@st.composite
def damaged_bytes(draw: st.DrawFn) -> tuple[Path, bytes]:
    path = draw(st.sampled_from(FILES))
    return path, draw(mutated_bytes(RAW[path]))


@given(damaged_field())
def test_content_with_damaged_fields(case: tuple[Path, bytes]) -> None:
    load_with(*case)


@given(damaged_bytes())
def test_content_with_damaged_bytes(case: tuple[Path, bytes]) -> None:
    load_with(*case)
