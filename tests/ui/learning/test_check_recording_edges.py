"""The edges of recording a learning check, found in a fresh-eyes run (issue 21): after the
last person a number key no longer overwrites the last answer (the list stops at its end,
says so, and ↑ goes back); closing with a tally that could not be saved asks whether to
keep editing or discard it; and the single-letter keys (K, T, B) and the answers' digits
work on an Arabic keyboard layout, by the key's place."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from co_app.core.learning.answers import BEFORE, recorded
from co_app.core.sessions.agenda import Step
from co_app.ui.learning.check_window import CheckWindow
from co_app.ui.sessions.runner_window import SessionRunnerWindow
from tests.ui.attendance_data import seed_session
from tests.ui.sessions.test_session_runner import plain, save_steps

#: X11 key codes (evdev + 8) of the K, T, B and 2 keys of a PC keyboard.
X11_K, X11_T, X11_B, X11_2 = 45, 28, 56, 11


def arabic_key(widget, text: str, scan_code: int) -> None:
    """A key press as Qt delivers it with the Arabic layout: the key code is the Arabic
    letter's (not Qt.Key_K), the scan code the key's place."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, ord(text[0]), Qt.KeyboardModifier.NoModifier, scan_code, 0,
                                                 0, text))


def open_check(qtbot, services, session_id: str) -> CheckWindow:
    check = CheckWindow(services, session_id, "housing", BEFORE, group_language="ar", recorded_by="Maria")
    qtbot.addWidget(check)
    check.show()
    qtbot.waitExposed(check)
    check.activateWindow()
    qtbot.waitUntil(check.isActiveWindow)
    return check


def people_answers(services, session_id: str, check: CheckWindow, question: int) -> list[int | None]:
    question_id = services.content.module("housing", "en").self_check[question].id
    with services.db.session() as db:
        found = recorded(db, session_id, "housing", question_id, BEFORE).people
    return [found.get(line.participant_id) for line in check.people]


def test_after_the_last_person_a_number_key_changes_nothing_and_up_goes_back(qtbot, services) -> None:
    seeded = seed_session(services)  # five people checked in
    check = open_check(qtbot, services, seeded.session_id)
    assert check.mode == "person"
    for key in (Qt.Key.Key_2, Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3):
        qtbot.keyClick(check, key)
    assert check.people_list.currentRow() == -1  # nobody highlighted: the end of the list
    assert check.hint.text() == ("End of the list: 5 of 5 people answered this question. Page Down: the next "
                                 "question · ↑: back to change an answer.")
    for key in (Qt.Key.Key_1, Qt.Key.Key_3, Qt.Key.Key_Down):  # Hassan's answer is not overwritten
        qtbot.keyClick(check, key)
    assert people_answers(services, seeded.session_id, check, 0) == [1, 1, 0, 1, 2]
    assert check.people_list.currentRow() == -1
    qtbot.keyClick(check, Qt.Key.Key_Up)  # an explicit move back to the last person
    assert check.people_list.currentRow() == 4 and check.hint.text().startswith("Press 1 to 4")
    qtbot.keyClick(check, Qt.Key.Key_1)
    assert people_answers(services, seeded.session_id, check, 0) == [1, 1, 0, 1, 0]
    assert check.people_list.currentRow() == -1
    # On the last question the end says how to finish.
    while check.index < len(check.questions) - 1:
        qtbot.keyClick(check, Qt.Key.Key_PageDown)
    assert check.people_list.currentRow() == 0
    for _ in check.people:
        qtbot.keyClick(check, Qt.Key.Key_1)
    assert "Finish the check (Esc)" in check.hint.text()
    check.close()


def answer_box(qtbot, check: CheckWindow, button: str) -> None:
    def click() -> None:
        qtbot.waitUntil(lambda: check.findChild(QMessageBox, "unsavedTally") is not None, timeout=3000)
        box = check.findChild(QMessageBox, "unsavedTally")
        assert box.text() == "The tally of this question is not saved."
        assert plain(box.informativeText()) == "The answers add up to 8, more than the 2 people present."
        chosen = next(b for b in box.buttons() if b.text() == button)
        qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)
        box.setParent(None)
        box.deleteLater()

    QTimer.singleShot(0, click)


def test_closing_with_an_invalid_tally_asks_keep_or_discard(qtbot, services) -> None:
    seeded = seed_session(services)
    check = open_check(qtbot, services, seeded.session_id)
    qtbot.keyClick(check, Qt.Key.Key_T)
    for box, value in zip(check.counts + [check.present], (5, 2, 1, 2)):
        box.setValue(value)
    qtbot.keyClick(check.counts[0].lineEdit(), Qt.Key.Key_Return)
    assert check.index == 0 and "more than the 2 people present" in plain(check.error.text())
    answer_box(qtbot, check, "Keep editing")
    qtbot.keyClick(check, Qt.Key.Key_Escape)
    assert check.isVisible() and [b.value() for b in check.counts] == [5, 2, 1]  # nothing lost
    answer_box(qtbot, check, "Discard the tally and close")
    qtbot.keyClick(check, Qt.Key.Key_Escape)
    assert not check.isVisible()
    question_id = services.content.module("housing", "en").self_check[0].id
    with services.db.session() as db:
        assert recorded(db, seeded.session_id, "housing", question_id, BEFORE).tally == {}


def test_letter_and_digit_keys_work_on_an_arabic_keyboard_layout(qtbot, services) -> None:
    """K (ن on the Arabic layout) opens the check, T (ف) turns to each person, ٢ records
    answer 2; B (لا) blanks the projector — by the key's place, not the letter it types."""
    seeded = seed_session(services)
    save_steps(services, seeded.session_id, [Step("module", "housing", 45)])
    runner = SessionRunnerWindow(services, seeded.session_id)
    qtbot.addWidget(runner)
    runner.show()
    qtbot.waitExposed(runner)
    runner.toggle_projector()
    arabic_key(runner, "ﻻ", X11_B)  # the letter the B key types on the Arabic layout
    assert runner.presentation.blank
    arabic_key(runner, "ﻻ", X11_B)
    assert not runner.presentation.blank
    arabic_key(runner, "ن", X11_K)
    check = runner.check_offer.window
    assert check is not None
    qtbot.addWidget(check)
    qtbot.waitExposed(check)
    mode = check.mode
    arabic_key(check, "ف", X11_T)
    assert check.mode != mode
    if check.mode != "person":
        arabic_key(check, "ف", X11_T)
    arabic_key(check, "٢", X11_2)
    arabic_key(check, "۳", 0)  # a Persian digit, wherever it was typed
    assert people_answers(services, seeded.session_id, check, 0)[:2] == [1, 2]
    check.close()
    runner.close()
