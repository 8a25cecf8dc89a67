"""Check-in at the door: a big search field that keeps the focus, results per keystroke,
Enter to check in, a banner that confirms each check-in, undo.  Forty people can be
checked in without touching the mouse.

Keys, all in the search field: Enter checks in the selected (first) result as present,
Shift+Enter as late, Ctrl+Enter checks in their whole household; ↑ ↓ choose; Ctrl+Z undoes
the last action.  A barcode scanner types a case number and Enter: one person on that
case is checked in at once; a household is shown, and a second Enter checks in all of it
(or ↓ picks one person) — so nobody of a family is counted present just because the card
was scanned.

The results show this session's list first (not yet here, then already here), then
everyone else on this computer.  Enter on someone already here only says so.  Enter on
someone who is *not* on this session's list (a namesake from another session, or a real
walk-in) checks no one in: an amber banner names them and a second Enter adds them as a
walk-in; typing or choosing another row cancels.  So a certificate never goes to the
wrong Yara because she came first in name order.

The panel holds the session, lays out the widgets and makes every write (``apply``); the
parts are beside it: the questions before a check-in and what Enter does
(checkin_questions), the keys of the search field (checkin_keys), the people found
(checkin_results), the banner (checkin_banner) and the words of the messages
(checkin_text).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (QHBoxLayout, QInputDialog, QLabel, QLineEdit, QPushButton, QSizePolicy, QStackedWidget,
                               QVBoxLayout, QWidget)

from co_app.core.sessions import service as session_service
from co_app.core.bootstrap import Services
from co_app.core.attendance.checkin import Action, CheckInDesk, CheckInError, Entry
from co_app.core.attendance.walk_in import register_walk_in
from co_app.core.foundation.errors import CoError
from co_app.core.foundation.i18n import _, format_date, isolate, ngettext, pgettext
from co_app.ui.attendance.checkin_banner import CheckInBanner, Message
from co_app.ui.attendance.checkin_keys import SearchKeys
from co_app.ui.attendance.checkin_questions import CheckInQuestions
from co_app.ui.attendance.checkin_results import RESULTS, CheckInResults
from co_app.ui.attendance.checkin_text import describe, status_label
from co_app.ui.attendance.checkin_walk_in import WalkInForm
from co_app.ui.sessions.lock import ensure_editable
from co_app.ui.shell.flow_layout import FlowLayout
from co_app.ui.shell.keyboard import key_hint
from co_app.ui.shell.page import text_scale
from co_app.ui.shell.widgets import EmptyState, muted

#: Below this height the panel is compact (a 1024×600 netbook, or larger text at 1366×768):
#: a smaller search field, banner and rows, the keys' hint in the search field's tooltip,
#: so that the list still shows six people or more.
COMPACT_BELOW = 560


class CheckInPanel(QWidget):
    """Check-in for one session.  ``changed`` is emitted after every change of attendance."""

    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.session_id: str | None = None
        self.desk: CheckInDesk | None = None
        self._closed = False  # the session is closed: a change needs the facilitator PIN
        self._session: session_service.SessionSummary | None = None
        self.questions = CheckInQuestions(self)  # the question waiting for the second Enter
        self._make_widgets()
        self._lay_out()
        self._connect()
        self.show_banner(None)
        self.retranslate()
        self.set_session(None)

    # -- the widgets --

    def _make_widgets(self) -> None:
        self.heading = muted()
        self.counts = QLabel()
        self.counts.setObjectName("checkinCounts")
        self.counts.setStyleSheet("font-size: 16pt; font-weight: bold; color: #123c4a;")
        self.search = QLineEdit()
        self.search.setObjectName("checkinSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(36)  # 56 or so from its 20 pt text, 36 on a small screen
        self.search.setStyleSheet("font-size: 20pt; padding: 6px 12px;")
        self.hint = muted()
        # What compact mode makes smaller or hides never holds the window taller than a small
        # screen: their minimum is the compact one (the layout gives the rest when there is room).
        self.search.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.hint.setMinimumHeight(1)
        self.lock_note = QLabel()
        self.lock_note.setObjectName("checkinLocked")
        self.lock_note.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.lock_note.hide()
        self.lock_note_here = True  # False: the container says the session is closed (a small screen)
        self.banner = CheckInBanner()
        self.walk_in = WalkInForm()
        self.undo_button = QPushButton()
        self.undo_button.setMinimumHeight(48)
        self.table = CheckInResults()
        self.check_in_button = QPushButton()
        self.check_in_button.setObjectName("primary")
        self.household_button = QPushButton()
        self.late_button = QPushButton()
        self.left_button = QPushButton()
        self.absent_button = QPushButton()
        self.note_button = QPushButton()
        self.empty = EmptyState()
        self.body = QWidget()

    def _lay_out(self) -> None:
        """Top to bottom: the heading and the lock note, the search field, the keys' hint
        (a whole line, even in Arabic's taller script), the banner with the counts over Undo
        beside it, the people found (they get the height), the buttons."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.lock_note)  # shown even where the container hides the heading
        hint_row = QHBoxLayout()
        hint_row.addWidget(self.hint, 1)
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        beside_banner = QVBoxLayout()
        beside_banner.setSpacing(4)
        beside_banner.addWidget(self.counts, 0, Qt.AlignmentFlag.AlignHCenter)
        beside_banner.addWidget(self.undo_button)
        banner_row.addLayout(beside_banner)
        self._beside_banner = beside_banner
        # Each button whole, in every language: the row wraps when they do not fit.
        actions = FlowLayout(spacing=8, line_spacing=6)
        for button in (self.check_in_button, self.household_button, self.late_button, self.left_button,
                       self.absent_button, self.note_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            actions.addWidget(button)
        self._actions = actions
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(10)
        self._body_layout = body
        self.compact = False
        body.addLayout(top)
        body.addWidget(self.search)
        body.addLayout(hint_row)
        body.addLayout(banner_row)
        # The walk-in form takes the place of the (empty) list of people found, so that
        # nothing below the banner moves.
        self.found = QStackedWidget()
        self.found.addWidget(self.table)
        walk_in_page = QWidget()
        page = QVBoxLayout(walk_in_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.walk_in)
        page.addStretch(1)
        self.found.addWidget(walk_in_page)
        body.addWidget(self.found, 1)
        body.addLayout(actions)
        layout.addWidget(self.empty)
        layout.addWidget(self.body, 1)

    def _connect(self) -> None:
        questions = self.questions
        self.search.textEdited.connect(self._on_text)
        self.keys = SearchKeys(self.search, enter=questions.enter, household=self.check_in_household,
                               move=questions.move, undo=self.undo)
        self.table.cellDoubleClicked.connect(lambda row, _col: questions.check_in_row(row, "present"))
        self.table.cellClicked.connect(lambda _row, _col: questions.chosen_by_hand())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.check_in_button.clicked.connect(lambda: questions.check_in_selected("present"))
        self.household_button.clicked.connect(self.check_in_household)
        self.late_button.clicked.connect(lambda: questions.set_status("late"))
        self.left_button.clicked.connect(lambda: questions.set_status("left_early"))
        self.absent_button.clicked.connect(lambda: questions.set_status("absent"))
        self.note_button.clicked.connect(self._edit_note)
        self.undo_button.clicked.connect(self.undo)
        self.walk_in.submitted.connect(self.register_walk_in)
        self.walk_in.cancelled.connect(self._walk_in_cancelled)

    # -- the contract with the container --

    def set_session(self, session_id: str | None) -> None:
        self.session_id = session_id
        self.desk = None
        self.questions.pending = None
        self.banner.state = None
        if session_id is not None:
            try:
                self.desk = CheckInDesk(self.services.db.session, session_id)
            except CoError as exc:
                self.banner.state = ("error", str(exc))
        self.search.clear()
        self.refresh(reload=False)

    def refresh(self, reload: bool = True) -> None:
        """Read participants and attendance again (after edits elsewhere), keep the query."""
        if self.desk is not None and reload:
            self.desk.reload()
        self._read_session()
        has_session = self.desk is not None
        self.empty.setVisible(not has_session)
        self.body.setVisible(has_session)
        self._show_results()
        self.retranslate()
        if has_session:
            self.search.setFocus()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Type a name or a case number, or scan the card"))
        self.search.setAccessibleName(_("Find a person by name or case number"))
        self.table.retranslate()
        self.hint.setText(key_hint(_("Enter: check in · Shift+Enter: late · Ctrl+Enter: whole household · "
                                     "↑ ↓: choose · Ctrl+Z: undo")))
        self.check_in_button.setText(_("Check in"))
        self.household_button.setText(_("Whole household"))
        self.late_button.setText(pgettext("set attendance to", "Late"))
        self.left_button.setText(pgettext("set attendance to", "Left early"))
        self.absent_button.setText(pgettext("set attendance to", "Not here"))
        self.note_button.setText(_("Note…"))
        self.undo_button.setText(_("Undo"))
        self.undo_button.setToolTip(_("Undo the last check-in or change (Ctrl+Z)"))
        self.walk_in.retranslate()
        self.banner.fit_height()  # the language's script may set taller lines
        self.search.setToolTip(self.hint.text() if self.compact else "")
        self.lock_note.setText(_("closed: a change needs the facilitator PIN"))
        self.lock_note.setVisible(self._closed and self.lock_note_here)
        self.empty.set_text(_("No session chosen"),
                            _("Choose or start a session first; check-in records who came to it."))
        self._update_heading()
        self.show_banner(self.banner.state)
        self.show_entries(self.table.entries)

    def is_closed(self) -> bool:
        """The session is closed: a change needs the facilitator PIN."""
        return self._closed

    # -- a small screen --

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.set_compact(event.size().height() < COMPACT_BELOW * text_scale())

    def text_size_changed(self) -> None:
        """Settings → Larger text while open: the same choice as on a resize."""
        self.set_compact(self.height() < COMPACT_BELOW * text_scale())

    def set_compact(self, compact: bool) -> None:
        """Less height for the field, the hint and the banner, lower rows; the counts and
        Undo go from beside the banner to the end of the buttons' row (the banner gets the
        whole width, and its row no more than its own height): the list keeps six rows."""
        if compact == self.compact:
            return
        self.compact = compact
        self._place_counts(compact)
        self.search.setMinimumHeight(36)
        self.search.setStyleSheet("font-size: 15pt; padding: 2px 8px;" if compact
                                  else "font-size: 20pt; padding: 6px 12px;")
        self.hint.setVisible(not compact)
        self.counts.setStyleSheet(f"font-size: {12 if compact else 16}pt; font-weight: bold; color: #123c4a;")
        self.undo_button.setMinimumHeight(30 if compact else 48)
        self.banner.compact = compact
        self.table.compact = compact
        self.table.fit_text()  # the largest text at which the list still shows six people
        self.body.setStyleSheet("QPushButton { padding: 2px 10px; }" if compact else "")
        self._body_layout.setSpacing(4 if compact else 10)
        self.banner.fit_height()
        self.search.setToolTip(self.hint.text() if compact else "")

    def _place_counts(self, compact: bool) -> None:
        """The counts and Undo beside the banner, or (compact) after the buttons."""
        for widget in (self.counts, self.undo_button):
            (self._actions if compact else self._beside_banner).removeWidget(widget)
        if compact:
            self._actions.addWidget(self.counts)
            self._actions.addWidget(self.undo_button)
        else:
            self._beside_banner.addWidget(self.counts, 0, Qt.AlignmentFlag.AlignHCenter)
            self._beside_banner.addWidget(self.undo_button)

    # -- searching --

    def _on_text(self, _text: str = "") -> None:
        self.questions.cancel()  # typing is the answer "no": a new search
        self.close_walk_in()
        self._show_results()
        kind = self.banner.state[0] if self.banner.state else "idle"
        if kind in ("error", "nobody") and (self.table.entries or not self.search.text().strip()):
            self.show_banner(None)  # "No one found" was about the last search, not this one

    def _show_results(self) -> None:
        if self.desk is None:
            entries: list[Entry] = []
        else:
            query = self.search.text()
            if query.strip():
                entries = self.desk.search(query, RESULTS)
            else:  # the list of the session: those still expected first
                roster = self.desk.roster()
                entries = [e for e in roster if not e.attended] + [e for e in roster if e.attended]
        self.questions.moved = False
        self.show_entries(entries)
        self._update_counts()

    def show_entries(self, entries: list[Entry]) -> None:
        """These people in the table, the first one chosen."""
        self.table.fill(entries, self._closed)
        self._update_buttons()

    def selected(self) -> Entry | None:
        return self.table.selected()

    def _update_buttons(self) -> None:
        entry = self.selected() if self.table.entries else None
        for button in (self.check_in_button, self.household_button, self.late_button, self.left_button,
                       self.absent_button):
            button.setEnabled(entry is not None)
        self.note_button.setEnabled(entry is not None and entry.status is not None)
        self.undo_button.setEnabled(self.desk is not None and self.desk.can_undo)

    def _read_session(self) -> None:
        """The session's date, place and whether it is closed (it may be closed meanwhile)."""
        self._session = None
        if self.session_id is not None:
            try:
                with self.services.db.session() as db:
                    self._session = session_service.get_session(db, self.session_id)
            except CoError:
                pass
        self._closed = self._session is not None and self._session.status == "closed"

    def _update_heading(self) -> None:
        s = self._session
        if self.session_id is None or s is None:
            self.heading.setText("")
            return
        text = _("{date}, session {number} — {place}").format(
            date=format_date(s.session_date, "medium"), number=s.number_of_day, place=isolate(s.place))
        self.heading.setText(text)  # closed or not: the lock note beside it says

    def _update_counts(self) -> None:
        if self.desk is None:
            self.counts.setText("")
            return
        c = self.desk.counts()
        text = ngettext("{attended} of {expected} checked in", "{attended} of {expected} checked in",
                        c.expected).format(attended=c.attended, expected=c.expected)
        if c.late:
            text += " · " + ngettext("{count} late", "{count} late", c.late).format(count=c.late)
        self.counts.setText(text)

    # -- writing --

    def check_in_household(self) -> None:
        self.questions.check_in_household()

    def _edit_note(self) -> None:
        entry = self.selected()
        if entry is None or entry.status is None:
            return
        text, ok = QInputDialog.getText(self, _("Note"), _("Note for {name}").format(
            name=isolate(entry.person.full_name)), QLineEdit.EchoMode.Normal, entry.note)
        if ok:
            self.apply(lambda desk: desk.set_status([entry.person.id], entry.status or "absent", note=text.strip()),
                       "attendance note")

    def offer_walk_in(self, query: str) -> None:
        """No one found for ``query``: the walk-in form, the typed name carried over."""
        self.walk_in.open_for(query)
        self.found.setCurrentIndex(1)

    def close_walk_in(self) -> None:
        self.found.setCurrentIndex(0)

    def register_walk_in(self, given: str, family: str, status: str = "present") -> None:
        """The second Enter on a name no one has (or Enter in the walk-in form): register
        the person and check them in — one action, undone by Undo like any check-in."""
        self.apply(lambda desk: register_walk_in(desk, given, family, status), "walk-in")

    def _walk_in_cancelled(self) -> None:
        self.close_walk_in()
        self.questions.cancel()
        self.search.setFocus()

    def undo(self) -> None:
        if self.desk is None or not self.desk.can_undo:
            self.show_banner(("info", _("Nothing to undo.")))
            return
        self.apply(lambda desk: desk.undo(), "attendance undo")

    def apply(self, change: Callable[[CheckInDesk], Action | None], what: str) -> None:
        """Make a change (after the PIN when the session is closed), confirm it on the
        banner, clear the search for the next person.  Every write goes through here."""
        if self.desk is None or self.session_id is None:
            return
        if not ensure_editable(self, self.services, self.session_id, what):
            self.search.setFocus()
            return
        try:
            action = change(self.desk)
        except CoError as exc:
            said = exc.args[0] if exc.args else str(exc)  # a Notice is said in the interface language
            self.show_banner(("error", said.translated() if hasattr(said, "translated") else str(exc)))
            self.desk.reload()
            self._show_results()
            return
        self.questions.pending = None
        self.close_walk_in()
        self.search.clear()
        self._show_results()
        self.search.setFocus()
        if action is not None:
            self.show_banner(describe(self.desk, action, self._closed))
            if action.changes:
                self.changed.emit()

    # -- the banner --

    def show_banner(self, state: Message | None) -> None:
        """Show a message; None: the idle line, which says what to do (and that the
        session is closed, when it is)."""
        self.banner.show_message(state, self._closed)
        self._update_buttons()

    def banner_kind(self) -> str:
        """"idle", "ok", "info", "warn" (asks before adding a walk-in) or "error"."""
        return self.banner.message_kind()

    def banner_text(self) -> str:
        """The banner without the bidi isolation marks and the characters that keep names
        on one line (what a person reads)."""
        return self.banner.readable_text()


__all__ = ["CheckInPanel", "CheckInError", "status_label"]
