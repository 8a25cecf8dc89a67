"""Attendance: the sessions on this computer and, for the chosen one, check-in,
participants, the agenda, modules covered and the report.

Left, the sessions (newest first) with "New session" and "All sessions"; right, the
chosen session's pages.  The pages share one contract — ``set_session(id)``,
``refresh()``, ``retranslate()`` and a ``changed`` signal — so a change on one (a check-in,
a module covered) refreshes the others the next time they are shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QStackedWidget, QTabWidget,
    QVBoxLayout, QWidget,
)

from co_app.core.sessions import service as session_service
from co_app.core.foundation.i18n import N_, _, current_language, format_date, isolate, join_list, pgettext
from co_app.core.foundation.languages import find_language
from co_app.ui.sessions.step_list import WrappingDelegate
from co_app.ui.shell.page import View, page_layout, text_scale
from co_app.ui.shell.widgets import EmptyState, muted, page_title


def status_label(status: str) -> str:
    if status == "open":
        return pgettext("session status", "open")
    if status == "closed":
        return pgettext("session status", "closed")
    return status


#: The session's pages, in tab order: (key, title marked with N_, module, class).
#: Below this height (a 1024×600 netbook) the page's title and the session's details hide.
COMPACT_BELOW = 700
#: A closed session's state line (when it was closed, the PIN) takes two lines more: below
#: this height (a 1366×768 laptop, in Arabic's taller script too) the title says "closed".
CLOSED_COMPACT_BELOW = 800
#: Between the sessions' column and the chosen session's pages.
COLUMN_SPACING = 20

SESSION_PAGES = (
    ("checkin", N_("Check-in"), "co_app.ui.attendance.checkin", "CheckInPanel"),
    ("participants", N_("Participants"), "co_app.ui.people.participants", "ParticipantsPanel"),
    ("agenda", N_("Agenda"), "co_app.ui.sessions.agenda", "AgendaPanel"),
    ("coverage", N_("Modules covered"), "co_app.ui.attendance.coverage", "CoveragePanel"),
    ("report", N_("Report"), "co_app.ui.attendance.report", "SessionReportPanel"),
)


class SessionTitle(QLabel):
    """The chosen session's date, number and place: wrapped on a large screen; on a small one
    a single line, cut with "…" (the whole in the tooltip), then "· closed" for a closed session."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("emptyTitle")
        self.setWordWrap(True)
        self.one_line = False
        self.title = ""
        self.closed = ""  # "closed", translated, or ""

    def set_title(self, title: str, closed: str) -> None:
        self.title, self.closed = title, closed
        self._show()

    def set_one_line(self, one_line: bool) -> None:
        self.one_line = one_line
        self.setWordWrap(not one_line)
        self._show()

    def _show(self) -> None:
        if not self.one_line:
            self.setText(self.title)
            return
        tag = " · " + self.closed if self.closed else ""
        metrics = self.fontMetrics()
        room = max(40, self.contentsRect().width() - metrics.horizontalAdvance(tag) - 8)
        self.setText(metrics.elidedText(self.title, Qt.TextElideMode.ElideRight, room) + tag)

    def minimumSizeHint(self):  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        if self.one_line:  # cut, never wider than the page
            hint.setWidth(min(hint.width(), 80))
        return hint

    def sizeHint(self):  # noqa: N802 - Qt override
        hint = super().sizeHint()
        if self.one_line:
            hint.setWidth(min(hint.width(), 80))
        return hint

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.one_line:
            self._show()


class ShownPageTabs(QTabWidget):
    """Tabs as tall as the page shown needs for its width, not the tallest of all pages (as
    Qt's are): a hidden page whose text wraps onto more lines (the agenda of a closed session,
    in Arabic with larger text) would make a netbook's window taller than its screen while
    check-in is shown.  Each page, when shown, still gets the height it needs."""

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        page = self.currentWidget()
        if page is None or not page.hasHeightForWidth():
            return super().heightForWidth(width)
        frame = self.width() - page.width() if page.width() else 4
        bar = self.tabBar().sizeHint().height() if self.tabBar().isVisible() else 0
        return bar + page.heightForWidth(max(1, width - frame)) + (self.height() - bar - page.height()
                                                                    if page.height() else 4)


