"""Helpers shared by the benchmarks: child processes, memory readings, demo clips, data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks import ROOT, BenchmarkUnavailable

TIMEOUT_S = 120.0


def child_json(args: list[str], *, env: dict[str, str] | None = None, timeout: float = TIMEOUT_S) -> dict:
    """Run ``python -m benchmarks.<args>`` and return the JSON document of its last line."""
    command = [sys.executable, "-m", *args]
    try:
        done = subprocess.run(command, cwd=ROOT, env=env or dict(os.environ), capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BenchmarkUnavailable(f"{' '.join(args[:2])} did not finish within {timeout:.0f} s") from None
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = " | ".join(done.stderr.strip().splitlines()[-6:])
        raise BenchmarkUnavailable(f"{' '.join(args[:2])} failed (exit status {done.returncode}): {tail}")
    return json.loads(lines[-1])


def rss_mib(pid: int) -> float:
    """The resident set size of process ``pid`` in MiB (Linux: /proc/PID/status VmRSS)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError as exc:
        raise BenchmarkUnavailable(f"cannot read the memory of process {pid}: {exc}") from None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise BenchmarkUnavailable("/proc/PID/status has no VmRSS line")


def require_proc() -> None:
    if not Path("/proc/self/status").exists():
        raise BenchmarkUnavailable("the memory benchmarks read /proc (Linux only)")


def rss_after_line(command: list[str], line: str, env: dict[str, str], settle_s: float,
                   timeout: float = TIMEOUT_S) -> float:
    """Start ``command``, wait for ``line`` on its stdout, wait ``settle_s`` more, read its RSS
    (MiB) and end it."""
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        seen = False
        try:
            for out in iter(proc.stdout.readline, ""):
                if out.rstrip("\n") == line:
                    seen = True
                    break
            if seen:
                time.sleep(settle_s)
                if proc.poll() is None:
                    return rss_mib(proc.pid)
        finally:
            killer.cancel()
            if proc.poll() is None:
                proc.terminate()
            try:
                proc.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
        stderr.seek(0)
        tail = " | ".join(stderr.read().decode(errors="replace").strip().splitlines()[-5:])
        raise BenchmarkUnavailable(f"{Path(command[1]).name} never printed {line!r} or ended before it was "
                                   f"measured (exit status {proc.returncode}): {tail}")


def demo_media_source() -> Path:
    """A folder holding the demo pack (clips, subtitles, marker): the one ``dev.py setup``
    builds, else one built here once (needs ffmpeg)."""
    from co_app.core.media.demo import DEMO_MARKER_NAME

    home = Path(os.environ.get("CO_APP_HOME") or ROOT / "demo-data")
    for folder in (home / "media", Path(tempfile.gettempdir()) / "co-bench-demo-media"):
        if (folder / DEMO_MARKER_NAME).is_file() and any(folder.glob("*.mp4")):
            return folder
    from co_app.core.media.demo import build_demo_pack
    from co_app.core.foundation.errors import CoError

    try:
        build_demo_pack(folder)
    except CoError as exc:
        raise BenchmarkUnavailable(f"no demo clips to play: {exc}") from None
    return folder


def copy_demo_media(target: Path) -> None:
    """The demo pack into ``target`` (a data folder's media folder)."""
    shutil.copytree(demo_media_source(), target, dirs_exist_ok=True)


def interleaved(sides: dict[str, callable], runs: int, *, warm_up: bool = True) -> dict[str, list[float]]:
    """Run each side once per round (ours, baseline, ours, baseline …), after one warm-up
    round; the samples of each side."""
    if warm_up:
        for measure in sides.values():
            measure()
    samples: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(runs):
        for name, measure in sides.items():
            samples[name].append(measure())
    return samples


def timed_queries(engine, queries: list[str]) -> float:
    """Seconds to run ``queries`` and fetch every row, on one raw DB-API connection of the
    SQLAlchemy ``engine`` (the connection's checkout is not timed): the plain-SQL baseline."""
    raw = engine.raw_connection()
    try:
        start = time.perf_counter()
        cursor = raw.cursor()
        for sql in queries:
            cursor.execute(sql)
            cursor.fetchall()
        elapsed = time.perf_counter() - start
        cursor.close()
    finally:
        raw.close()
    return elapsed
