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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit,
                               QPushButton, QSizePolicy, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from co_app.core.sessions import service as session_service
from co_app.core.bootstrap import Services
from co_app.core.attendance.checkin import Action, CheckInDesk, CheckInError, Entry, words
from co_app.core.foundation.errors import CoError
from co_app.core.foundation.i18n import _, current_language, format_date, isolate, join_list, ngettext, pgettext
from co_app.ui.sessions.lock import ensure_editable
from co_app.ui.shell.widgets import EmptyState, muted

RESULTS = 30
BANNER_STYLES = {
    "idle": "background: #ffffff; color: #4a4a4a; border: 2px solid #d0d4d6;",
    "ok": "background: #dff3e4; color: #0b4d22; border: 2px solid #2e8b57;",
    "info": "background: #e8f1f6; color: #123c4a; border: 2px solid #7aa6c2;",
    # Not on this session's list: stop and look before the second Enter.
    "warn": "background: #ffe2b0; color: #4d2c00; border: 2px solid #d98200;",
    "error": "background: #fbe3de; color: #7a1b08; border: 2px solid #c0392b;",
}
#: The banner's text size, and the smaller sizes a long text may take to fit its two lines.
BANNER_POINT_SIZES = (18, 15, 13, 11)
BANNER_LINES = 2
BANNER_PADDING = (10, 16)  # vertical, horizontal (px)
BANNER_BORDER = 2


def status_label(status: str | None, closed: bool = False) -> str:
    """The attendance status as the facilitator reads it (None: not on this session's list).
    In a closed session a person still expected did not come: "absent"."""
    if status == "absent" and closed:
        return pgettext("attendance status", "absent")
    return {
        "present": pgettext("attendance status", "present"),
        "late": pgettext("attendance status", "late"),
        "left_early": pgettext("attendance status", "left early"),
        "absent": pgettext("attendance status", "expected, not here yet"),
        None: pgettext("attendance status", "not on this session's list"),
    }.get(status, status or "")


#: Characters that only keep a name on one line: no-break spaces, word joiners after hyphens.
_UNBREAKABLE = str.maketrans({" ": "\u00a0", "-": "-\u2060"})
_READABLE = str.maketrans({"\u2068": None, "\u2069": None, "\u2060": None, "\u00a0": " "})


def _unbreakable(name: str) -> str:
    """A name kept whole on one line of the banner ("Omar Al-Hassan" does not break after
    "Omar" nor after "Al-")."""
    return " ".join(name.split()).translate(_UNBREAKABLE)


#: At most this many names in one banner sentence; more are "and N others".
MAX_NAMES = 3

_KEY_NAMES = re.compile(r"Shift\+Enter|Ctrl\+Enter|Ctrl\+Z|↑ ↓|Enter")


def _keys_hint(text: str) -> str:
    """The keys' hint laid out in the language's own direction: each key name is kept
    left-to-right in its own run, and a right-to-left language's line starts as one.
    (In Dari "Ctrl+Enter" had moved beside "choose" and "↑ ↓" beside "whole household".)"""
    from co_app.core.foundation.languages import is_rtl

    text = _KEY_NAMES.sub(lambda key: "\u2066" + key.group(0) + "\u2069", text)
    return ("\u200f" + text) if is_rtl(current_language()) else text


@dataclass(frozen=True)
class _Pending:
    """A change waiting for a second Enter: a scanned household (``kind`` "case"), people
    who are not on this session's list (``kind`` "walk_in"), or the first of several people
    a name matches (``kind`` "name").  ``status`` with ``op``
    "check_in" checks in; with "status" it sets that status."""

    kind: str
    ids: tuple[str, ...]
    status: str = "present"
    op: str = "check_in"


def _time(entry: Entry) -> str:
    if entry.checked_in_at is None or not entry.attended:
        return ""
    from co_app.core.foundation.i18n import format_datetime

    return format_datetime(entry.checked_in_at.astimezone(), "HH:mm")


