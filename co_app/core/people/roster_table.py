"""Reading a roster file and its columns: ``read_table`` reads a CSV (any common encoding
and delimiter, through ``co_app.core.foundation.textdecode``) or the first sheet of an XLSX
workbook, a bad file being one ``RosterError`` naming it; ``guess_mapping`` proposes which
column holds which field from the headers (English, French or Arabic) and
``mapping_problems`` says what is wrong with a mapping (``co_app.core.people.roster``)."""

from __future__ import annotations

import csv
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from co_app.core.foundation.errors import CoError, Notice, sentence
from co_app.core.foundation.i18n import N_, _, ngettext
from co_app.core.foundation.safe_read import FileTooLargeError, NotRegularFileError, read_regular_file
from co_app.core.foundation.textdecode import (
    BinaryDataError,
    DamagedBomError,
    TextDecodeError,
    decode_text,
    encoding_label,
    encoding_mix,
    unicode_family,
)
from co_app.core.people import roster_values as parse

#: The fields a column can hold, in the order the mapping offers them.
FIELDS = ("case_number", "given_name", "family_name", "full_name", "sex", "birth_year", "age", "age_group",
          "nationality", "languages", "destination", "needs", "consent", "consent_date")
FIELD_LABELS = {
    "case_number": N_("Case number"), "given_name": N_("Given name"), "family_name": N_("Family name"),
    "full_name": N_("Full name (given names, then family name)"), "sex": N_("Sex"),
    "birth_year": N_("Birth year or date of birth"), "age": N_("Age in years"), "age_group": N_("Age group"),
    "nationality": N_("Nationality"), "languages": N_("Languages"), "destination": N_("Destination town"),
    "needs": N_("Needs"), "consent": N_("Consent"), "consent_date": N_("Consent date"),
}
#: Header spellings (compared after ``normalise``), English, French and Arabic.
HEADERS = {
    "case_number": ["case", "case number", "case no", "case nr", "case id", "case #", "case ref", "file number",
                    "unhcr case", "progres case", "numero de dossier", "n dossier", "dossier", "numero du cas",
                    "رقم الحالة", "رقم الملف", "رقم القضية"],
    "given_name": ["given name", "given names", "first name", "firstname", "forename", "prenom", "prenoms",
                   "الاسم الأول", "الاسم الاول", "الاسم"],
    "family_name": ["family name", "last name", "lastname", "surname", "nom", "nom de famille",
                    "اسم العائلة", "الكنية", "اللقب", "العائلة"],
    "full_name": ["full name", "name", "names", "nom complet", "nom et prenom", "الاسم الكامل", "الاسم الثلاثي"],
    "sex": ["sex", "gender", "sexe", "genre", "الجنس", "النوع"],
    "birth_year": ["birth year", "year of birth", "yob", "date of birth", "dob", "birth date", "birthdate",
                   "annee de naissance", "date de naissance", "سنة الميلاد", "تاريخ الميلاد", "تاريخ الولادة"],
    "age": ["age", "age years", "العمر", "السن"],
    "age_group": ["age group", "age range", "age bracket", "tranche d age", "groupe d age", "الفئة العمرية"],
    "nationality": ["nationality", "citizenship", "country of origin", "origin", "nationalite", "pays d origine",
                    "الجنسية", "بلد الأصل"],
    "languages": ["language", "languages", "spoken languages", "mother tongue", "langue", "langues",
                  "اللغة", "اللغات"],
    "destination": ["destination", "destination town", "town", "city", "municipality", "ville", "commune",
                    "ville de destination", "الوجهة", "المدينة", "مدينة الوصول"],
    "needs": ["needs", "special needs", "specific needs", "besoins", "besoins specifiques", "الاحتياجات",
              "احتياجات خاصة"],
    "consent": ["consent", "consent given", "consentement", "الموافقة"],
    "consent_date": ["consent date", "date of consent", "date du consentement", "date de consentement",
                     "تاريخ الموافقة"],
}
MAX_ROWS = 20_000


class RosterError(CoError):
    """The file cannot be read as a roster; the message names it."""


@dataclass(frozen=True)
class Table:
    """A spreadsheet's cells as text, with each data row's line (CSV) or row (XLSX) number."""

    source: str
    headers: list[str]
    rows: list[list[str]]
    lines: list[int]
    #: How it was read: "xlsx", or the CSV's encoding and delimiter ("windows-1256, ;").
    detail: str = ""
    #: The CSV's encoding as people name it ("UTF-8", "Windows-1256"); "" for a workbook.
    encoding: str = ""
    #: The CSV's delimiter ("," ";" "\t" "|"); "" for a workbook.
    delimiter: str = ""


