#!/usr/bin/env python3
"""Set up, run and test Welcoming Communities CO with one command each.

    python3 dev.py run [ARGS...]      set up, then open the application on the demo content
    python3 dev.py test [PYTEST...]   set up, then run the test suite under Xvfb
    python3 dev.py setup              only set up (system packages, .venv, catalogs, demo media)
    python3 dev.py bench [ARGS...]    set up, then run the benchmarks under Xvfb
    python3 dev.py catalogs           extract, update and compile the message catalogs
    python3 dev.py dist [--out DIR]   set up, then build the facilitator's bundle with PyInstaller
                                      (Python, Qt, libVLC inside) and pack it: on Linux
                                      dist/welcoming-communities-co-<version>-linux-x86_64.tar.gz
    python3 dev.py lock [--upgrade]   bring requirements.lock in line with pyproject.toml, keeping
                                      the locked versions; --upgrade moves every package to the
                                      newest release pyproject.toml allows (test it, then commit)
    python3 dev.py test --latest      run the suite against the newest releases, in a throwaway
                                      virtual environment (the lock and .venv are not touched)

A Python script rather than make or shell: a fresh Debian machine has Python 3 but maybe
not make, and the same file works on macOS and Windows.  Standard library only, because it
runs before the virtual environment exists.  Every step is skipped when already done, so
running it again is fast and needs no network.  The data folder is $CO_APP_HOME, else
<repo>/demo-data.  Exit status: 0 ok, 2 setup failed, otherwise that of pytest / the app.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / "co-app-lock.sha256"
#: Exact versions and hashes of every Python package, direct and transitive, for every
#: platform and Python 3.10+ (see cmd_lock); pyproject.toml keeps the ranges.
LOCK = ROOT / "requirements.lock"
#: The resolver that writes the lock.  uv rather than pip-tools: "uv pip compile --universal"
#: writes one lock for Linux, Windows and macOS and for every Python we support (markers
#: where they differ: tzdata and colorama on Windows, tomli before 3.11), while pip-compile
#: resolves for the machine it runs on only.  Pinned, so every refresh resolves the same way.
UV_VERSION = "0.13.9"
IS_LINUX = sys.platform.startswith("linux")
RUN_PACKAGES = (  # libVLC and its plugins, ffmpeg for the demo clips, fonts, what Qt's xcb needs
    # libvlc-bin's trigger writes the plugin cache (plugins.dat); without it every libVLC
    # instance loads all 300 plugins: about 40 MiB more memory and a slower first frame.
    "libvlc5 libvlc-bin vlc-plugin-base vlc-plugin-video-output ffmpeg fonts-noto-core fonts-dejavu-core "
    "libgl1 libegl1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 "
    "libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libfontconfig1 "
    "libdbus-1-3").split()
# xvfb-run needs xauth; the sync hub's tests start a throwaway PostgreSQL server (initdb, pg_ctl);
# the projector's tests start Xorg with the dummy driver: two monitors, the cable pulled with xrandr
TEST_PACKAGES = ["xvfb", "xauth", "postgresql", "xserver-xorg-core", "xserver-xorg-video-dummy",
                 "x11-xserver-utils"]
XVFB_RUN = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24"]


class SetupError(Exception):
    """A step failed; the message is one sentence for the person at the keyboard."""


def say(message: str) -> None:
    print(message, flush=True)  # flushed, so it comes before the output of the step it names


def data_dir() -> Path:
    """Where the demo content goes: CO_APP_HOME if set, else the gitignored demo-data/."""
    return Path(os.environ.get("CO_APP_HOME") or ROOT / "demo-data").expanduser().absolute()


def venv_bin(name: str) -> str:
    """A program inside .venv (Windows keeps them in Scripts\\ with .exe)."""
    return str(VENV / "Scripts" / f"{name}.exe") if os.name == "nt" else str(VENV / "bin" / name)


def sh(cmd: list, what: str) -> None:
    """Run a step, showing its output only when it fails, so a good run stays one line a step."""
    cmd = [str(part) for part in cmd]
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    try:
        result = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace")
    except OSError as exc:
        raise SetupError(f"{what} failed: cannot start {cmd[0]} ({exc.strerror}).") from None
    if result.returncode != 0:
        sys.stderr.write(result.stdout)
        raise SetupError(f"{what} failed (exit status {result.returncode}): {' '.join(cmd)}")


def venv_ready() -> bool:
    return Path(venv_bin("python")).exists() and Path(venv_bin("pip")).exists()


def check_python() -> None:
    """The project needs 3.10+; say so plainly instead of failing later inside pip."""
    if sys.version_info < (3, 10):
        raise SetupError(f"Python 3.10 or newer is needed, but {sys.executable} "
                         f"is Python {platform.python_version()}.")


def missing_debian_packages(names: list) -> list:
    """The packages dpkg does not list as "install ok installed" (one dpkg-query call)."""
    result = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${Status}\n", *names],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    installed = {line.split(" ", 1)[0] for line in result.stdout.splitlines()
                 if line.endswith("install ok installed")}
    return [name for name in names if name not in installed]


def install_debian_packages(with_tests: bool) -> None:
    """Install only what is missing, so a set-up machine never needs root or the network."""
    names = RUN_PACKAGES + (TEST_PACKAGES if with_tests else [])
    if not venv_ready() and importlib.util.find_spec("ensurepip") is None:
        names.append("python3-venv")  # Debian ships "python3 -m venv" without ensurepip
    missing = missing_debian_packages(names)
    if not missing:
        say("setup: the Debian packages needed are already installed")
        return
    install = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    if os.geteuid() == 0:
        prefix = ["env", "DEBIAN_FRONTEND=noninteractive"]
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], stdout=subprocess.DEVNULL,
                                                 stderr=subprocess.DEVNULL).returncode == 0:
        prefix = ["sudo", "-n", "env", "DEBIAN_FRONTEND=noninteractive"]
    else:
        raise SetupError(
            "some Debian packages are missing and this user cannot install them (not root, and "
            "no password-less sudo); run this, then the same dev.py command again:\n"
            "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive " + " ".join(install))
    say(f"setup: installing Debian packages: {' '.join(missing)}")
    sh(prefix + ["apt-get", "update", "-q"], "apt-get update")
    sh(prefix + install, "apt-get install")


def advise_other_system(with_tests: bool) -> None:
    """Without apt-get we cannot install system software, so say what is needed and go on."""
    if sys.platform == "darwin":
        needs = "VLC 3 and ffmpeg (Homebrew: brew install --cask vlc && brew install ffmpeg)"
    elif os.name == "nt":
        needs = "VLC 3 64-bit from https://www.videolan.org/vlc/ and ffmpeg on PATH"
    else:
        needs = "VLC 3 (libvlc and its plugins), ffmpeg and Noto fonts from your package manager"
    say(f"setup: not Debian/Ubuntu, so install by hand if missing: {needs}")
    if with_tests:
        say("setup: the tests also need a display: Xvfb (xvfb-run) on Linux, else a real screen")


def ensure_venv() -> None:
    """Create .venv and install exactly the lock, again only when the lock or pyproject.toml
    changed since the last install (so a second run needs no network)."""
    if not venv_ready():
        say("setup: creating the virtual environment .venv")
        sh([sys.executable, "-m", "venv", "--clear", VENV], "creating .venv")
    if not LOCK.exists():
        raise SetupError(f"{LOCK.name} is missing; restore it from git (git checkout {LOCK.name}).")
    digest = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == digest:
        say("setup: the Python packages in .venv match requirements.lock")
        return
    say("setup: installing the Python packages of requirements.lock into .venv (hashes checked)")
    python = venv_bin("python")
    # --require-hashes: a package whose file differs from the one locked is refused, and so is
    # any dependency the lock does not name.  The project itself goes in without its
    # dependencies (they are all in the lock) and without build isolation (setuptools is too).
    sh([python, "-m", "pip", "install", "-q", "--require-hashes", "-r", LOCK], "pip install -r requirements.lock")
    sh([python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "-e", "."],
       "pip install -e . (the project)")
    STAMP.write_text(digest + "\n")


def pybabel(what: str, *args: str) -> None:
    """Babel's own progress lines are noise on a good run; -q keeps only its errors."""
    sh([venv_bin("pybabel"), "-q", *args], what)


