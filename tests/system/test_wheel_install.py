"""The application as a wheel, installed outside the checkout.

Builds a wheel from a copy of the sources, installs it into a new virtual environment in a
temporary folder and runs it from another folder, with nothing of the checkout on
``sys.path``: content, catalogs and the film manifest must come from the installed package
(``co_app/data``, read through importlib.resources), not from the source tree.

The new environment gets the installed wheel and nothing else; its third-party packages
(PySide6, SQLAlchemy, …) come from the test's own environment through a ``.pth`` line, so
the test needs no network.  A plain path line in a ``.pth`` file does not process the
``.pth`` files of that folder, so the editable install of the checkout stays out.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLEAN_ENV_DROP = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CO_APP_HOME", "CO_APP_LANG")


def _run(cmd: list, cwd: Path, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    result = subprocess.run([str(part) for part in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{cmd} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("wheel")
    mo_files = list((ROOT / "co_app" / "data" / "locales").glob("*/LC_MESSAGES/co_app.mo"))
    assert mo_files, "the catalogs are not compiled; run `python3 dev.py setup` first"
    source = base / "source"  # a copy: building writes build/ and *.egg-info beside the sources
    shutil.copytree(ROOT / "co_app", source / "co_app", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", base / "dist",
          source], cwd=base)
    [wheel] = (base / "dist").glob("co_app-*.whl")

    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=base)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel],
         cwd=base)
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=base).stdout.strip())
    (site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = base / "elsewhere"  # the working folder: not the checkout
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in CLEAN_ENV_DROP}
    return {"wheel": wheel, "venv": venv, "python": python, "cwd": elsewhere, "env": env,
            "data": base / "data"}


def test_the_wheel_carries_the_data(installed: dict) -> None:
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for expected in ("co_app/data/media_manifest/films.toml", "co_app/data/content/towns/jena/en.toml",
                     "co_app/data/content/modules/housing/ar.toml", "co_app/data/content/map/europe.json",
                     "co_app/data/locales/ar/LC_MESSAGES/co_app.mo", "co_app/data/locales/ti/LC_MESSAGES/co_app.mo",
                     "co_app/fonts/NotoSansEthiopic-Regular.ttf",
                     "co_app/core/db/migrations/env.py"):
        assert expected in names


def test_the_package_is_imported_from_the_new_environment(installed: dict) -> None:
    code = "import co_app, co_app.core.foundation.resources as r; print(co_app.__file__); print(r.data_dir())"
    out = _run([installed["python"], "-c", code], installed["cwd"], installed["env"]).stdout.split("\n")
    venv = str(installed["venv"])
    assert out[0].startswith(venv) and out[1].startswith(venv)
    assert str(ROOT) not in out[0] + out[1]


def test_version_and_commands_run_from_the_installed_wheel(installed: dict) -> None:
    co_app = installed["venv"] / "bin" / "co-app"
    data = ["--data-dir", installed["data"]]
    version = _run([co_app, "--version"], installed["cwd"], installed["env"]).stdout
    assert "0.1.0" in version
    check = json.loads(_run([co_app, *data, "content", "check", "--json"], installed["cwd"], installed["env"]).stdout)
    assert check["ok"] is True and check["problems"] == []
    assert check["coverage"]["ar"] == 100.0 and check["coverage"]["ti"] == 100.0
    assert check["content_dir"].startswith(str(installed["venv"]))
    assert {town["id"] for town in check["towns"]} >= {"jena", "biella"}
    films = json.loads(_run([co_app, *data, "media", "list", "--json"], installed["cwd"], installed["env"]).stdout)
    assert {film["id"] for film in films["films"]} >= {"germany-jena", "europe"}


def test_the_main_window_opens_from_the_installed_wheel(installed: dict) -> None:
    if not os.environ.get("DISPLAY"):
        pytest.fail("no DISPLAY: the suite runs under Xvfb (python3 dev.py test)")
    env = dict(installed["env"], CO_APP_STARTUP_PROBE="ready")
    result = _run([installed["venv"] / "bin" / "co-app", "--data-dir", installed["data"], "--lang", "ti"],
                  installed["cwd"], env, timeout=120)
    assert "co-app: ready" in result.stdout.splitlines()
