"""Check-in at the door: a search that forgives accents, case and Arabic spelling, the
attendance changes a facilitator makes, and undo.

**Who is expected.** A participant is *expected* at a session when they have an attendance
record there with status ``"absent"`` — made when a roster is imported for the session or a
participant is added to it.  Checking in turns the record to ``"present"`` (or ``"late"``,
the facilitator's choice) and stamps ``checked_in_at``; a walk-in who was not on the roster
gets a record at that moment.  So, for one session: *expected* is every active record,
*attended* is present + late + left early, and a record still ``"absent"`` when the session
closes is a person who did not come.  For an ``"absent"`` record ``checked_in_at`` is only
when the record was made; reports must not read it as an arrival time.

**Undo** restores exactly the state before the last action, record by record: the status,
the time and the note — and a record the action created is deleted again (a tombstone, as
every delete is, so the undo syncs too; checking the person in later brings it back).

**Search.** Names and case numbers are normalised once, when the index is built:
(co_app/core/people/names.py, shared with the roster import)
Latin by NFKD + casefold with the marks dropped ("Șomcuta" → "somcuta"), Arabic by
dropping tashkeel and tatweel and unifying the letters people type differently (أ إ آ ٱ → ا,
ى → ي, ة → ه, Persian ی ک → ي ك), and Arabic-Indic digits → 0-9.  Each query word must
begin a word of the name (given or family, in any order) or sound like one, across scripts
and spellings ("mohamed" finds محمد and "Mohammad", "selam" finds ሰላም: sound keys in
names.py); a case number matches from its start, or anywhere once three characters with a
digit are typed.  The index lives in memory
(one per check-in screen): a query is a few bisections in a sorted word list.  Results
rank an exact case number first, then this session's list — those not yet here, then those
already here — and only then everyone else on this computer (a walk-in, or a namesake
from another session: the check-in screen asks before adding them).
"""

from __future__ import annotations

import bisect
import heapq
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from co_app.core.db.base import utcnow
from co_app.core.db.models import AttendanceRecord, Participant
from co_app.core.foundation.errors import CoError, Notice, sentence
from co_app.core.foundation.i18n import N_
from co_app.core.people.names import case_key, normalise, sound_key, words

STATUSES = ("present", "late", "left_early", "absent")
#: The statuses that count as having attended.
ATTENDED = frozenset({"present", "late", "left_early"})

def _name_words(given: str, family: str) -> set[str]:
    """The words a query may start: each word of each name, and two neighbours written
    together ("Abdul Rahman" is also found as "abdulrahman", "Al-Hassan" as "alhassan")."""
    found: set[str] = set()
    for part in (given, family):
        ws = words(part)
        found.update(ws)
        found.update(a + b for a, b in zip(ws, ws[1:]))
    return found


#: ذ ض ظ are "z" in Persian, Dari and many Arabic dialects ("Rezaei", رضایی); anyascii reads
#: them as Arabic "dh", "d", "z", so a name with one of them also has its "z" key.
_AS_Z = str.maketrans({"\u0630": "\u0632", "\u0636": "\u0632", "\u0638": "\u0632"})


def _sound_keys(word: str) -> set[str]:
    """A name word's sound keys: also as Persian reads it, and without the Arabic article
    (الحسن is found as "hasan" and "al hasan")."""
    variants = {word, word.translate(_AS_Z)}
    if word.startswith("\u0627\u0644") and len(word) > 3:
        variants |= {v[2:] for v in variants} | {"\u0627\u0644"}
    return {sound_key(v) for v in variants}


@dataclass(frozen=True)
class Person:
    id: str
    case_number: str
    given_name: str
    family_name: str
    household_id: str | None = None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)