def compile_catalogs() -> None:
    """The .mo files are build products (gitignored): without them every language is English."""
    if not any(ROOT.glob("co_app/data/locales/*/LC_MESSAGES/co_app.po")):
        say("setup: no translations in co_app/data/locales/ yet, so no catalogs to compile")
        return
    say("setup: compiling the message catalogs in co_app/data/locales/")
    pybabel("compiling the message catalogs", "compile", "-d", "co_app/data/locales", "-D", "co_app")


def build_demo_media() -> None:
    """The real films are not in the repository; labelled demo clips make the app usable."""
    say(f"setup: building the demo media pack in {data_dir()} (clips already built are kept)")
    sh([venv_bin("python"), "main.py", "--data-dir", data_dir(), "demo", "media"],
       "building the demo media pack")


def seed_demo_data() -> None:
    """Made-up sessions and participants, so Attendance has something to show (once)."""
    sh([venv_bin("python"), "main.py", "--data-dir", data_dir(), "demo", "seed", "--if-needed"],
       "adding the demo sessions and participants")


def compile_bytecode() -> None:
    """Byte-compile the application, as an installed package is: the start-up then reads
    .pyc files instead of compiling every module, even where PYTHONDONTWRITEBYTECODE is
    set (it stops Python writing them, not reading them).  Quick when nothing changed."""
    subprocess.run([venv_bin("python"), "-m", "compileall", "-q", "-j", "0", str(ROOT / "co_app")],
                   check=False, stdout=subprocess.DEVNULL)


