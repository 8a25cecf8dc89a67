"""Roster import and participants, through their dialogs: a file with bad rows shows its
problems and imports nothing, then "Import the N valid rows" imports exactly those."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox
from sqlalchemy import select

from co_app.core.people import participants as people
from co_app.core.db.models import AttendanceRecord, Participant
from co_app.core.people.participants import ParticipantData
from co_app.core.sessions.service import create_session
from co_app.ui.people.participants import ParticipantDialog, ParticipantsPanel
from co_app.ui.people.roster_dialog import RosterImportDialog

BAD = (
    "Case number;Given name;Family name;Sex;Year of birth;Nationality;Destination\n"
    "SYR-24C00012;Amina;Haddad;F;1988;SY;Jena\n"          # line 2: fine
    "SYR-24C00013;Yara;Khoury;F;19o8;SY;Jena\n"            # line 3: birth year
    "SYR-24C00014;;;M;1990;SY;Jena\n"                      # line 4: no name
    "SYR-24C00015;Sami;Nasser;maybe;1990;SY;Atlantis\n"    # line 5: sex and town
    "AFG-24C00016;Zahra;Rahimi;F;1995;AF;Biella\n"         # line 6: fine
)


@pytest.fixture
def session_id(services) -> str:
    with services.db.session() as db:
        return create_session(db, day=date.today(), place="Amman", facilitator="Leila", language="ar",
                              destination_towns=[]).id


def names(services) -> list[str]:
    with services.db.session() as db:
        rows = db.scalars(select(Participant).where(Participant.deleted_at.is_(None)))
        return sorted(f"{r.given_name} {r.family_name}" for r in rows)


def open_dialog(qtbot, services, session_id) -> RosterImportDialog:
    dialog = RosterImportDialog(services, session_id=session_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_bad_rows_are_shown_and_nothing_is_imported_until_chosen(qtbot, services, session_id,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(BAD, encoding="utf-8")
    dialog = open_dialog(qtbot, services, session_id)
    assert not dialog.import_all.isEnabled() and not dialog.import_valid.isEnabled()  # no file yet
    assert dialog.load_file(path)
    combos = [dialog.preview.cellWidget(0, c) for c in range(dialog.preview.columnCount())]
    assert [c.currentData() for c in combos] == ["case_number", "given_name", "family_name", "sex", "birth_year",
                                                 "nationality", "destination"]
    problems = [dialog.problems.item(i).text().replace("\u2068", "").replace("\u2069", "")
                for i in range(dialog.problems.count())]
    assert problems == [
        "Line 3, column “Year of birth”: '19o8' is neither a year (1985) nor a date (1985-03-21 or 21/03/1985).",
        "Line 4, column “Given name”: A name is needed: the given name, the family name or both.",
        "Line 5, column “Sex”: 'maybe' is not a sex this import knows (female, male, other or unknown).",
        "Line 5, column “Destination”: 'Atlantis' is not one of the destination towns.",
    ]
    assert dialog.is_highlighted(3, 4) and dialog.is_highlighted(5, 3) and dialog.is_highlighted(5, 6)
    assert not dialog.is_highlighted(2, 4) and not dialog.is_highlighted(5, 1)
    assert dialog.summary.text().startswith("3 of 5 rows have a problem (highlighted). Nothing is imported")
    assert not dialog.import_all.isEnabled()
    qtbot.mouseClick(dialog.import_all, Qt.MouseButton.LeftButton)
    assert names(services) == []  # nothing imported on error

    assert dialog.import_valid.isEnabled() and dialog.import_valid.text() == "Import the 2 valid rows"
    qtbot.mouseClick(dialog.import_valid, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert names(services) == ["Amina Haddad", "Zahra Rahimi"]
    with services.db.session() as db:
        expected = db.scalars(select(AttendanceRecord.status).where(AttendanceRecord.session_id == session_id))
        assert list(expected) == ["absent", "absent"]  # on the session's list, not yet checked in


def test_changing_what_a_column_holds_rechecks_the_rows(qtbot, services, session_id, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(BAD, encoding="utf-8")
    dialog = open_dialog(qtbot, services, session_id)
    dialog.load_file(path)
    for column in (3, 4, 6):  # leave out sex, birth year and destination: only the nameless row is left
        combo: QComboBox = dialog.preview.cellWidget(0, column)
        combo.setCurrentIndex(combo.findData(None))
    assert dialog.problems.count() == 1 and not dialog.is_highlighted(3, 4)
    assert dialog.import_valid.text() == "Import the 4 valid rows"
    combo = dialog.preview.cellWidget(0, 1)
    combo.setCurrentIndex(combo.findData(None))
    combo = dialog.preview.cellWidget(0, 2)
    combo.setCurrentIndex(combo.findData(None))
    assert dialog.summary.text() == "Set what the columns hold before importing."
    assert not dialog.import_valid.isEnabled() and not dialog.import_all.isEnabled()


def test_a_good_file_imports_with_one_click(qtbot, services, session_id, tmp_path: Path) -> None:
    path = tmp_path / "good.csv"
    path.write_text("\n".join(BAD.splitlines()[:2] + BAD.splitlines()[-1:]) + "\n", encoding="utf-8")
    dialog = open_dialog(qtbot, services, session_id)
    dialog.load_file(path)
    assert dialog.summary.text() == "All 2 rows are ready to import." and not dialog.import_valid.isVisible()
    qtbot.mouseClick(dialog.import_all, Qt.MouseButton.LeftButton)
    assert names(services) == ["Amina Haddad", "Zahra Rahimi"]


def test_a_file_that_is_not_a_spreadsheet_is_named_in_the_dialog(qtbot, services, session_id,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    dialog = open_dialog(qtbot, services, session_id)
    assert not dialog.load_file(path)
    # The file name is isolated (U+2068…U+2069) so that it reads whole in Arabic too.
    assert dialog.file_label.text().startswith("\u2068photo.csv\u2069 is not a spreadsheet")
    assert not dialog.import_all.isEnabled() and not dialog.import_valid.isEnabled()


def test_add_edit_and_delete_a_participant(qtbot, services, session_id, monkeypatch) -> None:
    panel = ParticipantsPanel(services)
    qtbot.addWidget(panel)
    panel.set_session(session_id)
    panel.show()

    dialog = ParticipantDialog(services, panel, session_id=session_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.case_number, "SYR-24C00012")
    dialog.accept()  # no name yet: the dialog stays open and says why
    assert dialog.problems.isVisible() and "A name is needed" in dialog.problems.text()
    assert names(services) == []
    qtbot.keyClicks(dialog.given_name, "Amina")
    qtbot.keyClicks(dialog.family_name, "Haddad")
    dialog.sex.setCurrentIndex(dialog.sex.findData("female"))
    dialog.birth_year.setValue(1988)
    dialog.nationality.setCurrentIndex(dialog.nationality.findData("SY"))
    dialog.destination.setCurrentIndex(dialog.destination.findData("jena"))
    dialog.needs["literacy"].setChecked(True)
    dialog.consent.setChecked(True)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.saved is not None
    with services.db.session() as db:
        saved = people.get_participant(db, dialog.saved.id)
        assert people.list_participants(db, session_id) == [saved]  # expected at this session
    assert (saved.sex, saved.birth_year, saved.nationality, saved.destination, saved.needs, saved.consent) == (
        "female", 1988, "SY", "jena", ("literacy",), True)

    panel.refresh()
    assert panel.summary.text() == "1 person on this session's list."
    assert [panel.table.item(0, c).text() for c in (0, 1, 2, 4, 5, 6)] == [
        "SYR-24C00012", "Amina", "Haddad", "1988", "Syria", "Jena"]

    edit = ParticipantDialog(services, panel, existing=saved)
    qtbot.addWidget(edit)
    edit.family_name.clear()
    qtbot.keyClicks(edit.family_name, "Khoury")
    edit.accept()
    assert names(services) == ["Amina Khoury"]

    panel.refresh()
    panel.select_participant(saved.id)
    assert panel.delete_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert names(services) == [] and panel.table.rowCount() == 0
    with services.db.session() as db:
        assert db.get(Participant, saved.id).deleted_at is not None  # a tombstone, for sync


def test_everyone_or_only_the_session(qtbot, services, session_id) -> None:
    with services.db.session() as db:
        people.add_participant(db, ParticipantData(given_name="Amina", family_name="Haddad"), session_id=session_id)
        people.add_participant(db, ParticipantData(given_name="Omar", family_name="Khoury"))
    panel = ParticipantsPanel(services)
    qtbot.addWidget(panel)
    panel.set_session(session_id)
    assert panel.table.rowCount() == 1
    panel.everyone.setChecked(True)
    assert panel.table.rowCount() == 2 and panel.summary.text() == "2 participants on this computer."


def plain(text: str) -> str:
    return text.replace("\u2068", "").replace("\u2069", "")


def test_the_file_is_described_in_words(qtbot, services, session_id, tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "roster.csv"
    path.write_text(BAD, encoding="utf-8")
    dialog = open_dialog(qtbot, services, session_id)
    dialog.load_file(path)
    assert plain(dialog.file_label.text()) == "roster.csv: 5 rows · UTF-8 · separated by semicolons"
    path.write_text(BAD.replace(";", ",").splitlines()[0] + "\n" + BAD.replace(";", ",").splitlines()[1] + "\n",
                    encoding="utf-8")
    dialog.load_file(path)
    assert plain(dialog.file_label.text()) == "roster.csv: 1 row · UTF-8 · separated by commas"
    book = Workbook()
    book.active.append(["Case number", "Given name"])
    book.active.append(["SYR-1", "Amina"])
    book.save(tmp_path / "liste.xlsx")
    dialog.load_file(tmp_path / "liste.xlsx")
    assert plain(dialog.file_label.text()) == "liste.xlsx: 1 row · Excel workbook"


def test_rows_without_a_name_or_a_case_number_are_shown_as_problems(qtbot, services, session_id,
                                                                    tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("Case number;Given name;Family name;Nationality\n"
                    "SYR-24C00012;Amina;Haddad;Turkey\n"
                    "SYR-24C00013;;;SY\n"
                    ";Noname;Person;SY\n", encoding="utf-8")
    dialog = open_dialog(qtbot, services, session_id)
    dialog.load_file(path)
    problems = [plain(dialog.problems.item(i).text()) for i in range(dialog.problems.count())]
    assert problems == ["Line 3, column “Given name”: A name is needed: the given name, the family name or both.",
                        "Line 4, column “Case number”: The case number is needed."]
    assert dialog.is_highlighted(4, 0) and not dialog.is_highlighted(2, 3)  # Turkey is a country
    assert dialog.import_valid.text() == "Import the 1 valid row"


def test_importing_twice_updates_and_the_panel_says_what_was_done(qtbot, services, session_id,
                                                                  tmp_path: Path) -> None:
    from tests.ui.attendance_data import answer_modal

    path = tmp_path / "roster.csv"
    path.write_text(BAD, encoding="utf-8")
    panel = ParticipantsPanel(services)
    qtbot.addWidget(panel)
    panel.set_session(session_id)
    panel.show()

    def import_valid_rows(dialog: RosterImportDialog) -> None:
        dialog.load_file(path)
        qtbot.mouseClick(dialog.import_valid, Qt.MouseButton.LeftButton)

    timer = answer_modal(RosterImportDialog, import_valid_rows)
    panel.import_roster()
    assert plain(panel.notice.text()) == ("Roster imported: 2 people added, 0 people updated, "
                                          "and 3 rows with a problem left out.")
    assert panel.notice.isVisible() and panel.table.rowCount() == 2

    timer = answer_modal(RosterImportDialog, import_valid_rows)  # the same file again
    panel.import_roster()
    del timer
    assert plain(panel.notice.text()) == ("Roster imported: 0 people added, 2 people updated, "
                                          "and 3 rows with a problem left out.")
    assert names(services) == ["Amina Haddad", "Zahra Rahimi"]  # updated, not duplicated


def test_a_participant_is_chosen_in_a_right_to_left_layout_too(qtbot, services, session_id) -> None:
    """Arabic and Dari: choosing a row from the code (after adding someone) must select it,
    so Edit and Delete work (QTableView.selectRow found no column at the right edge)."""
    from PySide6.QtCore import Qt as QtCore_Qt

    with services.db.session() as db:
        added = people.add_participant(db, people.ParticipantData(case_number="SYR-24C00013", given_name="Reem",
                                                                  family_name="Haddad"), session_id=session_id)
    panel = ParticipantsPanel(services)
    qtbot.addWidget(panel)
    panel.setLayoutDirection(QtCore_Qt.LayoutDirection.RightToLeft)
    panel.set_session(session_id)
    panel.resize(1200, 500)  # wider than its columns
    panel.show()
    panel.refresh()
    panel.select_participant(added.id)
    assert panel.selected() is not None and panel.selected().id == added.id
    assert panel.edit_button.isEnabled() and panel.delete_button.isEnabled()