class AttendanceView(View):
    key = "attendance"
    nav_title = N_("Attendance")

    #: A film step of the session runner asks the main window to play it.
    film_requested = Signal(str)

    # Longer than 60 lines on purpose: it builds one layout in reading order, top to bottom;
    # split up, the layout would be spread over several places.
    def __init__(self, services, parent: QWidget | None = None) -> None:
        import importlib

        super().__init__(services, parent)
        layout = page_layout(self)
        self.title = page_title()
        self._rows: list[session_service.SessionSummary] = []
        self.session_id: str | None = None
        self.runner = None

        # Left: the sessions.
        self.new_button = QPushButton()
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self.new_session)
        self.sessions = QListWidget()
        self.sessions.setObjectName("sessionList")
        self.sessions.setMinimumWidth(170)  # a 1024×600 netbook leaves the session's pages the rest
        self.sessions.setMaximumWidth(280)
        self.sessions.setWordWrap(True)
        self.sessions.setItemDelegate(WrappingDelegate(self.sessions))  # a line that just fits is not cut
        self.sessions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sessions.currentRowChanged.connect(self._session_chosen)
        self.sessions.itemClicked.connect(lambda _item: self.sessions_button.setChecked(False))  # folds again
        self.overall_button = QPushButton()
        self.overall_button.clicked.connect(self.show_overall)
        # On a narrow screen with larger text (1024 px) the session's tabs need this column's
        # width: it folds away behind a "Sessions" button beside the session's title.
        self.column = QWidget()
        left = QVBoxLayout(self.column)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.new_button)
        left.addWidget(self.sessions, 1)
        left.addWidget(self.overall_button)

        # Right: nothing yet / one session / across sessions.
        self.empty = EmptyState()
        empty_page = QWidget()
        empty_layout = QVBoxLayout(empty_page)
        empty_layout.setContentsMargins(0, 0, 0, 0)
        empty_layout.addWidget(self.empty)
        empty_layout.addStretch(1)

        self.session_page = QWidget()
        self.session_title = SessionTitle()
        self.sessions_button = QPushButton()  # shows the folded column of sessions again
        self.sessions_button.setCheckable(True)
        self.sessions_button.hide()
        self.sessions_button.toggled.connect(self._show_column)
        self.folded = False  # the column is folded away (the tabs need its width)
        self.session_details = muted()
        actions_module = importlib.import_module("co_app.ui.attendance.session_actions")
        self.actions = actions_module.SessionActions(services)
        self.actions.changed.connect(self._session_changed)
        self.tabs = ShownPageTabs()
        self.tabs.setObjectName("sessionTabs")
        self.pages: dict[str, QWidget] = {}
        for key, _title, module, class_name in SESSION_PAGES:
            panel = getattr(importlib.import_module(module), class_name)(services)
            if hasattr(panel, "changed"):  # the report only reads
                panel.changed.connect(self._panel_changed)
            self.pages[key] = panel
            self.tabs.addTab(panel, "")
        self.pages["agenda"].run_requested.connect(self.run_session)
        self.pages["checkin"].heading.hide()  # the page's header names the session already
        self.pages["checkin"].lock_note_here = False  # the session's state line or title says "closed"
        #: Over the office's hub: no check-in (nobody is checked in at the office) and no new
        #: session; each session says which laptop it was created on.
        self.office = services.is_office
        self._laptops: dict = {}  # session id -> SessionLaptop (over the hub)
        #: Set by the window over the hub: session ids -> {id: SessionLaptop} (core/office sits above).
        self.laptops_for = None
        self.tabs.setTabVisible(0, not self.office)
        self.new_button.setVisible(not self.office)
        # Nor is a session run or closed there (closing asks the laptop's PIN and backs up its folder).
        self.pages["agenda"].run_button.setVisible(not self.office)
        self.actions.close_button.setVisible(not self.office)
        self.actions.setVisible(not self.office)  # nor its papers printed: "Close or print" too
        # Across sessions the office has Office → Reports: computed by the database, on a worker.
        self.overall_button.setVisible(not self.office)
        if self.office:
            self.tabs.setCurrentWidget(self.pages["participants"])
        self.tabs.currentChanged.connect(self._tab_changed)
        self.tabs.tabBarClicked.connect(lambda _index: self.sessions_button.setChecked(False))  # folds again
        self._stale: set[str] = set()
        session_layout = QVBoxLayout(self.session_page)
        session_layout.setContentsMargins(0, 0, 0, 0)
        session_layout.setSpacing(6)
        self._session_layout = session_layout
        # What compact mode hides never holds the window taller than a small screen (a
        # minimum of 1 px: the layout gives them their height when there is room).
        for label in (self.title, self.session_details):
            label.setMinimumHeight(1)
        header = QHBoxLayout()
        header.setSpacing(12)
        header.addWidget(self.sessions_button, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.session_title, 1)
        header.addWidget(self.actions.menu_button, 0, Qt.AlignmentFlag.AlignVCenter)  # on a small screen
        session_layout.addLayout(header)
        session_layout.addWidget(self.session_details)
        session_layout.addWidget(self.actions)
        session_layout.addWidget(self.tabs, 1)

        overall_module = importlib.import_module("co_app.ui.attendance.overall_report")
        self.overall = overall_module.OverallReportPanel(services)

        self.right = QStackedWidget()
        self.right.addWidget(empty_page)
        self.right.addWidget(self.session_page)
        self.right.addWidget(self.overall)

        row = QHBoxLayout()
        row.setSpacing(COLUMN_SPACING)
        row.addWidget(self.column)
        row.addWidget(self.right, 1)
        layout.addWidget(self.title)
        layout.addLayout(row, 1)

    # -- data ---------------------------------------------------------------------------
    def refresh(self) -> None:
        with self.services.db.session() as db:
            self._rows = session_service.recent_sessions(db, limit=500)
        if self.laptops_for is not None:
            self._laptops = self.laptops_for([row.id for row in self._rows])
        wanted = self.session_id
        self._fill_sessions()
        if wanted and any(s.id == wanted for s in self._rows):
            self.select_session(wanted)
        elif self._rows and self.right.currentWidget() is not self.overall:
            self.select_session(self._rows[0].id)
        elif not self._rows:
            self.right.setCurrentIndex(0)
            self._show_column()
        self.retranslate()

    def select_session(self, session_id: str) -> None:
        for row, summary in enumerate(self._rows):
            if summary.id == session_id:
                if self.sessions.currentRow() == row:
                    self._session_chosen(row)
                else:
                    self.sessions.setCurrentRow(row)
                return

    def current_page(self) -> QWidget:
        return self.tabs.currentWidget()

    def show_page(self, key: str) -> QWidget:
        panel = self.pages[key]
        self.tabs.setCurrentWidget(panel)
        return panel

    def _session_chosen(self, row: int) -> None:
        if not 0 <= row < len(self._rows):
            return
        summary = self._rows[row]
        self.session_id = summary.id
        self.right.setCurrentWidget(self.session_page)
        self.sessions_button.setChecked(False)  # chosen: the folded column goes away again
        self._show_column()
        self.actions.set_session(summary.id)
        self._stale = set(self.pages)
        self._tab_changed(self.tabs.currentIndex())
        self._render_header(summary)
        self._choose_compact(self.height())  # a closed session's state line needs more height

    def _tab_changed(self, _index: int) -> None:
        """Pages load their data when shown: only the visible one pays for it."""
        panel = self.tabs.currentWidget()
        key = next((k for k, p in self.pages.items() if p is panel), None)
        if key in self._stale and self.session_id:
            self._stale.discard(key)
            panel.set_session(self.session_id)  # type: ignore[attr-defined]

    def _panel_changed(self) -> None:
        source = self.sender()
        self._stale = {k for k, p in self.pages.items() if p is not source}
        self._fill_sessions()

    def _session_changed(self) -> None:
        """Closed or reopened: every page shows it."""
        with self.services.db.session() as db:
            self._rows = session_service.recent_sessions(db, limit=500)
        self._fill_sessions()
        self._stale = set(self.pages)
        self._tab_changed(self.tabs.currentIndex())
        summary = next((s for s in self._rows if s.id == self.session_id), None)
        if summary:
            self._render_header(summary)
        self._choose_compact(self.height())

    def show_overall(self) -> None:
        self.sessions.blockSignals(True)
        self.sessions.setCurrentRow(-1)
        self.sessions.blockSignals(False)
        self.session_id = None
        self.right.setCurrentWidget(self.overall)
        self._show_column()
        self.overall.refresh()

    def new_session(self):  # returns the dialog (for tests)
        from co_app.ui.sessions.start_session import StartSessionDialog

        dialog = StartSessionDialog(self.services, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._created(dialog.created))
        dialog.open()
        return dialog

    def _created(self, summary: session_service.SessionSummary | None) -> None:
        if summary is not None:
            self.session_id = summary.id
            self.refresh()
            self.show_page("checkin")

    def run_session(self, session_id: str):  # returns the runner (for tests)
        from co_app.core.foundation.errors import CoError
        from co_app.ui.sessions.runner_window import SessionRunnerWindow

        if self.runner is not None:
            self.runner.close()
        try:
            self.runner = SessionRunnerWindow(self.services, session_id)
        except CoError as exc:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, _("The session cannot run"), str(exc))
            return None
        self.runner.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.runner.film_requested.connect(self.film_requested)
        self.runner.coverage_changed.connect(lambda: self._stale.update({"coverage", "agenda", "report"}))
        self.runner.destroyed.connect(self._runner_closed)
        self.runner.setGeometry(self.screen().availableGeometry())  # no window manager may maximize it
        self.runner.showMaximized()
        return self.runner

    def film_finished(self) -> None:
        """The film of a runner's step ended: the runner comes back to the front."""
        if self.runner is not None:
            self.runner.film_finished()

    def _runner_closed(self) -> None:
        self.runner = None
        self._stale = set(self.pages)
        self._tab_changed(self.tabs.currentIndex())

    # -- a small screen -----------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._choose_compact(event.size().height())
        self.sessions.setMaximumWidth(190 if event.size().width() < 900 else 280)  # a netbook: room for check-in
        self._fold_column()

    def text_size_changed(self) -> None:
        """Settings → Larger text while open: the same choices as on a resize."""
        self._choose_compact(self.height())
        self._fold_column()

    def _choose_compact(self, height: int) -> None:
        summary = next((s for s in self._rows if s.id == self.session_id), None)
        below = CLOSED_COMPACT_BELOW if summary is not None and summary.status == "closed" else COMPACT_BELOW
        self.set_compact(height < below * text_scale())

    def _fold_column(self) -> None:
        """Fold the sessions' column away when the session's tabs would not all show whole
        beside it (1024 px with larger text, in English or Arabic): Qt would cut "Modules
        covered" and hide "Report" behind two small arrows.  The "Sessions" button beside the
        session's title shows the column again; choosing a session folds it."""
        margins = self.layout().contentsMargins()
        room = self.width() - margins.left() - margins.right() - self.column.sizeHint().width() - COLUMN_SPACING
        folded = self.tabs.tabBar().sizeHint().width() > room
        if folded != self.folded:
            self.folded = folded
            self.sessions_button.setChecked(False)
        self._show_column()

    def _show_column(self, _checked: bool = False) -> None:
        on_session = self.right.currentWidget() is self.session_page
        self.sessions_button.setVisible(self.folded and on_session)
        self.column.setVisible(not self.folded or not on_session or self.sessions_button.isChecked())

    def set_compact(self, compact: bool) -> None:
        """On a low screen the page's title, the session's details line, the session's
        buttons and check-in's lock note give their height to check-in's list: the session's
        title takes one line (the details in its tooltip) and says "closed", and one button
        beside it opens the session's actions."""
        if compact == self.session_title.one_line and self.title.isHidden() == compact:
            return  # as it is (a resize event comes at every change of the window's size)
        self.title.setVisible(not compact)
        self.session_details.setVisible(not compact)
        self.layout().setContentsMargins(*((16, 4, 16, 4) if compact else (24, 20, 24, 20)))
        self._session_layout.setSpacing(2 if compact else 6)  # the session's actions: no height here
        self.actions.menu_button.setStyleSheet("QPushButton { padding: 3px 10px; }" if compact else "")
        self.actions.set_compact(compact)
        self.session_title.set_one_line(compact)

    # -- texts --------------------------------------------------------------------------
    def _session_line(self, s: session_service.SessionSummary) -> str:
        return _("{date}, session {number}").format(date=format_date(s.session_date, "medium"),
                                                     number=s.number_of_day)

    def _fill_sessions(self) -> None:
        row = self.sessions.currentRow()
        self.sessions.blockSignals(True)
        # The items are changed in place, and only the extra ones taken away: clear() under
        # the view (refresh, then retranslate, fill the list twice in a row) crashed the
        # application about one start in six with a segmentation fault inside Qt.
        while self.sessions.count() > len(self._rows):
            self.sessions.takeItem(self.sessions.count() - 1)
        for index, s in enumerate(self._rows):
            place = s.place or pgettext("place", "not given")
            # The status ends the session's line, the place (often Latin), isolated, has a line
            # of its own: beside an Arabic status a wrapped Latin place read "Beirut, · مفتوحة",
            # its start against the status.  Read in the paragraph's direction: status, place.
            text = "{line} · {status}\n{place}".format(line=self._session_line(s), place=isolate(place),
                                                       status=status_label(s.status))
            laptop = self._laptops.get(s.id)
            if laptop is not None:
                text += "\n" + _("from {laptop}").format(laptop=isolate(laptop.name or _("an unknown laptop")))
            item = self.sessions.item(index)
            if item is None:
                self.sessions.addItem(QListWidgetItem(text))
            elif item.text() != text:
                item.setText(text)
        if 0 <= row < len(self._rows):
            self.sessions.setCurrentRow(row)
        self.sessions.blockSignals(False)

    def _render_header(self, s: session_service.SessionSummary) -> None:
        lang = find_language(s.language)
        manifest = self.services.manifest
        # The film list's name, else the town profile's (a broken films.toml), never the id.
        towns = [manifest.film(f).town_name(current_language()) if manifest and manifest.film(f)
                 else self.services.content.town_name(f, current_language()) for f in s.destination_towns]
        self.session_title.set_title("{line} — {place}".format(
            line=self._session_line(s), place=isolate(s.place or pgettext("place", "not given"))),
            status_label("closed") if s.status == "closed" else "")
        self.session_details.setText(
            _("Facilitator: {facilitator} · interpreter: {interpreter} · language: {language} · "
              "destination: {towns}").format(
                facilitator=isolate(s.facilitator or pgettext("facilitator", "not given")),
                interpreter=isolate(s.interpreter or pgettext("interpreter", "none")),
                language=isolate(lang.native_name if lang else s.language),
                towns=join_list(towns) or _("no destination chosen")))
        self.session_title.setToolTip(self.session_details.text())
        laptop = self._laptops.get(s.id)
        if laptop is not None:
            self.session_details.setText(self.session_details.text() + " · " + _("created on {laptop}").format(
                laptop=isolate(laptop.name or _("an unknown laptop"))))

    def retranslate(self) -> None:
        self.title.setText(_("Sessions and attendance"))
        self.new_button.setText(_("New session"))
        self.sessions_button.setText(_("Sessions"))
        self.sessions.setAccessibleName(_("Sessions"))
        self.overall_button.setText(_("All sessions: report"))
        self.empty.set_text(_("No sessions yet"),
                            _("Import the laptops' packages on the Office page: their sessions appear here.")
                            if self.office else
                            _("Start a session with “New session”. Participants, check-in, the agenda "
                              "and the report are kept per session."))
        for index, (_key, title, _module, _class) in enumerate(SESSION_PAGES):
            self.tabs.setTabText(index, _(title))
        self._fold_column()  # the tabs' titles in this language may need the column's width
        for panel in self.pages.values():
            panel.retranslate()  # type: ignore[attr-defined]
        self.actions.retranslate()
        self.overall.retranslate()
        self._fill_sessions()
        summary = next((s for s in self._rows if s.id == self.session_id), None)
        if summary:
            self._render_header(summary)
