"""Sync packages between real SQLite databases: laptop A -> package -> laptop B, the merge
rule, incremental exports, and the package's encryption."""

from __future__ import annotations

import json
import threading
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import select, update

from co_app.core.db import versions
from co_app.core.db.engine import Database
from co_app.core.db.models import AttendanceRecord, CoSession, ModuleCoverage, Participant, SyncConflict
from co_app.core.db.versions import dot_of, natural_id
from co_app.core.foundation.errors import Cancelled
from co_app.core.foundation.fileio import OutputFileError
from co_app.core.safety import audit
from co_app.core.sync import records
from co_app.core.sync.container import MAGIC, PackageError, PassphraseError
from co_app.core.sync.package import FORMAT_VERSION, export_package, pending_changes
from co_app.core.sync.reader import open_package
from co_app.core.sync.service import import_package
from tests.core.sync_helpers import PASSPHRASE, enrol, laptop, office, populate, snapshot

UTC = timezone.utc


def conflicts(db, *, absorbed: bool = False) -> list[dict]:
    """The conflict log as the officer reads it; with ``absorbed``, the losers that had the
    kept value (kept out of the list unless a later change makes them lost after all)."""
    log = SyncConflict.__table__
    with db.engine.connect() as conn:
        query = select(log).where((log.c.winner == "same") if absorbed else (log.c.winner != "same"))
        return [dict(row) for row in conn.execute(query.order_by("id")).mappings()]


def edit(db: Database, participant_id: str, *, at: int, **values) -> None:
    """Change a participant on ``db`` with its clock reading ``at`` (ms): the hook stamps it."""
    with mock.patch.object(versions, "now_ms", lambda: at), db.session() as s, s.begin():
        person = s.get(Participant, participant_id)
        for name, value in values.items():
            setattr(person, name, value)


def set_version(db, model, record_id: str, when: datetime, device: str | None = None) -> None:
    """Put a record's "last changed" columns where a test needs them (Core: the ORM hook
    would stamp them; its field versions stay as they were)."""
    values = {"updated_at": when} | ({"device_id": device} if device else {})
    with db.engine.begin() as conn:
        conn.execute(update(model.__table__).where(model.__table__.c.id == record_id).values(**values))


def test_laptop_a_to_laptop_b_gives_the_same_data(tmp_path: Path) -> None:
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    ids = populate(a)
    with a.session() as s, s.begin():  # a deletion travels as a tombstone
        s.get(Participant, ids["participants"][-1]).deleted_at = datetime.now(UTC)
    package = tmp_path / "a.cosync"

    result = export_package(a.engine, a.device_id, package, passphrase=PASSPHRASE)

    assert result.kind == "full" and result.encrypted
    assert result.counts == {"co_sessions": 2, "households": 3, "participants": 6, "attendance": 12,
                             "module_coverage": 2, "learning_answers": 0}
    assert result.tombstones["participants"] == 1
    assert package.read_bytes().startswith(MAGIC)
    assert b"Haddad" not in package.read_bytes()  # encrypted, not merely zipped
    report = import_package(b.engine, package, PASSPHRASE)
    assert (report.inserted, report.updated, report.unchanged, report.conflicts) == (25, 0, 0, 0)
    assert snapshot(b) == snapshot(a)
    with b.session() as s:
        tombstone = s.get(Participant, ids["participants"][-1])
        assert tombstone.deleted_at is not None
        assert tombstone.device_id == a.device_id  # the incoming device and time are kept
        assert [e.action for e in audit.entries(s)] == ["sync_import"]
        assert "Haddad" not in audit.entries(s)[0].detail
    with a.session() as s:
        assert [e.action for e in audit.entries(s)] == ["sync_export"]


def test_the_same_package_twice_changes_nothing(tmp_path: Path) -> None:
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    populate(a)
    package = tmp_path / "a.cosync"
    export_package(a.engine, a.device_id, package, passphrase=PASSPHRASE)
    import_package(b.engine, package, PASSPHRASE)
    before = snapshot(b)

    again = import_package(b.engine, package, PASSPHRASE)

    assert (again.inserted, again.updated, again.unchanged, again.conflicts) == (0, 0, 25, 0)
    assert snapshot(b) == before
    assert conflicts(b) == []


