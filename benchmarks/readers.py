"""Readers of user files against hostile input (issue 19): subtitles parse in time linear in
their size, and an oversized roster is refused at once.

- ``readers_subtitles``: ``parse_subtitles`` on 200,000 well-formed SRT cues (about 9 MB of
  text), against the least any parser does on the same text: split it into lines and try
  the timing pattern on every line.  Target: at most 7 times that (the issue's line is
  "200,000 well-formed cues parse in under 3 s"; the seconds are printed beside it).
- ``readers_subtitles_glued``: the same cues without a blank line between them (the shape
  that took 241 s when the parser was quadratic), against the well-formed cues in the same
  run.  Target: at most 1.5 times as long.
- ``readers_xlsx_refusal``: ``read_table`` on three small hostile workbooks — 5 million rows
  in 1.6 MB, 500,000 rows in a sheet under the size limit (refused at the 20,001st person),
  and the first with zip sizes that lie — the longest of the three refusals, in seconds.  Absolute target: under
  2 s (the issue's line; it was 157 s).
- ``readers_xlsx_memory``: the peak resident memory of a fresh process that imports the
  roster reader and refuses the three workbooks.  Absolute target: under 300 MB (it was
  1.2 GB).  The import alone is printed beside it.

Times are CPU-bound and measured in this process (interleaved, medians); the memory in a
child process (``python -m benchmarks.readers --child FILE...``), read from /proc's VmHWM.
"""

from __future__ import annotations

import io
import json
import re
import resource
import struct
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from benchmarks import BELOW, Result, median
from benchmarks._support import child_json, interleaved

NAME = "readers"
CUES, QUICK_CUES = 200_000, 20_000
SUBTITLE_RATIO, GLUED_RATIO = 7.0, 1.5
REFUSAL_S, MEMORY_MB = 2.0, 300.0
#: A timing line, as the parser's own pattern has it (co_app/core/media/subtitle_parsing.py).
_TS = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})[,.](\d{1,3})"
TIMING_LINE = re.compile(rf"^\s*{_TS}\s*-->\s*{_TS}(?:[ \t].*)?$")


