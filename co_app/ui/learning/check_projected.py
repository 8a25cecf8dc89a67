"""What the group sees of a learning check (issue 21, point 2): one question per screen in
the group's language, a speaker sign (the interpreter reads it aloud: many cannot read),
the answers numbered large so people answer with raised hands, cards or a clicker, and the
question's picture when it has one.  A question whose answers are pictures ("choose one of
2–4 pictures", ``option_pictures``) shows them as numbered cards side by side — the number
large, the picture, the answer's short text under it — in reading order (the first at the
right for Arabic and Dari).  The right answer is not shown: it is a check."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen, QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QLayout, QSizePolicy, QVBoxLayout, QWidget

from co_app.core.content.checks import SelfCheckQuestion
from co_app.core.foundation.languages import is_rtl
from co_app.ui.media.screen_window import ScreenWindow

INK, ACCENT, CARD_EDGE = "#111111", "#0b4f8a", "#c9c4b5"
#: The steps of type size tried, largest first, until the question fits the screen.
FACTORS = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4, 0.35, 0.3)


class SpeakerSign(QWidget):
    """A loudspeaker with sound waves, drawn (no font needs the emoji)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("speaker")

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        side = min(self.width(), self.height())
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.scale(side / 100, side / 100)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(ACCENT))
        body = QPainterPath()
        body.moveTo(10, 38)
        for x, y in ((30, 38), (55, 15), (55, 85), (30, 62), (10, 62)):
            body.lineTo(x, y)
        body.closeSubpath()
        p.drawPath(body)
        pen = QPen(QColor(ACCENT), 7)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        for radius in (14, 28):
            p.drawArc(QRectF(QPointF(55 - radius, 50 - radius), QPointF(55 + radius, 50 + radius)),
                      -45 * 16, 90 * 16)
        p.end()