def test_a_dry_run_reports_and_writes_nothing(tmp_path: Path) -> None:
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    populate(a)
    export_package(a.engine, a.device_id, tmp_path / "a.cosync", passphrase=PASSPHRASE)

    preview = import_package(b.engine, tmp_path / "a.cosync", PASSPHRASE, dry_run=True)

    assert preview.dry_run and preview.inserted == 25
    assert snapshot(b) == {table.name: {} for table in records.TABLES}
    with b.session() as s:
        assert audit.entries(s) == []


def _shared_participant(tmp_path: Path):
    """A's data on both laptops; returns (a, b, participant id)."""
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    ids = populate(a)
    export_package(a.engine, a.device_id, tmp_path / "base.cosync", passphrase=PASSPHRASE)
    import_package(b.engine, tmp_path / "base.cosync", PASSPHRASE)
    return a, b, ids["participants"][0]


def test_two_laptops_edit_one_field_concurrently_the_greater_hlc_wins_and_the_loser_is_logged(
        tmp_path: Path) -> None:
    """Neither laptop had seen the other's edit: a true conflict.  B's change has the greater
    hlc (five minutes later), so it wins on both; the loser is logged with its field."""
    a, b, pid = _shared_participant(tmp_path)
    noon = versions.now_ms() + 1000
    edit(a, pid, at=noon, family_name="Haddad (A)")
    edit(b, pid, at=noon + 5 * 60_000, family_name="Haddad (B)")  # B edited later
    export_package(a.engine, a.device_id, tmp_path / "a.cosync", passphrase=PASSPHRASE, full=True)
    export_package(b.engine, b.device_id, tmp_path / "b.cosync", passphrase=PASSPHRASE, full=True)

    on_a = import_package(a.engine, tmp_path / "b.cosync", PASSPHRASE)  # B's later change arrives on A
    on_b = import_package(b.engine, tmp_path / "a.cosync", PASSPHRASE)  # A's earlier change arrives on B

    assert (on_a.tables["participants"].updated, on_a.conflicts) == (1, 1)
    assert (on_b.tables["participants"].updated, on_b.tables["participants"].unchanged, on_b.conflicts) == (0, 6, 1)
    for db in (a, b):
        with db.session() as s:
            winner = s.get(Participant, pid)
            assert (winner.family_name, winner.device_id) == ("Haddad (B)", b.device_id)
            assert winner.updated_at == versions.hlc_datetime(noon + 5 * 60_000)
            assert dot_of(winner.versions, "family_name")[0] == b.device_id
        [logged] = conflicts(db)
        assert (logged["table_name"], logged["record_id"], logged["field"]) == ("participants", pid, "family_name")
        assert logged["winner_value"] == "Haddad (B)"
        assert logged["loser_data"] == {"family_name": "Haddad (A)"}
        assert logged["loser_device_id"] == a.device_id and logged["winner_device_id"] == b.device_id
        assert logged["winner_dot"][0] == b.device_id and logged["winner_dot"][2] == noon + 5 * 60_000
        assert logged["loser_dot"][0] == a.device_id and logged["loser_dot"][2] == noon
        assert logged["loser_updated_at"] == versions.hlc_datetime(noon) and not logged["reviewed"]
    assert [c["winner"] for c in conflicts(a) + conflicts(b)] == ["incoming", "local"]
    assert snapshot(a) == snapshot(b)
    # and importing either package again logs nothing more
    import_package(b.engine, tmp_path / "a.cosync", PASSPHRASE)
    import_package(a.engine, tmp_path / "b.cosync", PASSPHRASE)
    assert len(conflicts(a)) == len(conflicts(b)) == 1


