"""An export to a full disk or a write-protected USB stick fails cleanly: one of the
project's errors naming the file and the problem, nothing under the final name, no
temporary file left behind, and nothing recorded as exported.  The disks are real
(tests/core/destinations.py): a filled tmpfs and a read-only one, as root."""

from __future__ import annotations

from pathlib import Path

import pytest

from co_app.core.safety import audit
from co_app.core.attendance.export import export_attendance
from co_app.core.sync.package import export_package, last_export_time, pending_changes
from tests.core.destinations import Destination, Failure, full_disk, read_only_disk
from tests.core.sync_helpers import PASSPHRASE, laptop, populate


@pytest.fixture(params=["full", "read-only"])
def destination(request: pytest.FixtureRequest, tmp_path: Path):
    make = full_disk if request.param == "full" else read_only_disk
    with make(tmp_path) as place:
        yield place


@pytest.fixture
def db(tmp_path: Path):
    database = laptop(tmp_path, "laptop")
    populate(database)
    yield database
    database.dispose()


def assert_failed_cleanly(place: Destination, failure: Failure | None, target: Path) -> None:
    assert failure is not None, f"writing to a {place.kind} disk claimed to succeed"
    assert failure.is_co_error and failure.kind == "OutputFileError", failure
    assert failure.message == f"Cannot write {target}: {place.reasons[0]}."
    assert failure.errno in place.errnos
    assert place.leftovers() == [], "a partial or temporary file was left behind"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_attendance_export(db, destination: Destination, fmt: str) -> None:
    target = destination.folder / f"attendance.{fmt}"
    failure = destination.attempt(lambda: export_attendance(db.engine, target, fmt), db.engine)
    assert_failed_cleanly(destination, failure, target)
    with db.session() as s:
        assert audit.entries(s, action="export") == []  # the audit log does not claim an export


def test_sync_export(db, destination: Destination) -> None:
    target = destination.folder / "for-the-office.cosync"
    with db.session() as s:
        pending = pending_changes(s)
    failure = destination.attempt(
        lambda: export_package(db.engine, db.device_id, target, passphrase=PASSPHRASE), db.engine)
    assert_failed_cleanly(destination, failure, target)
    with db.session() as s:
        # Nothing counts as exported: the next package still carries every change.
        assert last_export_time(s) is None and pending_changes(s) == pending > 0
        assert audit.entries(s, action="sync_export") == []


def test_the_same_exports_work_on_a_disk_with_room(db, tmp_path: Path) -> None:
    """The failures above are the destination's doing, not the export's."""
    folder = tmp_path / "roomy-stick"
    folder.mkdir()
    for fmt in ("csv", "xlsx"):
        export_attendance(db.engine, folder / f"attendance.{fmt}", fmt)
    export_package(db.engine, db.device_id, folder / "for-the-office.cosync", passphrase=PASSPHRASE)
    assert sorted(p.name for p in folder.iterdir()) == ["attendance.csv", "attendance.xlsx", "for-the-office.cosync"]
