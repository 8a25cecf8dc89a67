"""Rosters that try to fool or stall the reader (issue 19): an XLSX whose <dimension> says
fewer rows than it holds, a zip bomb, a sheet of millions of rows in a small file, entities,
a CSV mixing UTF-8 and Windows-1256 lines, a FIFO or /dev/zero given as the roster.  Each
is read whole or refused in one sentence naming the file; none may hang the test (the
readers that could are run in a child process with a timeout)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from co_app.core.foundation.i18n import set_language
from co_app.core.people import roster
from co_app.core.people.roster import RosterError
from co_app.core.people.roster_table import MAX_FILE_BYTES, line_list
from co_app.core.people.roster_xlsx import MAX_PART_BYTES, MAX_ROW_ELEMENTS

ROOT = Path(__file__).resolve().parents[3]
HEADER = ["Case number", "Given name", "Family name", "Year of birth"]
PEOPLE = [[f"SYR-24C{n:05d}", f"Amina{chr(97 + n)}", "Haddad", 1980 + n] for n in range(8)]
SHEET = "xl/worksheets/sheet1.xml"


def workbook_parts(rows: list[list[object]], *, shared: bool = True) -> dict[str, bytes]:
    """The parts of a workbook openpyxl writes with ``rows``; its text in shared strings, as
    Excel and LibreOffice write it (openpyxl writes inline strings)."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    return with_shared_strings(parts) if shared else parts


def with_shared_strings(parts: dict[str, bytes]) -> dict[str, bytes]:
    strings: list[bytes] = []

    def shared(match: re.Match[bytes]) -> bytes:
        strings.append(match.group(2))
        return match.group(1) + b' t="s"><v>' + str(len(strings) - 1).encode() + b"</v></c>"

    parts[SHEET] = re.sub(rb'(<c r="[A-Z]+\d+") t="inlineStr"><is><t>(.*?)</t></is></c>', shared, parts[SHEET])
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main">' + b"".join(b"<si><t>" + text + b"</t></si>" for text in strings) + b"</sst>")
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>'))
    return parts


def zipped(parts: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def sheet_of_rows(count: int, *, cells: bytes = b'<c t="inlineStr"><is><t>x</t></is></c>') -> bytes:
    """A worksheet of a header and ``count`` identical rows (they compress a thousandfold)."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><dimension ref="A1:B2"/><sheetData><row><c t="inlineStr"><is><t>Case '
            b'number</t></is></c><c t="inlineStr"><is><t>Given name</t></is></c></row>')
    return head + (b"<row>" + cells + cells + b"</row>") * count + b"</sheetData></worksheet>"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def refused(path: Path) -> str:
    with pytest.raises(RosterError) as caught:
        roster.read_table(path)
    message = str(caught.value)
    assert message.startswith(path.name) or path.name in message, message
    assert "\n" not in message and "Traceback" not in message
    return message


# --- XLSX: all the rows, whatever the dimension says ----------------------------------


def test_a_sheet_whose_dimension_says_fewer_rows_imports_all_of_them(tmp_path: Path) -> None:
    parts = workbook_parts([HEADER, *PEOPLE])
    parts[SHEET], replaced = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:D3"', parts[SHEET])
    assert replaced == 1
    table = roster.read_table(zipped(parts, tmp_path / "exported.xlsx"))
    assert len(table.rows) == len(PEOPLE) == 8
    assert table.lines == list(range(2, 10))
    assert table.rows[-1] == ["SYR-24C00007", "Aminah", "Haddad", "1987"]


def test_a_sheet_without_a_dimension_or_row_numbers_reads_every_row(tmp_path: Path) -> None:
    parts = workbook_parts([HEADER, *PEOPLE])
    sheet = re.sub(rb"<dimension[^>]*/>", b"", parts[SHEET])
    parts[SHEET] = re.sub(rb' r="[A-Z]*\d+"', b"", sheet)  # rows and cells without references
    table = roster.read_table(zipped(parts, tmp_path / "plain.xlsx"))
    assert [row[0] for row in table.rows] == [p[0] for p in PEOPLE] and table.lines == list(range(2, 10))


def test_values_read_as_openpyxl_gives_them(tmp_path: Path) -> None:
    """Dates by their number format, whole numbers without '.0', booleans, inline and rich
    strings, a phonetic guide left out, gaps between rows kept in the line numbers."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Case number", "Given name", "Date of birth", "Consent", "Age"])
    sheet.append(["C-1", "  Amina ", date(1988, 4, 5), True, 36.0])
    sheet.append(["C-2", "زهرا", datetime(1990, 1, 2, 10, 30), False, 7.5])
    sheet["A6"], sheet["B6"] = "C-3", "Omar"
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[SHEET], replaced = re.subn(  # Omar as a rich inline string with a phonetic guide
        rb'<c r="B6" t="inlineStr"><is><t>Omar</t></is></c>', b'<c r="B6" t="inlineStr"><is><r><t>Om</t></r>'
        b"<r><t>ar</t></r><rPh><t>oma</t></rPh></is></c>", parts[SHEET])
    assert replaced == 1
    parts = with_shared_strings(parts)  # the other texts, shared
    table = roster.read_table(zipped(parts, tmp_path / "values2.xlsx"))
    assert table.rows == [["C-1", "Amina", "1988-04-05", "True", "36"],
                          ["C-2", "زهرا", "1990-01-02 10:30:00", "False", "7.5"],
                          ["C-3", "Omar"]]
    assert table.lines == [2, 3, 6]