def test_at_the_same_instant_the_greater_device_id_wins(tmp_path: Path) -> None:
    a, b, pid = _shared_participant(tmp_path)
    instant = versions.now_ms() + 1000
    edit(a, pid, at=instant, given_name="Amina (A)")
    edit(b, pid, at=instant, given_name="Amina (B)")
    with a.session() as s:
        assert dot_of(s.get(Participant, pid).versions, "given_name")[2] == instant
    with b.session() as s:
        assert dot_of(s.get(Participant, pid).versions, "given_name")[2] == instant  # equal hlc
    export_package(a.engine, a.device_id, tmp_path / "a.cosync", passphrase=PASSPHRASE, full=True)
    export_package(b.engine, b.device_id, tmp_path / "b.cosync", passphrase=PASSPHRASE, full=True)

    import_package(a.engine, tmp_path / "b.cosync", PASSPHRASE)
    import_package(b.engine, tmp_path / "a.cosync", PASSPHRASE)

    expected = "Amina (A)" if a.device_id > b.device_id else "Amina (B)"
    for db in (a, b):
        with db.session() as s:
            assert s.get(Participant, pid).given_name == expected
        [logged] = conflicts(db)
        assert logged["field"] == "given_name" and logged["winner_value"] == expected
        assert logged["winner_device_id"] == max(a.device_id, b.device_id)
    assert snapshot(a) == snapshot(b)


def test_an_edit_by_the_same_device_is_an_update_not_a_conflict(tmp_path: Path) -> None:
    a, b, pid = _shared_participant(tmp_path)
    with a.session() as s, s.begin():
        s.get(Participant, pid).needs = ["hearing"]
    export_package(a.engine, a.device_id, tmp_path / "a2.cosync", passphrase=PASSPHRASE, full=True)

    report = import_package(b.engine, tmp_path / "a2.cosync", PASSPHRASE)

    assert (report.updated, report.conflicts) == (1, 0)
    with b.session() as s:
        assert s.get(Participant, pid).needs == ["hearing"]


def test_one_check_in_recorded_on_two_laptops_is_merged_into_one(tmp_path: Path) -> None:
    """Both laptops have the session and a newcomer, and both check her in: the id comes
    from (session, participant), so it is one record.  The two check-ins were made at the
    same moment, only the status differs: that one field is the conflict logged."""
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    ids = populate(a)
    session_id = ids["sessions"][1]
    with a.session() as s, s.begin():
        newcomer = Participant(given_name="Hana", family_name="Osman", sex="female", birth_year=1999,
                               destination="germany-jena")
        s.add(newcomer)
        s.flush()
        person = newcomer.id
    export_package(a.engine, a.device_id, tmp_path / "base.cosync", passphrase=PASSPHRASE)
    import_package(b.engine, tmp_path / "base.cosync", PASSPHRASE)
    arrived = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
    for db, status in ((a, "late"), (b, "present")):
        with db.session() as s, s.begin():
            s.add(AttendanceRecord(session_id=session_id, participant_id=person, status=status,
                                   checked_in_at=arrived))
    for db in (a, b):
        with db.session() as s:
            [row] = s.scalars(select(AttendanceRecord).where(AttendanceRecord.participant_id == person)).all()
            assert row.id == natural_id("attendance", session_id, person)
    export_package(b.engine, b.device_id, tmp_path / "b.cosync", passphrase=PASSPHRASE, full=True)

    report = import_package(a.engine, tmp_path / "b.cosync", PASSPHRASE)

    assert report.tables["attendance"].inserted == 0
    with a.session() as s:
        rows = s.scalars(select(AttendanceRecord).where(AttendanceRecord.participant_id == person,
                                                        AttendanceRecord.session_id == session_id)).all()
    assert len(rows) == 1
    # Only the status differs: the fields both laptops wrote alike (session, person, time,
    # note, deletion) are no conflict, and no "lost" value equal to the kept one is logged.
    assert [(c["field"], c["loser_data"]) for c in conflicts(a)] == [
        ("status", {"status": "late" if rows[0].status == "present" else "present"})]
    assert all(c["reviewed"] for c in conflicts(a, absorbed=True))  # kept, out of the officer's way
    assert report.tables["attendance"].conflicts == 1
    assert import_package(a.engine, tmp_path / "b.cosync", PASSPHRASE).conflicts == 0


