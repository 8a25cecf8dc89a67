"""Reading the first sheet of an XLSX roster without believing what the workbook says of
itself (``co_app.core.people.roster_table``).

openpyxl's read-only mode trusts a sheet's ``<dimension>`` record, and some exporters write
it wrong: the rows past it were dropped without a word.  It also reads whole parts before
anything is checked, so a 1.5 MB workbook of 5 million rows took minutes and more than a
gigabyte before the row limit refused it.  So the roster streams the parts it needs — the
workbook and its relationships, the shared strings, the styles (for dates), the first
worksheet — through expat, and checks *while* reading: the size of each part once
uncompressed, the number of parts, rows, cells and shared strings, and how deep elements
nest; a document type declaration (the way to entity bombs) is refused.  The cells come
out as openpyxl gives them in ``data_only`` mode (a formula's cached result, a date by its
number format), as text.  Every refusal is one ``RosterError`` naming the file.
"""

from __future__ import annotations

import io
import posixpath
import struct
import threading
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable
from xml.parsers import expat

from co_app.core.foundation.errors import Cancelled, sentence
from co_app.core.foundation.i18n import N_
from co_app.core.people.roster_table import RosterError

#: A part of a roster workbook is never this large once uncompressed (a 20,000-row sheet
#: of Arabic names written as inline strings is about 25 MB): a larger one is a zip bomb.
MAX_PART_BYTES = 64 * 1024 * 1024
#: Parts in the zip (a workbook has a few dozen; every entry costs memory to list).
MAX_PARTS = 5_000
#: ``<row>`` elements in the sheet, empty ones included (formatted, never filled in).
MAX_ROW_ELEMENTS = 200_000
#: Cells kept, counting the empty ones before a row's last value.
MAX_CELLS = 2_000_000
MAX_SHARED_STRINGS = 1_000_000
MAX_DEPTH = 64
LAST_ROW, LAST_COLUMN = 1_048_576, 16_384  # Excel's own limits: a reference past them is damage
CHUNK = 256 * 1024

_DAMAGED = N_("{file} is not a readable XLSX workbook (it may be damaged or cut short).")


