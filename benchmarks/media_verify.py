"""Media verify throughput, against ``sha256sum`` on the same files.

Four films of 200 MB each (a demo clip followed by a large 'free' box, so the container
check passes and the whole file is hashed) in a temporary media folder.  Ours:
``co_app.core.media.verify.verify_library`` over the manifest (what "Check the films" and
``main.py media verify`` run, without the database); the baseline: ``sha256sum`` on the
four files.  Throughput in MB/s (10^6 bytes); both read from the page cache after the
warm-up, so this compares the hashing, not the disk.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks import AT_LEAST, BenchmarkUnavailable, Result, median
from benchmarks._support import demo_media_source, interleaved

NAME = "media_verify"
TARGET_RATIO = 0.9
FILMS = 4
FILM_MB = 200
QUICK_MB = 8


def make_film(clip: Path, target: Path, size: int) -> None:
    """``clip`` followed by a top-level 'free' box (64-bit size) filling ``target`` to ``size``."""
    data = clip.read_bytes()
    padding = size - len(data)
    block = os.urandom(1 << 20)
    with open(target, "wb") as out:
        out.write(data)
        out.write(struct.pack(">I4sQ", 1, b"free", padding))
        left = padding - 16
        while left > 0:
            out.write(block[:min(left, len(block))])
            left -= len(block)


def run(runs: int, quick: bool = False) -> list[Result]:
    from co_app.core.media.manifest import load_manifest
    from co_app.core.media.verify import verify_library

    sha256sum = shutil.which("sha256sum")
    if sha256sum is None:
        raise BenchmarkUnavailable("sha256sum (GNU coreutils) is not installed")
    manifest = load_manifest()
    source = demo_media_source()
    size = (QUICK_MB if quick else FILM_MB) * 1_000_000
    with tempfile.TemporaryDirectory(prefix="co-bench-verify-") as tmp:
        media = Path(tmp) / "media"
        media.mkdir()
        if shutil.disk_usage(tmp).free < 3 * FILMS * size:
            raise BenchmarkUnavailable(f"not enough free disk space in {tmp} for {FILMS} × {size // 10**6} MB")
        files = []
        for film in manifest.films[:FILMS]:
            clip = next(source.glob(f"{film.id}.mp4"), None) or next(source.glob("*.mp4"))
            files.append(media / f"{film.id}.mp4")
            make_film(clip, files[-1], size)
        total = sum(f.stat().st_size for f in files)

        def ours() -> float:
            start = time.perf_counter()
            report = verify_library(media, manifest)
            elapsed = time.perf_counter() - start
            hashed = [f for f in report.films if f.sha256]
            if len(hashed) != FILMS:
                raise BenchmarkUnavailable("verify did not hash the test films: "
                                           + "; ".join(f.problem or f.film_id for f in report.films if f.file))
            return total / 1e6 / elapsed

        def baseline() -> float:
            start = time.perf_counter()
            subprocess.run([sha256sum, *map(str, files)], check=True, stdout=subprocess.DEVNULL)
            return total / 1e6 / (time.perf_counter() - start)

        samples = interleaved({"ours": ours, "baseline": baseline}, runs)
    return [Result(name=NAME, ours=round(median(samples["ours"]), 1), baseline=round(median(samples["baseline"]), 1),
                   target=TARGET_RATIO, unit="MB/s", judge=AT_LEAST, baseline_label="sha256sum",
                   extra={"total_mb": round(total / 1e6)})]