def test_incremental_export_holds_only_what_changed(tmp_path: Path) -> None:
    """A laptop's export holds everything until the office has answered; once the office's
    package says what it holds, the next export holds only the new change."""
    a, hub = laptop(tmp_path, "a"), office(tmp_path)
    enrol(hub, a)  # packages between a laptop and the office are sealed with their keys
    ids = populate(a)
    with a.session() as s:
        assert pending_changes(s) == 25
    first = export_package(a.engine, a.device_id, tmp_path / "full.cosync", passphrase=None)
    assert (first.kind, first.from_seq, first.total) == ("full", 0, 25)
    with a.session() as s:
        assert pending_changes(s) == 0
    # Without the office's answer, the next export holds everything again: nothing can be missed.
    assert export_package(a.engine, a.device_id, tmp_path / "again.cosync", passphrase=None).kind == "full"
    import_package(hub.engine, tmp_path / "full.cosync", None, trust_new=True)
    with hub.session() as s:
        assert pending_changes(s) == 0  # received, not changed here: nothing of the hub's own to send
    back = export_package(hub.engine, hub.device_id, tmp_path / "hub.cosync", passphrase=None)
    import_package(a.engine, tmp_path / "hub.cosync", None)  # the office's acknowledgement
    with a.session() as s, s.begin():
        s.get(CoSession, ids["sessions"][0]).notes = "Projector failed; films shown on the laptop."
    with a.session() as s:
        assert pending_changes(s) == 1

    result = export_package(a.engine, a.device_id, tmp_path / "inc.cosync", passphrase=None)

    assert back.kind == "full"
    assert (result.kind, result.total, result.counts["co_sessions"]) == ("incremental", 1, 1)
    assert result.from_seq > 0
    report = import_package(hub.engine, tmp_path / "inc.cosync", None)
    assert (report.inserted, report.updated, report.unchanged, report.conflicts) == (0, 1, 0, 0)
    with hub.session() as s:
        assert s.get(CoSession, ids["sessions"][0]).notes.startswith("Projector failed")


def test_a_package_without_personal_data_is_sealed_too(tmp_path: Path) -> None:
    """Only module marks changed: the incremental package holds that one record, and is
    sealed for the office like every keyed package (none is written in the clear)."""
    a, hub = laptop(tmp_path, "a"), office(tmp_path)
    enrol(hub, a)
    ids = populate(a, sessions=1)
    export_package(a.engine, a.device_id, tmp_path / "full.cosync", passphrase=None)
    import_package(hub.engine, tmp_path / "full.cosync", None, trust_new=True)
    export_package(hub.engine, hub.device_id, tmp_path / "hub.cosync", passphrase=None)
    import_package(a.engine, tmp_path / "hub.cosync", None)
    with a.session() as s, s.begin():
        s.add(ModuleCoverage(session_id=ids["sessions"][0], module_id="work-and-money"))

    result = export_package(a.engine, a.device_id, tmp_path / "modules.cosync", passphrase=None)

    assert result.encrypted and result.total == 1 and result.kind == "incremental"
    assert b"work-and-money" not in (tmp_path / "modules.cosync").read_bytes()
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(tmp_path / "modules.cosync")
    report = import_package(hub.engine, tmp_path / "modules.cosync", None)
    assert (report.inserted, report.tables["module_coverage"].inserted) == (1, 1)


def test_personal_data_needs_a_passphrase_of_eight_characters(tmp_path: Path) -> None:
    """Not enrolled with an office, a laptop has nobody to seal for: it needs a passphrase
    (a hand-over to another laptop) of at least 8 characters."""
    a = laptop(tmp_path, "a")
    populate(a)
    with pytest.raises(PackageError, match="not enrolled with an office yet.*or give a passphrase"):
        export_package(a.engine, a.device_id, tmp_path / "p.cosync", passphrase=None)
    with pytest.raises(PassphraseError, match="at least 8"):
        export_package(a.engine, a.device_id, tmp_path / "p.cosync", passphrase="short")
    assert list(tmp_path.glob("*.cosync")) == []
    with a.session() as s:
        assert pending_changes(s) == 25  # nothing counts as exported


