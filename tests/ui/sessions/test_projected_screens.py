"""What the group sees takes exactly its screen, whatever that screen (issue 20, points 1 and
3; issue 21, point 2): on a 1024 × 600 netbook or a 1366 × 768 laptop showing the slides
itself (one screen, or a mirrored projector), and with no window manager to hold it, the
projected window is the screen's geometry — never larger — and what it shows fits it: every
slide of a module (a myth card on both sides, a self-check with its answer shown, the
"n of 22" footer) and every check question down to its last answer, in English, Arabic and
Tigrinya.  (A slide's minimum height used to become the window's: 1024 × 750 on a 600-high
screen, the card's bottom and the last answers off the glass, while the slide's own
overflow check measured against the enlarged window and said 0.)"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication

from co_app.core.content.library import load_content
from co_app.core.foundation import i18n
from co_app.core.sessions.slides import module_slides
from co_app.ui.learning.check_projected import ProjectedCheckWindow
from co_app.ui.sessions.presentation import PresentationWindow
from co_app.ui.sessions.slide_fit import SlideFitter
from tests.ui.sessions.test_slides_fit import cut_labels

SCREENS = (QRect(0, 0, 1024, 600), QRect(0, 0, 1366, 768))
LANGUAGES = ("en", "ar", "ti")
CONTENT = load_content()
MODULE = "journey-and-arrival"


def settle(window, rect: QRect) -> None:
    for _ in range(3):
        QApplication.processEvents()
    assert window.geometry() == rect, f"the window is {window.geometry().getRect()} on a {rect.getRect()} screen"
    assert window.minimumSize().height() <= rect.height() and window.minimumSize().width() <= rect.width()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("rect", SCREENS, ids=lambda r: f"{r.width()}x{r.height()}")
def test_projected_slides_take_the_screen_and_fit_it(qtbot, language, rect) -> None:
    tr = i18n.translator_for(language)
    module = CONTENT.module(MODULE, language)
    slides = [screen for slide in module_slides(module) for screen in SlideFitter().fit(slide, language, tr)]
    assert {"myth", "check"} <= {slide.kind for slide in slides}
    window = PresentationWindow()
    qtbot.addWidget(window)
    window.view.set_slide(slides[0], language=language, tr=tr)
    window.show_at(rect)
    qtbot.waitExposed(window)
    failures = []
    for number, slide in enumerate(slides):
        window.view.set_slide(slide, language=language, tr=tr)
        settle(window, rect)
        assert window.view.size() == rect.size()
        found = ([f"overflow {window.view.overflow()} px"] if window.view.overflow() else []) + cut_labels(window.view)
        if slide.kind in ("myth", "check"):  # the other side, the answer shown
            window.view.reveal()
            if window.view.card is not None:
                window.view.card.turn(animate=False)
            settle(window, rect)
            found += [f"revealed: {p}" for p in cut_labels(window.view)]
        failures += [f"slide {number} ({slide.kind}): {p}" for p in found]
    assert not failures, "\n".join(failures[:10])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("rect", SCREENS, ids=lambda r: f"{r.width()}x{r.height()}")
def test_a_projected_check_question_shows_its_last_answer(qtbot, language, rect) -> None:
    window = ProjectedCheckWindow()
    qtbot.addWidget(window)
    window.show_at(rect)
    qtbot.waitExposed(window)
    asked = 0
    for module in CONTENT.modules(language):
        folder = CONTENT.root / "modules" / module.id
        for question in module.self_check:
            window.view.set_question(question, "Question 1 of 5", folder, language)
            settle(window, rect)
            where = f"{module.id}/{question.id}"
            assert window.view.overflow() == 0, where
            assert not cut_labels(window.view), f"{where}: {cut_labels(window.view)}"
            last = window.view.options[-1]
            bottom = last.mapTo(window, QPoint(0, last.height())).y()
            assert last.isVisibleTo(window) and bottom <= rect.height(), f"{where}: the last answer ends at {bottom}"
            asked += 1
    assert asked >= 10
