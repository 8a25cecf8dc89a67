"""Participants' feedback in the viewer (issue 21, point 5): three questions, each answered
by touching one of three big faces (happy, in between, unhappy) — no reading or writing
needed beyond the question, which the viewer shows in the participant's language.  After
the third, a thank-you, and the first question again for the next person.  Anonymous:
each touch is one more in the session's count (co_app/core/learning/feedback.py)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from co_app.core.foundation.i18n import N_, _
from co_app.core.learning import feedback
from co_app.ui.shell.page import View, page_layout
from co_app.ui.shell.widgets import page_title

FACE_COLOURS = ("#2e7d32", "#e0a100", "#c62828")
FACE_NAMES = (N_("Yes, good"), N_("So-so"), N_("No, not good"))
#: How long the thank-you stays before the next person's first question, in ms.
THANKS_MS = 3000


class FaceButton(QPushButton):
    """A big round face: the mouth curves up (0), is straight (1) or curves down (2)."""

    def __init__(self, face: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.face = face
        self.setMinimumSize(150, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFlat(True)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        side = min(self.width(), self.height()) - 8
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.translate((self.width() - side) / 2, (self.height() - side) / 2)
        p.scale(side / 100, side / 100)
        p.setPen(QPen(QColor("#1d2b33"), 3 if self.hasFocus() else 0))
        p.setBrush(QColor(FACE_COLOURS[self.face]))
        p.drawEllipse(QRectF(2, 2, 96, 96))
        p.setBrush(QColor("#1d2b33"))
        p.setPen(Qt.PenStyle.NoPen)
        for x in (35, 65):
            p.drawEllipse(QPointF(x, 38), 6, 6)
        pen = QPen(QColor("#1d2b33"), 6)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        if self.face == 1:
            p.drawLine(QPointF(32, 68), QPointF(68, 68))
        else:
            arc = QRectF(30, 48, 40, 30) if self.face == 0 else QRectF(30, 64, 40, 30)
            p.drawArc(arc, (180 if self.face == 0 else 0) * 16, 180 * 16)
        p.end()


class FeedbackView(View):
    key = "feedback"
    nav_title = N_("Your opinion")

    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        layout = page_layout(self)
        self.title = page_title()
        self.question = QLabel()
        self.question.setObjectName("feedbackQuestion")
        self.question.setWordWrap(True)
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.faces = [FaceButton(face) for face in feedback.FACES]
        row = QHBoxLayout()
        for button in self.faces:
            button.clicked.connect(lambda _checked=False, b=button: self.choose(b.face))
            row.addWidget(button)
        self.thanks = QLabel()
        self.thanks.setObjectName("feedbackQuestion")
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body = QVBoxLayout()
        body.addWidget(self.question)
        body.addLayout(row, 1)
        body.addWidget(self.thanks)
        layout.addWidget(self.title)
        layout.addLayout(body, 1)
        self.setStyleSheet("QLabel#feedbackQuestion { font-size: 22pt; font-weight: bold; }")
        self.index = 0
        self._restart = QTimer(self)
        self._restart.setSingleShot(True)
        self._restart.timeout.connect(self.start_over)
        self.session_id: str | None = None
        self.retranslate()

    def refresh(self) -> None:
        with self.services.db.session() as db:
            self.session_id = feedback.todays_session(db)
        self.start_over()

    def start_over(self) -> None:
        self.index = 0
        self.retranslate()

    def choose(self, face: int) -> None:
        """One more ``face`` for the question on screen; the next question, or thanks."""
        if self.session_id is None or self.index >= len(feedback.QUESTIONS):
            return
        with self.services.db.session() as db, db.begin():
            feedback.add_face(db, self.session_id, feedback.QUESTIONS[self.index][0], face)
        self.index += 1
        if self.index == len(feedback.QUESTIONS):
            self._restart.start(THANKS_MS)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Your opinion"))
        done = self.index >= len(feedback.QUESTIONS)
        no_session = self.session_id is None
        for button, name in zip(self.faces, FACE_NAMES):
            button.setVisible(not done and not no_session)
            button.setAccessibleName(_(name))
            button.setToolTip(_(name))
        self.question.setVisible(not done)
        self.thanks.setVisible(done or no_session)
        if no_session:
            self.thanks.setText(_("There is no session open today."))
        elif done:
            self.thanks.setText(_("Thank you! Your answer is anonymous."))
        else:
            self.question.setText(_(feedback.QUESTIONS[self.index][1]))
