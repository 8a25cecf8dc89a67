"""Drawing one slide: large type that scales with the screen, one idea per screen, and
myth-vs-reality cards that turn over.

The same widget draws the projector's full screen and the facilitator's preview; its
type size follows its own height, so both show the same slide at their own scale.

**Nothing is cut, by construction.**  After the type sizes are set from the widget's size,
the slide's text is measured (the layout's height for the width it has, with a myth card's
longer side and a check's explanation counted as if shown); while it needs more room than
there is, every size steps down (``FIT_STEPS``, to 60 %).  What still does not fit at the
smallest step goes on a second screen: ``slide_fit.py`` splits it before it is shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Callable

from PySide6.QtCore import QEasingCurve, QPoint, Qt, QVariantAnimation, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLayout, QSizePolicy, QVBoxLayout, QWidget

from co_app.core.sessions import slides as slide_kinds
from co_app.core.foundation.i18n import _
from co_app.core.foundation.languages import is_rtl
from co_app.core.sessions.slides import Slide
from co_app.ui.shell.fonts import families_for

#: The factors the type sizes step down by until a slide's text fits (then: a second screen).
FIT_STEPS = (1.0, 0.9, 0.8, 0.72, 0.66, 0.6)

# High contrast that survives a washed-out projector: near-black on warm white, and card
# colours told apart by more than hue (a label and a border style too).  The type sizes are
# not here: they are set on each label's font (``_FONTS``), so fitting a slide (several
# sizes tried) costs no style sheet cascade.
_STYLE = """
QWidget#slideView {{ background: #fbfaf5; }}
QLabel {{ color: #111111; background: transparent; }}
QLabel#slideHeading {{ color: #4a4a4a; }}
QLabel#slideLabel {{ color: #0b4f8a; }}
QLabel#slideAnswer {{ color: #0d5c2a; }}
QFrame#mythFront {{ background: #fff1c9; border: {border}px dashed #8a5a00; border-radius: {radius}px; }}
QFrame#mythBack {{ background: #e3f3e7; border: {border}px solid #0d5c2a; border-radius: {radius}px; }}
QLabel#cardLabel {{ color: #333333; }}
QLabel#cardHint {{ color: #4a4a4a; }}
"""
#: Each kind of label's type: (size, from the sizes of ``SlideView._sizes``; weight).
_FONTS = {
    "slideHeading": ("small", QFont.Weight.Normal), "slideLabel": ("small", QFont.Weight.Bold),
    "slideTitle": ("title", QFont.Weight.Bold), "slideBody": ("body", QFont.Weight.Normal),
    "slideItem": ("body", QFont.Weight.Normal), "slideItemKey": ("body", QFont.Weight.Bold),
    # The right answer, once shown: green and underlined, in the same weight as the other
    # answers — bold made it wider, and taller than the slide had been fitted for.
    "slideAnswer": ("body", QFont.Weight.Normal), "cardLabel": ("small", QFont.Weight.Bold),
    "cardText": ("title", QFont.Weight.DemiBold), "cardHint": ("hint", QFont.Weight.Normal),
}


def set_type(label: QLabel, sizes: dict[str, int]) -> None:
    """The label's font for its kind (object name) at these sizes."""
    size, weight = _FONTS.get(label.objectName(), ("body", QFont.Weight.Normal))
    font = label.font()
    underline = label.objectName() == "slideAnswer"
    if font.pixelSize() != sizes[size] or font.weight() != weight or font.underline() != underline:
        font.setPixelSize(sizes[size])
        font.setWeight(weight)
        font.setUnderline(underline)
        label.setFont(font)


def _table(items: tuple[str, ...]) -> QVBoxLayout:
    """Facts (name, value) or first words (word, sound, meaning) as rows of columns.

    Each row is a box layout whose labels take their width from the column's share alone
    (stretch, horizontal size policy Ignored), so the columns line up from row to row and
    each row is as tall as its wrapped text: a grid layout gave rows the height of an
    estimate and cut the second line of "Ich verstehe nicht".  Facts: the name a third;
    words: the word and its sound three tenths each, the meaning four."""
    columns = max((item.count("\t") + 1 for item in items), default=1)
    stretches = (1, 2) if columns == 2 else (3, 3, 4)[:columns] if columns <= 3 else (1,) * columns
    rows = QVBoxLayout()
    rows.setSpacing(10)
    for item in items:
        row = QHBoxLayout()
        row.setSpacing(32)
        parts = item.split("\t")
        for col, stretch in enumerate(stretches):
            label = _label("slideItemKey" if col == 0 else "slideItem", parts[col] if col < len(parts) else "")
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
            row.addWidget(label, stretch)
        rows.addLayout(row)
    return rows


@contextmanager
def _all_shown(card: "MythCard | None", slide: Slide | None, answer: QLabel | None) -> Iterator[None]:
    """For measuring: a myth card showing its longer side, a check's explanation shown."""
    saved = card.text.text() if card is not None else None
    hidden = answer is not None and answer.isHidden()
    if card is not None and slide is not None:
        card.text.setText(max((slide.title, slide.body), key=len))
    if answer is not None and hidden:
        answer.setHidden(False)
    try:
        yield
    finally:
        if card is not None and saved is not None:
            card.text.setText(saved)
        if answer is not None and hidden:
            answer.setHidden(True)


def _label(name: str, text: str = "", *, markdown: bool = False) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.MarkdownText if markdown else Qt.TextFormat.PlainText)
    label.setText(text)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


class MythCard(QFrame):
    """A card with the myth on its front and the reality on its back.  ``turn()`` turns it
    over with a short animation (the card narrows to an edge and opens on the other side)."""

    turned = Signal(bool)

    def __init__(self, slide: Slide, tr: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slide = slide
        self.tr_group = tr
        self.showing_reality = False
        self.label = _label("cardLabel")
        self.text = _label("cardText")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = _label("cardHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addStretch(1)
        layout.addWidget(self.text)
        layout.addStretch(1)
        layout.addWidget(self.hint)
        self._animation = QVariantAnimation(self)
        self._animation.setDuration(360)
        self._animation.setStartValue(1.0)
        self._animation.setEndValue(-1.0)
        self._animation.setEasingCurve(QEasingCurve.Type.InOutSine)
        self._animation.valueChanged.connect(self._step)
        self._animation.finished.connect(self._finished)
        self._full_width = 0
        self._show_side()

    def _show_side(self) -> None:
        if self.showing_reality:
            self.setObjectName("mythBack")
            self.label.setText("✓ " + self.tr_group(slide_kinds.LABEL_REALITY))
            self.text.setText(self.slide.body)
            self.hint.setText("")
        else:
            self.setObjectName("mythFront")
            self.label.setText("? " + self.tr_group(slide_kinds.LABEL_MYTH))
            self.text.setText(self.slide.title)
            self.hint.setText(self.tr_group(slide_kinds.LABEL_MYTH_PROMPT))
        self.setAccessibleName(self.label.text())
        self.style().unpolish(self)
        self.style().polish(self)

    def turn(self, animate: bool = True) -> None:
        if self._animation.state() == QVariantAnimation.State.Running:
            self._animation.stop()
            self._finished()
        if not animate or not self.isVisible():
            self.showing_reality = not self.showing_reality
            self._show_side()
            self.turned.emit(self.showing_reality)
            return
        self._full_width = self.width()
        self._swapped = False
        self._animation.start()

    def _step(self, value: float) -> None:
        if value <= 0 and not self._swapped:
            self._swapped = True
            self.showing_reality = not self.showing_reality
            self._show_side()
        self.setMaximumWidth(max(2, int(self._full_width * abs(value))))

    def _finished(self) -> None:
        self.setMaximumWidth(16777215)
        if not getattr(self, "_swapped", True):
            self.showing_reality = not self.showing_reality
            self._show_side()
        self._swapped = True
        self.turned.emit(self.showing_reality)


class SlideView(QWidget):
    """One slide, drawn large.  ``tr`` translates the application's few labels into the
    group's language; ``language`` sets the reading direction of the slide."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("slideView")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.slide: Slide | None = None
        self.revealed = False
        self.card: MythCard | None = None
        self.tr_group: Callable[[str], str] = _
        self._outer = QVBoxLayout(self)
        # The slide never makes its window bigger: it is fitted to the room it is given (a
        # shown view grew to its text's minimum height, 1231 px on a 1080 px projector).
        self._outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._body: QWidget | None = None
        self._answer: QLabel | None = None
        self._option_labels: list[QLabel] = []
        #: The factor the type sizes were multiplied by to fit (1.0: no need).
        self.fit_factor = 1.0
        self.refit()

    # -- showing ------------------------------------------------------------------------
    def set_slide(self, slide: Slide | None, *, language: str = "en",
                  tr: Callable[[str], str] | None = None) -> None:
        self.slide = slide
        self.revealed = False
        self.card = None
        self._answer = None
        self._option_labels = []
        if tr is not None:
            self.tr_group = tr
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if is_rtl(language)
                                else Qt.LayoutDirection.LeftToRight)
        if self._body is not None:
            self._outer.removeWidget(self._body)
            self._body.hide()  # gone at once, though deleted later
            self._body.deleteLater()
        self._body = QWidget()
        self._outer.addWidget(self._body)
        if slide is not None:
            self._build(slide, QVBoxLayout(self._body))
            families = families_for(language)  # the group's script's typeface, whatever the facilitator's
            for label in self._body.findChildren(QLabel):  # (a label does not take its parent's)
                font = label.font()
                font.setFamilies(families)
                label.setFont(font)
        self._body.show()  # added to a shown widget, a child would wait for the event loop
        self.refit()

    def can_reveal(self) -> bool:
        """True while the slide hides something: a card not yet turned, an answer not shown."""
        return self.slide is not None and self.slide.kind in ("myth", "check") and not self.revealed

    def reveal(self) -> None:
        """Turn the card over, or show the right answer (again: turn the card back)."""
        if self.slide is None:
            return
        if self.slide.kind == "myth" and self.card is not None:
            self.revealed = not self.revealed
            self.card.turn(animate=self.isVisible())
        elif self.slide.kind == "check" and self._answer is not None:
            self.revealed = not self.revealed
            self._answer.setVisible(self.revealed)
            for index, label in enumerate(self._option_labels):
                right = index == self.slide.answer
                label.setObjectName("slideAnswer" if right and self.revealed else "slideItem")
                label.style().unpolish(label)
                label.style().polish(label)
                set_type(label, self._sizes)

    def visible_text(self) -> str:
        """Every text the slide shows now, for tests and accessibility."""
        if self._body is None:
            return ""
        return "\n".join(label.text() for label in self._body.findChildren(QLabel) if label.isVisibleTo(self))

    # -- building -----------------------------------------------------------------------
    def _build(self, slide: Slide, layout: QVBoxLayout) -> None:
        tr = self.tr_group
        layout.setSpacing(12)
        if slide.heading and slide.kind != "title":
            layout.addWidget(_label("slideHeading", slide.heading))
        if slide.label and slide.kind != "myth":
            text = tr(slide.label)
            if slide.kind == "activity" and slide.minutes:
                text = "{label} · {minutes}".format(
                    label=text, minutes=tr(slide_kinds.LABEL_MINUTES).format(minutes=slide.minutes))
            layout.addWidget(_label("slideLabel", text))
        kind = slide.kind
        if kind == "myth":
            self.card = MythCard(slide, tr)
            layout.addWidget(self.card, 1)
            return
        if kind == "break":
            title = _label("slideTitle", tr(slide_kinds.LABEL_BREAK))
            title.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addStretch(1)
            layout.addWidget(title)
            minutes = _label("slideBody", tr(slide_kinds.LABEL_MINUTES).format(minutes=slide.minutes))
            minutes.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(minutes)
            layout.addStretch(1)
            return
        layout.addWidget(_label("slideTitle", slide.title))
        if slide.body and kind in ("title", "text", "film"):
            layout.addWidget(_label("slideBody", slide.body, markdown=True))
        if kind in ("facts", "words"):
            layout.addLayout(_table(slide.items))
        elif kind == "check":
            for index, option in enumerate(slide.items):
                label = _label("slideItem", "{number}. {option}".format(number=index + 1, option=option))
                self._option_labels.append(label)
                layout.addWidget(label)
            self._answer = _label("slideBody", slide.body)
            self._answer.hide()
            layout.addWidget(self._answer)
        elif slide.items:
            for item in slide.items:
                layout.addWidget(_label("slideItem", "•  " + item))
        layout.addStretch(1)
        if "parts" in slide.extra:  # a slide too long for one screen, shared out (slide_fit.py)
            part = _label("slideHeading", tr(slide_kinds.LABEL_PART).format(
                number=slide.extra["part"], total=slide.extra["parts"]))
            part.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            layout.addWidget(part)
        if "content_version" in slide.extra:
            layout.addWidget(_label("slideHeading", tr(slide_kinds.LABEL_CONTENT_VERSION).format(
                version=slide.extra["content_version"], date=slide.extra.get("content_date", ""))))

    # -- scale --------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.refit()

    def refit(self) -> None:
        """Type sizes from the widget's size (about 12 lines of body text fill the height),
        then the largest of ``FIT_STEPS`` at which the slide's text fits (a bisection: the
        text's height only grows with its size)."""
        full = self._full_size()
        sizes = [max(11, int(full * factor)) for factor in FIT_STEPS]
        self._set_sizes(sizes[0], full)
        self.fit_factor = FIT_STEPS[0]
        if self._body is None or self.slide is None or self.overflow() == 0:
            return
        low, high, best = 1, len(sizes) - 1, len(sizes) - 1
        while low <= high:
            middle = (low + high) // 2
            self._set_sizes(sizes[middle], full)
            if self.overflow() == 0:
                best, high = middle, middle - 1
            else:
                low = middle + 1
        self._set_sizes(sizes[best], full)
        self.fit_factor = FIT_STEPS[best]

    def fits_at_smallest(self) -> bool:
        """Whether the slide fits this view in the smallest type of ``FIT_STEPS``."""
        full = self._full_size()
        self._set_sizes(max(11, int(full * FIT_STEPS[-1])), full)
        return self.overflow() == 0

    def _full_size(self) -> int:
        """The body text's size in pixels before any fitting; sets the margins to match."""
        h, w = max(self.height(), 200), max(self.width(), 300)
        full = max(13, min(int(h / 17), int(w / 32)))
        margin = max(12, full)
        self._outer.setContentsMargins(margin * 2, margin, margin * 2, margin)
        return full

    def _set_sizes(self, body: int, full: int) -> None:
        """The labels' type at ``body`` px; the cards' borders from the unfitted ``full``
        size (so trying sizes never changes the style sheet)."""
        sizes = {"body": body, "title": int(body * 1.45), "small": max(11, int(body * 0.72)),
                 "hint": max(11, int(body * 0.6))}
        self._sizes = sizes
        style = _STYLE.format(border=max(2, full // 9), radius=full // 2)
        if style != self.styleSheet():
            self.setStyleSheet(style)
        for label in self.findChildren(QLabel):
            set_type(label, sizes)

    def overflow(self) -> int:
        """How many pixels the slide lacks (0: it fits): the slide is laid out in the room
        it has, and each label must be as tall as its wrapped text, inside the room, and as
        wide as its longest word — with a myth card's longer side and a check's explanation
        counted as shown.  (A layout's own height-for-width estimate said a first-words
        table fitted while its rows were squeezed to two thirds of their text.)"""
        if self._body is None or self._body.layout() is None:
            return 0
        margins = self._outer.contentsMargins()
        room = self.rect().adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        worst = 0
        with _all_shown(self.card, self.slide, self._answer):
            for layout in [self._outer, *self.findChildren(QLayout)]:
                layout.invalidate()
                layout.activate()
            for label in self._body.findChildren(QLabel):
                if label.isHidden() or not label.isVisibleTo(self) or not label.text():
                    continue
                top = label.mapTo(self, QPoint(0, 0)).y()
                needed = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
                width = label.contentsRect().width()
                metrics = label.fontMetrics()
                widest = max((metrics.horizontalAdvance(word) for word in label.text().split()), default=0)
                worst = max(worst, needed - label.height(), top + max(needed, label.height()) - room.bottom() - 1,
                            widest - width)
        return max(0, worst)