# --- reading the file ---------------------------------------------------------------

#: A roster file is never this large (20,000 people in a CSV is a few MB): a larger one is
#: the wrong file, and is refused before it is read into memory.
MAX_FILE_BYTES = 32 * 1024 * 1024


def read_table(path: Path, *, cancel: threading.Event | None = None) -> Table:
    """The first sheet (XLSX) or the whole file (CSV), header row first; empty rows dropped.

    Every limit is checked while the file is read (its size, the rows, an XLSX's parts once
    unpacked), so a hostile file is refused at once, in one sentence naming it.  ``cancel``
    stops the reading of a workbook between chunks (``Cancelled``)."""
    raw = _read_bytes(path)
    if not raw.strip():
        raise RosterError(sentence(N_("{file} is empty."), file=path.name))
    if raw.startswith(b"PK\x03\x04") or path.suffix.lower() in (".xlsx", ".xlsm"):
        table = _read_xlsx(path, raw, cancel)
    elif raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterError(sentence(N_("{file} is an old Excel (.xls) workbook; save it as .xlsx or .csv and try "
                                      "again."), file=path.name))
    else:
        table = _read_csv(path, raw)
    if not table.headers or not any(h.strip() for h in table.headers):
        raise RosterError(sentence(N_("{file} has no header row with column names."), file=path.name))
    if not table.rows:
        raise RosterError(sentence(N_("{file} has column names but no rows of people."), file=path.name))
    return table


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refused when it is not a regular file (a FIFO would wait for a
    writer forever, a device never ends) or larger than ``MAX_FILE_BYTES``."""
    try:
        return read_regular_file(path, MAX_FILE_BYTES)
    except NotRegularFileError:
        raise RosterError(sentence(N_("{file} is not a regular file (a device, a pipe or a folder); choose the "
                                      "roster file itself."), file=path.name)) from None
    except FileTooLargeError:
        raise RosterError(sentence(N_("{file} is larger than {limit} MB: too large to be a roster."),
                                   file=path.name, limit=MAX_FILE_BYTES // 2**20)) from None
    except OSError as exc:
        raise RosterError(sentence(N_("Cannot read {file}: {reason}."), file=path.name,
                                   reason=exc.strerror or exc)) from exc


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    """The CSV's text and its encoding as the table reports it ("utf-8", "utf-16", "cp1256")."""
    mix = encoding_mix(raw)
    if mix is not None:
        raise RosterError(sentence(N_("{file} mixes two text encodings: {utf8} in UTF-8, {other} in another one; "
                                      "save the whole file again as UTF-8 (in Excel: CSV UTF-8) and try again."),
                                   file=path.name, utf8=line_list(mix.utf8_lines),
                                   other=line_list(mix.other_lines)))
    try:
        text, encoding = decode_text(raw, sample=DETECTION_SAMPLE)
    except DamagedBomError as err:
        name = unicode_family(err.encoding) or err.encoding
        raise RosterError(sentence(N_("{file} cannot be read: it begins as {encoding} text but is damaged or cut "
                                      "short."), file=path.name, encoding=name.upper())) from None
    except BinaryDataError:
        raise RosterError(sentence(N_("{file} is not a spreadsheet (CSV or XLSX) that can be read."),
                                   file=path.name)) from None
    except TextDecodeError:
        raise RosterError(sentence(N_("{file} is not a text file in an encoding that can be recognised."),
                                   file=path.name)) from None
    return text, unicode_family(encoding) or encoding


