"""Roster import from real CSV and XLSX files: encodings, delimiters, header guessing,
errors per row, all-or-nothing, "import the valid rows", updates instead of duplicates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from co_app.core.people import roster
from co_app.core.safety.audit import entries
from co_app.core.db.engine import Database, open_database
from co_app.core.db.models import AttendanceRecord, Household, Participant
from co_app.core.people.roster import RosterError
from co_app.core.sessions.service import create_session

TODAY = date(2025, 3, 10)
TOWNS = {"jena": ["Jena"], "somcuta-mare": ["Șomcuta Mare"], "biella": ["Biella"]}

GOOD = (
    "Case number,Given name,Family name,Sex,Year of birth,Nationality,Languages,Destination,Needs,Consent\n"
    "SYR-24C00012,Amina,Haddad,F,1988,Syria,\"Arabic, Kurdish\",Jena,literacy,yes\n"
    "SYR-24C00012,Omar,Haddad,M,2015,SY,ar,jena,,no\n"
    "ROU-24C00077,Ștefan,Popescu,male,21/03/1979,RO,Romanian,Somcuta Mare,,oui\n"
)
BAD = (
    "Case number,Given name,Family name,Sex,Year of birth,Nationality,Destination\n"
    "SYR-24C00012,Amina,Haddad,F,1988,SY,Jena\n"          # line 2: fine
    "SYR-24C00013,Yara,Khoury,F,19o8,SY,Jena\n"            # line 3: birth year
    "SYR-24C00014,,,M,1990,SY,Jena\n"                      # line 4: no name
    "SYR-24C00015,Sami,Nasser,maybe,1990,SY,Atlantis\n"    # line 5: sex and town
    "AFG-24C00016,Zahra,Rahimi,F,1995,AF,Biella\n"         # line 6: fine
)


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(tmp_path / "co_app.sqlite3")
    yield database
    database.dispose()


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def load(path: Path) -> roster.Preview:
    table = roster.read_table(path)
    return roster.preview(table, roster.guess_mapping(table.headers), towns=TOWNS, today=TODAY)


def names(db: Database) -> list[str]:
    with db.session() as s:
        rows = s.scalars(select(Participant).where(Participant.deleted_at.is_(None)))
        return sorted(f"{r.given_name} {r.family_name}" for r in rows)


def test_a_good_csv_with_a_bom_is_imported_with_households(tmp_path: Path, db: Database) -> None:
    result = load(write(tmp_path, "roster.csv", b"\xef\xbb\xbf" + GOOD.encode()))
    assert result.ok and result.table.headers[0] == "Case number"  # the BOM is not part of the header
    first = result.rows[0].data
    assert first is not None and first.languages == ("ar", "ku") and first.nationality == "SY"
    assert first.destination == "jena" and first.needs == ("literacy",) and first.consent
    third = result.rows[2].data
    assert third is not None and third.birth_year == 1979 and third.destination == "somcuta-mare"
    with db.session() as s:
        done = roster.import_roster(s, result)
    assert (done.added, done.updated, done.skipped) == (3, 0, 0)
    assert names(db) == ["Amina Haddad", "Omar Haddad", "Ștefan Popescu"]
    with db.session() as s:
        assert sorted(h.case_number for h in s.scalars(select(Household))) == ["ROU-24C00077", "SYR-24C00012"]
        assert "roster roster.csv: 3 added" in entries(s, action="import")[0].detail


def test_windows_1256_with_semicolons_and_arabic_headers(tmp_path: Path) -> None:
    text = ("رقم الحالة;الاسم الأول;اسم العائلة;الجنس;تاريخ الميلاد;الجنسية\n"
            "SYR-24C00020;محمد;الحسن;ذكر;1980-05-02;سوريا\n"
            "SYR-24C00020;فاطمة;الحسن;أنثى;1984;SY\n")
    result = load(write(tmp_path, "roster.csv", text, encoding="windows-1256"))
    assert "windows-1256" in result.table.detail.lower() or "cp1256" in result.table.detail.lower()
    assert result.mapping[:6] == ["case_number", "given_name", "family_name", "sex", "birth_year", "nationality"]
    assert result.ok, [str(p) for p in result.problems]
    assert [(r.data.given_name, r.data.sex, r.data.birth_year, r.data.nationality) for r in result.rows
            if r.data] == [("محمد", "male", 1980, "SY"), ("فاطمة", "female", 1984, "SY")]


def test_french_headers_and_an_xlsx_with_real_dates(tmp_path: Path, db: Database) -> None:
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(["N° dossier", "Prénom", "Nom de famille", "Sexe", "Date de naissance", "Âge", "Langues"])
    sheet.append(["COD-24C00031", "Grace", "Mukendi", "femme", datetime(1990, 7, 1), None, "Français; Lingala"])
    sheet.append([None, None, None, None, None, None, None])  # an empty row is skipped
    sheet.append(["COD-24C00031", "Baraka", "Mukendi", "h", None, None, "swahili"])
    path = tmp_path / "liste.xlsx"
    book.save(path)
    table = roster.read_table(path)
    mapping = roster.guess_mapping(table.headers)
    assert mapping == ["case_number", "given_name", "family_name", "sex", "birth_year", "age", "languages"]
    assert roster.mapping_problems(mapping)  # birth year and age both chosen: the user must pick one
    mapping[5] = None
    result = roster.preview(table, mapping, towns=TOWNS, today=TODAY)
    assert result.ok and table.lines == [2, 4]  # the sheet's own row numbers
    assert result.rows[0].data.birth_year == 1990 and result.rows[0].data.languages == ("fr", "ln")
    with db.session() as s:
        roster.import_roster(s, result)
    assert names(db) == ["Baraka Mukendi", "Grace Mukendi"]


def test_bad_rows_are_named_and_nothing_is_imported(tmp_path: Path, db: Database) -> None:
    result = load(write(tmp_path, "roster.csv", BAD))
    assert not result.ok
    problems = [(p.line, p.column) for p in result.problems]
    assert problems == [(3, "Year of birth"), (4, "Given name"), (5, "Sex"), (5, "Destination")]
    assert "'19o8' is neither a year" in str(result.problems[0])
    assert str(result.problems[0]).startswith("line 3, column 'Year of birth': ")
    assert result.rows[3].bad_columns == frozenset({3, 6})
    with db.session() as s, pytest.raises(RosterError, match="nothing was imported"):
        roster.import_roster(s, result)
    assert names(db) == []


def test_importing_the_valid_rows_imports_exactly_those(tmp_path: Path, db: Database) -> None:
    result = load(write(tmp_path, "roster.csv", BAD))
    with db.session() as s:
        session = create_session(s, day=TODAY, place="Amman", facilitator="Leila", language="ar",
                                 destination_towns=[])
        done = roster.import_roster(s, result, session_id=session.id, valid_only=True)
    assert (done.added, done.skipped) == (2, 3)
    assert names(db) == ["Amina Haddad", "Zahra Rahimi"]
    with db.session() as s:
        statuses = [r.status for r in s.scalars(select(AttendanceRecord))]
    assert statuses == ["absent", "absent"]  # expected at the session, not yet checked in


def test_the_same_person_again_is_updated_not_duplicated(tmp_path: Path, db: Database) -> None:
    with db.session() as s:
        roster.import_roster(s, load(write(tmp_path, "first.csv", GOOD)))
    again = ("case no;first name;surname;needs\n"
             "syr-24c00012;AMINA;haddad;mobility\n"
             "SYR-24C00012;Lina;Haddad;\n")
    with db.session() as s:
        done = roster.import_roster(s, load(write(tmp_path, "second.csv", again)))
    assert (done.added, done.updated) == (1, 1)
    assert names(db) == ["Amina Haddad", "Lina Haddad", "Omar Haddad", "Ștefan Popescu"]
    with db.session() as s:
        amina = s.scalars(select(Participant).where(Participant.given_name == "Amina")).one()
        # Only what the second file says changed; the rest stays as the first file had it.
        assert amina.needs == ["mobility"] and amina.birth_year == 1988 and amina.destination == "jena"
        assert len({p.household_id for p in s.scalars(select(Participant).where(
            Participant.family_name == "Haddad"))}) == 1


def test_a_repeated_row_in_one_file_is_an_error(tmp_path: Path) -> None:
    result = load(write(tmp_path, "roster.csv", GOOD + "SYR-24C00012,Amina,Haddad,F,1988,SY,ar,Jena,,yes\n"))
    assert [(p.line, str(p.message)) for p in result.problems] == [
        (5, "The same person (case number and names) is already on line 2.")]


def test_a_mapping_without_names_is_refused(tmp_path: Path, db: Database) -> None:
    table = roster.read_table(write(tmp_path, "roster.csv", GOOD))
    result = roster.preview(table, ["case_number"] + [None] * (len(table.headers) - 1), towns=TOWNS, today=TODAY)
    assert result.mapping_problems and not result.valid_rows
    with db.session() as s, pytest.raises(RosterError, match="No column is set to a name"):
        roster.import_roster(s, result, valid_only=True)


@pytest.mark.parametrize("name,data,message", [
    ("empty.csv", b"", "empty.csv is empty."),
    ("blank.csv", b"  \n\n", "blank.csv is empty."),
    ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "photo.csv is not a spreadsheet"),
    ("fake.xlsx", b"Case,Name\n1,Amina\n", "fake.xlsx is not a readable XLSX workbook"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old.xls is an old Excel (.xls) workbook"),
    ("headers.csv", b"Case number,Given name\n", "headers.csv has column names but no rows"),
])
def test_bad_files_give_one_clear_error_naming_the_file(tmp_path: Path, name: str, data: bytes,
                                                        message: str) -> None:
    with pytest.raises(RosterError) as caught:
        roster.read_table(write(tmp_path, name, data))
    assert str(caught.value).startswith(message)


def test_a_truncated_xlsx_is_refused_by_name(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["Case number", "Given name"])
    book.active.append(["SYR-1", "Amina"])
    whole = tmp_path / "whole.xlsx"
    book.save(whole)
    cut = write(tmp_path, "cut.xlsx", whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(RosterError, match=r"^cut\.xlsx is not a readable XLSX workbook"):
        roster.read_table(cut)


# --- names and case numbers needed; re-import; countries; how the file was read --------


def test_a_row_without_a_name_or_without_a_case_number_is_a_row_error(tmp_path: Path, db: Database) -> None:
    text = ("Case number,Given name,Family name\n"
            "SYR-24C00012,Amina,Haddad\n"    # line 2: fine
            "SYR-24C00013,,\n"               # line 3: no name
            "SYR-24C00014,-,?\n"             # line 4: no name either: no letter at all
            ",Noname,Person\n"               # line 5: no case number
            "  ,Sami,\n"                     # line 6: no case number (blank)
            "AFG-24C00016,,Rahimi\n")        # line 7: a family name alone is a name
    result = load(write(tmp_path, "roster.csv", text))
    assert [(p.line, p.column, str(p.message)) for p in result.problems] == [
        (3, "Given name", "A name is needed: the given name, the family name or both."),
        (4, "Given name", "A name is needed: the given name, the family name or both."),
        (5, "Case number", "The case number is needed."),
        (6, "Case number", "The case number is needed."),
    ]
    assert result.rows[2].bad_columns == frozenset({1}) and result.rows[3].bad_columns == frozenset({0})
    with db.session() as s:
        done = roster.import_roster(s, result, valid_only=True)
    assert (done.added, done.skipped) == (2, 4)
    assert names(db) == [" Rahimi", "Amina Haddad"]


def test_a_file_without_a_case_number_column_is_refused(tmp_path: Path, db: Database) -> None:
    result = load(write(tmp_path, "roster.csv", "Given name,Family name\nNoname,Person\n"))
    assert [str(p) for p in result.mapping_problems] == [
        "No column is set to the case number: choose the column that holds it."]
    assert not result.valid_rows
    with db.session() as s, pytest.raises(RosterError, match="case number"):
        roster.import_roster(s, result, valid_only=True)
    assert names(db) == []


def test_importing_the_same_file_twice_updates_everyone_and_adds_no_one(tmp_path: Path, db: Database) -> None:
    path = write(tmp_path, "roster.csv", GOOD)
    with db.session() as s:
        first = roster.import_roster(s, load(path))
    with db.session() as s:
        again = roster.import_roster(s, load(path))
    assert (first.added, first.updated) == (3, 0)
    assert (again.added, again.updated) == (0, 3) and set(again.participant_ids) == set(first.participant_ids)
    assert names(db) == ["Amina Haddad", "Omar Haddad", "Ștefan Popescu"]


@pytest.mark.parametrize("written,code", [
    ("Turkey", "TR"), ("Türkiye", "TR"), ("Turquie", "TR"), ("تركيا", "TR"), ("TUR", "TR"), ("tr", "TR"),
    ("Syria", "SY"), ("Syrie", "SY"), ("سوريا", "SY"), ("syr", "SY"), ("Afghanistan", "AF"), ("أفغانستان", "AF"),
    ("Érythrée", "ER"), ("ERI", "ER"), ("Iraq", "IQ"), ("Irak", "IQ"), ("العراق", "IQ"), ("DEU", "DE"),
    ("Congo - Kinshasa", "CD"), ("Democratic Republic of the Congo", "CD"), ("COD", "CD"), ("Myanmar", "MM"),
    ("Burma", "MM"), ("Palestine", "PS"), ("فلسطين", "PS"), ("Ivory Coast", "CI"), ("  south sudan ", "SS"),
    # The nationality, as rosters often write it instead of the country:
    ("Syrian", "SY"), ("syrienne", "SY"), ("سوري", "SY"), ("سورية", "SY"), ("Afghan", "AF"), ("Eritrean", "ER"),
    ("Érythréenne", "ER"), ("Somali", "SO"), ("SUDANESE", "SD"), ("South Sudanese", "SS"), ("Iraqi", "IQ"),
    ("عراقي", "IQ"), ("Congolese (DRC)", "CD"), ("Congolais (RDC)", "CD"), ("Yéménite", "YE"),
])
def test_nationality_as_a_country_name_in_english_french_or_arabic_or_an_iso_code(tmp_path: Path, written: str,
                                                                                 code: str) -> None:
    result = load(write(tmp_path, "roster.csv", f"Case number,Given name,Nationality\nX-1,Amina,{written}\n"))
    assert result.ok, [str(p) for p in result.problems]
    assert result.rows[0].data.nationality == code


@pytest.mark.parametrize("written", ["Atlantis", "XYZ", "Europe", "World", "Q1", "Congolese"])
def test_a_nationality_that_is_not_a_country_is_a_row_error(tmp_path: Path, written: str) -> None:
    result = load(write(tmp_path, "roster.csv", f"Case number,Given name,Nationality\nX-1,Amina,{written}\n"))
    assert [p.column for p in result.problems] == ["Nationality"]


def test_the_table_says_its_encoding_and_delimiter(tmp_path: Path) -> None:
    table = roster.read_table(write(tmp_path, "roster.csv", GOOD))
    assert (table.encoding, table.delimiter) == ("UTF-8", ",")
    table = roster.read_table(write(tmp_path, "roster.csv", GOOD.replace(",", "\t"), encoding="utf-16"))
    assert (table.encoding, table.delimiter) == ("UTF-16", "\t")
    arabic = "رقم الحالة;الاسم الأول\nSYR-1;محمد\nSYR-2;فاطمة\n"
    table = roster.read_table(write(tmp_path, "roster.csv", arabic, encoding="windows-1256"))
    assert (table.encoding, table.delimiter) == ("Windows-1256", ";")