def _clock(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def subtitle_text(count: int, *, glued: bool) -> str:
    gap = "\n" if glued else "\n\n"
    return gap.join(f"{n}\n{_clock(n * 1000)} --> {_clock(n * 1000 + 900)}\nLine {n} of the film"
                    for n in range(1, count + 1)) + "\n"


def _sheet(rows: int) -> io.BytesIO:
    """The worksheet of a header and ``rows`` identical rows, written as a stream (it may be
    hundreds of MB unpacked, a megabyte packed)."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><dimension ref="A1:B2"/><sheetData><row><c t="inlineStr"><is><t>Case number'
            b'</t></is></c><c t="inlineStr"><is><t>Given name</t></is></c></row>')
    row = b'<row><c t="inlineStr"><is><t>C-1</t></is></c><c t="inlineStr"><is><t>Amina</t></is></c></row>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                                                b'content-types"/>')
        archive.writestr("_rels/.rels", b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                         b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                         b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                         b"</Relationships>")
        archive.writestr("xl/workbook.xml", b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                         b'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                         b'<sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", b'<Relationships xmlns="http://schemas.openxmlformats.org/'
                         b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                         b'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                         b'Target="worksheets/sheet1.xml"/></Relationships>')
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as sheet:
            sheet.write(head)
            batch = row * 10_000
            for _ in range(rows // 10_000):
                sheet.write(batch)
            sheet.write(row * (rows % 10_000) + b"</sheetData></worksheet>")
    return out


def _lying(raw: bytes, size: int) -> bytes:
    """Every size the zip declares set to ``size`` (the sheet unpacks to far more)."""
    data = bytearray(raw)
    for signature, offset in ((rb"PK\x03\x04", 22), (rb"PK\x01\x02", 24)):
        for match in re.finditer(signature, data):
            if data[match.start() + offset: match.start() + offset + 4] != b"\xff\xff\xff\xff":  # not zip64
                data[match.start() + offset: match.start() + offset + 4] = struct.pack("<I", size)
    return bytes(data)


def hostile_workbooks(folder: Path, quick: bool) -> list[Path]:
    many, under = (200_000, 100_000) if quick else (5_000_000, 500_000)  # 500,000 rows: 47 MB, under 64
    paths = [folder / "five-million.xlsx", folder / "under-the-limit.xlsx", folder / "lying-sizes.xlsx"]
    paths[0].write_bytes(_sheet(many).getvalue())
    paths[1].write_bytes(_sheet(under).getvalue())
    paths[2].write_bytes(_lying(paths[0].read_bytes(), 60 * 1024 * 1024))
    return paths


def refuse(path: Path) -> float:
    """Seconds ``read_table`` takes to refuse ``path`` (it must refuse it)."""
    from co_app.core.people.roster import RosterError, read_table

    start = time.perf_counter()
    try:
        read_table(path)
    except RosterError:
        return time.perf_counter() - start
    raise SystemExit(f"{path.name} was read, not refused")


def peak_mb() -> float:
    """This process's peak resident memory.  Linux's ``ru_maxrss`` starts a child at its
    parent's peak (kept across fork and exec), so /proc's VmHWM, which is this program's own."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(paths: list[str]) -> None:
    """In a fresh process: import the reader, note the memory, refuse every file."""
    import co_app.core.people.roster  # noqa: F401 - the import's own memory, measured apart

    imported = peak_mb()
    times = [refuse(Path(path)) for path in paths]
    print(json.dumps({"imported_mb": imported, "peak_mb": peak_mb(), "seconds": times}))


def run(runs: int, quick: bool = False) -> list[Result]:
    from co_app.core.media import subtitle_parsing

    count = QUICK_CUES if quick else CUES
    tidy, glued = subtitle_text(count, glued=False), subtitle_text(count, glued=True)
    timing = TIMING_LINE

    def timed(work) -> float:
        start = time.perf_counter()
        work()
        return time.perf_counter() - start

    samples = interleaved({
        "ours": lambda: timed(lambda: subtitle_parsing.parse_subtitles(tidy, fmt="srt")),
        "baseline": lambda: timed(lambda: [timing.match(line) for line in tidy.split("\n")]),
        "glued": lambda: timed(lambda: subtitle_parsing.parse_subtitles(glued, fmt="srt")),
    }, runs)
    ours, baseline, glued_s = (median(samples[key]) for key in ("ours", "baseline", "glued"))
    cpu = time.process_time()  # one more parse in CPU time: on a shared machine the wall clock waits too
    subtitle_parsing.parse_subtitles(tidy, fmt="srt")
    cpu = time.process_time() - cpu
    with tempfile.TemporaryDirectory(prefix="co-bench-readers-") as tmp:
        paths = hostile_workbooks(Path(tmp), quick)
        refusals = interleaved({path.stem: (lambda p=path: refuse(p)) for path in paths}, runs)
        memory = child_json(["benchmarks.readers", "--child", *map(str, paths)])
        packed_mb = paths[0].stat().st_size / 1e6
    slowest = max(median(values) for values in refusals.values())
    each = {f"{key.replace('-', '_')}_s": round(median(values), 3) for key, values in refusals.items()}
    return [
        Result(name=f"{NAME}_subtitles", ours=round(ours, 3), baseline=round(baseline, 3), target=SUBTITLE_RATIO,
               unit="s", baseline_label="line split + timing pattern on every line",
               extra={"cues": count, "mb": round(len(tidy.encode()) / 1e6, 1), "cpu_s": round(cpu, 2)}),
        Result(name=f"{NAME}_subtitles_glued", ours=round(glued_s, 3), baseline=round(ours, 3), target=GLUED_RATIO,
               unit="s", baseline_label="the same cues with blank lines"),
        Result(name=f"{NAME}_xlsx_refusal", ours=round(slowest, 3), baseline=None, target=REFUSAL_S, unit="s",
               judge=BELOW, extra={**each, "five_million_file_mb": round(packed_mb, 2)}),
        Result(name=f"{NAME}_xlsx_memory", ours=round(memory["peak_mb"], 1), baseline=None, target=MEMORY_MB,
               unit="MB", judge=BELOW, extra={"import_alone_mb": round(memory["imported_mb"], 1)}),
    ]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
    else:
        raise SystemExit("usage: python -m benchmarks.readers --child FILE... (the benchmark runs from benchmarks)")
