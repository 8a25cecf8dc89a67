"""The donor report's XLSX over 200,000 attendance records, against openpyxl's
``write_only`` mode writing the same rows, and the report's peak memory.

Ours (a child process): ``co_app.core.office.donor.write_xlsx`` — the summary, six
breakdown sheets with charts, and the records sheet streamed from the database 5,000
rows at a time, labelled in the office's language, saved with an atomic replace.  The
baseline (a child process too): the same 200,000 rows, already in memory (not timed),
appended to one ``write_only`` sheet and saved.  Each side times its own writing; the
peak memory of ours is its whole process's (``resource.getrusage``: imports, the report
and the writing), judged against 200 MB.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks import Result, median
from benchmarks._office_data import build_hub
from benchmarks._support import child_json, interleaved

NAME = "donor_xlsx"
TARGET_RATIO = 2.0
TARGET_PEAK_MIB = 200.0


def run(runs: int, quick: bool = False) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="co-bench-donor-") as tmp:
        hub, out = Path(tmp) / "hub.sqlite3", Path(tmp) / "donor.xlsx"
        build_hub(hub, quick)
        peaks: list[float] = []
        rows: dict[str, int] = {}

        def side(name: str):
            def measure() -> float:
                found = child_json(["benchmarks.donor_child", name, str(hub), str(out)], timeout=1200)
                rows[name] = found["rows"]
                if name == "ours":
                    peaks.append(found["peak_mib"])
                out.unlink()
                return found["seconds"]
            return measure

        samples = interleaved({"ours": side("ours"), "baseline": side("baseline")}, runs)
    return [Result(name=NAME, ours=round(median(samples["ours"]), 2), baseline=round(median(samples["baseline"]), 2),
                   target=TARGET_RATIO, unit="s", baseline_label="openpyxl write_only, the same rows",
                   extra={"records": rows.get("ours", 0)}),
            Result(name=f"{NAME}_peak_memory", ours=round(max(peaks), 1), baseline=None, target=TARGET_PEAK_MIB,
                   unit="MB")]
