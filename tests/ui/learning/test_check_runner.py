"""The learning check run from the session runner (issue 21, points 2 and 6): K on a
module's first screen opens the check before it; the projector shows one question in the
group's language (Arabic) with the speaker sign and large numbered answers, the laptop the
same question in the facilitator's language (English); a group tally is typed and saved
with Enter, each person's answer is one key press (1–4) — one keystroke per person-answer,
the next person highlighted — and both are in the database as the keys left them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPixmap

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
    # One screen here: the group sees the console too, so it opens as a group tally and T
    # turns to each person, with no name on the glass (test_check_console.py).
    assert check.shared and check.phase == BEFORE and check.mode == "tally" and len(check.people) == 5
    qtbot.keyClick(check, Qt.Key.Key_T)
    assert check.mode == "person" and not check.people_list.isVisible()
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
    # A mistake corrected: from the end of the list up to the third person, 0 takes the answer
    # back, 2 gives the right one.
    assert check.people_list.currentRow() == -1  # after the last person: the end, nobody highlighted
    for _ in range(3):
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


def test_a_closed_sessions_answers_need_the_pin_once_per_check(qtbot, services) -> None:
    """Recording answers in a closed session asks for the facilitator PIN, as a change to
    its attendance does: a wrong PIN (then Cancel) records nothing, by key press or tally;
    the right one records, is asked once for the whole check (not at every key press) and
    goes to the audit log."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialogButtonBox

    from co_app.core.safety import audit
    from co_app.core.safety.pin import set_pin
    from co_app.core.sessions.service import close_session
    from co_app.ui.learning.check_window import CheckWindow
    from co_app.ui.safety.pin_dialogs import AskPinDialog

    seeded = seed_session(services)
    with services.db.session() as db:
        set_pin(db, "2580")
        close_session(db, seeded.session_id)
    asked: list[str] = []

    def give_pin(parent, pin: str) -> None:
        qtbot.waitUntil(lambda: parent.findChild(AskPinDialog) is not None, timeout=3000)
        dialog = parent.findChild(AskPinDialog)
        asked.append(pin)
        qtbot.keyClicks(dialog.pin, pin)
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)
        if dialog.isVisible():  # the wrong PIN: the dialog stays; Cancel
            dialog.reject()
        dialog.setParent(None)
        dialog.deleteLater()

    def open_check() -> CheckWindow:
        check = CheckWindow(services, seeded.session_id, "housing", AFTER, group_language="ar",
                            recorded_by="Maria Popescu")
        qtbot.addWidget(check)
        check.show()
        qtbot.waitExposed(check)
        check.activateWindow()
        qtbot.waitUntil(check.isActiveWindow)  # Tab moves the keyboard's focus between the tally's boxes
        return check

    english = services.content.module("housing", "en").self_check

    def answers(question: int):
        with services.db.session() as db:
            return recorded(db, seeded.session_id, "housing", english[question].id, AFTER)

    check = open_check()
    assert check.mode == "person" and plain(check.error.text()) == \
        "This session is closed: recording answers needs the facilitator PIN."
    QTimer.singleShot(0, lambda: give_pin(check, "1111"))
    qtbot.keyClick(check, Qt.Key.Key_2)
    assert asked == ["1111"] and answers(0).people == {} and check.people_list.currentRow() == 0
    assert check.people_list.item(0).text().endswith("no answer yet")

    QTimer.singleShot(0, lambda: give_pin(check, "2580"))
    qtbot.keyClick(check, Qt.Key.Key_2)
    assert asked == ["1111", "2580"] and check.error.text() == ""
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_2):  # no PIN asked again: one key, one answer
        qtbot.keyClick(check, key)
    assert asked == ["1111", "2580"]
    assert [answers(0).people.get(line.participant_id) for line in check.people] == [1, 0, 1, 1, None]
    qtbot.keyClick(check, Qt.Key.Key_PageDown)
    qtbot.keyClick(check, Qt.Key.Key_T)
    qtbot.keyClick(check.counts[0].lineEdit(), Qt.Key.Key_Tab)
    qtbot.keyClicks(check.focusWidget(), "3")
    qtbot.keyClick(check.focusWidget(), Qt.Key.Key_Return)
    assert answers(1).tally == {0: 0, 1: 3, 2: 0} and check.index == 2
    check.close()

    # A new check asks again; a wrong PIN keeps the typed tally unsaved, on its question.
    check = open_check()
    qtbot.keyClick(check, Qt.Key.Key_T)
    qtbot.keyClicks(check.counts[0].lineEdit(), "4")
    QTimer.singleShot(0, lambda: give_pin(check, "9999"))
    qtbot.keyClick(check.counts[0].lineEdit(), Qt.Key.Key_Return)
    assert asked[-1] == "9999" and check.index == 0 and answers(0).tally == {}
    assert plain(check.error.text()) == "This session is closed: recording answers needs the facilitator PIN."
    check.counts[0].setValue(0)
    check.close()
    with services.db.session() as db:
        lines = audit.entries(db, action="closed_session_edit")
    assert [(line.subject, line.detail) for line in lines] == [(seeded.session_id, "learning answers")]


