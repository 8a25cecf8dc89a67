"""Possible duplicate people: the same person registered on two laptops, proposed for
merging; a merge that travels to every laptop as a change, and its undo.

Public API::

    from co_app.core.office import duplicates

    groups = duplicates.find(engine)          # list[DuplicateGroup], largest first
    group.reason                              # "case_number" or "names"
    group.people                              # tuple[Candidate, ...], proposed keeper first
    group.keep                                # the proposed person to keep (an id)
    duplicates.merge(db, keep_id, dup_id)     # db: a Database (hub: Target.database()) — the
                                              # merge is the office's change; MergeError if not
    duplicates.unmerge(db, dup_id)            # undo (also a change that travels)
    duplicates.merged(engine)                 # list[MergedPair]: every merge in force

**The rule every report uses (SQL)**: a person is ``COALESCE(participants.merged_into,
participants.id)`` — ``PERSON_KEY_SQL`` as text, ``person_key(table)`` as a SQLAlchemy
expression.  Count people as ``COUNT(DISTINCT person key)`` and attendances as distinct
(session, person key) pairs: a person merged into another is then one person in every
report, and the attendance recorded on either laptop — before the merge or later, on a
laptop that has not received it yet — counts once, under the kept person.  A merged person
is never listed for check-in or as a row of its own (``merged_into IS NOT NULL``).

**Why a field and not re-keyed check-ins.**  A check-in's id is made from its session and
person (co_app/core/db/versions.py): moving it to the kept person would change its id, clash
with a check-in of the kept person in the same session, and come back from every laptop
that still has the old person.  ``merged_into`` is a synced field like any other: the
merge is one field change of the duplicate, made by the office, merged field by field on
every laptop (a laptop's edit of the duplicate's name is no conflict); undoing it sets the
field back to empty, a later change that wins everywhere.  A chain is never stored: merging
a person others were merged into moves them to the new keeper too.

**What is proposed.**  People not deleted and not merged, registered on different laptops
(``origin_device``, co_app/core/db/origins.py), with

* the same case number (compared as ``people.names.case_key``: case, spaces and dashes
  ignored) and the same given name or the same birth year and sex — a case number is the
  household's, shared by the whole family; or
* the same given and family names (``people.names.words``) and the same birth year.

The proposed keeper is the person registered first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import Engine, Table, func, select
from sqlalchemy.sql import ColumnElement

from co_app.core.db.engine import Database
from co_app.core.db.models import AttendanceRecord, Participant
from co_app.core.foundation.errors import CoError
from co_app.core.foundation.i18n import _
from co_app.core.office import laptops
from co_app.core.people.names import case_key, words

#: A person, as every report counts people (see the module docstring).
PERSON_KEY_SQL = "COALESCE(participants.merged_into, participants.id)"
CASE_NUMBER = "case_number"
NAMES = "names"


def person_key(table: Table | None = None) -> ColumnElement[Any]:
    """``PERSON_KEY_SQL`` for ``table`` (the participants table, or an alias of it)."""
    table = Participant.__table__ if table is None else table  # type: ignore[assignment]
    return func.coalesce(table.c.merged_into, table.c.id)


class MergeError(CoError):
    """A merge or an undo that cannot be done; the message says why."""

    exit_code = 1


@dataclass(frozen=True)
class Candidate:
    id: str
    given_name: str
    family_name: str
    case_number: str
    birth_year: int | None
    sex: str
    #: The laptop that registered the person (a device id) and its name.
    laptop: str | None
    laptop_name: str
    created_at: datetime | None
    #: Check-ins that count as attendance (present, late, left early).
    attendances: int

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "given_name": self.given_name, "family_name": self.family_name,
                "case_number": self.case_number, "birth_year": self.birth_year, "sex": self.sex,
                "laptop": self.laptop, "laptop_name": self.laptop_name, "attendances": self.attendances}


@dataclass(frozen=True)
class DuplicateGroup:
    reason: str
    people: tuple[Candidate, ...]

    @property
    def keep(self) -> str:
        return self.people[0].id

    def as_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "keep": self.keep, "people": [p.as_dict() for p in self.people]}


@dataclass(frozen=True)
class MergedPair:
    merged: str
    into: str
    given_name: str
    family_name: str

    def as_dict(self) -> dict[str, Any]:
        return {"merged": self.merged, "into": self.into, "given_name": self.given_name,
                "family_name": self.family_name}


def _candidates(engine: Engine) -> list[Candidate]:
    p, a = Participant.__table__, AttendanceRecord.__table__
    with engine.connect() as conn:
        owner = laptops.device_owners(conn)
        names = laptops.names(conn)
        counts = dict(conn.execute(select(a.c.participant_id, func.count()).where(
            a.c.deleted_at.is_(None), a.c.status != "absent").group_by(a.c.participant_id)).all())
        rows = conn.execute(select(p.c.id, p.c.given_name, p.c.family_name, p.c.case_number, p.c.birth_year,
                                   p.c.sex, p.c.origin_device, p.c.created_at)
                            .where(p.c.deleted_at.is_(None), p.c.merged_into.is_(None))).all()
    out = []
    for row in rows:
        laptop = owner.get(row.origin_device, row.origin_device)
        out.append(Candidate(row.id, row.given_name, row.family_name, row.case_number, row.birth_year, row.sex,
                             laptop, names.get(laptop or "", laptop or ""), row.created_at, counts.get(row.id, 0)))
    return out


def _pairs(people: list[Candidate]) -> list[tuple[int, int, str]]:
    """Pairs of (index, index, reason) registered on different laptops."""
    by_case: dict[str, list[int]] = defaultdict(list)
    by_name: dict[tuple, list[int]] = defaultdict(list)
    for index, person in enumerate(people):
        if case_key(person.case_number):
            by_case[case_key(person.case_number)].append(index)
        given, family = tuple(words(person.given_name)), tuple(words(person.family_name))
        if given and family and person.birth_year is not None:
            by_name[(given, family, person.birth_year)].append(index)
    found = []
    for reason, buckets in ((CASE_NUMBER, by_case), (NAMES, by_name)):
        for members in buckets.values():
            for i, first in enumerate(members):
                for second in members[i + 1:]:
                    a, b = people[first], people[second]
                    if a.laptop == b.laptop:
                        continue
                    if reason == CASE_NUMBER and not (
                            words(a.given_name) == words(b.given_name)
                            or (a.birth_year is not None and a.birth_year == b.birth_year and a.sex == b.sex)):
                        continue  # one case number is a whole family's
                    found.append((first, second, reason))
    return found


def _joined(people: list[Candidate], pairs: list[tuple[int, int, str]]) -> Callable[[int], int]:
    """Join the pairs into groups, the pairs with one given name first; never two people of one
    laptop with different given names in one group (twins of one sex share a case number and a
    birth year: each matches both of the other laptop's, and merging the group would make them
    one person). Returns each person's group (a root index)."""
    parent = list(range(len(people)))
    given: dict[int, dict[str | None, set[tuple]]] = {
        i: {p.laptop: {tuple(words(p.given_name))}} for i, p in enumerate(people)}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for first, second, _reason in sorted(pairs, key=lambda p: words(people[p[0]].given_name)
                                         != words(people[p[1]].given_name)):
        a, b = root(first), root(second)
        if a == b or any(len(names | given[b].get(laptop, names)) > 1 for laptop, names in given[a].items()):
            continue
        parent[a] = b
        for laptop, names in given.pop(a).items():
            given[b].setdefault(laptop, set()).update(names)
    return root


