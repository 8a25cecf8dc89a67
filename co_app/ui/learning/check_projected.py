"""What the group sees of a learning check (issue 21, point 2): one question per screen in
the group's language, a speaker sign (the interpreter reads it aloud: many cannot read),
the answers numbered large so people answer with raised hands, cards or a clicker, and the
question's picture when it has one.  The right answer is not shown: it is a check."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPixmap, QResizeEvent, QScreen
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from co_app.core.content.checks import SelfCheckQuestion
from co_app.core.foundation.languages import is_rtl

INK, ACCENT = "#111111", "#0b4f8a"


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
        self.numbers: list[QLabel] = []
        self.options: list[QLabel] = []
        top = QHBoxLayout()
        top.addWidget(self.speaker)
        top.addWidget(self.counter, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.question)
        layout.addWidget(self.picture)
        layout.addLayout(self.answers)
        layout.addStretch(1)
        self._pixmap: QPixmap | None = None
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
        for label in self.numbers + self.options:
            self.answers.removeWidget(label)
            label.deleteLater()
        self.numbers, self.options = [], []
        mark = "\u200f" if is_rtl(language) else ""  # "112" alone would read left to right, at the left
        for row, option in enumerate(question.options):
            number, text = _label("checkNumber", str(row + 1)), _label("checkOption", mark + option)
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.answers.addWidget(number, row, 0)
            self.answers.addWidget(text, row, 1)
            self.numbers.append(number)
            self.options.append(text)
        self.answers.setColumnStretch(1, 1)
        self._restyle()

    def visible_text(self) -> str:
        return "\n".join(label.text() for label in (self.counter, self.question, *self.numbers, *self.options))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._restyle()

    def _restyle(self) -> None:
        """The largest type (about twelve lines of answers fill the screen) at which the
        question, its picture and its answers fit the screen's height."""
        base = max(10, self.height() // 18)
        for factor in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4):
            self._apply(max(8, int(base * factor)))
            layout = self.layout()
            layout.activate()
            need = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else \
                layout.totalSizeHint().height()
            if need <= self.height():
                break

    def _apply(self, unit: int) -> None:
        def font(label: QLabel, size: float, weight: QFont.Weight = QFont.Weight.Normal) -> None:
            f = label.font()
            f.setPixelSize(max(8, int(size)))
            f.setWeight(weight)
            label.setFont(f)

        self.speaker.setFixedSize(int(unit * 1.8), int(unit * 1.8))
        font(self.counter, unit, QFont.Weight.Bold)
        font(self.question, unit * 1.6, QFont.Weight.Bold)
        for number in self.numbers:
            number.setFixedSize(int(unit * 2.2), int(unit * 2.2))
            font(number, unit * 1.5, QFont.Weight.ExtraBold)
        for option in self.options:
            font(option, unit * 1.3)
        if self._pixmap is not None and not self._pixmap.isNull():
            self.picture.setPixmap(self._pixmap.scaledToHeight(unit * 5, Qt.TransformationMode.SmoothTransformation))
        self.answers.setHorizontalSpacing(unit)
        self.answers.setVerticalSpacing(unit // 2)
        self.setStyleSheet(
            f"QWidget#projectedCheck {{ background: #fbfaf5; }}"
            f"QLabel {{ color: {INK}; background: transparent; }}"
            f"QLabel#checkCounter {{ color: {ACCENT}; }}"
            f"QLabel#checkNumber {{ color: white; background: {ACCENT}; border-radius: {unit}px; }}")
        margin = unit * 2
        self.layout().setContentsMargins(margin, margin, margin, margin)
        self.layout().setSpacing(unit)


class ProjectedCheckWindow(QWidget):
    """The projector's window while a check runs (the runner's slides wait behind it)."""

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.view = ProjectedQuestion()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def show_on(self, screen: QScreen) -> None:
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
