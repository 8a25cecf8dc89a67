"""Slides fit by construction (issue 20, point 4): every slide of every module and town, in
every content language, drawn at 1024 × 768 and 1920 × 1080 after the runner's fitting
(smaller type, then more screens), and nothing is cut: the text's layout needs no more room
than the view has, and every label lies inside the view at its full wrapped height — a
myth card on both sides, a check with its answer shown.  The same for the learning check's
projected questions that carry pictures (issue 21): the question's picture, and a picture
choice's numbered cards, each answer's picture whole inside the screen."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLayout, QWidget

from co_app.core.content.library import load_content
from co_app.core.foundation import i18n
from co_app.core.sessions.slides import Slide, module_slides, split, town_slides
from co_app.ui.sessions.slide_fit import SlideFitter
from co_app.ui.learning.check_projected import ProjectedQuestion
from co_app.ui.sessions.slide_view import SlideView

SIZES = (QSize(1024, 768), QSize(1920, 1080))
CONTENT = load_content()


def cut_labels(view: QWidget) -> list[str]:
    """The labels drawn outside the view, or shorter than their wrapped text needs.  The
    layouts are run at once, top down (no event loop: painting 1,400 slides would take
    minutes); the slides replaced meanwhile are deleted."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    for layout in [view.layout(), *view.findChildren(QLayout)]:
        layout.activate()
    inside = view.rect()
    found = []
    for label in view.findChildren(QLabel):
        if not label.isVisibleTo(view) or not label.text():
            continue
        box = QRect(label.mapTo(view, label.rect().topLeft()), label.size())
        short = label.wordWrap() and label.heightForWidth(label.width()) > label.height() + 1
        metrics = label.fontMetrics()
        narrow = any(metrics.horizontalAdvance(word) > label.contentsRect().width() for word in label.text().split())
        if not inside.contains(box) or short or narrow:
            found.append(f"{label.objectName()} {box.getRect()} needs {label.heightForWidth(label.width())}: "
                         f"{label.text()[:60]!r}")
    return found


def problems(view: SlideView, slide: Slide, language: str) -> list[str]:
    size = view.size()
    view.set_slide(slide, language=language, tr=i18n.translator_for(language))
    QApplication.sendPostedEvents()
    assert view.size() == size, f"the slide made its view {view.size()}, not {size}"
    found = [f"overflow {view.overflow()} px"] if view.overflow() else []
    found += cut_labels(view)
    if slide.kind in ("myth", "check"):  # the other side of the card, the answer shown
        view.reveal()
        if view.card is not None:
            view.card.turn(animate=False)
        found += [f"revealed: {p}" for p in cut_labels(view)]
    return found


def cut_pictures(view: QWidget) -> list[str]:
    """The pictures shown outside the view, or with nothing to show."""
    found = []
    for label in view.findChildren(QLabel):
        if not label.isVisibleTo(view) or label.pixmap().isNull():
            continue
        box = QRect(label.mapTo(view, label.rect().topLeft()), label.size())
        drawn = label.pixmap().deviceIndependentSize().toSize()
        if not view.rect().contains(box) or drawn.width() > label.width() or drawn.height() > label.height():
            found.append(f"picture {label.objectName()} {box.getRect()} of {drawn.toTuple()}")
    return found


