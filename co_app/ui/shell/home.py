"""Home: today's session at a glance, or one click to start one."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from co_app.core.foundation.i18n import N_, _, current_language, format_date, isolate, join_list, pgettext
from co_app.core.foundation.languages import find_language
from co_app.ui.shell.flow_layout import FlowLayout
from co_app.ui.shell.page import View, page_layout
from co_app.ui.shell.widgets import muted, page_title

if TYPE_CHECKING:
    from co_app.core.db.glance import SessionSummary


def films_installed(services) -> bool:
    """Whether any film of the film list has its video in the media folder (a file check per
    film: no hashing, no database)."""
    from co_app.core.media.library import find_video

    manifest = services.manifest
    return manifest is not None and any(find_video(services.paths.media, film.id) is not None
                                        for film in manifest.films)


class HomeView(View):
    key = "home"
    nav_title = N_("Home")

    #: Ask the main window to show another view ("films", "attendance", …).
    navigate = Signal(str)
    start_session_requested = Signal()
    #: Today's session: open its attendance pages / run its agenda (the session id).
    open_session_requested = Signal(str)
    run_session_requested = Signal(str)
    #: *Hand to a participant*: the window becomes the viewer (a PIN is set by then).
    hand_over_requested = Signal()

    # Longer than 60 lines on purpose: it builds one layout in reading order, top to bottom;
    # split up, the layout would be spread over several places.
    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        layout = page_layout(self)
        self.title = page_title()
        self.today = QLabel()
        self.today.setObjectName("bigDate")
        self.card = QFrame()
        self.card.setObjectName("card")
        card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(24, 20, 24, 20)
        self.session_heading = QLabel()
        self.session_heading.setObjectName("emptyTitle")
        self.session_text = muted()
        self.start_button = QPushButton()
        self.start_button.setObjectName("primary")
        self.start_button.clicked.connect(self.start_session_requested.emit)
        self.attendance_button = QPushButton()
        self.attendance_button.clicked.connect(self._open_today)
        self.run_button = QPushButton()
        self.run_button.clicked.connect(
            lambda: self._today_sessions and self.run_session_requested.emit(self._today_sessions[-1].id))
        self.run_button.hide()
        buttons = FlowLayout(spacing=10, line_spacing=8)  # wraps, whole, on a netbook or with larger text
        buttons.addWidget(self.attendance_button)  # shown when there is a session today: first
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.start_button)
        card_layout.addWidget(self.session_heading)
        card_layout.addWidget(self.session_text)
        card_layout.addLayout(buttons)

        # No film on this computer yet: said, with the way to import them (issue 20, 8).
        self.no_films = QLabel()
        self.no_films.setObjectName("warning")
        self.no_films.setWordWrap(True)
        self.no_films.hide()
        self._has_films = True
        shortcuts = FlowLayout(spacing=10, line_spacing=8)
        self.films_button = QPushButton()
        self.films_button.clicked.connect(lambda: self.navigate.emit("films"))
        self.towns_button = QPushButton()
        self.towns_button.clicked.connect(lambda: self.navigate.emit("towns"))
        shortcuts.addWidget(self.films_button)
        shortcuts.addWidget(self.towns_button)
        self.pin_button = QPushButton()
        self.pin_button.clicked.connect(self._set_pin)
        self.pin_button.hide()
        shortcuts.addWidget(self.pin_button)
        self.hand_over_button = QPushButton()
        self.hand_over_button.clicked.connect(self.hand_over)
        self.hand_over_button.setVisible(not services.is_office)  # the office's hub has no viewer
        shortcuts.addWidget(self.hand_over_button)
        # Sync (issue 6): how much the office has not received yet; counted in refresh().
        self.sync_status = muted()
        self.sync_button = QPushButton()
        self.sync_button.clicked.connect(self._export_for_office)
        sync_row = QHBoxLayout()
        sync_row.addWidget(self.sync_status, 1)
        sync_row.addWidget(self.sync_button)
        self.sync_status.hide()
        self.sync_button.hide()

        layout.addWidget(self.title)
        layout.addWidget(self.today)
        layout.addWidget(self.card)
        layout.addWidget(self.no_films)
        layout.addLayout(shortcuts)
        layout.addLayout(sync_row)
        layout.addStretch(1)
        self._today_sessions: list[SessionSummary] = []
        self._pending_changes = 0
        #: False until the database has been read: the card stays hidden rather than guess.
        self._loaded = False
        self.card.hide()

    def refresh(self) -> None:
        from co_app.core.db import glance  # plain SQL: Home does not load the ORM

        with self.services.plain() as conn:
            self._today_sessions = glance.sessions_on(conn, date.today())
            self.pin_button.setVisible(not glance.pin_is_set(conn))  # the first run asks for one
            self._pending_changes = glance.pending_changes(conn)
        self._has_films = films_installed(self.services)
        self._loaded = True
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Welcome"))
        self.films_button.setText(_("Play a film") if self._has_films else _("Import films…"))
        self.no_films.setText(_("No film is installed on this computer yet. Import them from the media pack's "
                                "USB drive: Films → Import films…"))
        self.no_films.setVisible(self._loaded and not self._has_films)
        self.towns_button.setText(_("Town profiles"))
        self.start_button.setText(_("Start a session"))
        self.attendance_button.setText(_("Check-in and attendance"))
        self.run_button.setText(_("Run the agenda"))
        self.pin_button.setText(_("Set the facilitator PIN"))
        self.pin_button.setToolTip(_("Needed to leave the viewer mode and to protect participants' data"))
        self.hand_over_button.setText(_("Hand to a participant"))
        self.hand_over_button.setToolTip(_("The viewer, full screen: films and towns in the participant's "
                                           "language, nothing else. The PIN leads back."))
        self.sync_button.setText(_("Export for the office…"))
        if self._loaded:
            self._render_today()
            from co_app.ui.sync.sync_dialogs import pending_text

            self.sync_status.setText(pending_text(self._pending_changes))
            self.sync_status.show()
            self.sync_button.show()

    def _render_today(self) -> None:
        self.today.setText(_("Today is {date}").format(date=format_date(date.today(), "full")))
        self.card.show()
        # With a session today, carrying on with it is the main action; another is secondary.
        self._set_primary(self.attendance_button if self._today_sessions else self.start_button)
        if not self._today_sessions:
            self.start_button.setText(_("Start a session"))
            self.session_heading.setText(_("No session today yet"))
            self.session_text.setText(_("Start a session to choose the group's language and destination town."))
            self.attendance_button.hide()
            self.run_button.hide()
            return
        current = self._today_sessions[-1]
        closed = current.status == "closed"
        self.attendance_button.show()
        # A closed session is over: the next step is the next session, not its agenda again.
        self.run_button.setVisible(not closed)
        self._set_primary(self.start_button if closed else self.attendance_button)
        self.start_button.setText(_("Start the next session") if closed else _("Start another session"))
        self.attendance_button.setText(_("Attendance and report") if closed else _("Check-in and attendance"))
        lang = find_language(current.language)
        self.session_heading.setText(
            (_("Today: session {number} of the day is closed") if closed
             else _("Today: session {number} of the day")).format(number=current.number_of_day))
        towns = join_list(self._town_names(current.destination_towns)) or _("no destination chosen")
        self.session_text.setText(
            _("{place} · facilitator: {facilitator} · language: {language} · destination: {towns}").format(
                place=isolate(current.place or pgettext("place", "not given")),
                facilitator=isolate(current.facilitator or pgettext("facilitator", "not given")),
                language=isolate(lang.native_name if lang else current.language),
                towns=towns,
            )
        )

    def _set_primary(self, button: QPushButton) -> None:
        for candidate in (self.start_button, self.attendance_button):
            name = "primary" if candidate is button else ""
            if candidate.objectName() != name:
                candidate.setObjectName(name)
                candidate.style().unpolish(candidate)
                candidate.style().polish(candidate)

    def _open_today(self) -> None:
        if self._today_sessions:
            self.open_session_requested.emit(self._today_sessions[-1].id)
        else:
            self.navigate.emit("attendance")

    def _export_for_office(self) -> None:
        from co_app.ui.sync.sync_dialogs import SyncExportDialog

        dialog = SyncExportDialog(self.services, self)
        dialog.finished.connect(self.refresh)
        dialog.open()

    def _set_pin(self) -> None:
        from co_app.ui.safety.pin_dialogs import SetPinDialog

        dialog = SetPinDialog(self.services, self)
        dialog.accepted.connect(self.refresh)
        dialog.open()

    def hand_over(self):  # returns the dialog shown first, if any (for tests)
        """To the viewer; without a PIN yet, one is set first (it is the only way back).  Not while
        the session runner is open: it is the facilitator's, and a participant could switch to it."""
        from PySide6.QtWidgets import QApplication, QMessageBox

        from co_app.core.db.glance import pin_is_set
        from co_app.ui.sessions.runner_window import SessionRunnerWindow

        if any(isinstance(w, SessionRunnerWindow) and w.isVisible() for w in QApplication.topLevelWidgets()):
            box = QMessageBox(QMessageBox.Icon.Information, _("Hand to a participant"), _(
                "The session runner is open: close it first. It is the facilitator's, and a participant could "
                "switch to it from the viewer."), QMessageBox.StandardButton.Ok, self)
            box.open()
            return box
        with self.services.plain() as conn:
            if pin_is_set(conn):
                self.hand_over_requested.emit()
                return None
        from co_app.ui.safety.pin_dialogs import SetPinDialog

        dialog = SetPinDialog(self.services, self)
        dialog.accepted.connect(self.refresh)
        dialog.accepted.connect(self.hand_over_requested.emit)
        dialog.open()
        return dialog

    def _town_names(self, film_ids: tuple[str, ...]) -> list[str]:
        manifest = self.services.manifest
        names = []
        for film_id in film_ids:
            film = manifest.film(film_id) if manifest else None
            # Without the film list (a broken films.toml) the town profile names it:
            # "Gänserndorf", not "austria-gaenserndorf".
            names.append(film.town_name(current_language()) if film
                         else self.services.content.town_name(film_id, current_language()))
        return names
