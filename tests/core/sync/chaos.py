"""A seeded chaos run of sync: five laptops and the office's hub, random edits, clocks
moved by days, copied data folders, packages lost, imported late, out of order and twice.

The run keeps its own ground truth: every change it made (an edit on a laptop, a record
added, a deletion, a decision of the office) as the field, its value and the dot the
database gave it.  At the end (``World.check``) every database that received every package
must equal the hub, and every change that is not the final value of its field must be
accounted for: made before the final change (or before another change of that field), in
the hub's conflict log, or held by the hub for review.  Nothing is simply gone.

Rules of the game, as in the field: a laptop only sends packages to the hub and only
imports the hub's packages.  Packages are sealed with keys when this version has them
(co_app/core/sync/keys.py: laptops enrolled with the office's key file, the office enrols
each laptop, a copied folder too, on its first package; a laptop reads only the office's
packages sealed for it), else locked with the passphrase.  One fake
clock (``versions.now_ms``, and the merge's ``utcnow``) runs fast: each step moves it on by
seconds to minutes, and each laptop reads it with its own offset (days ahead or behind).
"""

from __future__ import annotations

import importlib.util
import inspect
import random
import shutil
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest import mock

from sqlalchemy import select

from co_app.core.attendance.checkin import STATUSES
from co_app.core.db import identity, versions
from co_app.core.db.engine import Database
from co_app.core.db.models import AttendanceRecord, CoSession, Participant, SyncConflict, SyncHeld
from co_app.core.people.participants import SEXES
from co_app.core.sync import causality, merge, records, review
from co_app.core.sync.service import import_package
from tests.core.sync.chaos_exchange import Exchanges, Pkg
from tests.core.sync_helpers import laptop, populate, snapshot

DAY = versions.DAY_MS
HOUR = 3600 * 1000
#: A laptop's clock: right, hours off, or days ahead or behind (more than a day ahead is
#: what the hub holds for review).
OFFSETS = (0, 0, 0, -7 * DAY, -2 * DAY, -3 * HOUR, 3 * HOUR, 2 * DAY, 9 * DAY, 40 * DAY)
MODELS = {"participants": Participant, "attendance": AttendanceRecord, "co_sessions": CoSession}
#: The fields the run edits, per table; every one of them is checked at the end.
TRACKED = {
    "participants": ("given_name", "family_name", "birth_year", "destination", "sex", "deleted_at"),
    "attendance": ("status", "note", "deleted_at"),
    "co_sessions": ("place", "notes", "deleted_at"),
}
#: Tables in the order their records depend on each other (a held record's parent first).
ORDER = {table.name: n for n, table in enumerate(records.TABLES)}
TOWNS = ("germany-jena", "germany-leipzig", "canada-halifax", "usa-boise", "norway-bergen")
NAMES = ("Amina", "Yusuf", "Layla", "Farid", "Zahra", "Senait", "Omar", "Nour", "Hamid", "Rania")

Dot = tuple[str, int, int]


def dot_in(dots: dict[str, Any], name: str) -> Dot:
    """The dot of field ``name`` in a ``versions`` mapping (full, or compact with the shared
    dot under ``""``)."""
    return causality.as_dot(dots[name] if name in dots else dots[""])


def keyed_packages() -> bool:
    """Does this version seal packages with keys (and refuse passphrase ones at the office)?"""
    return (importlib.util.find_spec("co_app.core.sync.keys") is not None
            and "trust_new" in inspect.signature(import_package).parameters)


@dataclass(frozen=True)
class Change:
    """One change the run made, as the database that made it stamped it."""

    table: str
    record_id: str
    field: str
    value: Any  # canonical, as snapshot() shows it
    dot: Dot
    who: str  # the laptop's name, or "office"
    what: str  # edit, delete, add, populate, keep-lost, accept, reject


@dataclass
class Node:
    name: str
    db: Database
    offset: int = 0

    @property
    def device(self) -> str:
        return self.db.device_id


@dataclass
class Settings:
    steps: int = 60
    laptops: int = 5
    copies: int = 1
    p_lost: float = 0.2
    p_twice: float = 0.15
    reimport_sample: int = 4


#: Where the fake clock starts (1 December 2026, UTC): a seed plays the same game every time.
START_MS = 1_796_083_200_000


class SimClock:
    """The fast fake clock: ``now`` moves on each step; ``offset`` is the current computer's."""

    def __init__(self) -> None:
        self.now = START_MS
        self.offset = 0

    def ms(self) -> int:
        return self.now + self.offset

    def utc(self) -> datetime:
        return versions.hlc_datetime(self.ms())


