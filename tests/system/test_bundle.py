"""The facilitator's bundle (``python3 dev.py dist``), run as on a laptop with nothing installed.

Built once for this module into a temporary folder, unpacked from its ``.tar.gz`` into
another, and run from a third folder with an environment reduced to PATH=/usr/bin:/bin,
the display, HOME and XDG_RUNTIME_DIR: no virtual environment, no PYTHONPATH, nothing of
the checkout.  Every check goes through the bundle's own executable: the version, the
commands, the window (and the viewer), a demo film playing with Arabic subtitles through
the bundle's own libVLC (the process's mapped files say which), and portable mode.

Never skipped: without PyInstaller (it is in the test extra) the build fails, and so does
the test.  About a minute and a half, most of it PyInstaller.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

import co_app

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = "welcoming-communities-co"
PASSPHRASE = "a long enough passphrase for the test"


def _run(cmd: list, cwd: Path, env: dict, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(part) for part in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    if check:
        tail = "\n".join(line for line in result.stderr.splitlines() if not line.startswith("ALSA lib"))[-3000:]
        assert result.returncode == 0, f"{cmd} exited {result.returncode}:\n{result.stdout[-3000:]}\n{tail}"
    return result


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not os.environ.get("DISPLAY"):
        pytest.fail("no DISPLAY: the suite runs under Xvfb (python3 dev.py test)")
    base = tmp_path_factory.mktemp("bundle")
    built = _run([sys.executable, ROOT / "dev.py", "dist", "--out", base / "dist"], ROOT, dict(os.environ),
                 timeout=900)
    [archive] = (base / "dist").glob(f"{BUNDLE}-*.tar.gz")
    usb = base / "usb"  # where a facilitator unpacks it: nothing of the build beside it
    with tarfile.open(archive) as tar:
        tar.extractall(usb, filter="tar")
    home, runtime, elsewhere = base / "home", base / "runtime", base / "elsewhere"
    for folder in (home, runtime, elsewhere):
        folder.mkdir(mode=0o700)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime),
           "DISPLAY": os.environ["DISPLAY"]}
    if os.environ.get("XAUTHORITY"):
        env["XAUTHORITY"] = os.environ["XAUTHORITY"]
    folder = usb / BUNDLE
    return {"archive": archive, "folder": folder, "exe": folder / "co-app", "env": env, "cwd": elsewhere,
            "data": base / "data", "base": base, "build_output": built.stdout}


def _co_app(bundle: dict, *args, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return _run([bundle["exe"], *args], bundle["cwd"], {**bundle["env"], **(env or {})}, **kwargs)


@pytest.fixture(scope="module")
def with_films(bundle: dict) -> dict:
    """The data folder, with the bundle's demo films imported by the bundle itself."""
    result = _co_app(bundle, "--data-dir", bundle["data"], "media", "import", bundle["folder"] / "demo-media",
                     "--json")
    assert json.loads(result.stdout)["ok"] is True
    return bundle


