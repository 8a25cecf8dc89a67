"""The learning check's console on small and shared screens (issue 20, point 1; issue 21,
point 2), from a fresh-eyes run:

* on a 1024 × 600 netbook with the largest text, in English, Arabic and Tigrinya, the
  console is inside the screen; its middle scrolls, and the buttons and the error line
  stay in sight (it was 900 × 785, "People present" and the buttons off the screen);
* when the projected question and the console share one screen (a single screen, or a
  mirrored projector), the console is a strip along the screen's bottom: the question is
  fitted above it, uncovered, and no name nor anyone's answer is on the glass; the keys
  still record, also when the projected question has the keyboard;
* the tally's numbers are in the digits of every other number on the screen (Western in
  Arabic, as ``format_number`` writes them; Qt alone wrote ٥ ٢)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from co_app.core.foundation import i18n
from co_app.core.learning.answers import BEFORE, recorded
from co_app.ui.learning.check_window import CheckWindow
from co_app.ui.shell.theme import apply_theme
from tests.ui.attendance_data import seed_session

NETBOOK = QRect(0, 0, 1024, 600)


@pytest.fixture
def larger_text(qapp):
    apply_theme(qapp, larger_text=True)
    yield
    apply_theme(qapp, larger_text=False)


@pytest.fixture
def interface_language(services):
    """The interface in a language, as Settings sets it (catalog and Qt's default locale)."""
    def use(code: str) -> None:
        i18n.set_language(code, services.locale_dir)
        QLocale.setDefault(QLocale(code))
    yield use
    i18n.set_language("en", services.locale_dir)
    QLocale.setDefault(QLocale("en"))


def inside(widget: QWidget, window: QWidget) -> bool:
    box = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return widget.isVisibleTo(window) and window.rect().contains(box)


def open_check(qtbot, services, **kwargs) -> CheckWindow:
    seeded = seed_session(services)  # an Arabic group; five people checked in
    check = CheckWindow(services, seeded.session_id, "housing", BEFORE, group_language="ar",
                        recorded_by="Maria Popescu", **kwargs)
    qtbot.addWidget(check)
    return check


@pytest.mark.parametrize("language", ["en", "ar", "ti"])
def test_the_console_fits_a_netbook_at_the_largest_text(qtbot, services, larger_text, interface_language,
                                                         language) -> None:
    interface_language(language)
    check = open_check(qtbot, services)
    check.place(NETBOOK)
    check.show()
    qtbot.waitExposed(check)
    for mode in ("tally", "person"):
        check.set_mode(mode)
        check.place(NETBOOK)
        check._say("A tally larger than the group is refused.")  # the longest line it says
        QApplication.processEvents()
        assert NETBOOK.contains(check.geometry()), f"{language} {mode}: {check.geometry().getRect()}"
        for button in (check.previous_button, check.finish_button, check.next_button):
            assert inside(button, check), f"{language} {mode}: {button.text()} off the window"
        assert inside(check.error, check)
        shown = check.present if mode == "tally" else check.people_list
        check.scroll.ensureWidgetVisible(shown)  # the middle scrolls to what is asked for
        QApplication.processEvents()
        top = shown.mapTo(check.scroll.viewport(), QPoint(0, 0)).y()
        assert 0 <= top < check.scroll.viewport().height(), f"{language} {mode}: scrolled to {top}"


@pytest.mark.parametrize("larger", [False, True], ids=["usual text", "larger text"])
def test_on_a_shared_screen_the_console_is_a_strip_under_the_question(qtbot, qapp, services, larger) -> None:
    apply_theme(qapp, larger_text=larger)
    try:
        shared_screen_strip(qtbot, services)
    finally:
        apply_theme(qapp, larger_text=False)


def whole(label: QLabel) -> bool:
    return label.height() >= label.heightForWidth(label.width())


def shared_screen_strip(qtbot, services) -> None:
    screen = QGuiApplication.primaryScreen()  # the projector is this screen (one screen, or mirrored)
    check = open_check(qtbot, services, projector=screen, console=screen)
    check.show()
    qtbot.waitExposed(check)
    room = NETBOOK  # as on a netbook's own screen, whatever the test display's size
    check.projected.show_at(room)
    check.place(room)
    check.raise_()
    QApplication.processEvents()
    assert check.shared and check.mode == "tally"  # anonymous by default: nobody's answer on the glass
    assert check.projected.geometry() == room  # the projected window is the screen, as ever
    strip = check.geometry()
    assert strip.width() == room.width() and strip.bottom() == room.bottom()
    assert strip.height() <= room.height() * 2 // 5
    for button in (check.previous_button, check.finish_button, check.next_button):
        assert inside(button, check)
    assert whole(check.status) and all(inside(box, check) for box in (*check.counts, check.present))
    view = check.projected.view
    last = view.options[-1]
    assert last.mapTo(view, QPoint(0, last.height())).y() <= strip.top()  # the last answer above the strip
    assert view.overflow() == 0

    # Each person: T, then one key per person, from the projected question too; no name shown.
    qtbot.keyClick(check, Qt.Key.Key_T)
    assert check.mode == "person"
    qtbot.keyClick(check, Qt.Key.Key_2)
    qtbot.keyClick(check.projected, Qt.Key.Key_1)  # a click on the question took the keyboard
    names = [f"{p.given_name} {p.family_name}" for p in check.people]
    on_glass = [label.text() for window in (check, check.projected)
                for label in window.findChildren(QLabel) if label.isVisibleTo(window)]
    assert not check.people_list.isVisibleTo(check)
    assert not any(name in text or p.given_name in text for text in on_glass for name, p in zip(names, check.people))
    assert "person 3 of 5" in check.status.text() and "2 answered" in check.status.text()
    QApplication.processEvents()
    assert whole(check.status) and inside(check.status, check) and inside(check.next_button, check)
    with services.db.session() as db:
        answers = recorded(db, check.session_id, "housing", check.questions[0].id, BEFORE).people
    assert [answers.get(p.participant_id) for p in check.people[:3]] == [1, 0, None]
    assert check.geometry().bottom() == room.bottom() and check.projected.geometry() == room


def test_a_tally_is_in_the_digits_of_the_rest_of_the_screen(qtbot, services, interface_language) -> None:
    interface_language("ar")
    check = open_check(qtbot, services)
    check.set_mode("tally")
    check.counts[0].setValue(5)
    check.counts[1].setValue(2)
    check.present.setValue(12)
    assert [box.text() for box in (*check.counts[:2], check.present)] == [
        i18n.format_number(5), i18n.format_number(2), i18n.format_number(12)] == ["5", "2", "12"]
    assert QLocale().toString(5) == "٥"  # what Qt alone would have written in Arabic
