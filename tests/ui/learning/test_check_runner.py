"""The learning check run from the session runner (issue 21, points 2 and 6): K on a
module's first screen opens the check before it; the projector shows one question in the
group's language (Arabic) with the speaker sign and large numbered answers, the laptop the
same question in the facilitator's language (English); a group tally is typed and saved
with Enter, each person's answer is one key press (1–4) — one keystroke per person-answer,
the next person highlighted — and both are in the database as the keys left them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from co_app.core.learning.answers import AFTER, BEFORE, recorded
from co_app.core.sessions.agenda import Step
from co_app.ui.sessions.runner_window import SessionRunnerWindow
from tests.ui.attendance_data import seed_session
from tests.ui.sessions.test_session_runner import plain, save_steps


def test_a_tally_and_per_person_answers_recorded_with_key_presses(qtbot, services) -> None:
    seeded = seed_session(services)  # Arabic group; five people checked in
    save_steps(services, seeded.session_id, [Step("module", "housing", 45)])
    runner = SessionRunnerWindow(services, seeded.session_id)
    qtbot.addWidget(runner)
    runner.show()
    qtbot.waitExposed(runner)
    assert runner.check_offer.button.isVisible() and runner.check_offer.button.text() == "Check before (K)"
    runner.toggle_projector()  # the slides on the projector: the check takes its place
    qtbot.keyClick(runner, Qt.Key.Key_K)
    check = runner.check_offer.window
    qtbot.addWidget(check)
    qtbot.waitExposed(check)
    check.activateWindow()
    qtbot.waitUntil(check.isActiveWindow)  # the keyboard is the laptop's, the projector only shows
    english, arabic = (services.content.module("housing", lang).self_check for lang in ("en", "ar"))
    assert check.phase == BEFORE and check.mode == "person" and len(check.people) == 5
    # The laptop: the facilitator's language; the projector: the group's, with the speaker sign.
    assert check.question.text() == english[0].question and "1. " + english[0].options[0] in check.options.text()
    projected = check.projected.view
    assert projected.question.text() == arabic[0].question and projected.speaker.isVisible()
    assert [n.text() for n in projected.numbers] == ["1", "2", "3"]
    assert [o.text().lstrip("\u200f") for o in projected.options] == list(arabic[0].options)  # read from the right
    assert check.projected.screen() == runner.projector_choice() or len(QGuiApplication.screens()) == 1

    # Question 1, each person: one key each (2, 2, 1, 2, 3) — five keystrokes for five answers.
    keys = [Qt.Key.Key_2, Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3]
    for key in keys:
        qtbot.keyClick(check, key)
    keystrokes_per_answer = len(keys) / len(check.people)
    assert keystrokes_per_answer == 1
    with services.db.session() as db:
        answers = recorded(db, seeded.session_id, "housing", english[0].id, BEFORE).people
    assert [answers[line.participant_id] for line in check.people] == [1, 1, 0, 1, 2]
    assert check.people_list.item(2).text().endswith("answer 1")
    # A mistake corrected: up to the third person, 0 takes the answer back, 2 gives the right one.
    qtbot.keyClick(check, Qt.Key.Key_Up)
    qtbot.keyClick(check, Qt.Key.Key_Up)
    qtbot.keyClick(check, Qt.Key.Key_0)
    assert check.people_list.item(2).text().endswith("no answer yet")
    qtbot.keyClick(check, Qt.Key.Key_2)

    # Question 2 as a group tally: T, then numbers typed per answer, Enter saves and moves on.
    qtbot.keyClick(check, Qt.Key.Key_PageDown)
    assert check.index == 1 and projected.question.text() == arabic[1].question
    qtbot.keyClick(check, Qt.Key.Key_T)
    assert check.mode == "tally" and check.counts[0].hasFocus()
    qtbot.keyClicks(check.counts[0].lineEdit(), "1")
    qtbot.keyClick(check.counts[0].lineEdit(), Qt.Key.Key_Tab)
    qtbot.keyClicks(check.focusWidget(), "4")
    qtbot.keyClick(check.focusWidget(), Qt.Key.Key_Return)
    assert check.index == 2
    with services.db.session() as db:
        first = recorded(db, seeded.session_id, "housing", english[0].id, BEFORE)
        tally = recorded(db, seeded.session_id, "housing", english[1].id, BEFORE)
    assert sorted(first.people.values()) == [1, 1, 1, 1, 2] and first.people[check.people[2].participant_id] == 1
    assert (tally.tally, tally.present) == ({0: 1, 1: 4, 2: 0}, 5)

    # A tally larger than the group is refused in one sentence, nothing saved.
    qtbot.keyClicks(check.counts[0].lineEdit(), "9")
    qtbot.keyClick(check.counts[0].lineEdit(), Qt.Key.Key_Return)
    assert check.index == 2 and plain(check.error.text()) == "The answers add up to 9, more than the 5 people present."
    check.counts[0].setValue(0)
    qtbot.keyClick(check, Qt.Key.Key_Escape)
    assert not check.isVisible() and check.projected is None

    # At the module's last screen the runner offers the check after it.
    runner.go_to_step(0, slide=-1)
    assert runner.check_offer.button.text() == "Check after (K)" and runner.check_offer.phase() == AFTER
    runner.close()
