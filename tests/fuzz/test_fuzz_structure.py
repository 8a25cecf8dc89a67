"""The shapes of files that fooled or stalled the readers (issue 19), generated: an XLSX
workbook's structure (a wrong or missing <dimension>, shared strings with runs, phonetic
guides and bad indexes, rows and cells without references, stored or deflated parts, sizes
in the zip that lie), subtitle cues glued together without blank lines, and MP4 boxes
nested at random.  Each reader reads everything that is there or refuses in one sentence
naming the file; nothing else escapes.  Fewer examples than the other targets (50 by
default): each builds a whole file."""

from __future__ import annotations

import io
import re
import struct
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from co_app.core.media.check import check_container, mp4_duration_ms
from co_app.core.media.subtitles import parse_subtitles
from co_app.core.people import roster
from co_app.core.people.roster import RosterError

EXAMPLES = settings(max_examples=max(1, settings.default.max_examples // 4))
MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
ROOT_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
             b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
             b'2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (b'<?xml version="1.0" encoding="UTF-8"?><workbook ' + MAIN + b' xmlns:r="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships"><sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets>'
            b"</workbook>")
WORKBOOK_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
                 b'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"'
                 b' Target="sharedStrings.xml"/></Relationships>')
NAMES = st.text(alphabet=st.sampled_from("AminaOmrZhl زهراعمرትግ"), min_size=1, max_size=8).map(str.strip).filter(bool)
LETTERS = "ABCDEFGHIJ"


@st.composite
def workbooks(draw: st.DrawFn) -> tuple[bytes, list[list[str]]]:
    """A workbook of a header and people, and the rows a reader must find in it."""
    people = draw(st.lists(st.tuples(st.integers(1, 10**6), NAMES, NAMES), min_size=1, max_size=12))
    rows = [["Case number", "Given name", "Family name"]] + [[f"C-{n}", given, family] for n, given, family in people]
    strings: list[str] = []
    shared = draw(st.booleans())
    numbered = draw(st.booleans())
    xml_rows = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, text in enumerate(row):
            ref = f' r="{LETTERS[c]}{r}"' if numbered else ""
            escaped = text.replace("&", "&amp;").replace("<", "&lt;").encode()
            if shared:
                strings.append(text)
                cells.append(b"<c" + ref.encode() + b' t="s"><v>' + str(len(strings) - 1).encode() + b"</v></c>")
            else:
                runs = draw(st.booleans())
                body = (b"<r><t>" + escaped + b"</t></r><rPh><t>x</t></rPh>") if runs else b"<t>" + escaped + b"</t>"
                cells.append(b"<c" + ref.encode() + b' t="inlineStr"><is>' + body + b"</is></c>")
        xml_rows.append(b"<row" + (f' r="{r}"'.encode() if numbered else b"") + b">" + b"".join(cells) + b"</row>")
    dimension = draw(st.sampled_from(["", "A1", "A1:C2", f"A1:C{len(rows)}", "A1:Z9999", "garbage"]))
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + MAIN + b">"
             + (f'<dimension ref="{dimension}"/>'.encode() if dimension else b"")
             + b"<sheetData>" + b"".join(xml_rows) + b"</sheetData></worksheet>")
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst ' + MAIN + b">"
           + b"".join(b"<si><t>" + s.replace("&", "&amp;").replace("<", "&lt;").encode() + b"</t></si>"
                      for s in strings) + b"</sst>")
    parts = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS, "xl/workbook.xml": WORKBOOK,
             "xl/_rels/workbook.xml.rels": WORKBOOK_RELS, "xl/worksheets/sheet1.xml": sheet,
             "xl/sharedStrings.xml": sst}
    out = io.BytesIO()
    method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    with zipfile.ZipFile(out, "w", compression=method) as archive:
        for name in draw(st.permutations(sorted(parts))):
            archive.writestr(name, parts[name])
    return out.getvalue(), rows


def read(raw: bytes) -> roster.Table | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "people.xlsx"
        path.write_bytes(raw)
        try:
            return roster.read_table(path)
        except RosterError as exc:
            message = str(exc)
            assert message.startswith("people.xlsx ") and "\n" not in message, message
            return None


@EXAMPLES
@given(workbooks())
def test_every_row_of_a_workbook_is_read_whatever_its_dimension_says(case: tuple[bytes, list[list[str]]]) -> None:
    raw, rows = case
    table = read(raw)
    assert table is not None
    assert [table.headers, *table.rows] == rows
    assert table.lines == list(range(2, len(rows) + 1))


def _lie_about_sizes(raw: bytes, size: int) -> bytes:
    """Every size field of the zip (local headers and central directory) set to ``size``."""
    data = bytearray(raw)
    for match in re.finditer(rb"PK\x03\x04", data):
        data[match.start() + 22: match.start() + 26] = struct.pack("<I", size)
    for match in re.finditer(rb"PK\x01\x02", data):
        data[match.start() + 24: match.start() + 28] = struct.pack("<I", size)
    return bytes(data)