def _label(name: str, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    # The side the group reads from, whatever the text's script ("112" in an Arabic screen).
    label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
    return label


class PictureCard(QFrame):
    """One answer of a picture choice: its number large, its picture, its short text."""

    def __init__(self, number: int, text: str, pixmap: QPixmap) -> None:
        super().__init__()
        self.setObjectName("checkCard")
        self.number = _label("checkNumber", str(number))
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setWordWrap(False)
        self.picture = QLabel()
        self.picture.setObjectName("checkCardPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.source = pixmap
        self.label = _label("checkCardLabel", text)
        self.label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.label.setVisible(bool(text.strip("\u200f ")))
        layout = QVBoxLayout(self)
        layout.addWidget(self.number, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.picture)
        layout.addWidget(self.label)
        layout.addStretch(1)
        self.number.show()  # not hidden now, for the layout measuring before the window is painted
        self.picture.show()

    def fit(self, unit: int, width: int) -> None:
        """Sizes for ``unit`` in a card ``width`` pixels wide: the picture as wide as the card
        allows and at most seven units high, keeping its shape."""
        pad = max(4, unit // 3)
        self.setFixedWidth(width)
        self.layout().setContentsMargins(pad, pad, pad, pad)
        self.layout().setSpacing(pad)
        inner = max(10, width - 2 * pad - 2 * self.frameWidth())
        if not self.source.isNull():
            self.picture.setPixmap(self.source.scaled(inner, min(int(inner * 0.75), unit * 7),
                                                      Qt.AspectRatioMode.KeepAspectRatio,
                                                      Qt.TransformationMode.SmoothTransformation))
        self.label.setFixedWidth(inner)

    def words_fit(self) -> bool:
        """Each word of the text fits the card's width (a word is never cut or squeezed)."""
        metrics = QFontMetrics(self.label.font())
        return all(metrics.horizontalAdvance(word) <= self.label.width() for word in self.label.text().split())


class ProjectedQuestion(QWidget):
    """One check question, large.  ``set_question`` fills it; sizes follow the widget's height."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projectedCheck")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.speaker = SpeakerSign()
        self.counter = _label("checkCounter")
        self.question = _label("checkQuestion")
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.answers = QGridLayout()
        self.cards_row = QHBoxLayout()
        self.numbers: list[QLabel] = []
        self.options: list[QLabel] = []
        self.cards: list[PictureCard] = []
        top = QHBoxLayout()
        top.addWidget(self.speaker)
        top.addWidget(self.counter, 1)
        layout = QVBoxLayout(self)
        # Never bigger than its window: it is fitted to the room the projector has (as a slide).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addLayout(top)
        layout.addWidget(self.question)
        layout.addWidget(self.picture)
        layout.addLayout(self.answers)
        layout.addLayout(self.cards_row)
        layout.addStretch(1)
        self._pixmap: QPixmap | None = None
        self.reserved = 0  # the screen's bottom the console's strip covers (a shared screen)
        self._restyle()

    def reserve_bottom(self, height: int) -> None:
        """Leave the screen's bottom ``height`` pixels free (the console's strip is there on a
        shared screen): the question is fitted above it."""
        if height != self.reserved:
            self.reserved = height
            self._restyle()

    def set_question(self, question: SelfCheckQuestion, counter: str, folder: Path | None = None,
                     language: str = "en") -> None:
        """``question`` in the group's ``language`` (right to left for Arabic and Dari);
        ``counter`` ("Question 2 of 5") already translated; ``folder`` the module's, for its pictures."""
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if is_rtl(language) else Qt.LayoutDirection.LeftToRight)
        self.counter.setText(counter)
        self.question.setText(question.question)
        self.setAccessibleName(question.question)
        self._pixmap = QPixmap(str(folder / question.picture)) if folder and question.picture else None
        self.picture.setVisible(self._pixmap is not None and not self._pixmap.isNull())
        for label in self.numbers + self.options + self.cards:
            label.setParent(None)
            label.deleteLater()
        self.numbers, self.options, self.cards = [], [], []
        while self.cards_row.count():  # the stretch after the cards
            self.cards_row.takeAt(0)
        mark = "\u200f" if is_rtl(language) else ""  # "112" alone would read left to right, at the left
        if folder is not None and question.option_pictures:
            self._fill_cards(question, folder, mark)
        else:
            self._fill_rows(question, mark)
        self._restyle()

    def _fill_rows(self, question: SelfCheckQuestion, mark: str) -> None:
        for row, option in enumerate(question.options):
            number, text = _label("checkNumber", str(row + 1)), _label("checkOption", mark + option)
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.answers.addWidget(number, row, 0)
            self.answers.addWidget(text, row, 1)
            number.show()  # a layout shows what it is given only later; the fitting measures now
            text.show()
            self.numbers.append(number)
            self.options.append(text)
        self.answers.setColumnStretch(1, 1)

    def _fill_cards(self, question: SelfCheckQuestion, folder: Path, mark: str) -> None:
        """The answers as numbered picture cards, side by side in reading order."""
        for row, (option, picture) in enumerate(zip(question.options, question.option_pictures, strict=False)):
            card = PictureCard(row + 1, mark + option if option else "", QPixmap(str(folder / picture)))
            self.cards_row.addWidget(card)  # as high as the highest: the pictures in one line
            card.show()  # a layout shows what it is given only later; the fitting measures now
            self.cards.append(card)
            self.numbers.append(card.number)
            self.options.append(card.label)
        self.cards_row.addStretch(1)

    def visible_text(self) -> str:
        return "\n".join(label.text() for label in (self.counter, self.question, *self.numbers, *self.options))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._restyle()

    def _restyle(self) -> None:
        """The largest type (about twelve lines of answers fill the screen) at which the
        question, its picture and its answers fit the screen's height."""
        base = max(10, (self.height() - self.reserved) // 18)
        for factor in FACTORS:
            self._apply(max(8, int(base * factor)))
            if self.overflow() == 0 and all(card.words_fit() for card in self.cards):
                break

    def overflow(self) -> int:
        """How many pixels more than the widget's height the question needs (0: it fits)."""
        layout = self.layout()
        layout.activate()
        need = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else \
            layout.totalSizeHint().height()
        return max(0, need - self.height())

    def _apply(self, unit: int) -> None:
        def font(label: QLabel, size: float, weight: QFont.Weight = QFont.Weight.Normal) -> None:
            f = label.font()
            f.setPixelSize(max(8, int(size)))
            f.setWeight(weight)
            label.setFont(f)

        self.speaker.setFixedSize(int(unit * 1.8), int(unit * 1.8))
        font(self.counter, unit, QFont.Weight.Bold)
        font(self.question, unit * 1.6, QFont.Weight.Bold)
        side = unit * (2.2 if not self.cards else 2.4)
        for number in self.numbers:
            number.setFixedSize(int(side), int(side))
            font(number, unit * (1.5 if not self.cards else 1.7), QFont.Weight.ExtraBold)
        for option in self.options:
            font(option, unit * 1.3 if not self.cards else unit * 1.05)
        if self._pixmap is not None and not self._pixmap.isNull():
            self.picture.setPixmap(self._pixmap.scaledToHeight(unit * 5, Qt.TransformationMode.SmoothTransformation))
        self.answers.setHorizontalSpacing(unit)
        self.answers.setVerticalSpacing(unit // 2)
        margin = unit * 2 if not self.cards else unit
        self.cards_row.setSpacing(unit)
        room = self.width() - 2 * margin - unit * max(0, len(self.cards) - 1)
        for card in self.cards:
            card.fit(unit, max(40, room // len(self.cards)))
        self.setStyleSheet(
            f"QWidget#projectedCheck {{ background: #fbfaf5; }}"
            f"QLabel {{ color: {INK}; background: transparent; }}"
            f"QLabel#checkCounter {{ color: {ACCENT}; }}"
            f"QLabel#checkNumber {{ color: white; background: {ACCENT}; border-radius: {unit}px; }}"
            f"QFrame#checkCard {{ background: white; border: {max(2, unit // 12)}px solid {CARD_EDGE};"
            f" border-radius: {unit // 2}px; }}"
            f"QFrame#checkCard QLabel {{ border: none; }}")
        self.layout().setContentsMargins(margin, margin, margin, margin + self.reserved)
        self.layout().setSpacing(unit)


class ProjectedCheckWindow(ScreenWindow):
    """The projector's window while a check runs (the runner's slides wait behind it):
    exactly its screen (``ScreenWindow.show_on``); the question is fitted to that room.
    Keys pressed here (a click on the projected question took the focus) go to the console."""

    key_pressed = Signal(object)

    def __init__(self) -> None:
        view = ProjectedQuestion()
        super().__init__(view)
        self.view = view

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        self.key_pressed.emit(event)