def test_the_archive_holds_the_bundle_and_its_desktop_entry(bundle: dict) -> None:
    assert bundle["archive"].name == f"{BUNDLE}-{co_app.__version__}-linux-x86_64.tar.gz"
    with tarfile.open(bundle["archive"]) as tar:
        names = set(tar.getnames())
        assert tar.getmember(f"{BUNDLE}/co-app").mode & 0o111  # executable
    internal = f"{BUNDLE}/_internal"
    for expected in (f"{BUNDLE}/co-app.desktop", f"{BUNDLE}/{BUNDLE}.png", f"{BUNDLE}/install-desktop-entry.sh",
                     f"{BUNDLE}/README.txt", f"{BUNDLE}/demo-media/germany-jena.mp4",
                     f"{BUNDLE}/demo-media/germany-jena.ar.srt",
                     f"{internal}/libvlc.so.5", f"{internal}/libvlccore.so.9",
                     f"{internal}/vlc/plugins/plugins.dat", f"{internal}/vlc/plugins/codec/libavcodec_plugin.so",
                     f"{internal}/vlc/plugins/video_output/libxcb_x11_plugin.so",
                     f"{internal}/co_app/data/media_manifest/films.toml",
                     f"{internal}/co_app/data/locales/ar/LC_MESSAGES/co_app.mo",
                     f"{internal}/co_app/data/content/towns/jena/ar.toml",
                     f"{internal}/co_app/fonts/NotoSansEthiopic-Regular.ttf",
                     f"{internal}/co_app/core/db/migrations/env.py"):
        assert expected in names, expected
    assert any(name.startswith(f"{internal}/libpython3") for name in names)
    assert any(name.startswith(f"{internal}/PySide6/Qt/plugins/platforms/libqxcb") for name in names)
    desktop = (bundle["folder"] / "co-app.desktop").read_text()
    assert "Exec=co-app" in desktop and f"Icon={BUNDLE}" in desktop and "Type=Application" in desktop
    assert (bundle["folder"] / f"{BUNDLE}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_version_comes_from_the_one_place(bundle: dict) -> None:
    assert _co_app(bundle, "--version").stdout.strip() == f"{co_app.APP_NAME} {co_app.__version__}"


def test_commands_run_from_the_bundle(with_films: dict) -> None:
    data = ["--data-dir", with_films["data"]]
    films = json.loads(_co_app(with_films, *data, "media", "list", "--json").stdout)
    assert {film["id"]: film["status"] for film in films["films"]}["germany-jena"] == "present"
    assert "ar" in {film["id"]: film for film in films["films"]}["germany-jena"]["subtitles"]
    check = json.loads(_co_app(with_films, *data, "content", "check", "--json").stdout)
    assert check["ok"] is True and check["content_dir"].startswith(str(with_films["folder"]))
    passphrase = with_films["base"] / "passphrase.txt"
    passphrase.write_text(PASSPHRASE + "\n")
    package = with_films["base"] / "exports" / "to-the-office.cosync"
    package.parent.mkdir()
    _co_app(with_films, *data, "sync", "export", "--out", package, "--passphrase-file", passphrase)
    assert package.is_file() and package.stat().st_size > 0


def test_the_window_opens(with_films: dict) -> None:
    result = _co_app(with_films, "--data-dir", with_films["data"], "--lang", "ar",
                     env={"CO_APP_STARTUP_PROBE": "ready"})
    assert "co-app: ready" in result.stdout.splitlines()


def test_the_viewer_opens(with_films: dict) -> None:
    result = _co_app(with_films, "--data-dir", with_films["data"], "--kiosk", env={"CO_APP_STARTUP_PROBE": "ready"})
    assert "co-app: ready" in result.stdout.splitlines()


def test_a_demo_film_plays_with_arabic_subtitles_through_the_bundled_libvlc(with_films: dict) -> None:
    result = _co_app(with_films, "--data-dir", with_films["data"],
                     env={"CO_APP_STARTUP_PROBE": "ready", "CO_APP_PLAY_PROBE": "germany-jena:ar"})
    lines = result.stdout.splitlines()
    playing = [line for line in lines if line.startswith("co-app: playing ")]
    assert playing and playing[0].startswith("co-app: playing germany-jena ar at "), lines
    assert int(playing[0].split(" at ")[1].split()[0]) > 0
    loaded = [line.removeprefix("co-app: libvlc file ") for line in lines if line.startswith("co-app: libvlc file ")]
    internal = str(with_films["folder"] / "_internal") + "/"
    assert any(Path(path).name.startswith("libvlc.so") for path in loaded), loaded
    assert any(Path(path).name.startswith("libvlccore.so") for path in loaded), loaded
    assert any("/vlc/plugins/codec/" in path for path in loaded), loaded
    outside = [path for path in loaded if not path.startswith(internal)]
    assert outside == [], f"libVLC files loaded from outside the bundle: {outside}"


def test_portable_mode_keeps_the_data_beside_the_bundle(bundle: dict) -> None:
    marker = bundle["folder"] / "portable"
    marker.write_text("")
    try:
        listing = json.loads(_co_app(bundle, "media", "list", "--json").stdout)
        assert listing["media_dir"] == str(bundle["folder"] / "data" / "media")
        assert (bundle["folder"] / "data" / "co_app.sqlite3").exists() or (bundle["folder"] / "data").is_dir()
        other = bundle["base"] / "chosen"
        listing = json.loads(_co_app(bundle, "--data-dir", other, "media", "list", "--json").stdout)
        assert listing["media_dir"] == str(other / "media")  # --data-dir still wins
    finally:
        marker.unlink()
    listing = json.loads(_co_app(bundle, "media", "list", "--json").stdout)
    assert listing["media_dir"] == str(bundle["base"] / "home" / ".local" / "share" / BUNDLE / "media")