class SearchIndex:
    """Every participant's name words and case number, for type-ahead search."""

    def __init__(self, people: Iterable[Person] = ()):
        self._people: dict[str, Person] = {}
        # Sorted word list and the person id of each word, side by side: a prefix is a
        # range found by bisection, and its ids are one slice (no Python loop).
        self._words: list[str] = []
        self._word_ids: list[str] = []
        self._sounds: list[str] = []               # the same words' sound keys, sorted likewise
        self._sound_ids: list[str] = []
        self._cases: dict[str, list[str]] = {}     # case key → person ids
        self._case_keys: list[str] = []            # one per person with a case number, sorted
        self._case_ids: list[str] = []
        self._ordered: list[str] = []              # person ids in name order
        self._rank: dict[str, int] = {}            # person id → position in name order
        self._households: dict[str, list[str]] = {}
        for person in people:
            self._people[person.id] = person
        self._rebuild()

    @classmethod
    def load(cls, db: Session) -> "SearchIndex":
        rows = db.execute(select(Participant.id, Participant.case_number, Participant.given_name,
                                 Participant.family_name, Participant.household_id)
                          .where(Participant.deleted_at.is_(None)))
        return cls(Person(*row) for row in rows)

    def _rebuild(self) -> None:
        pairs, cases, households = [], {}, {}
        for person in self._people.values():
            pairs.extend((w, person.id) for w in _name_words(person.given_name, person.family_name))
            key = case_key(person.case_number)
            if key:
                cases.setdefault(key, []).append(person.id)
            if person.household_id:
                households.setdefault(person.household_id, []).append(person.id)
        sounds = sorted({(key, pid) for w, pid in pairs for key in _sound_keys(w) if key})
        pairs.sort()
        self._words = [w for w, _ in pairs]
        self._word_ids = [pid for _, pid in pairs]
        self._sounds = [k for k, _ in sounds]
        self._sound_ids = [pid for _, pid in sounds]
        self._cases, self._households = cases, households
        case_pairs = sorted((key, pid) for key, ids in cases.items() for pid in ids)
        self._case_keys = [k for k, _ in case_pairs]
        self._case_ids = [pid for _, pid in case_pairs]
        ordered = sorted(self._people.values(), key=lambda p: (normalise(p.family_name), normalise(p.given_name),
                                                               p.case_number, p.id))
        self._ordered = [p.id for p in ordered]
        self._rank = {pid: i for i, pid in enumerate(self._ordered)}

    def __len__(self) -> int:
        return len(self._people)

    def __contains__(self, person_id: object) -> bool:
        return person_id in self._people

    def get(self, person_id: str) -> Person | None:
        return self._people.get(person_id)

    def _prefix(self, token: str) -> tuple[set[str], set[str]]:
        """(ids with a word starting with token or sounding like it, ids with a word equal
        to token).  A sound key of two letters or more matches as a prefix ("moh" finds
        محمد); a one-letter key only whole ("ali" finds علی, not every name with an l)."""
        lo = bisect.bisect_left(self._words, token)
        same = bisect.bisect_right(self._words, token, lo)
        hi = bisect.bisect_left(self._words, token + "\U0010ffff", same)
        found, whole = set(self._word_ids[lo:hi]), set(self._word_ids[lo:same])
        key = sound_key(token)
        if key:
            first = bisect.bisect_left(self._sounds, key)
            last = (bisect.bisect_left(self._sounds, key + "\U0010ffff", first) if len(key) >= 3
                    else bisect.bisect_right(self._sounds, key, first))
            found.update(self._sound_ids[first:last])
        return found, whole

    def _case_matches(self, key: str) -> set[str]:
        found: set[str] = set()
        if len(key) < 2:
            return found
        lo = bisect.bisect_left(self._case_keys, key)
        hi = bisect.bisect_left(self._case_keys, key + "\U0010ffff", lo)
        found.update(self._case_ids[lo:hi])
        if len(key) >= 3 and any(c.isdigit() for c in key):
            for k, ids in self._cases.items():
                if key in k:
                    found.update(ids)
        return found

    def search(self, query: str, limit: int = 30, prefer: Iterable[str] = (),
               groups: Iterable[Iterable[str]] = ()) -> list[Person]:
        """The best ``limit`` matches: an exact case number first; then the people of each
        of ``groups`` in turn (``prefer`` is one group, before them) — whole words before
        prefixes in each; then the others, whole words first; by name within each."""
        tokens = words(query)
        if not tokens:
            return []
        names: set[str] | None = None
        exact: set[str] | None = None
        for token in tokens:
            found, whole = self._prefix(token)
            names = found if names is None else names & found
            exact = whole if exact is None else exact & whole
            if not names:
                break
        key = "".join(tokens)
        cases = self._case_matches(key)
        candidates = (names or set()) | cases
        if not candidates:
            return []
        # Tiers by set operations (C speed), then name order inside each tier: a short
        # query matching thousands of people stays fast.
        remaining, best = candidates, []
        exact_names = exact or set()
        tiers: list[set[str]] = [set(self._cases.get(key, ()))]
        for group in (prefer, *groups):
            members = set(group)
            tiers += [members & exact_names, members]
        for tier in (*tiers, exact_names):
            first, remaining = remaining & tier, remaining - tier
            best.extend(self._in_order(first, limit - len(best)))
            if len(best) >= limit:
                return [self._people[pid] for pid in best]
        best.extend(self._in_order(remaining, limit - len(best)))
        return [self._people[pid] for pid in best]

    def _in_order(self, ids: set[str], limit: int) -> list[str]:
        if limit <= 0 or not ids:
            return []
        if len(ids) * 8 > len(self._ordered):  # many: the first of them in name order come soon
            picked = []
            for pid in self._ordered:
                if pid in ids:
                    picked.append(pid)
                    if len(picked) == limit:
                        break
            return picked
        return heapq.nsmallest(limit, ids, key=self._rank.__getitem__)

    def by_case_number(self, text: str) -> list[Person]:
        """Everyone whose case number is exactly ``text`` (as a scanner types it)."""
        ids = self._cases.get(case_key(text), ())
        return sorted((self._people[i] for i in ids), key=lambda p: self._rank[p.id])

    def household(self, person_id: str) -> list[Person]:
        """The person and everyone else of the same case."""
        person = self._people.get(person_id)
        if person is None:
            return []
        if not person.household_id:
            return [person]
        ids = self._households.get(person.household_id, [person_id])
        return sorted((self._people[i] for i in ids), key=lambda p: self._rank[p.id])


