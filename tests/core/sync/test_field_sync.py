"""Field-level sync, one story per test, on real SQLite files and the keyed office flow:
laptops enrolled with the office's key file, their packages sealed for the office, the
office's sealed for every laptop it enrolled.

A clock put right loses nothing; two laptops changing different fields of one person both
win; a laptop whose clock runs ahead does not win (its changes are held for the office);
a copied data folder is a new laptop; a change made after receiving another is no
conflict, and the office's "Keep this one" reaches every laptop; a database of schema 0004
comes up with every record and exports it all.  (A format-1 package is refused in
test_sync_rejections.py.)
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from alembic import command
from sqlalchemy import create_engine, func, select, text

from co_app.core.db import identity, versions
from co_app.core.db.engine import Database, open_database
from co_app.core.db.models import AttendanceRecord, CoSession, Participant, SyncConflict
from co_app.core.db.migrate import alembic_config
from co_app.core.sync import records, review
from co_app.core.sync.keys import own_keys
from co_app.core.sync.merge import MergeReport
from co_app.core.sync.package import ExportResult, export_package
from co_app.core.sync.service import import_package
from tests.core.sync_helpers import enrol, laptop, office, populate, snapshot

FARID = 3  # the one person populate() records as "late"


@contextmanager
def clock_ahead(days: int) -> Iterator[None]:
    """This process's clock (as the versions see it) ``days`` ahead of the real one."""
    with mock.patch.object(versions, "now_ms", lambda: time.time_ns() // 1_000_000 + days * versions.DAY_MS):
        yield


class Flow:
    """The office and its laptops exchanging keyed packages in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.n = folder, 0
        self.enrolled: set[str] = set()

    def _path(self, who: str) -> Path:
        self.n += 1
        return self.folder / f"{self.n:02d}-{who}.cosync"

    def export(self, db: Database, **kwargs) -> tuple[Path, ExportResult]:
        path = self._path(db.device_id[:8])
        return path, export_package(db.engine, db.device_id, path, passphrase=None, **kwargs)

    def to_hub(self, db: Database, hub: Database, **kwargs) -> MergeReport:
        """``db``'s package into the hub (which enrols the laptop the first time)."""
        path, _ = self.export(db)
        return self.import_at_hub(hub, path, db.device_id, **kwargs)

    def import_at_hub(self, hub: Database, path: Path, device_id: str, **kwargs) -> MergeReport:
        first = device_id not in self.enrolled
        report = import_package(hub.engine, path, None, trust_new=first, **kwargs)
        if not kwargs.get("dry_run"):
            self.enrolled.add(device_id)
        return report

    def answer(self, hub: Database, *laptops: Database) -> list[MergeReport]:
        """The office's package, sealed for every laptop it enrolled, into ``laptops``."""
        path, _ = self.export(hub)
        return [import_package(db.engine, path, None) for db in laptops]


@pytest.fixture
def office_and_two(tmp_path: Path):
    """Laptop A with two sessions of people, laptop B, and the office: both enrolled, and
    after one round every database holds A's records."""
    a, b, hub = laptop(tmp_path, "a"), laptop(tmp_path, "b"), office(tmp_path)
    enrol(hub, a, b)
    ids = populate(a)
    flow = Flow(tmp_path)
    assert flow.to_hub(a, hub).inserted == 25
    assert flow.to_hub(b, hub).inserted == 0
    assert [r.inserted for r in flow.answer(hub, a, b)] == [0, 25]
    assert snapshot(a) == snapshot(b) == snapshot(hub)
    yield flow, a, b, hub, ids
    for db in (a, b, hub):
        db.dispose()


def conflicts(db: Database) -> list[SyncConflict]:
    with db.session() as s:
        return list(s.scalars(select(SyncConflict).order_by(SyncConflict.id)))


def participant(db: Database, pid: str) -> Participant:
    with db.session() as s:
        person = s.get(Participant, pid)
        s.expunge(person)
        return person


def attendance_status(db: Database, record_id: str) -> str:
    with db.session() as s:
        return s.get(AttendanceRecord, record_id).status


def set_status(db: Database, record_id: str, status: str) -> None:
    with db.session() as s, s.begin():
        s.get(AttendanceRecord, record_id).status = status


def counts(db: Database) -> dict[str, int]:
    return {table: len(rows) for table, rows in snapshot(db).items()}


# --- a. a clock put right loses nothing ----------------------------------------------------


def test_a_clock_put_right_loses_nothing(office_and_two) -> None:
    """The laptop's clock ran 40 days ahead while it exported; put right, it records a new
    session W: W reaches the office, though it is "older" than the last export."""
    flow, a, _b, hub, ids = office_and_two
    with clock_ahead(40):
        with a.session() as s, s.begin():
            s.get(CoSession, ids["sessions"][0]).notes = "written while the clock was 40 days ahead"
        path, ahead = flow.export(a)
    assert ahead.total >= 1
    report = flow.import_at_hub(hub, path, a.device_id)
    assert report.held >= 1 and report.future_dated >= 1  # the office holds it for review
    flow.answer(hub, a)  # the office answers: A's next export starts from what it holds

    with a.session() as s, s.begin():  # the clock put right
        w = CoSession(session_date=date(2026, 12, 1), place="Zarqa, community hall", facilitator="R. Nasser",
                      interpreter="M. Saleh", language="ar", destination_towns=["germany-jena"], agenda=[])
        s.add(w)
        s.flush()
        w_id = w.id
    path, later = flow.export(a)
    assert later.counts["co_sessions"] >= 1
    report = flow.import_at_hub(hub, path, a.device_id)
    # W is not held; the change written ahead, still held at the office, is said held again
    assert report.tables["co_sessions"].inserted == 1 and report.held == 1
    with hub.session() as s:
        arrived = s.get(CoSession, w_id)
        assert arrived is not None and arrived.place == "Zarqa, community hall"
        [_device, _counter, hlc] = versions.dot_of(arrived.versions, "place")
    assert hlc < versions.now_ms() + versions.DAY_MS  # dated now again, not 40 days ahead


# --- b. field-level merge ------------------------------------------------------------------


def test_two_laptops_changing_different_fields_of_one_person_both_win(office_and_two) -> None:
    flow, a, b, hub, ids = office_and_two
    pid = ids["participants"][0]
    with a.session() as s, s.begin():
        s.get(Participant, pid).birth_year = 1987
    with b.session() as s, s.begin():
        s.get(Participant, pid).destination = "italy-biella"

    reports = [flow.to_hub(a, hub), flow.to_hub(b, hub)]
    assert [r.conflicts for r in reports] == [0, 0]
    at_hub = participant(hub, pid)
    assert (at_hub.birth_year, at_hub.destination) == (1987, "italy-biella")
    assert conflicts(hub) == []

    assert [r.conflicts for r in flow.answer(hub, a, b)] == [0, 0]
    with a.session() as s, s.begin():  # a later edit on A
        s.get(Participant, pid).family_name = "Haddad-Nour"
    assert flow.to_hub(a, hub).conflicts == 0
    flow.answer(hub, a, b)
    for db in (a, b, hub):
        person = participant(db, pid)
        assert (person.birth_year, person.destination, person.family_name) == (1987, "italy-biella",
                                                                                "Haddad-Nour")
        assert conflicts(db) == []
    assert snapshot(a) == snapshot(b) == snapshot(hub)


# --- c. a fast clock does not win ----------------------------------------------------------


def _fast_absent_slow_present(flow: Flow, a: Database, b: Database, hub: Database, ids) -> str:
    """A, 30 days ahead, marks Farid absent; B (a right clock) marks him present; both
    packages reach the office: A's change is held, B's stands."""
    record = versions.natural_id("attendance", ids["sessions"][0], ids["participants"][FARID])
    assert attendance_status(hub, record) == "late"
    with clock_ahead(30):
        set_status(a, record, "absent")
        path, _ = flow.export(a)
    set_status(b, record, "present")

    before = snapshot(hub)
    dry = flow.import_at_hub(hub, path, a.device_id, dry_run=True)
    assert dry.held >= 1 and dry.future_dated >= 1  # a dry run says so too
    assert snapshot(hub) == before
    with hub.session() as s:
        assert review.list_held(s) == []
    report = flow.import_at_hub(hub, path, a.device_id)
    assert report.held >= 1 and report.future_dated >= 1
    assert attendance_status(hub, record) == "late"  # held, not applied
    flow.to_hub(b, hub)
    assert attendance_status(hub, record) == "present"
    with hub.session() as s:
        held = review.list_held(s)
    assert [(h.table_name, h.record_id, h.field, h.value, h.device_id) for h in held] == [
        ("attendance", record, "status", "absent", a.device_id)]
    return record


def test_a_fast_clock_does_not_win_and_the_office_rejects_its_change(office_and_two) -> None:
    flow, a, b, hub, ids = office_and_two
    record = _fast_absent_slow_present(flow, a, b, hub, ids)

    # A's clock is put right; its correction is a change like any other: applied, not dropped.
    set_status(a, record, "late")
    report = flow.to_hub(a, hub)
    assert report.held == 0 and report.tables["attendance"].updated == 1
    assert attendance_status(hub, record) == "late"

    with hub.session() as s:
        [held] = review.list_held(s)
        review.reject_held(s, held.id)
    with hub.session() as s:
        assert review.list_held(s) == []
    flow.answer(hub, a, b)
    for db in (a, b, hub):
        assert attendance_status(db, record) == "late"
    assert snapshot(a) == snapshot(b) == snapshot(hub)


def test_a_fast_clock_does_not_win_until_the_office_accepts_its_change(office_and_two) -> None:
    flow, a, b, hub, ids = office_and_two
    record = _fast_absent_slow_present(flow, a, b, hub, ids)

    with hub.session() as s:
        [held] = review.list_held(s)
        review.accept_held(s, held.id)
    assert attendance_status(hub, record) == "absent"
    with hub.session() as s:
        dot = versions.dot_of(s.get(AttendanceRecord, record).versions, "status")
    assert dot[0] == hub.device_id and dot[2] < versions.now_ms() + versions.DAY_MS  # the office's, dated now
    flow.answer(hub, a, b)
    for db in (a, b, hub):
        assert attendance_status(db, record) == "absent"
    assert snapshot(a) == snapshot(b) == snapshot(hub)


# --- d. a copied data folder is a new laptop -----------------------------------------------


def test_a_copied_data_folder_is_a_new_laptop(office_and_two, tmp_path: Path) -> None:
    flow, a, _b, hub, ids = office_and_two
    before = counts(hub)
    a.dispose()
    shutil.copytree(tmp_path / "a", tmp_path / "copy")
    original = open_database(tmp_path / "a" / "co_app.sqlite3")
    copy = open_database(tmp_path / "copy" / "co_app.sqlite3")
    try:
        assert original.device_id == a.device_id
        assert copy.device_id != a.device_id
        with copy.engine.begin() as conn:
            assert a.device_id in identity.predecessors(conn)
            copy_keys = own_keys(conn).public.fingerprint
        with original.engine.begin() as conn:
            assert own_keys(conn).public.fingerprint != copy_keys  # new keys with the new id
        enrol(hub, copy)

        first, second = ids["participants"][0], ids["participants"][4]
        with original.session() as s, s.begin():
            s.get(Participant, first).family_name = "Haddad-Nour"
        with copy.session() as s, s.begin():
            s.get(Participant, second).birth_year = 1983

        reports = [flow.to_hub(original, hub), flow.to_hub(copy, hub)]
        assert [r.conflicts for r in reports] == [0, 0]
        assert sum(r.inserted for r in reports) == 0  # nothing duplicated
        assert counts(hub) == before
        assert participant(hub, first).family_name == "Haddad-Nour"
        assert participant(hub, second).birth_year == 1983
        assert conflicts(hub) == []

        flow.answer(hub, original, copy)
        assert snapshot(original) == snapshot(copy) == snapshot(hub)
    finally:
        original.dispose()
        copy.dispose()


# --- e. false conflicts are not logged; "Keep this one" reaches everyone -------------------


def test_an_edit_made_after_receiving_another_is_no_conflict(office_and_two) -> None:
    flow, a, b, hub, ids = office_and_two
    pid = ids["participants"][1]
    with a.session() as s, s.begin():
        s.get(Participant, pid).family_name = "Haddad-A"
    reports = [flow.to_hub(a, hub)]
    reports += flow.answer(hub, b)
    with b.session() as s, s.begin():
        s.get(Participant, pid).family_name = "Haddad-B"
    reports.append(flow.to_hub(b, hub))
    reports += flow.answer(hub, a, b)
    assert [r.conflicts for r in reports] == [0] * len(reports)
    for db in (a, b, hub):
        assert participant(db, pid).family_name == "Haddad-B"
        assert conflicts(db) == []
    assert snapshot(a) == snapshot(b) == snapshot(hub)


def test_keep_this_one_makes_the_lost_value_the_value_everywhere(office_and_two) -> None:
    flow, a, b, hub, ids = office_and_two
    pid = ids["participants"][5]
    with a.session() as s, s.begin():
        s.get(Participant, pid).family_name = "Tesfaye-A"
    with b.session() as s, s.begin():
        s.get(Participant, pid).family_name = "Tesfaye-B"
    reports = [flow.to_hub(a, hub), flow.to_hub(b, hub)]
    assert sum(r.conflicts for r in reports) == 1  # a true conflict: neither had seen the other
    [logged] = conflicts(hub)
    assert (logged.record_id, logged.field) == (pid, "family_name")
    lost = logged.loser_data["family_name"]
    assert {lost, logged.winner_value} == {"Tesfaye-A", "Tesfaye-B"}
    assert participant(hub, pid).family_name == logged.winner_value

    with hub.session() as s:
        review.keep_lost_value(s, logged.id)
    assert participant(hub, pid).family_name == lost
    [reviewed] = conflicts(hub)
    assert reviewed.reviewed

    flow.answer(hub, a, b)
    for db in (a, b, hub):
        assert participant(db, pid).family_name == lost
    assert snapshot(a) == snapshot(b) == snapshot(hub)


# --- f. migration from schema 0004 ---------------------------------------------------------


def _schema_0004(path: Path, own: str, other: str) -> dict[str, list[tuple[str, str]]]:
    """A laptop's database at schema 0004 with records of its own and some of another
    laptop's (imported then), written with plain SQL; returns (table, id) -> device."""
    engine = create_engine(f"sqlite:///{path}")
    made: dict[str, list[tuple[str, str]]] = {}
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0004_device_changes_index")
            conn.execute(text("INSERT INTO app_meta (key, value) VALUES ('device_id', :d)"), {"d": own})

            def stamp(device: str, minute: int) -> dict[str, str]:
                when = f"2026-11-20 09:{minute:02d}:00.000000"
                return {"id": str(uuid.uuid4()), "created_at": when, "updated_at": when, "device_id": device}

            def insert(table: str, values: dict) -> str:
                columns = ", ".join(values)
                marks = ", ".join(f":{name}" for name in values)
                conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)  # noqa: S608
                made.setdefault(table, []).append((values["id"], values["device_id"]))
                return values["id"]

            home = insert("households", {**stamp(own, 1), "case_number": "CASE-HAD-01",
                                         "destination": "germany-jena", "notes": "", "deleted_at": None})
            people = [insert("participants", {
                **stamp(device, 2 + n), "household_id": home, "case_number": "CASE-HAD-01", "given_name": given,
                "family_name": "Haddad", "sex": sex, "birth_year": year, "age_group": None, "nationality": "SY",
                "languages": '["ar"]', "destination": "germany-jena", "needs": "[]", "consent": 1,
                "consent_date": "2026-11-01", "deleted_at": None})
                for n, (given, sex, year, device) in enumerate([("Amina", "female", 1988, own),
                                                                ("Yusuf", "male", 1985, other),
                                                                ("Layla", "female", 2016, own)])]
            sessions = [insert("co_sessions", {
                **stamp(device, 10 + n), "session_date": f"2026-11-2{n}", "number_of_day": 1,
                "place": "Amman, IOM centre", "facilitator": "R. Nasser", "interpreter": "M. Saleh",
                "language": "ar", "destination_towns": '["germany-jena"]', "agenda": "[]", "status": "open",
                "closed_at": None, "notes": "", "deleted_at": None})
                for n, device in enumerate([own, other])]
            for n, (session, person) in enumerate([(s, p) for s in sessions for p in people]):
                insert("attendance", {**stamp(own if n % 2 else other, 20 + n), "session_id": session,
                                      "participant_id": person, "status": "present",
                                      "checked_in_at": "2026-11-20 09:30:00.000000", "note": "", "deleted_at": None})
            for session in sessions:
                insert("module_coverage", {**stamp(own, 40), "session_id": session, "module_id": "housing",
                                           "covered": 1, "deleted_at": None})
    finally:
        engine.dispose()
    return made