def test_the_manifest_describes_every_member(tmp_path: Path) -> None:
    a = laptop(tmp_path, "a")
    populate(a)
    export_package(a.engine, a.device_id, tmp_path / "p.cosync", passphrase=PASSPHRASE)
    with open_package(tmp_path / "p.cosync", PASSPHRASE) as package:
        manifest = package.manifest
    assert manifest["format_version"] == FORMAT_VERSION == 2 and manifest["device_id"] == a.device_id
    from co_app.core.db.revision import HEAD_REVISION

    assert manifest["schema_version"] == HEAD_REVISION
    assert set(manifest["tables"]) == {t.name for t in records.TABLES}
    assert all(len(info["sha256"]) == 64 for info in manifest["tables"].values())
    # Format 2: who made it, in which role, what it holds of every device, and from where.
    assert manifest["role"] == "laptop" and manifest["predecessors"] == []
    assert (manifest["kind"], manifest["from_seq"]) == ("full", 0)
    with a.engine.connect() as conn:
        counter = versions.meta_int(conn, versions.COUNTER_KEY)
        assert manifest["seq_max"] == versions.meta_int(conn, versions.SEQ_KEY) > 0
    assert manifest["seen"] == {a.device_id: counter} and counter > 0
    assert isinstance(manifest["contexts"], list)


def test_sqlite_writes_the_same_records_as_the_generic_path(tmp_path: Path) -> None:
    from co_app.core.content.library import load_content
    from co_app.core.learning.answers import Where, record_person, record_tally

    a = laptop(tmp_path, "a")
    ids = populate(a)
    question = load_content().module("housing").self_check[0]
    with a.session() as s, s.begin():  # learning check answers: a tally (present set) and a person's (not)
        record_tally(s, Where(ids["sessions"][0], "housing", question, "before"), {1: 4}, 6, "R. Nasser")
        record_person(s, Where(ids["sessions"][0], "housing", question, "after"), ids["participants"][0], 1, "")
    with a.engine.connect() as conn:
        for table in records.TABLES:
            fast = [json.loads(line) for batch in records.json_lines(conn, table, None) for line in batch]
            slow = [json.loads(line) for batch in records.json_lines(conn, table, None, fast=False) for line in batch]
            assert sorted(fast, key=lambda r: r["id"]) == sorted(slow, key=lambda r: r["id"])
            assert fast and all(isinstance(r["created_at"], str) and len(r["created_at"]) == 26 for r in fast)


def test_a_cancelled_export_writes_nothing(tmp_path: Path) -> None:
    a = laptop(tmp_path, "a")
    populate(a)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        export_package(a.engine, a.device_id, tmp_path / "p.cosync", passphrase=PASSPHRASE, cancel=cancel)
    assert list(tmp_path.iterdir()) == [tmp_path / "a"]


def test_an_unwritable_destination_is_one_sentence_and_leaves_no_file(tmp_path: Path) -> None:
    a = laptop(tmp_path, "a")
    populate(a)
    target = tmp_path / "no-such-folder" / "p.cosync"
    with pytest.raises(OutputFileError, match="no-such-folder.*does not exist"):
        export_package(a.engine, a.device_id, target, passphrase=PASSPHRASE)
    with a.session() as s:
        assert pending_changes(s) == 25