# --- attendance --------------------------------------------------------------------


class CheckInError(CoError):
    """A check-in that cannot be made (unknown status, a participant who was deleted…)."""


@dataclass(frozen=True)
class RecordState:
    status: str
    checked_in_at: datetime
    note: str = ""


@dataclass(frozen=True)
class Change:
    participant_id: str
    #: None: the participant had no record in this session (the undo deletes it again).
    before: RecordState | None
    after: RecordState | None


@dataclass(frozen=True)
class Action:
    """What one press did: ``changes`` to save or undo, and who was already in that state."""

    kind: str  # "check_in", "status" or "undo"
    status: str
    changes: tuple[Change, ...] = ()
    unchanged: tuple[str, ...] = ()

    @property
    def participant_ids(self) -> tuple[str, ...]:
        return tuple(c.participant_id for c in self.changes) + self.unchanged


@dataclass(frozen=True)
class Entry:
    """A person as the check-in screen shows them: status in this session, or None."""

    person: Person
    status: str | None = None
    checked_in_at: datetime | None = None
    note: str = ""

    @property
    def attended(self) -> bool:
        return self.status in ATTENDED

    @property
    def on_list(self) -> bool:
        """On this session's list: expected there, or checked in already (a walk-in too)."""
        return self.status is not None


@dataclass(frozen=True)
class Counts:
    expected: int = 0
    present: int = 0
    late: int = 0
    left_early: int = 0
    absent: int = 0

    @property
    def attended(self) -> int:
        return self.present + self.late + self.left_early


