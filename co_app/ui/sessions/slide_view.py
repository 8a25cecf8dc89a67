"""Drawing one slide: large type that scales with the screen, one idea per screen, and
myth-vs-reality cards that turn over.

The same widget draws the projector's full screen and the facilitator's preview; its
type size follows its own height, so both show the same slide at their own scale.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEasingCurve, Qt, QVariantAnimation, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from co_app.core.sessions import slides as slide_kinds
from co_app.core.foundation.i18n import _
from co_app.core.foundation.languages import is_rtl
from co_app.core.sessions.slides import Slide

# High contrast that survives a washed-out projector: near-black on warm white, and card
# colours told apart by more than hue (a label and a border style too).
_STYLE = """
QWidget#slideView {{ background: #fbfaf5; }}
QLabel {{ color: #111111; background: transparent; }}
QLabel#slideHeading {{ color: #4a4a4a; font-size: {small}px; }}
QLabel#slideLabel {{ color: #0b4f8a; font-size: {small}px; font-weight: 700; }}
QLabel#slideTitle {{ font-size: {title}px; font-weight: 700; }}
QLabel#slideBody, QLabel#slideItem {{ font-size: {body}px; }}
QLabel#slideItemKey {{ font-size: {body}px; font-weight: 700; }}
QLabel#slideAnswer {{ font-size: {body}px; font-weight: 700; color: #0d5c2a; }}
QFrame#mythFront {{ background: #fff1c9; border: {border}px dashed #8a5a00; border-radius: {radius}px; }}
QFrame#mythBack {{ background: #e3f3e7; border: {border}px solid #0d5c2a; border-radius: {radius}px; }}
QLabel#cardLabel {{ font-size: {small}px; font-weight: 700; color: #333333; }}
QLabel#cardText {{ font-size: {title}px; font-weight: 600; }}
QLabel#cardHint {{ font-size: {hint}px; color: #4a4a4a; }}
"""


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
        self._body: QWidget | None = None
        self._answer: QLabel | None = None
        self._option_labels: list[QLabel] = []
        self._apply_scale()

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
            self._body.deleteLater()
        self._body = QWidget()
        self._outer.addWidget(self._body)
        if slide is not None:
            self._build(slide, QVBoxLayout(self._body))
        self._body.show()  # added to a shown widget, a child would wait for the event loop
        self._apply_scale()

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
            grid = QGridLayout()
            grid.setHorizontalSpacing(32)
            grid.setVerticalSpacing(10)
            for row, item in enumerate(slide.items):
                for col, part in enumerate(item.split("\t")):
                    grid.addWidget(_label("slideItemKey" if col == 0 else "slideItem", part), row, col)
            # The names a third of the width: wrapped labels share it by stretch, and without
            # one "Population" ended as a narrow column of one word per line (Tigrinya).
            grid.setColumnStretch(0, 1)
            grid.setColumnStretch(1, 2)
            layout.addLayout(grid)
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
        if "content_version" in slide.extra:
            layout.addWidget(_label("slideHeading", tr(slide_kinds.LABEL_CONTENT_VERSION).format(
                version=slide.extra["content_version"], date=slide.extra.get("content_date", ""))))

    # -- scale --------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._apply_scale()

    def _apply_scale(self) -> None:
        """Type sizes from the widget's size: about 12 lines of body text fill the height."""
        h, w = max(self.height(), 200), max(self.width(), 300)
        body = max(13, min(int(h / 17), int(w / 32)))
        sizes = {"body": body, "title": int(body * 1.45), "small": max(11, int(body * 0.72)),
                 "hint": max(11, int(body * 0.6)), "border": max(2, body // 9), "radius": body // 2}
        margin = max(12, body)
        self._outer.setContentsMargins(margin * 2, margin, margin * 2, margin)
        self.setStyleSheet(_STYLE.format(**sizes))