class World(Exchanges):
    def __init__(self, tmp: Path, seed: int, settings: Settings) -> None:
        self.tmp = tmp
        self.seed = seed
        self.rng = random.Random(seed)
        self.s = settings
        self.clock = SimClock()
        self._uuids = random.Random(f"uuid-{seed}")  # record and device ids: the same on every run
        self.truth: list[Change] = []
        self.laptop_pkgs: list[Pkg] = []
        self.hub_pkgs: list[Pkg] = []
        self.problems: list[str] = []
        self.stats: Counter[str] = Counter()
        self.serial = 0
        self.copies = 0
        self.laptops: list[Node] = []
        self.nodes: dict[str, Node] = {}

    def setup(self) -> None:
        tmp, settings = self.tmp, self.s
        (tmp / "packages").mkdir()
        self.hub = Node("hub", laptop(tmp, "hub"))
        with self.hub.db.engine.begin() as conn:
            identity.set_role(conn, "office")
            identity.set_name(conn, "Office")
        self.laptops = [Node(f"l{n}", laptop(tmp, f"l{n}")) for n in range(settings.laptops)]
        for node in self.laptops:
            with node.db.engine.begin() as conn:
                identity.set_name(conn, node.name)
        self.nodes = {node.name: node for node in [self.hub, *self.laptops]}
        self.keyed = keyed_packages()
        #: The laptops (by name) the hub enrolled: those whose packages it imported.
        self.enrolled: set[str] = set()
        if self.keyed:
            from co_app.core.sync.keys import enrol_with_office, write_office_key

            key_file = tmp / "office.key"
            with self.hub.db.engine.begin() as conn:
                write_office_key(conn, key_file)
            for node in self.laptops:
                with node.db.engine.begin() as conn:
                    enrol_with_office(conn, key_file)

    # --- the clock --------------------------------------------------------------------

    @contextmanager
    def patched(self) -> Iterator[None]:
        with mock.patch.object(versions, "now_ms", self.clock.ms), \
                mock.patch.object(merge, "utcnow", self.clock.utc), \
                mock.patch.object(uuid, "uuid4", self.uuid4):
            yield

    def uuid4(self) -> uuid.UUID:
        return uuid.UUID(int=self._uuids.getrandbits(128), version=4)

    @contextmanager
    def on(self, node: Node) -> Iterator[None]:
        """What follows runs on ``node``'s computer: its clock, with its offset."""
        before, self.clock.offset = self.clock.offset, node.offset
        try:
            yield
        finally:
            self.clock.offset = before

    def tick(self) -> None:
        self.clock.now += self.rng.randint(1_000, 10 * 60_000)

    # --- the ground truth -------------------------------------------------------------

    def _read(self, db: Database, table: str, record_id: str) -> dict[str, Any]:
        sql_table = records.TABLE_BY_NAME[table]
        with db.engine.connect() as conn:
            row = conn.execute(select(sql_table).where(sql_table.c.id == record_id)).mappings().one()
        return records.CODECS[table].canonical(row)

    def remember(self, node: Node, table: str, record_id: str, fields: tuple[str, ...], what: str) -> None:
        row = self._read(node.db, table, record_id)
        who = "office" if node is self.hub else node.name
        for name in fields:
            dot = dot_in(row["versions"], name)
            if dot[0] != node.device:
                self.problems.append(f"{what} of {table}.{name} {record_id} on {node.name} was not stamped with its "
                                     f"device: {dot}")
            self.truth.append(Change(table, record_id, name, row[name], dot, who, what))

    # --- actions ----------------------------------------------------------------------

    def start(self) -> None:
        first = self.laptops[0]
        with self.on(first):
            populate(first.db)
        for table, fields in TRACKED.items():
            for record_id in snapshot(first.db)[table]:
                self.remember(first, table, record_id, fields, "populate")
        for node in self.laptops:  # the hub enrols every laptop with its first package
            self.hub_import(self.export(node, lost=False))
        hub_pkg = self.export(self.hub, lost=False)
        for node in self.laptops[1:]:
            self.laptop_import(node, hub_pkg)

    def ids(self, node: Node, table: str) -> list[str]:
        sql_table = records.TABLE_BY_NAME[table]
        with node.db.engine.connect() as conn:
            return sorted(conn.execute(select(sql_table.c.id)).scalars())

    def new_value(self, table: str, name: str, current: Any) -> Any:
        self.serial += 1
        n = self.serial
        choices: tuple[Any, ...] | None = {
            "sex": SEXES, "status": STATUSES, "destination": TOWNS,
        }.get(name)
        if choices is not None:
            return self.rng.choice([c for c in choices if c != current])
        if name == "birth_year":
            return self.rng.choice([y for y in range(1940, 2021) if y != current])
        if name == "given_name":
            return f"{self.rng.choice(NAMES)} {n}"
        if name == "family_name":
            return f"Family {n}"
        return f"{name} {n} ({self.seed})"

    def edit(self, node: Node) -> None:
        table = self.rng.choice(list(TRACKED))
        ids = self.ids(node, table)
        if not ids:
            return
        record_id = self.rng.choice(ids)
        name = self.rng.choice([f for f in TRACKED[table] if f != "deleted_at"])
        with self.on(node), node.db.session() as s, s.begin():
            obj = s.get(MODELS[table], record_id)
            setattr(obj, name, self.new_value(table, name, getattr(obj, name)))
        self.remember(node, table, record_id, (name,), "edit")
        self.stats["edits"] += 1

    def delete(self, node: Node) -> None:
        table = self.rng.choice(list(TRACKED))
        ids = self.ids(node, table)
        if not ids:
            return
        record_id = self.rng.choice(ids)
        with self.on(node), node.db.session() as s, s.begin():
            obj = s.get(MODELS[table], record_id)
            # Mostly deletions; a deleted record is sometimes brought back.
            obj.deleted_at = None if obj.deleted_at is not None and self.rng.random() < 0.5 else self.clock.utc()
        self.remember(node, table, record_id, ("deleted_at",), "delete")
        self.stats["deletions"] += 1

    def add_participant(self, node: Node) -> None:
        households = self.ids(node, "households")
        with self.on(node), node.db.session() as s, s.begin():
            person = Participant(household_id=self.rng.choice(households) if households else None,
                                 case_number="CASE-NEW", given_name=self.new_value("participants", "given_name", None),
                                 family_name=self.new_value("participants", "family_name", None),
                                 sex=self.rng.choice(SEXES), birth_year=self.rng.randint(1940, 2020),
                                 destination=self.rng.choice(TOWNS), consent=True)
            s.add(person)
            s.flush()
            record_id = person.id
        self.remember(node, "participants", record_id, TRACKED["participants"], "add")
        self.stats["participants added"] += 1

    def add_check_in(self, node: Node) -> None:
        with node.db.engine.connect() as conn:
            taken = set(conn.execute(select(AttendanceRecord.session_id, AttendanceRecord.participant_id)).all())
        free = [(s, p) for s in self.ids(node, "co_sessions") for p in self.ids(node, "participants")
                if (s, p) not in taken]
        if not free:
            return
        session_id, person_id = self.rng.choice(free)
        with self.on(node), node.db.session() as s, s.begin():
            record = AttendanceRecord(session_id=session_id, participant_id=person_id,
                                      status=self.rng.choice(STATUSES),
                                      note=self.new_value("attendance", "note", None))
            s.add(record)
            s.flush()
            record_id = record.id
        self.remember(node, "attendance", record_id, TRACKED["attendance"], "add")
        self.stats["check-ins added"] += 1

    def move_clock(self, node: Node) -> None:
        node.offset = self.rng.choice([o for o in OFFSETS if o != node.offset])
        self.stats["clocks moved"] += 1

    def copy_folder(self) -> None:
        source = self.rng.choice(self.laptops)
        self.copies += 1
        name = f"c{self.copies}-{source.name}"
        source.db.dispose()
        shutil.copytree(self.tmp / source.name, self.tmp / name)
        source.db = laptop(self.tmp, source.name)
        copy = Node(name, laptop(self.tmp, name), source.offset)
        if copy.device == source.device:
            self.problems.append(f"the copy {name} of {source.name} kept its device id")
        with copy.db.engine.connect() as conn:
            if source.device not in identity.predecessors(conn):
                self.problems.append(f"the copy {name} does not name {source.name} as its predecessor")
        self.laptops.append(copy)
        self.nodes[name] = copy
        self.stats["folders copied"] += 1

    # --- the office's decisions --------------------------------------------------------

    def open_held(self) -> list[SyncHeld]:
        with self.hub.db.session() as s:
            rows = list(s.scalars(select(SyncHeld).where(SyncHeld.state == "held")))
        return sorted(rows, key=lambda r: (ORDER[r.table_name], r.id))

    def decide_held(self, row: SyncHeld) -> None:
        """One decision of the office.  It is a change of the office's on every field it
        decides: a held field; every field of a held new record (made here, deleted when
        rejected, or — when the record arrived since — each held value made again or each
        value here confirmed); accepting a check-in accepts its held parents first."""
        accept = self.rng.random() < 0.5
        with self.hub.db.session() as s:
            before = {r.id: r for r in s.scalars(select(SyncHeld).where(SyncHeld.state == "held"))}
            if row.field == "*" and s.get(review.MODELS[row.table_name], row.record_id) is not None:
                self.stats["held new records decided when already here"] += 1
        with self.on(self.hub), self.hub.db.session() as s:
            (review.accept_held if accept else review.reject_held)(s, row.id)
        with self.hub.db.session() as s:
            decided = [before[i] for i in before
                       if s.get(SyncHeld, i).state != "held"]
        for held in decided:
            fields = TRACKED.get(held.table_name, ())
            if held.field != "*":
                fields = tuple(f for f in fields if f == held.field)
            if fields:
                self.remember(self.hub, held.table_name, held.record_id, fields, "accept" if accept else "reject")
        self.stats["held accepted" if accept else "held rejected"] += 1

    def keep_lost(self) -> None:
        with self.hub.db.session() as s:
            open_ = list(s.scalars(select(SyncConflict).where(SyncConflict.reviewed.is_(False))))
        if not open_:
            return
        conflict = self.rng.choice(open_)
        with self.on(self.hub), self.hub.db.session() as s:
            review.keep_lost_value(s, conflict.id)
        if conflict.field in TRACKED.get(conflict.table_name, ()):
            self.remember(self.hub, conflict.table_name, conflict.record_id, (conflict.field,), "keep-lost")
        self.stats["lost values kept"] += 1

    def office_review(self) -> None:
        held = self.open_held()
        if held and self.rng.random() < 0.6:
            self.decide_held(held[0])
        else:
            self.keep_lost()

    # --- the run ----------------------------------------------------------------------

    def step(self) -> None:
        self.tick()
        actions = [
            (30, lambda: self.edit(self.rng.choice(self.laptops))),
            (6, lambda: self.delete(self.rng.choice(self.laptops))),
            (4, lambda: self.add_participant(self.rng.choice(self.laptops))),
            (4, lambda: self.add_check_in(self.rng.choice(self.laptops))),
            (14, lambda: self.export(self.rng.choice(self.laptops))),
            (10, self.hub_imports),
            (7, lambda: self.export(self.hub)),
            (12, lambda: self.laptop_imports(self.rng.choice(self.laptops))),
            (5, lambda: self.move_clock(self.rng.choice(self.laptops))),
            (3, self.office_review),
        ]
        if self.copies < self.s.copies:
            actions.append((1, self.copy_folder))
        weights = [w for w, _ in actions]
        self.rng.choices([a for _, a in actions], weights)[0]()

    def settle(self, *, max_rounds: int = 8) -> int:
        """Bring everything together: the office decides every held change, every laptop
        exports, the hub imports it all, exports, and every laptop imports, until nothing
        changes.  Returns the rounds it took."""
        for rounds in range(1, max_rounds + 1):
            changed = 0
            for node in self.rng.sample(self.laptops, len(self.laptops)):
                self.tick()
                self.export(node, lost=False)
            waiting = [p for p in self.laptop_pkgs if not p.lost and "hub" not in p.imported_by]
            for pkg in self.rng.sample(waiting, len(waiting)):
                report = self.hub_import(pkg)
                changed += report.changes + report.held if report else 1
            while held := self.open_held():
                for row in held:
                    self.tick()
                    self.decide_held(row)
                    changed += 1
            self.tick()
            hub_pkg = self.export(self.hub, lost=False)
            for node in self.rng.sample(self.laptops, len(self.laptops)):
                report = self.laptop_import(node, hub_pkg)
                changed += report.changes if report else 1
            if not changed:
                return rounds
        self.problems.append(f"still changing after {max_rounds} rounds of exports and imports")
        return max_rounds

    def run(self) -> None:
        with self.patched():
            self.setup()
            self.start()
            for _ in range(self.s.steps):
                self.step()
            self.stats["settle rounds"] = self.settle()
            self.reimport_some()

    # --- the verdict --------------------------------------------------------------------

    def check(self) -> dict[str, Any]:
        """The verdict (chaos_verdict.py); problems go to ``self.problems``."""
        from tests.core.sync.chaos_verdict import check

        return check(self)

    def close(self) -> None:
        for node in self.nodes.values():
            node.db.dispose()


def play(tmp: Path, seed: int, settings: Settings) -> tuple[World, dict[str, Any]]:
    world = World(tmp, seed, settings)
    try:
        world.run()
        found = world.check()
    finally:
        world.close()
    return world, found