def line_list(numbers: tuple[int, ...] | list[int], most: int = 6) -> str:
    """Line numbers for a sentence, runs joined: "line 4", "lines 2–5, 9 and 12", "lines 2–5, 9, 12… (40 lines)"."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    shown = [str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs[:most]]
    if len(runs) > most:
        return ngettext("line {lines}… ({count} line)", "lines {lines}… ({count} lines)", len(numbers)).format(
            lines=", ".join(shown), count=len(numbers))
    if len(numbers) == 1:
        return _("line {line}").format(line=shown[0])
    if len(shown) == 1:
        return _("lines {lines}").format(lines=shown[0])
    return _("lines {lines} and {last}").format(lines=", ".join(shown[:-1]), last=shown[-1])


def _too_many_rows(path: Path) -> RosterError:
    return RosterError(sentence(N_("{file} has more than {limit} rows of people; a roster can have at most "
                                   "{limit}."), file=path.name, limit=MAX_ROWS))


#: A legacy code page is recognised from the CSV's first megabyte (20,000 people is a few MB).
DETECTION_SAMPLE = 1024 * 1024
#: Lines a CSV roster may have before it is decoded: 20,000 people are 20,000 lines, a few
#: more with cells over several lines; a file of millions of short lines is refused unread.
MAX_CSV_LINES = 100_000


def _read_csv(path: Path, raw: bytes) -> Table:
    if raw.count(b"\n") > MAX_CSV_LINES:
        raise RosterError(sentence(N_("{file} has more than {lines} lines; a roster can have at most {limit} rows "
                                      "of people."), file=path.name, lines=MAX_CSV_LINES, limit=MAX_ROWS))
    text, encoding = _decode(path, raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = next((line for line in _lines(text) if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    delimiter = max(counts, key=counts.get)  # type: ignore[arg-type]
    if counts[delimiter] == 0:
        delimiter = ","
    reader = csv.reader(_lines(text), delimiter=delimiter)
    headers: list[str] | None = None
    rows, lines = [], []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            cells = [cell.strip() for cell in record]
            if headers is None:
                headers = cells
            else:
                rows.append(cells)
                lines.append(reader.line_num)
                if len(rows) > MAX_ROWS:
                    raise _too_many_rows(path)
    except csv.Error as exc:
        raise RosterError(sentence(N_("{file} is not a readable CSV file (line {line}: {problem})."),
                                   file=path.name, line=reader.line_num, problem=exc)) from exc
    shown = {"\t": "tab"}.get(delimiter, delimiter)
    return Table(path.name, headers or [], rows, lines, f"{encoding}, {shown}", encoding_label(encoding), delimiter)


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text``, each with its line end, one at a time (io.StringIO would hold the whole
    text again at four bytes a character: 128 MB for a 32 MB file)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _read_xlsx(path: Path, raw: bytes, cancel: threading.Event | None) -> Table:
    from co_app.core.people.roster_xlsx import read_first_sheet  # it needs RosterError from here

    sheet = read_first_sheet(path.name, raw, max_rows=MAX_ROWS, cancel=cancel)
    headers = sheet.rows[0] if sheet.rows else []
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1
    return Table(path.name, headers[:width], [r[:width] for r in sheet.rows[1:]], sheet.numbers[1:], "xlsx")


# --- the mapping --------------------------------------------------------------------


_HEADER_INDEX = {parse.fold(h): name for name, spellings in HEADERS.items() for h in spellings}


def guess_mapping(headers: list[str]) -> list[str | None]:
    """A field for each column where the header says which (each field at most once)."""
    mapping: list[str | None] = [None] * len(headers)
    used: set[str] = set()
    keys = [parse.fold(h) for h in headers]
    for i, key in enumerate(keys):  # exact spellings first
        name = _HEADER_INDEX.get(key)
        if name and name not in used:
            mapping[i], _ = name, used.add(name)
    by_length = sorted(_HEADER_INDEX.items(), key=lambda kv: -len(kv[0]))
    for i, key in enumerate(keys):  # then a known spelling inside a longer header
        if mapping[i] or not key:
            continue
        for spelling, name in by_length:
            if name not in used and len(spelling) > 3 and re.search(rf"(^| ){re.escape(spelling)}( |$)", key):
                mapping[i], _ = name, used.add(name)
                break
    if "full_name" in used and ({"given_name", "family_name"} & used):
        mapping = [None if m == "full_name" else m for m in mapping]
    return mapping


def mapping_problems(mapping: list[str | None]) -> list[Notice]:
    problems = []
    chosen = [m for m in mapping if m]
    for name in dict.fromkeys(m for m in chosen if chosen.count(m) > 1):
        problems.append(Notice(N_("Two columns are set to '{field}'; choose one."), field=FIELD_LABELS[name]))
    if not {"given_name", "family_name", "full_name"} & set(chosen):
        problems.append(Notice(N_("No column is set to a name: choose the column of the given name, "
                                  "the family name or the full name.")))
    if "case_number" not in chosen:
        problems.append(Notice(N_("No column is set to the case number: choose the column that holds it.")))
    if "birth_year" in chosen and "age" in chosen:
        problems.append(Notice(N_("Choose either the birth year or the age, not both.")))
    return problems