def find(engine: Engine) -> list[DuplicateGroup]:
    """Every group of people who may be one person, largest first."""
    people = _candidates(engine)
    pairs = _pairs(people)
    root = _joined(people, pairs)
    reasons: dict[int, str] = {}
    for first, second, reason in pairs:
        if root(first) == root(second) and reasons.get(root(first)) != CASE_NUMBER:
            reasons[root(first)] = reason
    groups: dict[int, list[Candidate]] = defaultdict(list)
    for index in range(len(people)):
        if root(index) in reasons:
            groups[root(index)].append(people[index])
    out = []
    for key, members in groups.items():
        members.sort(key=lambda c: (c.created_at is None, c.created_at or datetime.min, c.id))
        out.append(DuplicateGroup(reasons[key], tuple(members)))
    out.sort(key=lambda g: (-len(g.people), g.people[0].family_name, g.people[0].given_name, g.keep))
    return out


def merge(db: Database, keep_id: str, dup_id: str) -> None:
    """``dup_id`` is the same person as ``keep_id``: one change of the duplicate's
    ``merged_into`` (and of anyone merged into it before), with an audit entry."""
    from co_app.core.safety import audit

    with db.session() as s, s.begin():
        s.info["device_id"] = db.device_id
        keep, dup = s.get(Participant, keep_id), s.get(Participant, dup_id)
        for wanted, person in ((keep_id, keep), (dup_id, dup)):
            if person is None or person.deleted_at is not None:
                raise MergeError(_("There is no person with the id {id}.").format(id=wanted))
        if keep_id == dup_id:
            raise MergeError(_("A person cannot be merged into themselves."))
        if keep.merged_into is not None:
            raise MergeError(_("{id} was itself merged into {other}: merge into that person instead.").format(
                id=keep_id, other=keep.merged_into))
        if dup.merged_into is not None:
            raise MergeError(_("{id} is already merged into {other}: undo that merge first.").format(
                id=dup_id, other=dup.merged_into))
        dup.merged_into = keep.id
        for other in s.scalars(select(Participant).where(Participant.merged_into == dup.id)):
            other.merged_into = keep.id
        audit.record(s, "person_merged", subject=dup.id, detail=f"merged into {keep.id}", commit=False)


def unmerge(db: Database, dup_id: str) -> None:
    """Undo the merge of ``dup_id``: it is a person of its own again, everywhere."""
    from co_app.core.safety import audit

    with db.session() as s, s.begin():
        s.info["device_id"] = db.device_id
        dup = s.get(Participant, dup_id)
        if dup is None or dup.merged_into is None:
            raise MergeError(_("{id} is not merged into anyone.").format(id=dup_id))
        detail = f"no longer merged into {dup.merged_into}"
        dup.merged_into = None
        audit.record(s, "person_unmerged", subject=dup.id, detail=detail, commit=False)


def merged(engine: Engine) -> list[MergedPair]:
    """Every merge in force."""
    p = Participant.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(p.c.id, p.c.merged_into, p.c.given_name, p.c.family_name)
                            .where(p.c.merged_into.is_not(None), p.c.deleted_at.is_(None))
                            .order_by(p.c.family_name, p.c.given_name, p.c.id)).all()
    return [MergedPair(*row) for row in rows]

