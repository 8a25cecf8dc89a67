"""What Enter (and the check-in buttons) do, and the questions asked before a check-in,
each answered by a second Enter: a scanned household ("check them all in?"), a part of a
name several people share ("this one?"), someone not on this session's list ("add as a
walk-in?").  Typing, or choosing another row, answers "no": one Enter never checks in a
guess, nor a namesake from another session."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtWidgets import QLineEdit

from co_app.core.attendance.checkin import Action, CheckInDesk, Entry, words
from co_app.core.foundation.i18n import _, isolate, ngettext
from co_app.core.people.names import same_name
from co_app.ui.attendance.checkin_banner import Message
from co_app.ui.attendance.checkin_results import CheckInResults
from co_app.ui.attendance.checkin_text import names
from co_app.ui.attendance.checkin_walk_in import WalkInForm
from co_app.ui.shell.widgets import select_row


@dataclass(frozen=True)
class Pending:
    """A change waiting for a second Enter: a scanned household (``kind`` "case"), people
    who are not on this session's list (``kind`` "walk_in"), the first of several people
    a name matches (``kind`` "name"), or a name no one has (``kind`` "new": register them; its
    ``ids``, when given, the person the name is only alike, whom ↓ takes instead).  ``status`` with ``op``
    "check_in" checks in; with "status" it sets that status."""

    kind: str
    ids: tuple[str, ...]
    status: str = "present"
    op: str = "check_in"


class Door(Protocol):
    """What the questions need of the check-in panel."""

    desk: CheckInDesk | None
    search: QLineEdit
    table: CheckInResults
    walk_in: WalkInForm

    def show_banner(self, state: Message | None) -> None: ...

    def show_entries(self, entries: list[Entry]) -> None: ...

    def apply(self, change: Callable[[CheckInDesk], Action | None], what: str) -> None: ...

    def offer_walk_in(self, query: str) -> None: ...

    def register_walk_in(self, given: str, family: str, status: str = "present") -> None: ...


class CheckInQuestions:
    """``pending``: the change waiting for its second Enter; ``moved``: the facilitator chose
    a row (arrows, mouse) since the last keystroke, so Enter acts on that row."""

    def __init__(self, door: Door) -> None:
        self.door = door
        self.pending: Pending | None = None
        self.moved = False

    # -- Enter --

    def enter(self, status: str = "present") -> None:
        """Enter (Shift+Enter: late): the change waiting for its second Enter, a scanned
        case number, or the selected result."""
        door = self.door
        if door.desk is None:
            return
        if self.pending is not None and not self.moved:
            self.confirm(status)
            return
        if not self.moved and not door.search.text().strip():
            return  # Enter on the empty box checks in nobody (the list shows who is expected)
        if not self.moved:
            scanned = door.desk.scan(door.search.text())
            if len(scanned) == 1:
                self.try_check_in(scanned, status)
                return
            if len(scanned) > 1 and not all(e.attended for e in scanned):
                self._ask_for_case(scanned, status)
                return
            if scanned:
                self.try_check_in(scanned, status)  # all of them here: says so
                return
        if not door.table.entries:
            query = door.search.text().strip()
            if query:
                door.show_banner(("nobody", _("No one found for “{query}”. Check the spelling, or press Enter again "
                                             "to add them as a new person.").format(query=isolate(query))))
                door.offer_walk_in(query)
                self._ask(Pending("new", (), status))
            return
        entry = door.table.selected()
        if entry is None:
            return
        if not self.moved and self._only_alike(entry):
            self._offer_new_person(entry, status)
            return
        if not self.moved and self._ambiguous(entry):
            self._ask_which(entry, status)
            return
        self.try_check_in([entry], status)

    def _ambiguous(self, first: Entry) -> bool:
        """Whether Enter on the first result could check in the wrong person: the query is
        not that person's whole name and someone else still expected *at this session*
        matches it too.  (A first result already here is not: Enter only says so; a
        namesake on another session's list is not asked about: today's list comes first.)"""
        if first.attended or sorted(words(self.door.search.text())) == sorted(words(first.person.full_name)):
            return False
        if not first.on_list:
            return any(e is not first and not e.attended for e in self.door.table.entries)
        return any(e is not first and e.on_list and not e.attended for e in self.door.table.entries)

    def _only_alike(self, first: Entry) -> bool:
        """Whether the first result is someone *not* on this session's list whose name is not
        the name typed, only like it (another spelling, a part of it, a word more or less):
        "ሰላም ተስፋይ" finds Selam Tesfamariam of another session, who is not the walk-in at
        the door.  (A typed case number is not a name: its match is asked about as before.)"""
        query = self.door.search.text()
        if first.on_list or any(c.isdigit() for c in query):
            return False
        return not same_name(query, first.person.given_name, first.person.family_name)

    def _offer_new_person(self, found: Entry, status: str) -> None:
        """Not on this session's list, and only alike someone registered before: the walk-in
        form opens with the name typed, and the banner names both choices — Enter adds the
        new person, ↓ takes the person found instead (then Enter adds them as a walk-in).
        Two Enters never check in someone whose name was not typed."""
        door = self.door
        query = door.search.text().strip()
        door.offer_walk_in(query)
        self._ask(Pending("new", (found.person.id,), status))
        door.show_banner(("warn", "⚠ " + _(
            "“{query}” is not on this session's list. Enter: add a new person with this name · ↓: {name} "
            "({case}), already on this laptop.").format(query=isolate(query), name=names(door.desk, (found.person.id,)),
                                                        case=isolate(found.person.case_number))))

    def _take_found(self, pending: Pending) -> None:
        """↓ on the choice above: the person found, not the new one — asked once more, named."""
        door = self.door
        door.close_walk_in()
        found = next((e for e in door.table.entries if e.person.id == pending.ids[0]), None)
        if found is None or door.desk is None:
            self.cancel()
            return
        self._ask(Pending("walk_in", pending.ids, pending.status))
        door.show_banner(("warn", "⚠ " + _(
            "{name} ({case}) is not on this session's list. Press Enter to add them as a walk-in, or type to "
            "search again.").format(name=names(door.desk, pending.ids), case=isolate(found.person.case_number))))

    def _ask_which(self, first: Entry, status: str) -> None:
        """Several people match a part of a name: the second Enter takes the first, the arrows
        another one — one Enter never checks in a guess."""
        self._ask(Pending("name", (first.person.id,), status))
        count = len(self.door.table.entries)
        self.door.show_banner(("info", ngettext(
            "{count} person matches “{query}”. Press Enter again for {name}, or choose another with ↓.",
            "{count} people match “{query}”. Press Enter again for {name}, or choose another with ↓.",
            count).format(count=count, query=isolate(self.door.search.text().strip()),
                          name=names(self.door.desk, (first.person.id,)))))

    def _ask_for_case(self, scanned: list[Entry], status: str) -> None:
        """A scanned case of several people: shown, and a second Enter checks in all."""
        door = self.door
        door.show_entries(scanned)
        self._ask(Pending("case", tuple(e.person.id for e in scanned), status))
        door.search.selectAll()  # a second scan replaces the text
        text = _("Case {case}: {count} people. Press Enter to check them all in, or choose one with ↓ and "
                 "press Enter.").format(case=isolate(scanned[0].person.case_number), count=len(scanned))
        strangers = [e for e in scanned if not e.on_list and not e.attended]
        if strangers:
            text += " " + ngettext("{names} is not on this session's list and would be added as a walk-in.",
                                   "{names} are not on this session's list and would be added as walk-ins.",
                                   len(strangers)).format(names=names(door.desk,
                                                                      tuple(e.person.id for e in strangers)))
        door.show_banner(("warn" if strangers else "info", text))

    def try_check_in(self, entries: list[Entry], status: str, op: str = "check_in") -> None:
        """Check in (``op`` "status": set ``status``) — unless everyone is here already
        (then say so), or someone is not on this session's list (then ask first)."""
        door = self.door
        if door.desk is None or not entries:
            return
        ids = tuple(dict.fromkeys(e.person.id for e in entries))
        if op == "check_in" and all(e.attended for e in entries):
            self.pending = None
            door.search.selectAll()  # the next name typed replaces this one
            door.show_banner(("info", ngettext("{names} was already checked in.", "{names} were already checked in.",
                                               len(ids)).format(names=names(door.desk, ids))))
            return
        strangers = [e for e in entries if not e.on_list]
        if strangers:
            self._ask(Pending("walk_in", ids, status, op))
            door.show_banner(("warn", "⚠ " + ngettext(
                "{names} is not on this session's list. Press Enter again to add them as a walk-in.",
                "{names} are not on this session's list. Press Enter again to add them as walk-ins.",
                len(strangers)).format(names=names(door.desk, tuple(e.person.id for e in strangers)))))
            return
        self._change(ids, status, op)

    def _ask(self, pending: Pending) -> None:
        self.pending = pending
        self.moved = False  # the second Enter answers this question, whatever row was chosen

    def confirm(self, status: str) -> None:
        """The second Enter: do what was asked about (Shift+Enter: as late)."""
        pending = self.pending
        if pending is None:
            return
        if pending.kind == "new":  # no one found: the walk-in form's names, registered and checked in
            self.pending = None
            form = self.door.walk_in
            self.door.register_walk_in(form.given.text().strip(), form.family.text().strip(),
                                       "late" if status == "late" else pending.status)
            return
        if pending.kind == "name":  # the first of several matches: checked in as any choice is
            self.pending = None
            chosen_entry = next((e for e in self.door.table.entries if e.person.id == pending.ids[0]), None)
            if chosen_entry is not None:
                self.try_check_in([chosen_entry], status)
            return
        chosen = "late" if status == "late" and pending.op == "check_in" else pending.status
        self._change(pending.ids, chosen, pending.op)

    def _change(self, ids: tuple[str, ...], status: str, op: str) -> None:
        if op == "status":
            self.door.apply(lambda desk: desk.set_status(ids, status), "attendance status")
        else:
            self.door.apply(lambda desk: desk.check_in(ids, status), "check-in")

    def _waiting_for(self, ids: tuple[str, ...], op: str) -> bool:
        """Whether a second press on these people answers the question on the banner."""
        pending = self.pending
        return pending is not None and pending.kind == "walk_in" and pending.ids == ids and pending.op == op

    # -- the buttons and the mouse --

    def check_in_row(self, row: int, status: str) -> None:
        """A double click on a row."""
        if 0 <= row < len(self.door.table.entries):
            select_row(self.door.table, row)
            self.chosen_by_hand()
            self.check_in_selected(status)

    def check_in_selected(self, status: str) -> None:
        """The Check in button (and a double click): as Enter on the selected row."""
        entry = self.door.table.selected()
        if entry is None:
            return
        if self._waiting_for((entry.person.id,), "check_in"):
            self.confirm(status)
        else:
            self.try_check_in([entry], status)

    def check_in_household(self) -> None:
        """Ctrl+Enter and the Whole household button: the selected person's household."""
        entry = self.door.table.selected()
        if entry is None or self.door.desk is None:
            return
        household = self.door.desk.household(entry.person.id)
        if self._waiting_for(tuple(dict.fromkeys(e.person.id for e in household)), "check_in"):
            self.confirm("present")
        else:
            self.try_check_in(household, "present")

    def set_status(self, status: str) -> None:
        """Late, Left early, Not here: someone not on this session's list is asked about
        first, as for Enter (setting a status adds them to the list)."""
        entry = self.door.table.selected()
        if entry is None:
            return
        if self._waiting_for((entry.person.id,), "status") and self.pending and self.pending.status == status:
            self.confirm(status)
        elif not entry.on_list:
            self.try_check_in([entry], status, op="status")
        else:
            self.door.apply(lambda desk: desk.set_status([entry.person.id], status), "attendance status")

    # -- choosing another row, typing --

    def move(self, step: int) -> None:
        """↓ ↑ Page Down, Page Up: choose another row (↓ on "new person or the one found?":
        the one found)."""
        pending = self.pending
        if pending is not None and pending.kind == "new" and pending.ids and step > 0:
            self._take_found(pending)
            return
        if self.door.table.move(step):
            self.chosen_by_hand()

    def chosen_by_hand(self) -> None:
        """A row chosen with the arrows or the mouse: Enter acts on it, and a walk-in
        waiting for its second Enter is cancelled (the choice is someone else's now)."""
        self.moved = True
        if self.pending is not None and self.pending.kind == "walk_in":
            entry = self.door.table.selected()
            if entry is None or (entry.person.id,) != self.pending.ids:
                self.cancel()

    def cancel(self) -> None:
        """The question no longer stands (typing is the answer "no")."""
        if self.pending is not None:
            new_person = self.pending.kind == "new" and not self.pending.ids
            self.pending = None
            if not new_person:  # "No one found" stays true until a search finds someone
                self.door.show_banner(None)  # the question no longer stands