def test_a_picture_choice_is_projected_as_numbered_picture_cards(qtbot, services) -> None:
    """Choose one of 2–4 pictures (issue 21, 1 and 2): Health's coughing child, run from the
    runner on the projector in the group's language (Arabic) — one card per answer, its
    number large, its own picture drawn, its short text under it, the first at the right;
    nothing cut and nothing beyond the screen.  The laptop keeps the numbered answers as text."""
    from tests.ui.sessions.test_slides_fit import cut_labels, cut_pictures

    seeded = seed_session(services)  # Arabic group
    save_steps(services, seeded.session_id, [Step("module", "health-and-wellbeing", 45)])
    runner = SessionRunnerWindow(services, seeded.session_id)
    qtbot.addWidget(runner)
    runner.show()
    qtbot.waitExposed(runner)
    runner.toggle_projector()
    qtbot.keyClick(runner, Qt.Key.Key_K)
    check = runner.check_offer.window
    qtbot.addWidget(check)
    english, arabic = (services.content.module("health-and-wellbeing", lang).self_check for lang in ("en", "ar"))
    index = next(n for n, q in enumerate(english) if q.id == "child-cough")
    for _ in range(index):
        check.next()
    projected = check.projected.view
    qtbot.waitExposed(check.projected)
    question = arabic[index]
    assert projected.question.text() == question.question and len(question.option_pictures) == 3
    assert check.question.text() == english[index].question and "2. " + english[index].options[1] in \
        check.options.text()
    cards = projected.cards
    assert [card.number.text() for card in cards] == ["1", "2", "3"]
    assert [card.label.text().lstrip("\u200f") for card in cards] == list(question.options)
    pictures = [card.picture.pixmap() for card in cards]
    assert all(card.picture.isVisible() and not p.isNull() and p.width() > 100 for card, p in zip(cards, pictures))
    expected = [QPixmap(str(services.content.root / "modules" / "health-and-wellbeing" / name)).toImage()
                for name in question.option_pictures]

    def thumb(image) -> list[int]:
        small = image.scaled(12, 9, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
        return [value for y in range(9) for x in range(12) for value in small.pixelColor(x, y).getRgb()[:3]]

    def distance(a, b) -> int:
        return sum(abs(x - y) for x, y in zip(thumb(a), thumb(b)))

    for n, picture in enumerate(pictures):  # each card draws its own answer's picture, not another's
        distances = [distance(picture.toImage(), source) for source in expected]
        assert distances.index(min(distances)) == n, distances
    first, last = (card.mapTo(projected, card.rect().center()).x() for card in (cards[0], cards[-1]))
    assert first > last  # read from the right
    assert projected.overflow() == 0 and not cut_labels(projected) and not cut_pictures(projected)
    assert projected.size() == check.projected.screen().geometry().size()
    check.close()
    runner.close()
