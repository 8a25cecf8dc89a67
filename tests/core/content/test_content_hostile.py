"""Content files that try to stall or crash the loader (issue 19): TOML and JSON nested a
thousand deep (an "unexpected RecursionError" hid every other problem), a FIFO named
``en.toml`` (the loader waited for a writer forever), a link to ``/dev/zero`` (it ate the
memory), a file far larger than any content file.  Each is one problem of that file and
the rest of the content loads; the loads that could hang run in a child process with a
timeout, so a regression fails instead of hanging the suite."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from co_app.core.content.library import load_content
from co_app.core.content.map_data import MapDataError, load_map
from co_app.core.content.reading import MAX_DEPTH, MAX_TOML_BYTES, ContentFileError, depth, load_json, load_toml
from tests.core.content.test_content import MANIFEST, content, errors_of, module_en, write

ROOT = Path(__file__).resolve().parents[3]

__all__ = ["content"]  # the fixture of a valid town and module, used by name


@pytest.mark.parametrize("nested", [
    "deep = " + "[" * 5_000 + "]" * 5_000,  # tomllib recurses per array: RecursionError
    "deep = " + "{ a = " * 3_000 + "1" + " }" * 3_000,  # and per inline table
    "deep = " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),  # parses, but deeper than the walkers allow
    ".".join(["[a"] + ["b"] * 200) + "]\nx = 1",  # a table header of 200 dotted keys
])
def test_deep_nesting_is_one_problem_and_hides_no_other(content: Path, nested: str) -> None:
    write(content, "towns/jena/ar.toml", nested)
    write(content, "modules/housing/en.toml", module_en().replace('title = "Housing"', ""))  # another problem
    errors = errors_of(content)
    assert errors[0] == (f"content/towns/jena/ar.toml: town jena: is nested more than {MAX_DEPTH} levels deep "
                         "(arrays or tables inside each other); content files never are")
    assert any("modules/housing/en.toml" in error and "'title'" in error for error in errors[1:]), errors
    assert load_content(content, MANIFEST).town("jena", "ar").name == "Jena"  # English stands in


def test_a_content_file_far_larger_than_any_is_not_read(content: Path) -> None:
    big = content / "towns/jena/ar.toml"
    with big.open("wb") as f:
        f.truncate(MAX_TOML_BYTES + 1)
    assert errors_of(content) == ["content/towns/jena/ar.toml: town jena: is larger than 1024 KB, far more than "
                                  "any content file; it is not read"]


def load_in_child(root: Path) -> subprocess.CompletedProcess:
    """load_content in a child process, killed after a minute: a FIFO opened for reading
    waits for a writer forever, and /dev/zero never ends."""
    code = ("import sys; from pathlib import Path; from co_app.core.content.library import load_content\n"
            "from co_app.core.media.manifest import load_manifest\n"
            "for problem in load_content(Path(sys.argv[1]), load_manifest()).errors:\n    print(problem)\n")
    return subprocess.run([sys.executable, "-c", code, str(root)], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_fifo_and_a_link_to_dev_zero_are_refused_at_once(content: Path) -> None:
    (content / "towns/jena/ar.toml").unlink()
    os.mkfifo(content / "towns/jena/ar.toml")
    (content / "modules/housing/ar.toml").unlink()
    (content / "modules/housing/ar.toml").symlink_to("/dev/zero")
    (content / "modules/housing/fr.toml").mkdir()  # a folder with a content file's name
    done = load_in_child(content)
    assert done.returncode == 0, done.stderr[-2000:]
    not_a_file = "is not a regular file (a device, a pipe or a folder); a content file must be a file of text"
    assert done.stdout.splitlines() == [f"content/towns/jena/ar.toml: town jena: {not_a_file}",
                                        f"content/modules/housing/ar.toml: module housing: {not_a_file}",
                                        f"content/modules/housing/fr.toml: module housing: {not_a_file}"]


def test_json_nested_too_deep_is_a_damaged_map(tmp_path: Path) -> None:
    shallow_enough_for_json = '{"countries": ' + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "}"
    for text in ("[" * 100_000 + "]" * 100_000, shallow_enough_for_json):
        path = tmp_path / "europe.json"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ContentFileError, match=r"^is nested more than \d+ levels deep"):
            load_json(path)
        with pytest.raises(MapDataError) as caught:
            load_map(path)
        assert str(caught.value).startswith(f"The map file {path} is nested more than {MAX_DEPTH} levels deep")


def test_the_shipped_content_is_shallow_and_small() -> None:
    """The limits leave the real content far inside them."""
    from co_app.core.content.library import DEFAULT_CONTENT_DIR

    files = sorted(DEFAULT_CONTENT_DIR.glob("*/*/*.toml"))
    assert files
    for path in files:
        assert depth(load_toml(path)) <= 4, path
        assert path.stat().st_size * 20 < MAX_TOML_BYTES
    assert depth(load_json(DEFAULT_CONTENT_DIR / "map" / "europe.json")) <= 6


def test_a_pack_manifest_nested_too_deep_or_too_large_is_a_damaged_pack(tmp_path: Path) -> None:
    from co_app.core.content.pack import MANIFEST as PACK_MANIFEST, SIGNATURE, PackError, read_manifest

    for manifest in ("[" * 100_000 + "]" * 100_000, " " * (16 * 1024 * 1024 + 1)):
        path = tmp_path / "bad.copack"
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(PACK_MANIFEST, manifest)
            zf.writestr(SIGNATURE, "AAAA")
        with zipfile.ZipFile(path) as zf, pytest.raises(PackError) as caught:
            read_manifest(path, zf, b"\x00" * 32, "Office")
        assert str(caught.value) == f"{path} is cut short or damaged: copy the content pack from the office again."