def test_a_database_of_schema_0004_keeps_every_record_and_exports_them_all(tmp_path: Path) -> None:
    own, other = str(uuid.uuid4()), str(uuid.uuid4())
    (tmp_path / "old").mkdir()
    path = tmp_path / "old" / "co_app.sqlite3"
    made = _schema_0004(path, own, other)
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:  # the ids check-ins and module marks take from their natural key
        natural = {row[0]: versions.natural_id("attendance", row[1], row[2]) for row in
                   conn.execute(text("SELECT id, session_id, participant_id FROM attendance"))}
        natural |= {row[0]: versions.natural_id("module_coverage", row[1], row[2]) for row in
                    conn.execute(text("SELECT id, session_id, module_id FROM module_coverage"))}
    engine.dispose()
    devices = {(table, natural.get(old_id, old_id)): device for table, rows in made.items()
               for old_id, device in rows}

    db = open_database(path)  # upgrades to head
    try:
        assert db.device_id == own
        found = snapshot(db)
        assert {table: len(rows) for table, rows in found.items()} == {
            "co_sessions": 2, "households": 1, "participants": 3, "attendance": 6, "module_coverage": 2,
            "learning_answers": 0}
        assert {(table, record_id) for table, rows in found.items() for record_id in rows} == set(devices)
        assert len(set(natural.values())) == 8 and all(old != new for old, new in natural.items())
        with db.engine.connect() as conn:
            for table in records.TABLES:
                fields = versions.content_columns(table)
                for row in conn.execute(select(table.c.id, table.c.device_id, table.c.versions)).mappings():
                    assert row["device_id"] == devices[(table.name, row["id"])]
                    dots = versions.expand(row["versions"], fields)
                    assert set(dots) == set(fields), (table.name, row["id"])
                    for name, (device, counter, _hlc) in dots.items():
                        assert (device, counter) == (row["device_id"], 0), (table.name, row["id"], name)
        with db.session() as s:
            names = set(s.scalars(select(Participant.given_name)))
            assert names == {"Amina", "Yusuf", "Layla"}
            assert s.scalar(select(func.count()).select_from(AttendanceRecord)) == 6

        hub = office(tmp_path)
        try:
            enrol(hub, db)
            package = tmp_path / "first.cosync"
            first = export_package(db.engine, db.device_id, package, passphrase=None)
            assert first.total == 14
            report = import_package(hub.engine, package, None, trust_new=True)
            assert (report.inserted, report.conflicts, report.held) == (14, 0, 0)
            assert snapshot(hub) == found
        finally:
            hub.dispose()
    finally:
        db.dispose()