def setup(with_tests: bool, content: bool = True) -> None:
    """Every step checks before it acts, so a set-up machine passes through in a blink."""
    check_python()
    if shutil.which("apt-get") and shutil.which("dpkg-query"):
        install_debian_packages(with_tests)
    else:
        advise_other_system(with_tests)
    ensure_venv()
    compile_bytecode()
    if content:
        compile_catalogs()
        build_demo_media()


def under_xvfb(cmd: list) -> int:
    """Run cmd on a private virtual screen, so results never depend on the developer's display."""
    if not IS_LINUX:
        return subprocess.call(cmd, cwd=ROOT)
    if not shutil.which("xvfb-run"):
        raise SetupError("xvfb-run was not found; install Xvfb (on Debian: apt-get install xvfb xauth).")
    env = dict(os.environ, QT_QPA_PLATFORM="xcb")
    env.pop("WAYLAND_DISPLAY", None)
    runtime = None
    if not os.path.isdir(env.get("XDG_RUNTIME_DIR", "")):
        runtime = tempfile.mkdtemp(prefix="co-app-runtime-")  # mode 0700, as Qt insists
        env["XDG_RUNTIME_DIR"] = runtime
    try:
        return subprocess.call(XVFB_RUN + [str(part) for part in cmd], cwd=ROOT, env=env)
    finally:
        if runtime:
            shutil.rmtree(runtime, ignore_errors=True)


def opens_window(args: list) -> bool:
    """True when main.py would open the GUI, i.e. no command such as "media list" was given."""
    words = iter(args)
    for word in words:
        if word in ("-h", "--help", "--version"):
            return False
        if word in ("--data-dir", "--lang"):
            next(words, None)
        elif not word.startswith("-"):
            return False
    return True


def cmd_run(args: list) -> int:
    """Qt aborts without a display, so check for one before spending time on setup."""
    has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if IS_LINUX and opens_window(args) and not has_display:
        print("run: there is no display (DISPLAY and WAYLAND_DISPLAY are unset); start it from a "
              "desktop session, or on a virtual screen with: xvfb-run -a python3 dev.py run", file=sys.stderr)
        return 2
    setup(with_tests=False)
    say(f"run: demo sessions and participants in {data_dir()} (added once)")
    seed_demo_data()
    cmd = [venv_bin("python"), "main.py", "--data-dir", str(data_dir()), *args]
    say(f"run: {' '.join(cmd[1:])}")
    if os.name == "posix":  # hand over the process, so signals and exit status are the app's own
        os.chdir(ROOT)
        os.execv(cmd[0], cmd)
    return subprocess.call(cmd, cwd=ROOT)


def lint(python: str) -> int:
    """ruff, with the rule set of pyproject.toml's [tool.ruff]; quick, so it runs first."""
    say("test: ruff check (the rules are in pyproject.toml)")
    return subprocess.call([python, "-m", "ruff", "check", "--quiet", "."], cwd=ROOT)