class CheckInPanel(QWidget):
    """Check-in for one session.  ``changed`` is emitted after every change of attendance."""

    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.session_id: str | None = None
        self.desk: CheckInDesk | None = None
        self._entries: list[Entry] = []
        self._pending: _Pending | None = None  # waiting for the second Enter
        self._banner_state: tuple[str, str] | None = None  # (kind, text) of the last message
        self._moved = False  # the facilitator chose a row (arrows, mouse) since the last keystroke
        self._closed = False  # the session is closed: a change needs the facilitator PIN
        self._session: session_service.SessionSummary | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        top = QHBoxLayout()
        self.heading = muted()
        self.counts = QLabel()
        self.counts.setObjectName("checkinCounts")
        self.counts.setStyleSheet("font-size: 16pt; font-weight: bold; color: #123c4a;")
        top.addWidget(self.heading, 1)
        top.addWidget(self.counts)
        self.search = QLineEdit()
        self.search.setObjectName("checkinSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(56)
        self.search.setStyleSheet("font-size: 20pt; padding: 6px 12px;")
        self.hint = muted()
        self.lock_note = QLabel()
        self.lock_note.setObjectName("checkinLocked")
        self.lock_note.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.lock_note.hide()
        banner_row = QHBoxLayout()
        self.banner = QLabel()
        self.banner.setObjectName("checkinBanner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(_("Check-in message"))
        # One height for every message, so that the list below never jumps.
        self.banner.setFixedHeight(self._banner_height())
        self.banner.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.banner.installEventFilter(self)
        self.undo_button = QPushButton()
        self.undo_button.setMinimumHeight(48)
        banner_row.addWidget(self.banner, 1)
        beside_banner = QVBoxLayout()  # the counts over Undo: the keys' hint gets a whole line
        beside_banner.setSpacing(4)
        beside_banner.addWidget(self.counts, 0, Qt.AlignmentFlag.AlignHCenter)
        beside_banner.addWidget(self.undo_button)
        banner_row.addLayout(beside_banner)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("checkinResults")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the search field keeps the keyboard
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(40)
        self.table.setStyleSheet("font-size: 14pt;")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        actions = QHBoxLayout()
        self.check_in_button = QPushButton()
        self.check_in_button.setObjectName("primary")
        self.household_button = QPushButton()
        self.late_button = QPushButton()
        self.left_button = QPushButton()
        self.absent_button = QPushButton()
        self.note_button = QPushButton()
        for button in (self.check_in_button, self.household_button, self.late_button, self.left_button,
                       self.absent_button, self.note_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            actions.addWidget(button)
        actions.addStretch(1)
        self.empty = EmptyState()

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(10)
        # The counts sit beside the banner and the keys' hint has the whole width (one line
        # even in Arabic's taller script): the people found get the height.
        top.removeWidget(self.counts)
        hint_row = QHBoxLayout()
        hint_row.addWidget(self.hint, 1)
        top.addWidget(self.lock_note)  # shown even where the container hides the heading
        body.addLayout(top)
        body.addWidget(self.search)
        body.addLayout(hint_row)
        body.addLayout(banner_row)
        body.addWidget(self.table, 1)
        body.addLayout(actions)
        layout.addWidget(self.empty)
        layout.addWidget(self.body, 1)

        self.search.textEdited.connect(self._on_text)
        self.search.installEventFilter(self)
        self.table.cellDoubleClicked.connect(lambda row, _col: self._check_in_row(row, "present"))
        self.table.cellClicked.connect(lambda _row, _col: self._chosen_by_hand())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.check_in_button.clicked.connect(lambda: self._check_in_selected("present"))
        self.household_button.clicked.connect(self.check_in_household)
        self.late_button.clicked.connect(lambda: self._set_status("late"))
        self.left_button.clicked.connect(lambda: self._set_status("left_early"))
        self.absent_button.clicked.connect(lambda: self._set_status("absent"))
        self.note_button.clicked.connect(self._edit_note)
        self.undo_button.clicked.connect(self.undo)
        self._show_banner(None)
        self.retranslate()
        self.set_session(None)

    # -- the contract with the container --

    def set_session(self, session_id: str | None) -> None:
        self.session_id = session_id
        self.desk = None
        self._pending = None
        self._banner_state = None
        if session_id is not None:
            try:
                self.desk = CheckInDesk(self.services.db.session, session_id)
            except CoError as exc:
                self._banner_state = ("error", str(exc))
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
        self.table.setAccessibleName(_("People found"))
        self.hint.setText(_keys_hint(_("Enter: check in · Shift+Enter: late · Ctrl+Enter: whole household · "
                                       "↑ ↓: choose · Ctrl+Z: undo")))
        self.table.setHorizontalHeaderLabels([_("Name"), _("Case number"), _("Status")])
        self.check_in_button.setText(_("Check in"))
        self.household_button.setText(_("Whole household"))
        self.late_button.setText(pgettext("set attendance to", "Late"))
        self.left_button.setText(pgettext("set attendance to", "Left early"))
        self.absent_button.setText(pgettext("set attendance to", "Not here"))
        self.note_button.setText(_("Note…"))
        self.undo_button.setText(_("Undo"))
        self.undo_button.setToolTip(_("Undo the last check-in or change (Ctrl+Z)"))
        self.banner.setFixedHeight(self._banner_height())  # the language's script may set taller lines
        self.lock_note.setText(_("closed: a change needs the facilitator PIN"))
        self.lock_note.setVisible(self._closed)
        self.empty.set_text(_("No session chosen"),
                            _("Choose or start a session first; check-in records who came to it."))
        self._update_heading()
        self._show_banner(self._banner_state)
        self._fill_rows()

    # -- keys --

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.banner:
            if event.type() == QEvent.Type.Resize:
                self._style_banner()  # a narrower banner may need a smaller text to fit
            return False
        if watched is not self.search:
            return False
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.matches(QKeySequence.StandardKey.Undo):
                event.accept()  # the field must not take Ctrl+Z for its own text
                return True
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key, mods = event.key(), event.modifiers()
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if mods & Qt.KeyboardModifier.ControlModifier:
                self.check_in_household()
            elif mods & Qt.KeyboardModifier.ShiftModifier:
                self._enter("late")
            else:
                self._enter("present")
            return True
        moves = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10, Qt.Key.Key_PageUp: -10}
        if key in moves:
            self._move(moves[key])
            return True
        return False

    def _move(self, step: int) -> None:
        if not self._entries:
            return
        row = max(0, min(len(self._entries) - 1, self._selected_row() + step))
        self.table.selectRow(row)
        self.table.scrollToItem(self.table.item(row, 0))
        self._chosen_by_hand()

    def _chosen_by_hand(self) -> None:
        """A row chosen with the arrows or the mouse: Enter acts on it, and a walk-in
        waiting for its second Enter is cancelled (the choice is someone else's now)."""
        self._moved = True
        if self._pending is not None and self._pending.kind == "walk_in":
            entry = self.selected()
            if entry is None or (entry.person.id,) != self._pending.ids:
                self._cancel_pending()

    def _cancel_pending(self) -> None:
        if self._pending is not None:
            self._pending = None
            self._show_banner(None)  # the question no longer stands

    # -- searching --

    def _on_text(self, _text: str = "") -> None:
        self._cancel_pending()  # typing is the answer "no": a new search
        self._show_results()
        kind = self._banner_state[0] if self._banner_state else "idle"
        if kind == "error" and (self._entries or not self.search.text().strip()):
            self._show_banner(None)  # "No one found" was about the last search, not this one

    def _show_results(self) -> None:
        if self.desk is None:
            self._entries = []
        else:
            query = self.search.text()
            if query.strip():
                self._entries = self.desk.search(query, RESULTS)
            else:  # the list of the session: those still expected first
                roster = self.desk.roster()
                self._entries = [e for e in roster if not e.attended] + [e for e in roster if e.attended]
        self._moved = False
        self._fill_rows()
        self._update_counts()

    def _fill_rows(self) -> None:
        table = self.table
        table.setUpdatesEnabled(False)
        # Fixed while filling: a ResizeToContents column measures every row again on each
        # setItem (20–30 ms a keystroke); set back, it measures once at the next layout.
        header = table.horizontalHeader()
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        table.setRowCount(len(self._entries))
        colours = {"present": "#0a5a27", "late": "#8a5300", "left_early": "#5a4a8a", "absent": "#333333"}
        for row, entry in enumerate(self._entries):
            name = QTableWidgetItem(entry.person.full_name)
            case = QTableWidgetItem(entry.person.case_number)
            when = _time(entry)
            text = status_label(entry.status, self._closed)
            if when:
                text = _("{status} at {time}").format(status=text, time=when)
            status = QTableWidgetItem(("✓ " if entry.attended else "") + text)
            status.setForeground(QColor(colours.get(entry.status or "", "#6a6a6a")))
            for col, item in enumerate((name, case, status)):
                table.setItem(row, col, item)
        if self._entries:
            table.selectRow(0)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        table.setUpdatesEnabled(True)
        self._update_buttons()

    def _selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else 0

    def selected(self) -> Entry | None:
        if not self._entries:
            return None
        return self._entries[min(self._selected_row(), len(self._entries) - 1)]

    def _update_buttons(self) -> None:
        entry = self.selected() if self._entries else None
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

    # -- acting --

    def _enter(self, status: str = "present") -> None:
        """Enter (Shift+Enter: late): the change waiting for its second Enter, a scanned
        case number, or the selected result."""
        if self.desk is None:
            return
        if self._pending is not None and not self._moved:
            self._confirm(status)
            return
        if not self._moved:
            scanned = self.desk.scan(self.search.text())
            if len(scanned) == 1:
                self._try_check_in(scanned, status)
                return
            if len(scanned) > 1 and not all(e.attended for e in scanned):
                self._ask_for_case(scanned, status)
                return
            if scanned:
                self._try_check_in(scanned, status)  # all of them here: says so
                return
        if not self._entries:
            query = self.search.text().strip()
            if query:
                self._show_banner(("error", _("No one found for “{query}”. Check the spelling, or add the person "
                                              "under Participants.").format(query=isolate(query))))
            return
        entry = self.selected()
        if entry is None:
            return
        if not self._moved and self._ambiguous(entry):
            self._ask_which(entry, status)
            return
        self._try_check_in([entry], status)

    def _ambiguous(self, first: Entry) -> bool:
        """Whether Enter on the first result could check in the wrong person: the query is
        not that person's whole name and someone else still expected matches it too.  (A
        first result already here is not: Enter only says so.)"""
        if first.attended or sorted(words(self.search.text())) == sorted(words(first.person.full_name)):
            return False
        return any(e is not first and not e.attended for e in self._entries)

    def _ask_which(self, first: Entry, status: str) -> None:
        """Several people match a part of a name: the second Enter takes the first, the arrows
        another one — one Enter never checks in a guess."""
        self._set_pending(_Pending("name", (first.person.id,), status))
        count = len(self._entries)
        self._show_banner(("info", ngettext(
            "{count} person matches “{query}”. Press Enter again for {name}, or choose another with ↓.",
            "{count} people match “{query}”. Press Enter again for {name}, or choose another with ↓.",
            count).format(count=count, query=isolate(self.search.text().strip()),
                          name=self._names((first.person.id,)))))

    def _ask_for_case(self, scanned: list[Entry], status: str) -> None:
        """A scanned case of several people: shown, and a second Enter checks in all."""
        self._entries = scanned
        self._fill_rows()
        self._set_pending(_Pending("case", tuple(e.person.id for e in scanned), status))
        self.search.selectAll()  # a second scan replaces the text
        text = _("Case {case}: {count} people. Press Enter to check them all in, or choose one with ↓ and "
                 "press Enter.").format(case=isolate(scanned[0].person.case_number), count=len(scanned))
        strangers = [e for e in scanned if not e.on_list and not e.attended]
        if strangers:
            text += " " + ngettext("{names} is not on this session's list and would be added as a walk-in.",
                                   "{names} are not on this session's list and would be added as walk-ins.",
                                   len(strangers)).format(names=self._names(tuple(e.person.id for e in strangers)))
        self._show_banner(("warn" if strangers else "info", text))

    def _try_check_in(self, entries: list[Entry], status: str, op: str = "check_in") -> None:
        """Check in (``op`` "status": set ``status``) — unless everyone is here already
        (then say so), or someone is not on this session's list (then ask first)."""
        if self.desk is None or not entries:
            return
        ids = tuple(dict.fromkeys(e.person.id for e in entries))
        if op == "check_in" and all(e.attended for e in entries):
            self._pending = None
            self.search.selectAll()  # the next name typed replaces this one
            self._show_banner(("info", ngettext("{names} was already checked in.", "{names} were already checked in.",
                                                len(ids)).format(names=self._names(ids))))
            return
        strangers = [e for e in entries if not e.on_list]
        if strangers:
            self._set_pending(_Pending("walk_in", ids, status, op))
            self._show_banner(("warn", "⚠ " + ngettext(
                "{names} is not on this session's list. Press Enter again to add them as a walk-in.",
                "{names} are not on this session's list. Press Enter again to add them as walk-ins.",
                len(strangers)).format(names=self._names(tuple(e.person.id for e in strangers)))))
            return
        self._change(ids, status, op)

    def _set_pending(self, pending: _Pending) -> None:
        self._pending = pending
        self._moved = False  # the second Enter answers this question, whatever row was chosen

    def _confirm(self, status: str) -> None:
        """The second Enter: do what was asked about (Shift+Enter: as late)."""
        pending = self._pending
        if pending is None:
            return
        if pending.kind == "name":  # the first of several matches: checked in as any choice is
            self._pending = None
            chosen_entry = next((e for e in self._entries if e.person.id == pending.ids[0]), None)
            if chosen_entry is not None:
                self._try_check_in([chosen_entry], status)
            return
        chosen = "late" if status == "late" and pending.op == "check_in" else pending.status
        self._change(pending.ids, chosen, pending.op)

    def _change(self, ids: tuple[str, ...], status: str, op: str) -> None:
        if op == "status":
            self._apply(lambda desk: desk.set_status(ids, status), "attendance status")
        else:
            self._apply(lambda desk: desk.check_in(ids, status), "check-in")

    def _check_in_row(self, row: int, status: str) -> None:
        if 0 <= row < len(self._entries):
            self.table.selectRow(row)
            self._chosen_by_hand()
            self._check_in_selected(status)

    def _waiting_for(self, ids: tuple[str, ...], op: str) -> bool:
        """Whether a second press on these people answers the question on the banner."""
        pending = self._pending
        return pending is not None and pending.kind == "walk_in" and pending.ids == ids and pending.op == op

    def _check_in_selected(self, status: str) -> None:
        """The Check in button (and a double click): as Enter on the selected row."""
        entry = self.selected()
        if entry is None:
            return
        if self._waiting_for((entry.person.id,), "check_in"):
            self._confirm(status)
        else:
            self._try_check_in([entry], status)

    def check_in_household(self) -> None:
        entry = self.selected()
        if entry is None or self.desk is None:
            return
        household = self.desk.household(entry.person.id)
        if self._waiting_for(tuple(dict.fromkeys(e.person.id for e in household)), "check_in"):
            self._confirm("present")
        else:
            self._try_check_in(household, "present")

    def _set_status(self, status: str) -> None:
        """Late, Left early, Not here: someone not on this session's list is asked about
        first, as for Enter (setting a status adds them to the list)."""
        entry = self.selected()
        if entry is None:
            return
        if self._waiting_for((entry.person.id,), "status") and self._pending and self._pending.status == status:
            self._confirm(status)
        elif not entry.on_list:
            self._try_check_in([entry], status, op="status")
        else:
            self._apply(lambda desk: desk.set_status([entry.person.id], status), "attendance status")

    def _edit_note(self) -> None:
        entry = self.selected()
        if entry is None or entry.status is None:
            return
        text, ok = QInputDialog.getText(self, _("Note"), _("Note for {name}").format(
            name=isolate(entry.person.full_name)), QLineEdit.EchoMode.Normal, entry.note)
        if ok:
            self._apply(lambda desk: desk.set_status([entry.person.id], entry.status or "absent", note=text.strip()),
                        "attendance note")

    def undo(self) -> None:
        if self.desk is None or not self.desk.can_undo:
            self._show_banner(("info", _("Nothing to undo.")))
            return
        self._apply(lambda desk: desk.undo(), "attendance undo")

    def _apply(self, change, what: str) -> None:  # Callable[[CheckInDesk], Action | None]
        """Make a change (after the PIN when the session is closed), confirm it on the
        banner, clear the search for the next person."""
        if self.desk is None or self.session_id is None:
            return
        if not ensure_editable(self, self.services, self.session_id, what):
            self.search.setFocus()
            return
        try:
            action = change(self.desk)
        except CoError as exc:
            self._show_banner(("error", str(exc)))
            self.desk.reload()
            self._show_results()
            return
        self._pending = None
        self.search.clear()
        self._show_results()
        self.search.setFocus()
        if action is not None:
            self._show_banner(self._describe(action))
            if action.changes:
                self.changed.emit()

    def _names(self, ids: tuple[str, ...]) -> str:
        """The names in the interface language's list style ("A, B and C", "A، B و C"):
        each isolated, so that an Arabic name cannot reorder the commas and words of an
        English sentence around it (nor a Latin name an Arabic one), and kept whole on
        one line."""
        assert self.desk is not None and self.desk.index is not None
        people = [self.desk.index.get(pid) for pid in ids]
        names = [isolate(_unbreakable(p.full_name)) for p in people if p is not None]
        if len(names) > MAX_NAMES:  # a big household: the banner's two lines hold the sentence whole
            rest = len(names) - (MAX_NAMES - 1)
            names = names[:MAX_NAMES - 1] + [ngettext("{count} other", "{count} others", rest).format(count=rest)]
        return join_list(names)

    def _describe(self, action: Action) -> tuple[str, str]:
        status = status_label(action.status, self._closed)
        changed = tuple(c.participant_id for c in action.changes)
        if action.kind == "undo":
            return ("info", _("Undone: {names} back as before.").format(names=self._names(changed)))
        if not changed:
            return ("info", ngettext("{names} was already checked in.", "{names} were already checked in.",
                                     len(action.unchanged)).format(names=self._names(action.unchanged)))
        text = "✓ " + _("{names} — {status}").format(names=self._names(changed), status=status)
        walk_ins = sum(1 for c in action.changes if c.before is None)
        if walk_ins:
            text += "  " + ngettext("({count} added as a walk-in)", "({count} added as walk-ins)",
                                    walk_ins).format(count=walk_ins)
        if action.unchanged:
            text += "  " + ngettext("({count} was already checked in)", "({count} were already checked in)",
                                    len(action.unchanged)).format(count=len(action.unchanged))
        return ("ok" if action.status != "absent" else "info", text)

    def _show_banner(self, state: tuple[str, str] | None) -> None:
        """Show a message; None: the idle line, which says what to do (and that the
        session is closed, when it is)."""
        if state is not None and not state[1]:
            state = None
        self._banner_state = state
        if state is None:
            kind = "idle"
            if self._closed:
                text = _("This session is closed: a check-in or any other change needs the facilitator PIN.")
            else:
                text = _("Ready: type a name or scan a card.")
        else:
            kind, text = state
        self.banner.setProperty("kind", kind)
        self.banner.setText(text)
        self.banner.setToolTip(self.banner_text())
        self._style_banner()
        self._update_buttons()

    @staticmethod
    def _banner_font(size: int) -> QFont:
        font = QFont()
        font.setPointSize(size)
        font.setBold(True)
        return font

    def _banner_height(self) -> int:
        # Two lines of the second size: a one-line message still shows at the largest size,
        # and a long one (a walk-in's question) takes two slightly smaller lines.
        lines = QFontMetrics(self._banner_font(BANNER_POINT_SIZES[1])).lineSpacing() * BANNER_LINES
        return lines + 2 * (BANNER_PADDING[0] + BANNER_BORDER) + 4

    def _style_banner(self) -> None:
        """The colours of the message's kind, and the largest text size at which the
        message fits the banner's fixed height (a long one gets a smaller text, never a
        taller banner)."""
        kind = self.banner.property("kind") or "idle"
        text = self.banner_text()
        width = max(100, self.banner.width() - 2 * (BANNER_PADDING[1] + BANNER_BORDER))
        room = self._banner_height() - 2 * (BANNER_PADDING[0] + BANNER_BORDER)
        size = BANNER_POINT_SIZES[-1]
        for candidate in BANNER_POINT_SIZES:
            needed = QFontMetrics(self._banner_font(candidate)).boundingRect(
                QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text).height()
            if needed <= room:
                size = candidate
                break
        style = (f"QLabel#checkinBanner {{ {BANNER_STYLES.get(kind, BANNER_STYLES['info'])} border-radius: 8px; "
                 f"border-width: {BANNER_BORDER}px; padding: {BANNER_PADDING[0]}px {BANNER_PADDING[1]}px; "
                 f"font-size: {size}pt; font-weight: bold; }}")
        if style != self.banner.styleSheet():
            self.banner.setStyleSheet(style)

    def banner_kind(self) -> str:
        """"idle", "ok", "info", "warn" (asks before adding a walk-in) or "error"."""
        return str(self.banner.property("kind") or "idle")

    def banner_text(self) -> str:
        """The banner without the bidi isolation marks and the characters that keep names
        on one line (what a person reads)."""
        return self.banner.text().translate(_READABLE)


__all__ = ["CheckInPanel", "CheckInError", "status_label"]