@pytest.mark.parametrize("language", CONTENT.languages)
def test_every_projected_check_question_with_pictures_fits_both_projectors(qtbot, language) -> None:
    """Each check question with a picture or picture answers, as the learning check projects
    it: every label whole, every picture inside the screen, and a picture choice shows one
    numbered card per answer with its own picture."""
    failures, choices = [], 0
    housing = CONTENT.root / "modules" / "housing"
    leak = next(q for q in CONTENT.module("housing", language).self_check if q.option_pictures)
    longest = sorted((o for m in CONTENT.modules(language) for q in m.self_check for o in q.options), key=len)[-4:]
    worst = replace(leak, options=tuple(longest),  # four answers, the language's four longest
                    option_pictures=(*leak.option_pictures, "pictures/emergency-call.png"))
    asked = [(module.id, CONTENT.root / "modules" / module.id, question) for module in CONTENT.modules(language)
             for question in module.self_check]
    for module_id, folder, question in [*asked, ("made-up", housing, worst)]:
        if not (question.picture or question.option_pictures):
            continue
        for size in SIZES:
            view = ProjectedQuestion()
            qtbot.addWidget(view)
            view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
            view.resize(size)
            view.show()
            view.set_question(question, "Question 1 of 5", folder, language)
            QApplication.sendPostedEvents()
            where = f"{language} {module_id}/{question.id} at {size.width()}"
            assert view.size() == size, f"{where}: the question made its view {view.size()}"
            failures += [f"{where}: {p}" for p in
                         ([f"overflow {view.overflow()} px"] if view.overflow() else []) + cut_labels(view)
                         + cut_pictures(view)]
            if question.option_pictures:
                choices += 1
                shown = [card.picture.pixmap() for card in view.cards]
                assert len(shown) == len(question.options) and not any(p.isNull() for p in shown), where
                assert len({p.cacheKey() for p in shown}) == len(shown), where  # each its own picture
                assert all(card.isVisibleTo(view) and card.picture.isVisibleTo(view) for card in view.cards)
            view.close()
    assert choices >= 6, "no shipped picture choice was drawn"  # two modules and the made-up one, two sizes
    assert not failures, "\n".join(failures[:20])


@pytest.fixture(scope="module")
def views():
    made = {}
    for size in SIZES:
        view = SlideView()
        view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        view.resize(size)
        view.show()
        made[size.width()] = view
    yield made
    for view in made.values():
        view.close()
        view.deleteLater()


@pytest.mark.parametrize("language", CONTENT.languages)
def test_every_slide_of_every_module_and_town_fits_both_projectors(qtbot, views, language) -> None:
    fitter = SlideFitter()
    tr = i18n.translator_for(language)
    groups = [(m.id, module_slides(m)) for m in CONTENT.modules(language)]
    groups += [(t.id, town_slides(t)) for t in CONTENT.towns(language)]
    failures = []
    for ident, slides in groups:
        for number, slide in enumerate(slides):
            for screen in fitter.fit(slide, language, tr):
                for width, view in views.items():
                    failures += [f"{language} {ident} slide {number} ({slide.kind}) at {width}: {p}"
                                 for p in problems(view, screen, language)]
    assert not failures, "\n".join(failures[:20])


def test_a_slide_too_long_for_one_screen_is_shared_out_in_order(qtbot) -> None:
    """Made-up overlong text: smaller type is not enough, so the fitter splits it; the
    screens hold every paragraph once, in order, and say "1 of 3"."""
    paragraphs = [f"Paragraph {n}: " + "the bus to the town hall leaves every hour from the station. " * 6
                  for n in range(1, 10)]
    slide = Slide("text", "Jena", title="Getting around", body="\n\n".join(paragraphs))
    fitter = SlideFitter()
    screens = fitter.fit(slide, "en", i18n.translator_for("en"))
    assert len(screens) > 1
    shown = [paragraph for screen in screens for paragraph in screen.body.split("\n\n")]
    assert shown == [paragraph.strip() for paragraph in paragraphs]  # each once, in order
    assert [s.extra["part"] for s in screens] == [str(n) for n in range(1, len(screens) + 1)]
    view = SlideView()
    qtbot.addWidget(view)
    view.resize(1024, 768)
    view.show()
    view.set_slide(screens[0], language="en")
    assert f"1 of {len(screens)}" in view.visible_text()
    assert not cut_labels(view) and view.overflow() == 0


def test_long_text_gets_smaller_type_before_a_second_screen(qtbot) -> None:
    body = "Paragraph: " + "the bus to the town hall leaves every hour from the station. " * 14
    view = SlideView()
    qtbot.addWidget(view)
    view.resize(1024, 768)
    view.show()
    view.set_slide(Slide("text", "Jena", title="Getting around", body=body), language="en")
    assert view.fit_factor < 1.0 and view.overflow() == 0 and not cut_labels(view)
    assert split(Slide("myth", "Jena", title="A myth", body="The reality"), 3) == \
        [Slide("myth", "Jena", title="A myth", body="The reality")]  # a card stays whole
