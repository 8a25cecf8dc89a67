"""Start a session in a few clicks: defaults come from the last session."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from co_app.core.sessions import service as session_service
from co_app.core.bootstrap import Services
from co_app.core.foundation.i18n import _, current_language, format_date
from co_app.core.foundation.languages import LANGUAGES


class StartSessionDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.created: session_service.SessionSummary | None = None
        with services.db.session() as db:
            last = session_service.last_session(db)
        self.setWindowTitle(_("Start a session"))
        form = QFormLayout(self)
        self.date_label = QLabel(format_date(date.today(), "full"))
        self.place = QLineEdit(last.place if last else "")
        self.facilitator = QLineEdit(last.facilitator if last else "")
        self.interpreter = QLineEdit(last.interpreter if last else "")
        self.language = QComboBox()
        for lang in LANGUAGES:
            self.language.addItem(lang.native_name, lang.code)
        wanted = last.language if last else current_language()
        self.language.setCurrentIndex(max(0, self.language.findData(wanted)))
        self.destination = QComboBox()
        self.destination.addItem(_("Not decided yet"), "")
        for film in services.manifest.films if services.manifest else ():
            self.destination.addItem(film.town, film.id)
        if last and last.destination_towns:
            self.destination.setCurrentIndex(max(0, self.destination.findData(last.destination_towns[0])))
        form.addRow(_("Date"), self.date_label)
        form.addRow(_("Place"), self.place)
        form.addRow(_("Facilitator"), self.facilitator)
        form.addRow(_("Interpreter"), self.interpreter)
        form.addRow(_("Group language"), self.language)
        form.addRow(_("Destination town"), self.destination)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Start the session"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, self.sizeHint().height())

    def accept(self) -> None:
        destination = self.destination.currentData()
        with self.services.db.session() as db:
            self.created = session_service.create_session(
                db,
                day=date.today(),
                place=self.place.text(),
                facilitator=self.facilitator.text(),
                interpreter=self.interpreter.text(),
                language=self.language.currentData(),
                destination_towns=[destination] if destination else [],
            )
            # A first agenda to run or edit: the destination's film and town, every module.
            from co_app.core.sessions import agenda

            agenda.save_agenda(db, self.created.id,
                               agenda.suggested_agenda(self.services.content, self.created.destination_towns))
        super().accept()
