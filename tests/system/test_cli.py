"""The command line as a user runs it: real `python main.py` processes, a fresh data
folder each time; and the start-up sequence (bootstrap) the window relies on."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from co_app.core.foundation import i18n
from co_app.core.bootstrap import Services, bootstrap
from co_app.core.db.engine import open_database
from co_app.core.foundation.errors import DatabaseTooNewError, DataDirError
from co_app.core.media.manifest import load_manifest
from co_app.core.foundation.paths import DataPaths

REPO = Path(__file__).resolve().parents[2]
FILM_IDS = load_manifest().ids
TIMEOUT = 120


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("CO_APP_HOME", "CO_APP_LANG")}
    environ["QT_QPA_PLATFORM"] = "offscreen"  # the GUI path must never need a screen here
    environ["CO_APP_PLAYER"] = "fake"
    environ.update(env or {})
    return subprocess.run([sys.executable, "main.py", *args], cwd=REPO, env=environ,
                          capture_output=True, text=True, timeout=TIMEOUT)


def assert_one_line_error(result: subprocess.CompletedProcess[str], *, naming: str | None = None) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    if naming is not None:
        assert naming in lines[0]
    return lines[0]


def make_too_new(data_dir: Path) -> Path:
    paths = DataPaths(data_dir).ensure()
    db = open_database(paths.database)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    db.dispose()
    return paths.database


# --- help and usage ---------------------------------------------------------------


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0, result.stderr
    assert "media" in result.stdout
    assert "demo" in result.stdout
    assert "--data-dir" in result.stdout
    assert "CO_APP_HOME" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("args", [("media", "--help"), ("media", "list", "--help"), ("demo", "--help")])
def test_sub_help_offers_data_dir(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 0, result.stderr
    assert "--data-dir" in result.stdout


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert "Welcoming Communities CO" in result.stdout


@pytest.mark.parametrize("args", [
    ("bogus",),
    ("media",),
    ("media", "play"),
    ("media", "list", "--no-such-option"),
    ("--no-such-option",),
], ids=["unknown command", "missing action", "unknown action", "unknown option", "unknown top option"])
def test_bad_usage_exits_2_with_one_line(args: tuple[str, ...], tmp_path: Path) -> None:
    result = run("--data-dir", str(tmp_path / "d"), *args)
    line = assert_one_line_error(result)
    assert "--help" in line
    assert result.stdout == ""


# --- media list -------------------------------------------------------------------


def test_with_json_an_error_is_a_json_document_on_stdout_too(tmp_path: Path) -> None:
    """A script that reads stdout gets one document when the command fails as well; the
    sentence stays on stderr for a person."""
    missing = tmp_path / "nowhere.cosync"
    for args in (("sync", "import", str(missing)),
                 ("attendance", "export", "--format", "csv", "--out", str(tmp_path / "no" / "such" / "x.csv"))):
        result = run(*args, "--json", "--data-dir", str(tmp_path / "data"))
        message = assert_one_line_error(result)
        doc = json.loads(result.stdout)
        assert doc == {"ok": False, "error": message.removeprefix("error: "), "exit_status": 2}


def test_media_list_json_on_an_empty_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run("media", "list", "--json", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)  # one JSON document, nothing else on stdout
    assert [f["id"] for f in doc["films"]] == FILM_IDS
    assert len(doc["films"]) == 8
    assert {f["status"] for f in doc["films"]} == {"missing"}
    assert all(f["file"] is None and f["subtitles"] == [] and f["demo"] is False for f in doc["films"])
    assert Path(doc["media_dir"]) == data / "media"
    for folder in ("media", "backups", "exports", "logs"):
        assert (data / folder).is_dir()


def test_media_list_reports_what_is_there(tmp_path: Path) -> None:
    data = tmp_path / "data"
    media = data / "media"
    media.mkdir(parents=True)
    (media / "germany-jena.mp4").write_bytes(b"not really a film but not empty")
    (media / "germany-jena.ar.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nمرحبا\n", encoding="utf-8")
    (media / "germany-jena.ti.vtt").write_text("WEBVTT\n", encoding="utf-8")

    doc = json.loads(run("--data-dir", str(data), "media", "list", "--json").stdout)
    jena = next(f for f in doc["films"] if f["id"] == "germany-jena")
    assert jena["status"] == "corrupt" and "not a video" in jena["problem"]  # its header shows it
    assert jena["file"] == str(media / "germany-jena.mp4")
    assert jena["subtitles"] == ["ar", "ti"]
    assert jena["town"] == "Jena" and jena["country"] == "DE"
    assert [f["id"] for f in doc["films"] if f["status"] != "missing"] == ["germany-jena"]

    plain = run("--data-dir", str(data), "media", "list")
    assert plain.returncode == 0
    lines = plain.stdout.splitlines()
    assert len(lines) == 8
    jena_line = next(line for line in lines if line.startswith("germany-jena"))
    assert "corrupt" in jena_line and "ar,ti" in jena_line


@pytest.mark.parametrize("where", ["before", "after", "between"])
def test_data_dir_before_or_after_the_command(tmp_path: Path, where: str) -> None:
    data = tmp_path / f"data-{where}"
    option = ["--data-dir", str(data)]
    args = {
        "before": [*option, "media", "list", "--json"],
        "after": ["media", "list", "--json", *option],
        "between": ["media", *option, "list", "--json"],
    }[where]
    result = run(*args)
    assert result.returncode == 0, result.stderr
    assert Path(json.loads(result.stdout)["media_dir"]) == data / "media"
    assert (data / "logs").is_dir()


def test_environment_variable_and_data_dir_precedence(tmp_path: Path) -> None:
    env_dir, cli_dir = tmp_path / "env", tmp_path / "cli"
    from_env = run("media", "list", "--json", env={"CO_APP_HOME": str(env_dir)})
    assert from_env.returncode == 0, from_env.stderr
    assert Path(json.loads(from_env.stdout)["media_dir"]) == env_dir / "media"

    both = run("media", "list", "--json", "--data-dir", str(cli_dir), env={"CO_APP_HOME": str(env_dir)})
    assert both.returncode == 0, both.stderr
    assert Path(json.loads(both.stdout)["media_dir"]) == cli_dir / "media"


def test_data_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    data = blocker / "data"
    result = run("media", "list", "--json", "--data-dir", str(data))
    assert_one_line_error(result, naming=str(data))
    assert json.loads(result.stdout)["ok"] is False  # --json: the error as a document too
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"


# --- the application (no command): start-up failures ------------------------------


def test_gui_refuses_a_database_from_a_newer_version(tmp_path: Path) -> None:
    data = tmp_path / "data"
    database = make_too_new(data)
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    result = run("--data-dir", str(data))
    line = assert_one_line_error(result, naming=str(database))
    assert "newer version" in line
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before


def test_gui_with_a_data_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_bytes(b"x")
    result = run("--data-dir", str(blocker / "data"))
    assert_one_line_error(result, naming=str(blocker / "data"))


def test_gui_with_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    data = tmp_path / "data"
    paths = DataPaths(data).ensure()
    junk = b"JUNK" * 1024
    paths.database.write_bytes(junk)
    result = run("--data-dir", str(data))
    assert_one_line_error(result, naming=str(paths.database))
    assert paths.database.read_bytes() == junk


# --- bootstrap: what the window is built on (in-process, no Qt) -------------------


@pytest.fixture
def services_cleanup():
    started: list[Services] = []
    yield started
    for services in started:
        services.close()
    i18n.set_language("en")
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_co_app", False):
            root.removeHandler(handler)
            handler.close()


def test_first_run_creates_the_data_folder(tmp_path: Path, services_cleanup: list[Services]) -> None:
    data = tmp_path / "fresh"
    services = bootstrap(data, language="en")
    services_cleanup.append(services)
    assert services.paths.root == data
    for name in ("media", "backups", "exports", "logs"):
        assert (data / name).is_dir()
    assert services.paths.database.is_file()
    assert (data / "logs" / "co_app.log").is_file()
    assert services.warnings == []
    assert services.manifest is not None and services.manifest.ids == FILM_IDS
    assert services.manifest_error is None
    assert len(services.db.device_id) == 36
    # The settings are in use; saving them puts them in the data folder.
    services.settings.larger_text = True
    services.save_settings()
    assert json.loads(services.paths.settings.read_text(encoding="utf-8"))["larger_text"] is True


def test_second_run_keeps_the_device(tmp_path: Path, services_cleanup: list[Services]) -> None:
    first = bootstrap(tmp_path / "d", language="en")
    device = first.db.device_id
    first.close()
    second = bootstrap(tmp_path / "d", language="en")
    services_cleanup.append(second)
    assert second.db.device_id == device


def test_language_comes_from_argument_then_settings(tmp_path: Path, services_cleanup: list[Services]) -> None:
    data = tmp_path / "d"
    paths = DataPaths(data).ensure()
    paths.settings.write_text(json.dumps({"language": "fr"}), encoding="utf-8")
    services = bootstrap(data)
    services_cleanup.append(services)
    assert i18n.current_language() == "fr"
    services.close()
    services.close()
    services_cleanup.append(bootstrap(data, language="ar"))
    assert i18n.current_language() == "ar"
    services_cleanup[-1].close()
    # A language without a catalog yet (Pashto, right to left) falls back to English, left to right.
    services_cleanup.append(bootstrap(data, language="ps"))
    assert i18n.current_language() == "en" and not i18n.layout_is_rtl()


def test_corrupt_settings_do_not_stop_the_start(tmp_path: Path, services_cleanup: list[Services]) -> None:
    data = tmp_path / "d"
    paths = DataPaths(data).ensure()
    damaged = b'{"language": "ar", "larger_text": tru'
    paths.settings.write_bytes(damaged)

    services = bootstrap(data, language="en")
    services_cleanup.append(services)
    assert len(services.warnings) == 1
    warning = str(services.warnings[0])
    assert str(paths.settings) in warning
    kept = sorted(data.glob("settings.json.corrupt-*"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == damaged
    assert kept[0].name in warning
    assert services.settings.language is None and services.settings.larger_text is False
    assert services.db.device_id  # the rest started normally


def test_bootstrap_refuses_a_newer_database(tmp_path: Path, services_cleanup: list[Services]) -> None:
    database = make_too_new(tmp_path / "d")
    with pytest.raises(DatabaseTooNewError) as info:
        bootstrap(tmp_path / "d", language="en")
    assert str(database) in str(info.value)


def test_bootstrap_refuses_an_unusable_data_folder(tmp_path: Path, services_cleanup: list[Services]) -> None:
    (tmp_path / "afile").write_bytes(b"")
    with pytest.raises(DataDirError) as info:
        bootstrap(tmp_path / "afile" / "d", language="en")
    assert str(tmp_path / "afile" / "d") in str(info.value)


def test_broken_manifest_is_reported_not_fatal(tmp_path: Path, services_cleanup: list[Services]) -> None:
    manifest = tmp_path / "films.toml"
    manifest.write_text("format = 99\n", encoding="utf-8")
    services = bootstrap(tmp_path / "d", language="en", manifest_path=manifest)
    services_cleanup.append(services)
    assert services.manifest is None
    assert services.manifest_error is not None and str(manifest) in services.manifest_error