def test_a_module_mark_is_kept_with_its_incoming_clock(tmp_path: Path) -> None:
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    ids = populate(a, sessions=1)
    long_ago = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    with a.session() as s:
        coverage_id = s.scalars(select(ModuleCoverage.id)).one()
    set_version(a, ModuleCoverage, coverage_id, long_ago)
    export_package(a.engine, a.device_id, tmp_path / "p.cosync", passphrase=PASSPHRASE)
    import_package(b.engine, tmp_path / "p.cosync", PASSPHRASE)
    with b.session() as s:
        mark = s.get(ModuleCoverage, coverage_id)
        assert (mark.updated_at, mark.device_id, mark.session_id) == (long_ago, a.device_id, ids["sessions"][0])


def test_records_from_a_laptop_whose_clock_is_ahead_are_reported(tmp_path: Path) -> None:
    """A laptop a year ahead wins every sync until then: the preview and the import say how
    many of its records are dated in the future and up to when (the merge rule itself stays)."""
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    ids = populate(a, sessions=1)
    ahead = datetime.now(timezone.utc) + timedelta(days=365)
    set_version(a, Participant, ids["participants"][0], ahead)
    set_version(a, Participant, ids["participants"][1], ahead - timedelta(days=2))
    export_package(a.engine, a.device_id, tmp_path / "a.cosync", passphrase=PASSPHRASE, full=True)

    preview = import_package(b.engine, tmp_path / "a.cosync", PASSPHRASE, dry_run=True)
    assert preview.future_dated == 2
    assert abs((preview.latest - ahead).total_seconds()) < 1
    assert preview.as_dict()["future_dated"] == 2
    report = import_package(b.engine, tmp_path / "a.cosync", PASSPHRASE)
    assert report.future_dated == 2 and report.inserted == preview.inserted
    # A package dated now says nothing.
    c = laptop(tmp_path, "c")
    populate(c, sessions=1)
    export_package(c.engine, c.device_id, tmp_path / "c.cosync", passphrase=PASSPHRASE, full=True)
    assert import_package(b.engine, tmp_path / "c.cosync", PASSPHRASE, dry_run=True).future_dated == 0


def test_an_absorbed_loser_is_lost_after_all_when_the_kept_change_is_overwritten(tmp_path: Path) -> None:
    """A and B set the same note without knowing of each other (nothing lost: absorbed);
    then B changes its note again, still not knowing A's: A's note is now lost, and the
    officer sees it."""
    from tests.core.sync_helpers import enrol, office

    hub, a, b = office(tmp_path), laptop(tmp_path, "a"), laptop(tmp_path, "b")
    enrol(hub, a, b)
    ids = populate(a)
    export_package(a.engine, a.device_id, tmp_path / "a0.cosync", passphrase=None)
    import_package(hub.engine, tmp_path / "a0.cosync", None, trust_new=True)
    export_package(b.engine, b.device_id, tmp_path / "b0.cosync", passphrase=None)
    import_package(hub.engine, tmp_path / "b0.cosync", None, trust_new=True)
    export_package(hub.engine, hub.device_id, tmp_path / "h0.cosync", passphrase=None)
    import_package(b.engine, tmp_path / "h0.cosync", None)
    session_id = ids["sessions"][0]
    for db in (a, b):
        with db.session() as s, s.begin():
            s.get(CoSession, session_id).notes = "Projector failed"
    export_package(a.engine, a.device_id, tmp_path / "a1.cosync", passphrase=None)
    export_package(b.engine, b.device_id, tmp_path / "b1.cosync", passphrase=None)
    import_package(hub.engine, tmp_path / "a1.cosync", None)
    import_package(hub.engine, tmp_path / "b1.cosync", None)
    assert conflicts(hub) == [] and len(conflicts(hub, absorbed=True)) == 1
    with b.session() as s, s.begin():
        s.get(CoSession, session_id).notes = "Projector failed; films shown on the laptop"
    export_package(b.engine, b.device_id, tmp_path / "b2.cosync", passphrase=None)
    import_package(hub.engine, tmp_path / "b2.cosync", None)
    [lost] = conflicts(hub)
    assert lost["field"] == "notes" and lost["loser_data"] == {"notes": "Projector failed"}
    assert lost["winner_value"] == "Projector failed; films shown on the laptop" and not lost["reviewed"]