@EXAMPLES
@given(workbooks(), st.data())
def test_a_damaged_workbook_structure_is_read_or_refused_in_one_sentence(case: tuple[bytes, list[list[str]]],
                                                                        data: st.DataObject) -> None:
    raw, _rows = case
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    damage = data.draw(st.sampled_from(["index", "drop", "depth", "doctype", "sizes", "row", "column"]))
    if damage == "index":  # a shared string that is not there
        parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(b't="s"><v>0', b't="s"><v>9999')
    elif damage == "drop":
        del parts[data.draw(st.sampled_from(sorted(parts)))]
    elif damage == "depth":
        parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(
            b"<si>", b"<si>" + b"<x>" * data.draw(st.integers(50, 5000)), 1)
    elif damage == "doctype":
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
            b"?><workbook", b'?><!DOCTYPE workbook [<!ENTITY e "x">]><workbook')
    elif damage == "row":
        parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
            b"<row", f'<row r="{data.draw(st.sampled_from(["0", "-1", "x", "1048577", "99999999999"]))}"'.encode(), 1)
    elif damage == "column":
        parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
            b"<c", f'<c r="{data.draw(st.sampled_from(["XFE1", "ZZZZZZZ1", "A", "1"]))}"'.encode(), 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    raw = out.getvalue()
    if damage == "sizes":
        raw = _lie_about_sizes(raw, data.draw(st.sampled_from([0, 1, 100, 2**31])))
    read(raw)  # a table or a sentence: anything else escapes and fails


# --- subtitles: cues glued together --------------------------------------------------------

TEXT_LINE = st.text(alphabet=st.sampled_from("abc XYZ.,!?نصትግ<i>/"), min_size=1, max_size=20).filter(
    lambda line: line.strip() and not line.strip().isdigit())


@st.composite
def cues(draw: st.DrawFn) -> list[tuple[int, int, list[str]]]:
    count = draw(st.integers(1, 40))
    starts = sorted(draw(st.lists(st.integers(0, 10**7), min_size=count, max_size=count)))
    return [(start, start + draw(st.integers(0, 10**5)), draw(st.lists(TEXT_LINE, min_size=1, max_size=3)))
            for start in starts]


def _clock(ms: int, separator: str) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{separator}{ms % 1000:03d}"


@EXAMPLES
@given(cues(), st.sampled_from(["srt", "vtt"]), st.lists(st.booleans(), min_size=40, max_size=40),
       st.booleans())
def test_cues_without_blank_lines_between_them_are_the_same_cues(cases: list[tuple[int, int, list[str]]], fmt: str,
                                                                  blank: list[bool], counters: bool) -> None:
    separator = "," if fmt == "srt" else "."
    counters = counters and fmt == "srt"  # a WebVTT identifier glued under a cue is that cue's text
    blocks = [(f"{n}\n" if counters else "") + f"{_clock(a, separator)} --> {_clock(b, separator)}\n" + "\n".join(lines)
              for n, (a, b, lines) in enumerate(cases, 1)]
    tidy = ("WEBVTT\n\n" if fmt == "vtt" else "") + "\n\n".join(blocks) + "\n"
    glued = ("WEBVTT\n\n" if fmt == "vtt" else "") + "".join(
        block + ("\n\n" if blank[i] else "\n") for i, block in enumerate(blocks))
    expected, problems = parse_subtitles(tidy, fmt=fmt)
    assert not problems and len(expected) == len(cases)
    found, problems = parse_subtitles(glued, fmt=fmt)
    assert not problems
    assert [(c.start_ms, c.end_ms, c.markup) for c in found] == [(c.start_ms, c.end_ms, c.markup) for c in expected]


# --- MP4 boxes nested at random ------------------------------------------------------------------

KINDS = [b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stsd", b"hdlr", b"mvhd", b"free", b"udta", b"meta"]


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


BOXES = st.recursive(
    st.builds(_box, st.sampled_from(KINDS), st.binary(max_size=40)),
    lambda inner: st.builds(lambda kind, children: _box(kind, b"".join(children)), st.sampled_from(KINDS),
                            st.lists(inner, max_size=4)),
    max_leaves=30)


@st.composite
def films(draw: st.DrawFn) -> bytes:
    moov = draw(BOXES)
    if draw(st.booleans()):  # a chain nested deeper than any film
        for _ in range(draw(st.integers(1, 3_000))):
            moov = _box(draw(st.sampled_from([b"trak", b"moov", b"mdia", b"stbl"])), moov)
    moov = _box(b"moov", moov)
    head = _box(b"ftyp", b"isom\x00\x00\x02\x00isomavc1")
    tail = _box(b"mdat", bytes(draw(st.integers(0, 64))))
    return head + moov + tail


@EXAMPLES
@given(films())
def test_boxes_nested_at_random_are_a_film_or_a_sentence(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "germany-jena.mp4"
        path.write_bytes(raw)
        problem = check_container(path)
        assert problem is None or (problem.startswith(str(path)) and "\n" not in problem)
        duration = mp4_duration_ms(path)
        assert duration is None or isinstance(duration, int)


@pytest.mark.parametrize("depth", [15, 16, 17, 2_000])
def test_the_depth_limit_is_exact(tmp_path: Path, depth: int) -> None:
    inner = b""
    for _ in range(depth):
        inner = _box(b"trak", inner)
    path = tmp_path / "film.mp4"
    path.write_bytes(_box(b"ftyp", b"isom\x00\x00\x02\x00isom") + _box(b"moov", inner) + _box(b"mdat", bytes(8)))
    problem = check_container(path)
    assert (problem is None) == (depth + 1 <= 16), problem  # 'moov' and the 'trak' boxes inside it
