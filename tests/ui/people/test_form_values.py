"""The forms let no bad value in (issue 19, point 2): a name pasted from another program with
control characters in it is saved clean, so the XLSX export with names still works; a name
too long for the office's database keeps the dialog open, saying so; a session's place,
facilitator and interpreter are cleaned the same way."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from sqlalchemy import select

from co_app.core.attendance.export import ExportOptions, export_attendance
from co_app.core.db.models import CoSession, Participant
from co_app.core.sessions.service import create_session
from co_app.ui.people.participants import ParticipantDialog
from co_app.ui.sessions.start_session import StartSessionDialog


def paste(qtbot, field, text: str) -> None:
    """Put ``text`` on the clipboard and paste it into ``field`` with Ctrl+V, as a facilitator
    copying a name out of a spreadsheet or a web page would."""
    QApplication.clipboard().setText(text)
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def save(qtbot, dialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    button = next(b for b in box.buttons() if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_pasted_name_with_control_characters_is_saved_clean_and_exports(qtbot, services, tmp_path: Path) -> None:
    with services.db.session() as db:
        session_id = create_session(db, day=date.today(), place="Amman", facilitator="Leila", language="ar",
                                    destination_towns=[]).id
    dialog = ParticipantDialog(services, session_id=session_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    paste(qtbot, dialog.given_name, "Ami\x1b[31mna\x07")
    paste(qtbot, dialog.family_name, "Had\x00dad\x0b")
    paste(qtbot, dialog.case_number, "SYR-\x0124C00012")
    assert "\x1b" in dialog.given_name.text() and "\x00" in dialog.family_name.text()  # Qt keeps them
    save(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.problems.text()
    with services.db.session() as db:
        person = db.scalars(select(Participant)).one()
        assert (person.given_name, person.family_name, person.case_number) == ("Ami[31mna", "Haddad", "SYR-24C00012")
    out = tmp_path / "attendance.xlsx"
    export_attendance(services.db.engine, out, "xlsx", ExportOptions(with_names=True))
    book = load_workbook(out, read_only=True)
    names = [row for row in book["participants"].iter_rows(values_only=True)][1]
    book.close()
    assert "Ami[31mna" in names and "Haddad" in names


def test_a_name_too_long_keeps_the_dialog_open_saying_so(qtbot, services) -> None:
    dialog = ParticipantDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    paste(qtbot, dialog.given_name, "Amina")
    paste(qtbot, dialog.family_name, "H" * 201)
    save(qtbot, dialog)
    assert dialog.isVisible() and dialog.problems.isVisible()
    # The number is isolated (U+2068…U+2069) so that it keeps its place in an Arabic sentence.
    assert "The name is longer than \u2068200\u2069 characters." in dialog.problems.text()
    with services.db.session() as db:
        assert db.scalars(select(Participant)).all() == []


def test_a_session_s_place_and_names_are_saved_clean(qtbot, services) -> None:
    dialog = StartSessionDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.place.clear()
    paste(qtbot, dialog.place, "Amman,\tIOM\x1b centre")
    paste(qtbot, dialog.facilitator, "R.\x00 Nasser")
    save(qtbot, dialog)
    with services.db.session() as db:
        row = db.scalars(select(CoSession)).one()
        assert (row.place, row.facilitator) == ("Amman, IOM centre", "R. Nasser")