# --- XLSX: refused while reading -------------------------------------------------------


def test_a_zip_bomb_is_refused_by_the_size_it_unpacks_to(tmp_path: Path) -> None:
    parts = workbook_parts([HEADER])
    parts[SHEET] = parts[SHEET].replace(b"<sheetData>", b"<sheetData>" + b" " * (MAX_PART_BYTES + 1))
    path = zipped(parts, tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 200_000
    assert "is too large once unpacked" in refused(path)


def test_one_long_shared_string_named_by_many_cells_is_refused_while_reading(tmp_path: Path) -> None:
    """A 1 MB shared string named by 19,000 rows' cells (a 200 KB file) read fast, then the
    rows' checks went over 57 GB of text for hours: the sheet's text counted with its shared
    strings put in is held to the size of a part (found by a fresh-eyes attack)."""
    parts = workbook_parts([HEADER, ["x" * 100, "Amina", "Haddad", 1980]])
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(b"x" * 100, b"x" * 1_000_000)
    cells = b'<c t="s"><v>4</v></c>' * 3  # the fifth shared string: the long one
    header, _sep, rest = parts[SHEET].partition(b"</row>")  # the header row kept, the others replaced
    parts[SHEET] = header + b"</row>" + (b"<row>" + cells + b"</row>") * 100 + b"</sheetData>" + rest.partition(
        b"</sheetData>")[2]
    path = zipped(parts, tmp_path / "shared-bomb.xlsx")
    assert path.stat().st_size < 100_000
    assert "is too large once unpacked" in refused(path)


def test_a_part_that_lies_about_its_size_is_not_read_past_it(tmp_path: Path) -> None:
    """The zip's directory says the sheet is small; it unpacks to far more.  Reading stops at
    the size it declared, and the file is damaged."""
    parts = workbook_parts([HEADER, *PEOPLE])
    parts[SHEET] = sheet_of_rows(300_000)
    path = zipped(parts, tmp_path / "liar.xlsx")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(SHEET).header_offset
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(SHEET.encode()))  # the sheet's central directory entry
    data[local + 22: local + 26] = data[central + 24: central + 28] = (1024).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(SHEET).file_size == 1024
    assert "is not a readable XLSX workbook" in refused(path)


def test_millions_of_rows_in_a_small_file_are_refused_at_the_limit(tmp_path: Path) -> None:
    parts = workbook_parts([HEADER])
    parts[SHEET] = sheet_of_rows(500_000)
    path = zipped(parts, tmp_path / "many.xlsx")
    assert len(parts[SHEET]) < MAX_PART_BYTES and path.stat().st_size < 200_000
    assert refused(path) == "many.xlsx has more than 20000 rows of people; a roster can have at most 20000."


def test_rows_that_are_all_empty_count_too(tmp_path: Path) -> None:
    parts = workbook_parts([HEADER])
    parts[SHEET] = parts[SHEET].replace(b"</sheetData>", b"<row/>" * (MAX_ROW_ELEMENTS + 1) + b"</sheetData>")
    assert "has more than 200000 rows, empty ones included" in refused(zipped(parts, tmp_path / "empty.xlsx"))


@pytest.mark.parametrize("damage", [
    (b"<sheetData>", b"<sheetData>" + b"<x>" * 100 + b"</x>" * 100),  # nested deeper than any sheet
    (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst',
     b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><sst'),
    (b'<c r="A2" t="s"><v>', b'<c r="A2" t="s"><v>99'),  # a shared string that is not there
    (b'<row r="2"', b'<row r="99999999"'),  # past Excel's last row
    (b'<c r="A2"', b'<c r="ZZZZZ2"'),  # past Excel's last column
])
def test_damaged_structure_is_one_sentence(tmp_path: Path, damage: tuple[bytes, bytes]) -> None:
    parts = workbook_parts([HEADER, *PEOPLE])
    target = SHEET if damage[0] in parts[SHEET] else "xl/sharedStrings.xml"
    assert damage[0] in parts[target]
    parts[target] = parts[target].replace(damage[0], damage[1], 1)
    assert refused(zipped(parts, tmp_path / "damaged.xlsx")) == (
        "damaged.xlsx is not a readable XLSX workbook (it may be damaged or cut short).")


def test_too_many_shared_strings_or_zip_parts_are_refused(tmp_path: Path) -> None:
    parts = workbook_parts([HEADER, *PEOPLE])
    parts["xl/sharedStrings.xml"] = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                     + b"<si><t>x</t></si>" * 1_000_001 + b"</sst>")
    assert "holds more than 1000000 different texts" in refused(zipped(parts, tmp_path / "strings.xlsx"))
    parts = workbook_parts([HEADER, *PEOPLE])
    parts.update({f"junk/{n}": b"" for n in range(5_001)})
    assert "parts, more than an XLSX workbook ever does" in refused(zipped(parts, tmp_path / "parts.xlsx"))


