"""The learning figures of a session report (issue 21, point 4): per module the share
correct before and after and the change, by sex and age group, and the questions most
often missed — the figures of ``co_app.core.learning.report``, the rules of the
attendance definitions."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QVBoxLayout, QWidget

from co_app.core.bootstrap import Services
from co_app.core.foundation.i18n import _, format_number
from co_app.core.learning.report import LearningReport
from co_app.ui.attendance.report import count_table, fill_table, section_title, sex_label


def percent(share: float | None) -> str:
    """A share as a whole percentage, "–" when nothing was recorded."""
    return "–" if share is None else _("{percent}%").format(percent=format_number(round(share * 100)))


def change_text(change: float | None) -> str:
    if change is None:
        return "–"
    points = round(change * 100)
    return _("{sign}{points} points").format(sign="+" if points > 0 else "", points=format_number(points))


class WrappedQuestions(QObject):
    """The missed questions' table: the question takes the width the other columns leave
    and wraps over as many lines as it needs (it was cut with "…" in a third of the width);
    the rows' heights follow the width at every resize."""

    def __init__(self, table: QTableWidget) -> None:
        super().__init__(table)
        from PySide6.QtCore import Qt

        self.table = table
        table.setWordWrap(True)
        table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.later = QTimer(self)  # once the header has shared out a new width (goes with the table)
        self.later.setSingleShot(True)
        self.later.setInterval(0)
        self.later.timeout.connect(self.fit)
        table.installEventFilter(self)

    def fit(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        height = header.height() + 2 * self.table.frameWidth()
        self.table.setFixedHeight(height + sum(self.table.rowHeight(r) for r in range(self.table.rowCount())))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.table and event.type() == QEvent.Type.Resize:
            self.later.start()
        return False


class LearningSection(QWidget):
    """Titles and tables; hidden when the session has no recorded answers."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.title, self.table = section_title(), count_table(5)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("muted")
        self.missed_title, self.missed_table = section_title(), count_table(3)
        self.missed_fit = WrappedQuestions(self.missed_table)
        self.feedback_title, self.feedback_table = section_title(), count_table(4)
        for widget in (self.title, self.note, self.table, self.missed_title, self.missed_table, self.feedback_title,
                       self.feedback_table):
            layout.addWidget(widget)
        self.report: LearningReport | None = None
        self.language = "en"

    def show_report(self, report: LearningReport | None, language: str,
                    faces: dict[str, dict[int, int]] | None = None) -> None:
        """``report``'s figures and the participants' feedback ``faces`` (question → face → count)."""
        self.report, self.language = report, language
        touched = bool(faces and any(any(v.values()) for v in faces.values()))
        self.setVisible(bool(report and report.modules) or touched)
        self._show_feedback(faces if touched else None)
        for widget in (self.title, self.note, self.table):
            widget.setVisible(bool(report and report.modules))
        if not report or not report.modules:
            self.missed_title.hide()
            self.missed_table.hide()
            return
        content = self.services.content
        self.title.setText(_("What the group knew before and after"))
        self.note.setText(_("The share of check answers that were right, asked before each module and again after "
                            "it. By sex and age group only answers recorded per person count."))
        rows: list[list[object]] = []
        for module in report.modules:
            found = content.module(module.module_id, language)
            name = found.title if found else module.module_id
            rows.append([name, _("Everyone"), percent(module.overall.before), percent(module.overall.after),
                         change_text(module.overall.change)])
            for sex, figure in module.by["sex"].items():
                rows.append(["", sex_label(sex), percent(figure.before), percent(figure.after),
                             change_text(figure.change)])
            for group, figure in module.by["age_group"].items():
                shown = _("Age unknown") if group == "unknown" else _("Age {group}").format(group=group)
                rows.append(["", shown, percent(figure.before), percent(figure.after), change_text(figure.change)])
        fill_table(self.table, [_("Module"), _("Who"), _("Before"), _("After"), _("Change")], rows)
        self.missed_title.setText(_("Questions most often missed"))
        self.missed_title.setVisible(bool(report.missed))
        self.missed_table.setVisible(bool(report.missed))
        missed = []
        for item in report.missed:
            module = content.module(item.module_id, language)
            question = next((q.question for q in module.self_check if q.id == item.question_id), item.question_id) \
                if module else item.question_id
            when = _("after") if item.phase == "after" else _("before")
            missed.append([question, when, _("{wrong} of {answers}").format(
                wrong=format_number(item.wrong), answers=format_number(item.answers))])
        fill_table(self.missed_table, [_("Question"), _("Asked"), _("Wrong")], missed)
        self.missed_fit.fit()

    def _show_feedback(self, faces: dict[str, dict[int, int]] | None) -> None:
        from co_app.core.learning.feedback import QUESTIONS
        from co_app.ui.learning.feedback_view import FACE_NAMES

        self.feedback_title.setVisible(faces is not None)
        self.feedback_table.setVisible(faces is not None)
        if faces is None:
            return
        self.feedback_title.setText(_("Participants' feedback (anonymous)"))
        rows = [[_(text), *(faces[question][face] for face in range(3))] for question, text in QUESTIONS]
        fill_table(self.feedback_table, [_("Question"), *(_(name) for name in FACE_NAMES)], rows)