@dataclass
class Sheet:
    """The non-empty rows of the first worksheet: each row's cells as text, and its number."""

    rows: list[list[str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)


class _Stop(Exception):
    """Raised inside an expat handler to refuse the file; carries the sentence."""


def cell_text(value: Any) -> str:
    """A cell's value as the roster reads it: whole numbers without ".0", dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_first_sheet(name: str, raw: bytes, *, max_rows: int, cancel: threading.Event | None = None) -> Sheet:
    """The first worksheet of the workbook ``raw`` (the file ``name``), header row included.

    More than ``max_rows`` rows of people (non-empty rows after the first) is refused as soon
    as the next one is read, like every other limit above."""
    _check_part_count(name, raw)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return _Workbook(name, archive, cancel).first_sheet(max_rows)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, KeyError, EOFError,
            NotImplementedError, OSError, ValueError, RuntimeError) as exc:  # RuntimeError: an encrypted part
        raise RosterError(sentence(_DAMAGED, file=name)) from exc


def _check_part_count(name: str, raw: bytes) -> None:
    """The zip's own count of its parts, read before ``zipfile`` lists them all in memory."""
    end = raw.rfind(b"PK\x05\x06", max(0, len(raw) - 65_557))
    if end < 0 or len(raw) < end + 22:
        raise RosterError(sentence(_DAMAGED, file=name))
    entries = struct.unpack("<H", raw[end + 10 : end + 12])[0]
    if entries > MAX_PARTS:
        raise RosterError(sentence(N_("{file} holds {count} parts, more than an XLSX workbook ever does; it is "
                                      "not a roster that can be read."), file=name, count=entries))


def _local(name: str) -> str:
    """An element or attribute name without its namespace ("uri local" from expat)."""
    return name.rpartition(" ")[2]


def _attr(attrs: dict[str, str], local: str) -> str | None:
    if local in attrs:
        return attrs[local]
    return next((value for key, value in attrs.items() if _local(key) == local), None)


class _Workbook:
    def __init__(self, name: str, archive: zipfile.ZipFile, cancel: threading.Event | None) -> None:
        self.name, self.archive, self.cancel = name, archive, cancel

    def refuse(self, template: str, **params: object) -> _Stop:
        return _Stop(sentence(template, file=self.name, **params))

    def parse(self, part: str, start: Callable, end: Callable | None = None, text: Callable | None = None) -> bool:
        """Stream one part through expat, checking its size and depth; False when it is absent."""
        try:
            info = self.archive.getinfo(part)
        except KeyError:
            return False
        if info.file_size > MAX_PART_BYTES:
            raise self.refuse(N_("{file} is too large once unpacked (one of its parts is {size} MB; a roster's are "
                                 "at most {limit} MB): it is not a roster that can be read."),
                              size=info.file_size // 2**20, limit=MAX_PART_BYTES // 2**20)
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.buffer_text = True
        depth = 0

        def refuse_dtd(*_args: object) -> None:
            raise _Stop(sentence(_DAMAGED, file=self.name))

        def on_start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal depth
            depth += 1
            if depth > MAX_DEPTH:
                raise _Stop(sentence(_DAMAGED, file=self.name))
            start(_local(tag), attrs)

        def on_end(tag: str) -> None:
            nonlocal depth
            depth -= 1
            if end is not None:
                end(_local(tag))

        parser.StartDoctypeDeclHandler = refuse_dtd
        parser.EntityDeclHandler = refuse_dtd
        parser.StartElementHandler, parser.EndElementHandler = on_start, on_end
        if text is not None:
            parser.CharacterDataHandler = text
        read = 0
        with self.archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                read += len(chunk)
                if read > MAX_PART_BYTES:  # the zip's own size was a lie (zipfile stops there too)
                    raise self.refuse(_DAMAGED)
                if self.cancel is not None and self.cancel.is_set():
                    raise Cancelled(sentence(N_("Reading {file} was cancelled."), file=self.name))
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        return True

    def first_sheet(self, max_rows: int) -> Sheet:
        try:
            return self._first_sheet(max_rows)
        except _Stop as stop:
            raise RosterError(str(stop)) from None
        except expat.ExpatError as exc:
            raise RosterError(sentence(_DAMAGED, file=self.name)) from exc

    def _first_sheet(self, max_rows: int) -> Sheet:
        book = self.parse_rels("_rels/.rels")
        workbook = next((target for kind, target in book.values() if kind.endswith("/officeDocument")),
                        "xl/workbook.xml")
        sheets, date1904 = self.parse_workbook(workbook)
        rels = self.parse_rels(posixpath.join(posixpath.dirname(workbook), "_rels",
                                              posixpath.basename(workbook) + ".rels"))
        worksheet = next((rels[rid][1] for rid in sheets if rid in rels and rels[rid][0].endswith("/worksheet")),
                         None)
        if worksheet is None:
            raise self.refuse(N_("{file} has no worksheet."))
        part_of = {kind.rpartition("/")[2]: target for kind, target in rels.values()}
        strings = self.parse_strings(part_of.get("sharedStrings", "xl/sharedStrings.xml"))
        date_styles = self.parse_date_styles(part_of.get("styles", "xl/styles.xml"))
        reader = _SheetReader(self, strings, date_styles, date1904, max_rows)
        if not self.parse(worksheet, reader.start, reader.end, reader.text):
            raise self.refuse(_DAMAGED)
        return reader.sheet

    def parse_rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, the target's part name)."""
        found: dict[str, tuple[str, str]] = {}
        base = posixpath.dirname(posixpath.dirname(part))  # "xl/_rels/workbook.xml.rels" → "xl"

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag == "Relationship" and attrs.get("Id") and attrs.get("Target"):
                target = attrs["Target"]
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(base, target))
                found[attrs["Id"]] = (attrs.get("Type", ""), target)

        self.parse(part, start)
        return found

    def parse_workbook(self, part: str) -> tuple[list[str], bool]:
        """The sheets' relationship ids in order, and whether dates count from 1904."""
        sheets: list[str] = []
        date1904 = False

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal date1904
            if tag == "sheet":
                rid = _attr(attrs, "id")
                if rid:
                    sheets.append(rid)
            elif tag == "workbookPr":
                date1904 = attrs.get("date1904", "").lower() in ("1", "true")

        if not self.parse(part, start):
            raise self.refuse(_DAMAGED)
        return sheets, date1904

    def parse_strings(self, part: str) -> list[str]:
        reader = _StringsReader(self)
        self.parse(part, reader.start, reader.end, reader.text)
        return reader.strings

    def parse_date_styles(self, part: str) -> tuple[frozenset[int], frozenset[int]]:
        """The cell styles whose number format is a date, and those that are a duration."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        custom: dict[int, str] = {}
        styles: list[int] = []
        where: list[str] = []

        def start(tag: str, attrs: dict[str, str]) -> None:
            where.append(tag)
            if tag == "numFmt" and attrs.get("numFmtId", "").isdigit():
                custom[int(attrs["numFmtId"])] = attrs.get("formatCode", "")
            elif tag == "xf" and len(where) >= 2 and where[-2] == "cellXfs":
                number = attrs.get("numFmtId", "0")
                styles.append(int(number) if number.isdigit() else 0)

        self.parse(part, start, lambda _tag: where.pop())
        dates, durations = set(), set()
        for index, number in enumerate(styles):
            code = custom.get(number, BUILTIN_FORMATS.get(number, ""))  # as openpyxl decides
            if code and is_date_format(code):
                dates.add(index)
                if is_timedelta_format(code):
                    durations.add(index)
        return frozenset(dates), frozenset(durations)


class _StringsReader:
    """The shared strings: each ``<si>``'s text (its ``<t>``, or its runs' ``<t>``; the
    phonetic guide ``<rPh>`` left out), counted and limited while read."""

    def __init__(self, book: _Workbook) -> None:
        self.book, self.strings = book, []
        self.parts: list[str] | None = None
        self.in_text = self.in_phonetic = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "si":
            self.parts = []
            if len(self.strings) >= MAX_SHARED_STRINGS:
                raise self.book.refuse(N_("{file} holds more than {count} different texts, more than a roster "
                                          "ever does; it is not a roster that can be read."),
                                       count=MAX_SHARED_STRINGS)
        elif tag == "rPh":
            self.in_phonetic = True
        elif tag == "t":
            self.in_text = True

    def end(self, tag: str) -> None:
        if tag == "si" and self.parts is not None:
            self.strings.append("".join(self.parts).replace("x005F_", ""))  # as openpyxl reads them
            self.parts = None
        elif tag == "rPh":
            self.in_phonetic = False
        elif tag == "t":
            self.in_text = False

    def text(self, data: str) -> None:
        if self.in_text and not self.in_phonetic and self.parts is not None:
            self.parts.append(data)


def _column(reference: str) -> int:
    """The column number of a cell reference ("C12" → 3); 0 when it has no letters."""
    number = 0
    for char in reference:
        if not ("A" <= char <= "Z" or "a" <= char <= "z"):
            break
        number = number * 26 + (ord(char.upper()) - 64)
        if number > LAST_COLUMN:
            break
    return number


class _SheetReader:
    """The worksheet's rows as they stream by: each cell's value turned into text as openpyxl
    gives it with ``data_only``, every limit checked on the way."""

    def __init__(self, book: _Workbook, strings: list[str], date_styles: tuple[frozenset[int], frozenset[int]],
                 date1904: bool, max_rows: int) -> None:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

        self.book, self.strings, self.max_rows = book, strings, max_rows
        self.dates, self.durations = date_styles
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.sheet = Sheet()
        self.row_elements = self.row_number = self.column = self.cells = 0
        #: The sheet's text with its shared strings put in: one 1 MB shared string named by
        #: 57,000 cells is 57 GB for the rows' checks, which ran for hours (a fresh-eyes attack).
        self.text_chars = 0
        self.row: dict[int, str] = {}
        self.cell: dict[str, str] = {}
        self.value: list[str] | None = None
        self.inline: list[str] | None = None
        self.in_value = self.in_text = self.in_phonetic = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "c":
            self.start_cell(attrs)
        elif tag == "v" and self.cell:
            self.value, self.in_value = [], True
        elif tag == "is" and self.cell:
            self.inline = []
        elif tag == "t":
            self.in_text = True
        elif tag == "rPh":
            self.in_phonetic = True
        elif tag == "row":
            self.start_row(attrs)

    def end(self, tag: str) -> None:
        if tag == "c":
            self.end_cell()
        elif tag == "v":
            self.in_value = False
        elif tag == "t":
            self.in_text = False
        elif tag == "rPh":
            self.in_phonetic = False
        elif tag == "row":
            self.end_row()

    def text(self, data: str) -> None:
        if self.in_value and self.value is not None:
            self.value.append(data)
        elif self.inline is not None and self.in_text and not self.in_phonetic:
            self.inline.append(data)

    def start_row(self, attrs: dict[str, str]) -> None:
        self.row_elements += 1
        if self.row_elements > MAX_ROW_ELEMENTS:
            raise self.book.refuse(N_("{file} has more than {count} rows, empty ones included; a roster can have "
                                      "at most {limit} rows of people."), count=MAX_ROW_ELEMENTS, limit=self.max_rows)
        number = attrs.get("r")
        if number is None:
            self.row_number += 1
        elif number.isdigit() and 0 < int(number) <= LAST_ROW:
            self.row_number = int(number)
        else:
            raise self.book.refuse(_DAMAGED)
        self.row, self.column = {}, 0

    def end_row(self) -> None:
        if not self.row:
            return
        width = max(self.row) if self.row else 0
        self.cells += width
        if self.cells > MAX_CELLS:
            raise self.book.refuse(N_("{file} has more than {count} cells, more than a roster ever does; it is not "
                                      "a roster that can be read."), count=MAX_CELLS)
        self.sheet.rows.append([self.row.get(column, "") for column in range(1, width + 1)])
        self.sheet.numbers.append(self.row_number)
        if len(self.sheet.rows) > self.max_rows + 1:  # the first non-empty row is the header
            raise self.book.refuse(N_("{file} has more than {limit} rows of people; a roster can have at most "
                                      "{limit}."), limit=self.max_rows)
        self.row = {}

    def start_cell(self, attrs: dict[str, str]) -> None:
        reference = attrs.get("r")
        self.column = _column(reference) if reference else self.column + 1
        if not 0 < self.column <= LAST_COLUMN:
            raise self.book.refuse(_DAMAGED)
        self.cell = {"t": attrs.get("t", "n"), "s": attrs.get("s", "0")}
        self.value = self.inline = None

    def end_cell(self) -> None:
        kind, style = self.cell.get("t", "n"), self.cell.get("s", "0")
        value = "".join(self.value) if self.value else None
        if kind == "inlineStr":
            text = cell_text("".join(self.inline)) if self.inline is not None else ""
        else:
            text = cell_text(self.typed(kind, value, int(style) if style.isdigit() else 0)) if value else ""
        if text:
            self.row[self.column] = text
            self.text_chars += len(text)
            if self.text_chars > MAX_PART_BYTES:  # as large as the sheet written with its texts inline may be
                raise self.book.refuse(N_("{file} is too large once unpacked (one of its parts is {size} MB; a "
                                          "roster's are at most {limit} MB): it is not a roster that can be read."),
                                       size=self.text_chars // 2**20, limit=MAX_PART_BYTES // 2**20)
        self.cell, self.value, self.inline, self.in_value = {}, None, None, False

    def typed(self, kind: str, value: str, style: int) -> Any:
        """The value as openpyxl gives it: a number, a date, a shared string, True/False."""
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        if kind == "s":
            index = int(value) if value.strip().isdigit() else -1
            if not 0 <= index < len(self.strings):
                raise self.book.refuse(_DAMAGED)
            return self.strings[index]
        if kind == "b":
            return value.strip() not in ("0", "")
        if kind == "d":
            try:
                return from_ISO8601(value.strip())
            except (ValueError, TypeError, OverflowError):
                return value
        if kind != "n":
            return value  # "str" (a formula's text), "e" (an error such as #N/A)
        try:
            number: float = float(value) if any(c in value for c in ".eE") else int(value)
        except ValueError:
            return value
        if style in self.dates:
            try:
                return from_excel(number, self.epoch, timedelta=style in self.durations)
            except (OverflowError, ValueError, TypeError):
                return "#VALUE!"  # what openpyxl makes of a date serial outside the calendar
        return number
