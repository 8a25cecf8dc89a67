"""Where the data lives: --data-dir > CO_APP_HOME > portable bundle > the platform's user data folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs
import pytest

from co_app import APP_SLUG
from co_app.core.foundation.errors import CoError, DataDirError
from co_app.core.foundation.paths import DataPaths, default_data_dir, portable_data_dir, resolve_data_dir

EXPECTED_FOLDERS = ("media", "backups", "exports", "logs", "thumbnails")


# --- resolution order -------------------------------------------------------------


def test_command_line_wins_over_environment(tmp_path: Path) -> None:
    environ = {"CO_APP_HOME": str(tmp_path / "from-env")}
    assert resolve_data_dir(tmp_path / "from-cli", environ) == tmp_path / "from-cli"


def test_environment_used_when_no_command_line_value(tmp_path: Path) -> None:
    environ = {"CO_APP_HOME": str(tmp_path / "from-env")}
    assert resolve_data_dir(None, environ) == tmp_path / "from-env"


def test_platform_folder_when_neither_is_given() -> None:
    expected = platformdirs.user_data_path(APP_SLUG, appauthor=False)
    assert resolve_data_dir(None, {}) == expected
    assert default_data_dir() == expected
    # The application's own name, not something generic.
    assert APP_SLUG in expected.parts


def test_empty_values_do_not_count(tmp_path: Path) -> None:
    """An empty --data-dir or CO_APP_HOME= (easy to set by mistake) falls through."""
    expected = platformdirs.user_data_path(APP_SLUG, appauthor=False)
    assert resolve_data_dir("", {"CO_APP_HOME": ""}) == expected
    assert resolve_data_dir("", {"CO_APP_HOME": str(tmp_path)}) == tmp_path


def test_real_environment_is_read_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CO_APP_HOME", str(tmp_path / "env-home"))
    assert resolve_data_dir(None) == tmp_path / "env-home"
    monkeypatch.delenv("CO_APP_HOME")
    assert resolve_data_dir(None) == platformdirs.user_data_path(APP_SLUG, appauthor=False)


# --- portable mode (the bundle on a USB stick) ------------------------------------------


@pytest.fixture
def usb_bundle(tmp_path: Path) -> Path:
    """A fake bundle folder as dev.py dist lays it out: the executable, and the marker beside it."""
    bundle = tmp_path / "usb" / "welcoming-communities-co"
    bundle.mkdir(parents=True)
    (bundle / "co-app").write_bytes(b"")
    (bundle / "portable").write_text("")
    return bundle


def test_portable_bundle_keeps_its_data_beside_itself(usb_bundle: Path) -> None:
    executable = usb_bundle / "co-app"
    assert resolve_data_dir(None, {}, executable=executable, frozen=True) == usb_bundle / "data"
    assert portable_data_dir(executable, frozen=True) == usb_bundle / "data"


def test_portable_needs_the_marker_file(usb_bundle: Path) -> None:
    (usb_bundle / "portable").unlink()
    expected = platformdirs.user_data_path(APP_SLUG, appauthor=False)
    assert resolve_data_dir(None, {}, executable=usb_bundle / "co-app", frozen=True) == expected
    (usb_bundle / "portable").mkdir()  # a folder of that name is not the marker
    assert resolve_data_dir(None, {}, executable=usb_bundle / "co-app", frozen=True) == expected


def test_portable_only_in_the_bundle(usb_bundle: Path) -> None:
    """Python from a checkout or a wheel (not frozen) never looks beside its interpreter."""
    expected = platformdirs.user_data_path(APP_SLUG, appauthor=False)
    assert resolve_data_dir(None, {}, executable=usb_bundle / "co-app", frozen=False) == expected
    assert portable_data_dir(usb_bundle / "co-app", frozen=False) is None
    assert resolve_data_dir(None, {}) == expected  # this test process is not frozen


def test_command_line_and_environment_win_over_portable(usb_bundle: Path, tmp_path: Path) -> None:
    executable = usb_bundle / "co-app"
    environ = {"CO_APP_HOME": str(tmp_path / "from-env")}
    assert resolve_data_dir(None, environ, executable=executable, frozen=True) == tmp_path / "from-env"
    assert resolve_data_dir(tmp_path / "cli", environ, executable=executable, frozen=True) == tmp_path / "cli"


def test_relative_and_home_paths_become_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_data_dir("usb/data", {}) == tmp_path / "usb" / "data"
    assert resolve_data_dir(None, {"CO_APP_HOME": "rel"}) == tmp_path / "rel"
    home_based = resolve_data_dir("~/co-data", {})
    assert home_based == Path.home() / "co-data"
    assert home_based.is_absolute()


# --- layout and creation ----------------------------------------------------------


def test_layout_keeps_everything_in_one_folder(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    assert paths.database.parent == tmp_path
    assert paths.settings == tmp_path / "settings.json"
    for name in EXPECTED_FOLDERS:
        assert getattr(paths, name) == tmp_path / name
    assert set(paths.folders()) == {tmp_path, *(tmp_path / n for n in EXPECTED_FOLDERS)}


def test_ensure_creates_every_folder(tmp_path: Path) -> None:
    root = tmp_path / "deep" / "er" / "data"
    paths = DataPaths(root)
    assert paths.ensure() is paths
    assert root.is_dir()
    for name in EXPECTED_FOLDERS:
        assert (root / name).is_dir(), name
    # Personal data: the folder is the owner's alone.
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    # The write probe leaves nothing behind.
    assert sorted(p.name for p in root.iterdir()) == sorted(EXPECTED_FOLDERS)


def test_ensure_twice_keeps_what_is_there(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data").ensure()
    keep = paths.media / "film.mp4"
    keep.write_bytes(b"precious")
    paths.settings.write_text("{}", encoding="utf-8")
    DataPaths(tmp_path / "data").ensure()
    assert keep.read_bytes() == b"precious"
    assert paths.settings.read_text(encoding="utf-8") == "{}"


# --- a data folder that cannot be used --------------------------------------------
# Tests may run as root, where permission bits do not stop writes; a path below a
# regular file fails for every user.


def test_folder_below_a_file_is_refused_with_its_name(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("not a folder", encoding="utf-8")
    root = afile / "data"
    with pytest.raises(DataDirError) as info:
        DataPaths(root).ensure()
    message = str(info.value)
    assert str(root) in message
    assert "--data-dir" in message  # tells the user what to do
    assert "\n" not in message
    assert afile.read_text(encoding="utf-8") == "not a folder"


def test_data_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    afile = tmp_path / "data"
    afile.write_bytes(b"x")
    with pytest.raises(DataDirError) as info:
        DataPaths(afile).ensure()
    assert str(afile) in str(info.value)
    assert afile.read_bytes() == b"x"


def test_subfolder_that_is_a_file_is_named(tmp_path: Path) -> None:
    root = tmp_path / "data"
    root.mkdir()
    (root / "backups").write_bytes(b"oops")
    with pytest.raises(DataDirError) as info:
        DataPaths(root).ensure()
    assert str(root / "backups") in str(info.value)


def test_data_dir_error_is_a_usage_error() -> None:
    """The command line turns it into exit status 2 (bad usage or unreadable input)."""
    err = DataDirError("x")
    assert isinstance(err, CoError)
    assert err.exit_code == 2


def test_ensure_does_not_follow_into_unrelated_places(tmp_path: Path) -> None:
    """Creating the folders never touches the parent's other content."""
    (tmp_path / "other.txt").write_text("mine", encoding="utf-8")
    DataPaths(tmp_path / "data").ensure()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "other.txt"]
    assert os.access(tmp_path / "data", os.W_OK)