def latest_venv(folder: Path) -> str:
    """A throwaway venv holding the newest releases pyproject.toml allows (not the lock)."""
    say(f"test: installing the newest releases into a throwaway virtual environment in {folder}")
    sh([sys.executable, "-m", "venv", folder], "creating the throwaway venv")
    python = str(folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
    sh([python, "-m", "pip", "install", "-q", "--upgrade", "pip"], "upgrading pip")
    sh([python, "-m", "pip", "install", "-q", "--upgrade", "-e", ".[test]"], "pip install the newest releases")
    return python


def cmd_test(args: list, module: str = "pytest", label: str = "test") -> int:
    """Always under Xvfb on Linux, even with a DISPLAY, so results are the same everywhere.
    --latest runs the same suite against the newest releases instead of the lock."""
    latest = "--latest" in args
    args = [arg for arg in args if arg != "--latest"]
    setup(with_tests=True)
    with tempfile.TemporaryDirectory(prefix="co-app-latest-") as scratch:
        python = latest_venv(Path(scratch) / "venv") if latest else venv_bin("python")
        if module == "pytest":
            code = lint(python)
            if code != 0:
                print("test: FAILED - ruff found problems (above); fix them, or `ruff check --fix`.",
                      file=sys.stderr)
                return code
        say(f"{label}: running python -m {module}" + (" under Xvfb" if IS_LINUX else ""))
        code = under_xvfb([python, "-m", module, *args])
        if latest:  # the editable install of the throwaway venv is gone with it
            shutil.rmtree(ROOT / "co_app.egg-info", ignore_errors=True)
    if module == "pytest" and code == 5:  # non-zero already; say why, so CI fails loudly
        print("test: FAILED - pytest collected no tests (exit status 5).", file=sys.stderr)
    return code


def cmd_lock(args: list) -> int:
    """Resolve the dependencies of pyproject.toml for every platform and Python 3.10+, with
    hashes, into requirements.lock.  Without --upgrade the versions already locked are kept
    (a new dependency is added, nothing else moves); --upgrade takes the newest releases the
    ranges allow.  An upgrade is a choice: `dev.py test --latest` shows beforehand what the
    newest releases do, and `dev.py test` after the lock changed, before committing it."""
    upgrade = ["--upgrade"] if "--upgrade" in args else []
    check_python()
    with tempfile.TemporaryDirectory(prefix="co-app-lock-") as scratch:  # uv stays out of .venv
        folder = Path(scratch) / "venv"
        sh([sys.executable, "-m", "venv", folder], "creating a throwaway venv for uv")
        python = str(folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
        sh([python, "-m", "pip", "install", "-q", f"uv=={UV_VERSION}"], f"installing uv {UV_VERSION}")
        say(f"lock: resolving pyproject.toml (with the test extra) into {LOCK.name}")
        sh([python, "-m", "uv", "pip", "compile", "pyproject.toml", "--extra", "test", "--universal",
            "--python-version", "3.10", "--generate-hashes", *upgrade, "--quiet",
            "--custom-compile-command", "python3 dev.py lock", "--output-file", LOCK], "uv pip compile")
    say(f"lock: {LOCK.name} rewritten; the next dev.py command installs it into .venv")
    return 0


def cmd_catalogs(args: list) -> int:
    """Refresh co_app/data/locales/co_app.pot from the source, merge it into every .po, then compile."""
    setup(with_tests=False, content=False)
    if not (ROOT / "babel.cfg").exists():
        (ROOT / "babel.cfg").write_text("[python: co_app/**.py]\n")
    say("catalogs: extracting the messages into co_app/data/locales/co_app.pot")
    pybabel("extracting the messages", "extract", "-F", "babel.cfg", "-o", "co_app/data/locales/co_app.pot",
            "--project=Welcoming Communities CO", "--copyright-holder=Welcoming Communities CO",
            "--no-wrap", "co_app")
    if any(ROOT.glob("co_app/data/locales/*/LC_MESSAGES/co_app.po")):
        say("catalogs: updating the .po files from the template")
        pybabel("updating the catalogs", "update", "-i", "co_app/data/locales/co_app.pot", "-d", "co_app/data/locales",
                "-D", "co_app", "--no-wrap")
    compile_catalogs()
    return 0


BUNDLE = "welcoming-communities-co"  # the bundle's folder (co_app.APP_SLUG)
PACKAGING = ROOT / "packaging"


def app_version() -> str:
    """co_app.__version__, read as text: the one place the version is written (pyproject.toml
    reads it too), and this script runs before the virtual environment exists."""
    match = re.search(r'^__version__ = "([^"]+)"', (ROOT / "co_app" / "__init__.py").read_text(), re.M)
    if not match:
        raise SetupError("co_app/__init__.py has no __version__ = \"...\" line.")
    return match.group(1)


def pyinstaller(spec: Path, out: Path) -> Path:
    """Build ``spec`` into ``out``/welcoming-communities-co (replaced), with a throwaway work folder."""
    if subprocess.run([venv_bin("python"), "-c", "import PyInstaller"], stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL).returncode != 0:
        raise SetupError("PyInstaller is not in .venv; it is in requirements.lock (the test extra): "
                         "run python3 dev.py setup.")
    shutil.rmtree(out / BUNDLE, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="co-app-pyinstaller-") as work:
        say(f"dist: PyInstaller {spec.relative_to(ROOT)} into {out / BUNDLE} (about a minute)")
        sh([venv_bin("python"), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", out,
            "--workpath", work, spec], "PyInstaller")
    return out / BUNDLE


def write_vlc_plugin_cache(plugins: Path) -> None:
    """libVLC's plugin cache (plugins.dat), written for the bundle's own plugin folder: without
    it every start loads all the plugins (slower, some 40 MiB more).  Debian's libvlc-bin has
    the tool; without it the bundle still works, only slower."""
    tool = next((str(path) for path in (Path("/usr/lib/x86_64-linux-gnu/vlc/vlc-cache-gen"),
                                         Path("/usr/lib/vlc/vlc-cache-gen")) if path.exists()),
                shutil.which("vlc-cache-gen"))
    if tool is None:
        say("dist: vlc-cache-gen not found (Debian: libvlc-bin), so the bundle has no plugin cache")
        return
    sh([tool, plugins], "writing libVLC's plugin cache (vlc-cache-gen)")


def add_linux_extras(bundle: Path) -> None:
    """Beside the executable: the menu entry and its installer, the icon, a README, the demo films."""
    for name in ("co-app.desktop", "install-desktop-entry.sh", "README.txt"):
        shutil.copy2(PACKAGING / "linux" / name, bundle / name)
    sh([venv_bin("python"), PACKAGING / "make_icon.py", bundle], "drawing the icon")
    (bundle / f"{BUNDLE}.ico").unlink(missing_ok=True)  # Windows only
    demo = bundle / "demo-media"
    demo.mkdir()
    for path in sorted((data_dir() / "media").iterdir()):
        if path.suffix in (".mp4", ".srt", ".vtt", ".json"):
            shutil.copy2(path, demo / path.name)


def pack(bundle: Path, archive: Path) -> None:
    """A .tar.gz of the folder (permissions kept, so co-app stays executable)."""
    say(f"dist: packing {archive.name}")
    partial = archive.with_name(archive.name + ".part")
    with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=BUNDLE)
    partial.replace(archive)


def folder_mib(folder: Path) -> float:
    """Bytes on disk (symbolic links counted once, as the file they name)."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink()) / 2**20


def cmd_dist(args: list) -> int:
    """The facilitator's bundle, which runs without Python, Qt or VLC installed (see README,
    "Installing on a facilitator's laptop").  Linux here; Windows has its own spec, installer
    and workflow (packaging/windows/, .github/workflows/windows.yml)."""
    out = ROOT / "dist"
    if args[:1] == ["--out"] and len(args) == 2:
        out = Path(args[1]).expanduser().absolute()
    elif args:
        raise SetupError("usage: python3 dev.py dist [--out DIR]")
    if not IS_LINUX:
        raise SetupError("dev.py dist builds the Linux bundle; on Windows see packaging/windows/ and "
                         ".github/workflows/windows.yml, on macOS packaging/macos/README.md.")
    setup(with_tests=False)  # system libVLC to copy, .venv with PyInstaller, catalogs, demo films
    out.mkdir(parents=True, exist_ok=True)
    bundle = pyinstaller(PACKAGING / "linux" / "co-app.spec", out)
    write_vlc_plugin_cache(bundle / "_internal" / "vlc" / "plugins")
    add_linux_extras(bundle)
    archive = out / f"{BUNDLE}-{app_version()}-linux-{platform.machine()}.tar.gz"
    pack(bundle, archive)
    say(f"dist: {bundle} ({folder_mib(bundle):.0f} MiB), packed as {archive} "
        f"({archive.stat().st_size / 2**20:.0f} MiB)")
    return 0


COMMANDS = {  # "setup" includes the test packages: it is how a developer prepares a machine
    "setup": lambda args: setup(with_tests=True) or 0, "run": cmd_run, "test": cmd_test,
    "bench": lambda args: cmd_test(args, module="benchmarks", label="bench"), "catalogs": cmd_catalogs,
    "lock": cmd_lock, "dist": cmd_dist,
}


def main(argv: list) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__.strip())
        return 0 if argv else 2
    name, args = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"dev.py: unknown command {name!r}; use one of: {', '.join(COMMANDS)}.", file=sys.stderr)
        return 2
    try:
        return COMMANDS[name](args)
    except SetupError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{name}: interrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
