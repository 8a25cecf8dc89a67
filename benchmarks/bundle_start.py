"""The facilitator's bundle: its start beside the virtual environment's, and its size.

Ours: the bundle built by ``python3 dev.py dist`` (PyInstaller, one folder), from process
start to "co-app: ready" (the window painted, the database open, Home showing its data).
The baseline: the same application from the checkout's ``.venv`` (``python main.py``),
to the same line, on a copy of the same returning user's data folder.  Each sample is a
new process, interleaved (bundle, venv, bundle …) after a warm-up, as in ``startup.py``;
target: the bundle at most 1.3 times the venv's start.  "Cold" is a process with nothing
warm in it; the disk cache is left alone (dropping it needs root and slows the whole machine).

Not judged, reported beside it: the bundle folder's size and its ``.tar.gz``'s (MiB), and
the first start of the freshly unpacked bundle on an empty data folder.

The bundle is built once and kept in the temporary folder under a name made of a hash of
everything that goes into it (the sources, the catalogs, the lock, the packaging), so
another run on unchanged sources reuses it; ``CO_BENCH_BUNDLE=DIR`` names a bundle folder
to measure instead.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import ROOT, BenchmarkUnavailable, Result, median, require_screen
from benchmarks.startup import READY_LINE, seconds_to_line

NAME = "bundle_start"
TARGET_RATIO = 1.3
BUNDLE = "welcoming-communities-co"
PROBE_ENV = "CO_APP_STARTUP_PROBE"


def _inputs_digest() -> str:
    digest = hashlib.sha256()
    files = [ROOT / "requirements.lock", ROOT / "pyproject.toml", ROOT / "dev.py", ROOT / "main.py"]
    for folder in (ROOT / "co_app", ROOT / "packaging"):
        files += [path for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts
                  and path.suffix not in (".pyc", ".po", ".pot")]
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def built_bundle() -> tuple[Path, Path | None]:
    """(bundle folder, its archive or None): CO_BENCH_BUNDLE, else a build for these sources."""
    if os.environ.get("CO_BENCH_BUNDLE"):
        folder = Path(os.environ["CO_BENCH_BUNDLE"])
        if not (folder / "co-app").is_file():
            raise BenchmarkUnavailable(f"CO_BENCH_BUNDLE={folder} holds no co-app executable")
        return folder, next(folder.parent.glob(f"{BUNDLE}-*.tar.gz"), None)
    out = Path(tempfile.gettempdir()) / f"co-bench-bundle-{_inputs_digest()}"
    if not (out / BUNDLE / "co-app").is_file() or not any(out.glob("*.tar.gz")):
        done = subprocess.run([sys.executable, str(ROOT / "dev.py"), "dist", "--out", str(out)], cwd=ROOT,
                              capture_output=True, text=True, timeout=1200)
        if done.returncode != 0:
            raise BenchmarkUnavailable("python3 dev.py dist failed: " + " | ".join(
                (done.stdout + done.stderr).strip().splitlines()[-5:]))
    return out / BUNDLE, next(out.glob(f"{BUNDLE}-*.tar.gz"))


def mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


def run(runs: int, quick: bool = False) -> list[Result]:
    require_screen()
    folder, archive = built_bundle()
    env = {key: value for key, value in os.environ.items() if key not in ("CO_APP_HOME", "PYTHONPATH")}
    env[PROBE_ENV] = "ready"
    with tempfile.TemporaryDirectory(prefix="co-bench-bundle-data-") as tmp:
        returning = str(Path(tmp) / "returning")

        def bundle(data_dir: str) -> float:
            return seconds_to_line([str(folder / "co-app"), "--data-dir", data_dir], READY_LINE, env)

        def venv() -> float:
            return seconds_to_line([sys.executable, str(ROOT / "main.py"), "--data-dir", returning], READY_LINE, env)

        first = bundle(str(Path(tmp) / "first"))  # an empty data folder: creates and migrates it
        bundle(returning)  # warm-up, and the returning user's database
        venv()
        samples: dict[str, list[float]] = {"bundle": [], "venv": []}
        for _ in range(runs):
            samples["bundle"].append(bundle(returning))
            samples["venv"].append(venv())
    extra = {"first_start_ms": round(1000 * first, 1), "bundle_mib": round(mib(folder), 1)}
    if archive is not None:
        extra["archive_mib"] = round(archive.stat().st_size / 2**20, 1)
    return [Result(name=NAME, ours=round(1000 * median(samples["bundle"]), 1),
                   baseline=round(1000 * median(samples["venv"]), 1), target=TARGET_RATIO, unit="ms",
                   baseline_label="the same app from .venv", extra=extra)]