@dataclass
class CheckInDesk:
    """Check-in for one session: the index, the session's records and the undo stack.

    ``open_db`` gives a new SQLAlchemy Session (``services.db.session``); every action is
    one transaction.  ``clock`` is injected so tests fix the time."""

    open_db: Callable[[], Session]
    session_id: str
    clock: Callable[[], datetime] = utcnow
    index: SearchIndex | None = None
    _states: dict[str, RecordState] = field(default_factory=dict, repr=False)
    _undo: list[Action] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.reload(index=self.index is None)

    def reload(self, *, index: bool = True) -> None:
        """Read the session's records again (and the index, unless told not to)."""
        with self.open_db() as db:
            if index:
                self.index = SearchIndex.load(db)
            rows = db.execute(
                select(AttendanceRecord.participant_id, AttendanceRecord.status,
                       AttendanceRecord.checked_in_at, AttendanceRecord.note)
                .join(Participant, Participant.id == AttendanceRecord.participant_id)
                .where(AttendanceRecord.session_id == self.session_id, AttendanceRecord.deleted_at.is_(None),
                       Participant.deleted_at.is_(None)))
            self._states = {pid: RecordState(status, at, note) for pid, status, at, note in rows}

    # -- reading --

    def entry(self, person: Person) -> Entry:
        state = self._states.get(person.id)
        if state is None:
            return Entry(person)
        return Entry(person, state.status, state.checked_in_at, state.note)

    def search(self, query: str, limit: int = 30) -> list[Entry]:
        """This session's list first — those still expected (who is at the door), then
        those already here — and only then everyone else on this computer: a name typed
        at the door must find the person expected here, not a namesake from another
        session who comes first in name order."""
        assert self.index is not None
        waiting = {pid for pid, state in self._states.items() if state.status == "absent"}
        here = self._states.keys() - waiting
        return [self.entry(p) for p in self.index.search(query, limit, groups=(waiting, here))]

    def scan(self, text: str) -> list[Entry]:
        """The people of exactly this case number (a barcode scanner's input)."""
        assert self.index is not None
        return [self.entry(p) for p in self.index.by_case_number(text)]

    def household(self, participant_id: str) -> list[Entry]:
        assert self.index is not None
        return [self.entry(p) for p in self.index.household(participant_id)]

    def roster(self) -> list[Entry]:
        """Everyone expected at or checked in to the session, in name order."""
        assert self.index is not None
        people = [self.index.get(pid) for pid in self._states]
        entries = [self.entry(p) for p in people if p is not None]
        entries.sort(key=lambda e: (normalise(e.person.family_name), normalise(e.person.given_name)))
        return entries

    def counts(self) -> Counts:
        statuses = [s.status for s in self._states.values()]
        return Counts(expected=len(statuses), present=statuses.count("present"), late=statuses.count("late"),
                      left_early=statuses.count("left_early"), absent=statuses.count("absent"))

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def last_action(self) -> Action | None:
        return self._undo[-1] if self._undo else None

    # -- changing --

    def check_in(self, participant_ids: Iterable[str], status: str = "present") -> Action:
        """Mark people as arrived (present or late).  Someone already checked in stays as
        they are (their first arrival time counts) and is listed in ``unchanged``."""
        if status not in ("present", "late"):
            raise CheckInError(sentence(N_("Checking in sets 'present' or 'late', not {status!r}."), status=status))
        now = self.clock()
        changes, unchanged = [], []
        for pid in dict.fromkeys(participant_ids):
            before = self._states.get(pid)
            if before is not None and before.status in ATTENDED:
                unchanged.append(pid)
            else:
                changes.append(Change(pid, before, RecordState(status, now, before.note if before else "")))
        return self._do(Action("check_in", status, tuple(changes), tuple(unchanged)))

    def set_status(self, participant_ids: Iterable[str], status: str, note: str | None = None) -> Action:
        """Change the status (and the note, unless None).  The arrival time is kept when
        the person had arrived; it is now when they arrive by this change."""
        if status not in STATUSES:
            raise CheckInError(sentence(N_("Unknown attendance status {status!r}."), status=status))
        now = self.clock()
        changes, unchanged = [], []
        for pid in dict.fromkeys(participant_ids):
            before = self._states.get(pid)
            arrived = before is not None and before.status in ATTENDED
            at = before.checked_in_at if before is not None and (arrived or status == "absent") else now
            after = RecordState(status, at, note if note is not None else (before.note if before else ""))
            if after == before:
                unchanged.append(pid)
            else:
                changes.append(Change(pid, before, after))
        return self._do(Action("status", status, tuple(changes), tuple(unchanged)))

    def undo(self) -> Action | None:
        """Put back what the last action changed; None when there is nothing to undo."""
        if not self._undo:
            return None
        last = self._undo.pop()
        reverse = tuple(Change(c.participant_id, c.after, c.before) for c in reversed(last.changes))
        action = Action("undo", last.status, reverse)
        try:
            self._write(reverse)
        except BaseException:
            self._undo.append(last)
            raise
        return action

    def _do(self, action: Action) -> Action:
        if action.changes:
            self._write(action.changes)
            self._undo.append(action)
        return action

    def _write(self, changes: tuple[Change, ...]) -> None:
        """One transaction for all the changes; the in-memory states follow only on success.

        A full disk gets a second try: meeting it released the data folder's spare file
        (engine.py), so the check-in is written all the same."""
        if not changes:
            return
        from sqlalchemy.exc import SQLAlchemyError

        from co_app.core.foundation.diskspace import is_disk_full

        for attempt in (1, 2):
            try:
                return self._write_once(changes)
            except SQLAlchemyError as exc:
                if not is_disk_full(exc):
                    raise
                if attempt == 2:
                    raise CheckInError(Notice(N_("The disk is full, so this check-in could not be saved: free some "
                                                 "space on the laptop, then check in again."))) from exc

    def _write_once(self, changes: tuple[Change, ...]) -> None:
        ids = [c.participant_id for c in changes]
        with self.open_db() as db:
            alive = set(db.scalars(select(Participant.id).where(Participant.id.in_(ids),
                                                                Participant.deleted_at.is_(None))))
            if len(alive) != len(set(ids)):
                raise CheckInError(sentence(N_("A participant of this check-in was deleted meanwhile; refresh the "
                                               "list.")))
            records = {r.participant_id: r for r in db.scalars(select(AttendanceRecord).where(
                AttendanceRecord.session_id == self.session_id, AttendanceRecord.participant_id.in_(ids)))}
            for change in changes:
                record, after = records.get(change.participant_id), change.after
                if after is None:
                    if record is not None and record.deleted_at is None:
                        record.deleted_at = self.clock()
                    continue
                if record is None:
                    record = AttendanceRecord(session_id=self.session_id, participant_id=change.participant_id)
                    db.add(record)
                    records[change.participant_id] = record
                record.status, record.checked_in_at, record.note = after.status, after.checked_in_at, after.note
                record.deleted_at = None
            db.commit()
        for change in changes:
            if change.after is None:
                self._states.pop(change.participant_id, None)
            else:
                self._states[change.participant_id] = change.after