def test_refusals_are_translated(tmp_path: Path) -> None:
    parts = workbook_parts([HEADER])
    parts[SHEET] = sheet_of_rows(20_001)
    path = zipped(parts, tmp_path / "many.xlsx")
    try:
        set_language("fr")
        message = refused(path)
    finally:
        set_language("en")
    assert "many.xlsx" in message and "20000" in message and "rows of people" not in message


# --- CSV: mixed encodings, too many rows ----------------------------------------------


def test_a_csv_mixing_utf8_and_windows_1256_lines_names_them(tmp_path: Path) -> None:
    lines = ["Case number;Given name;Family name", "SYR-1;أمينة;حداد", "SYR-2;عمر;حداد", "SYR-3;Yara;Khoury",
             "AFG-4;زهرا;رحيمي", "AFG-5;محمد;كريمي", "SYR-6;ليلى;نور"]
    raw = b"".join((line + "\r\n").encode("cp1256" if number in (5, 6) else "utf-8")
                   for number, line in enumerate(lines, 1))
    assert refused(write(tmp_path, "mixed.csv", raw)) == (
        "mixed.csv mixes two text encodings: lines 2–3 and 7 in UTF-8, lines 5–6 in another one; save the whole "
        "file again as UTF-8 (in Excel: CSV UTF-8) and try again.")


def test_one_legacy_encoding_throughout_is_still_read(tmp_path: Path) -> None:
    text = "Case number;Given name;Family name\r\nSYR-1;أمينة;حداد\r\nAFG-4;زهرا;رحيمي\r\n"
    table = roster.read_table(write(tmp_path, "arabic.csv", text.encode("cp1256")))
    assert table.encoding == "Windows-1256" and table.rows[1] == ["AFG-4", "زهرا", "رحيمي"]


def test_line_lists_join_runs_and_stop_after_a_few() -> None:
    assert line_list([4]) == "line 4"
    assert line_list([2, 3, 4, 5]) == "lines 2–5"
    assert line_list([2, 3, 4, 5, 9, 12]) == "lines 2–5, 9 and 12"
    assert line_list(list(range(2, 100, 2))) == "lines 2, 4, 6, 8, 10, 12… (49 lines)"


def test_a_csv_of_too_many_rows_is_refused_while_read(tmp_path: Path) -> None:
    raw = "Case number,Given name\n" + "SYR-1,Amina\n" * 20_001
    assert refused(write(tmp_path, "long.csv", raw.encode())) == (
        "long.csv has more than 20000 rows of people; a roster can have at most 20000.")


def test_a_roster_larger_than_the_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as f:
        f.write(b"Case number,Given name\n")
        f.truncate(MAX_FILE_BYTES + 1)
    assert refused(path) == "huge.csv is larger than 32 MB: too large to be a roster."


# --- files that are not files -------------------------------------------------------------


def read_in_child(path: Path) -> subprocess.CompletedProcess:
    """read_table in a child process: a regression that hangs (a FIFO waits for a writer
    forever) or eats memory fails here instead of hanging the suite."""
    code = ("import sys; from pathlib import Path; from co_app.core.people.roster import read_table, RosterError\n"
            "try:\n    read_table(Path(sys.argv[1]))\nexcept RosterError as exc:\n    print(exc)\n")
    return subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_a_roster_that_is_not_a_regular_file_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "roster.csv"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    done = read_in_child(path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == ("roster.csv is not a regular file (a device, a pipe or a folder); choose the "
                                   "roster file itself.")


def test_a_csv_of_too_many_lines_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    raw = ("Case number,Given name\n" + "SYR-1,Zoé\n" * 100_001).encode("cp1252")
    assert refused(write(tmp_path, "lines.csv", raw)) == (
        "lines.csv has more than 100000 lines; a roster can have at most 20000 rows of people.")


def test_a_legacy_code_page_is_recognised_from_a_sample_then_decodes_the_whole_file() -> None:
    from co_app.core.foundation.textdecode import UnknownEncodingError, decode_text

    names = ["أمينة;حداد", "عمر;الخطيب", "ليلى;نور", "محمد;العلي", "زينب;حسن", "يوسف;إبراهيم"]
    text = "Case number;Given name;Family name\n" + "".join(f"SYR-{n};{names[n % 6]}\n" for n in range(3_000))
    decoded = decode_text(text.encode("cp1256"), sample=1_000)
    assert decoded == (text, "cp1256")
    french = ("Nom;Prénom\n" + "Zoé;Hélène\n" * 500).encode("cp1252")
    assert decode_text(french, sample=1_000).encoding == "cp1252"
    with pytest.raises(UnknownEncodingError):  # 0x81 is no character of Windows-1252
        decode_text(french + b"Zo\x81\n", sample=1_000)
