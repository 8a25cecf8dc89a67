"""A whole USB stick imported at the office in one go, on a SQLite hub and on the real
PostgreSQL server: every package checked, merged per laptop in the order it was written, one
summary per laptop with what was refused and why; progress, Cancel, and a second import of
the same folder that changes nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from co_app.core.db import identity
from co_app.core.db.models import AttendanceRecord, CoSession, Participant, SyncReceived
from co_app.core.office import laptops, usb_import
from co_app.core.office.usb_import import FolderProgress, LaptopImport, find_packages, import_folder
from co_app.core.sync.package import export_package
from co_app.core.sync.service import import_package
from tests.core.office.world import World
from tests.core.sync_helpers import populate

REPO = Path(__file__).resolve().parents[3]


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {model.__tablename__: conn.execute(select(func.count()).select_from(model)).scalar_one()
                for model in (CoSession, Participant, AttendanceRecord, SyncReceived)}


def _stick(world: World) -> tuple:
    """Amman (enrolled at the office, two packages whose file names — and the laptop's names
    then — sort against the order they were written), Irbid (not enrolled yet, in a
    subfolder), the office's own package, a damaged file and a file that is no package."""
    amman, irbid = world.laptop("HP EliteBook"), world.laptop("Irbid 2")  # Amman's first name
    populate(amman, sessions=2)
    populate(irbid, sessions=1, town="italy-biella")
    early = world.tmp / "early.cosync"
    export_package(amman.engine, amman.device_id, early, passphrase=None)
    import_package(world.hub.engine, early, None, trust_new=True)  # the office enrols Amman
    world.answer(amman)
    with amman.session() as s, s.begin():  # a later session: the next package holds only it
        day = CoSession(session_date=date(2026, 12, 1), place="Amman", facilitator="R. Nasser")
        s.add(day)
        for person in s.scalars(select(Participant)):
            s.add(AttendanceRecord(session=day, participant=person, status="present"))
    shutil.copy(early, world.stick / "2-amman.cosync")
    with amman.engine.begin() as conn:  # named between its two packages: still one laptop, in order
        identity.set_name(conn, "Amman 1")
    world.export(amman, "1-amman-later.cosync")
    (world.stick / "sub").mkdir()
    export_package(irbid.engine, irbid.device_id, world.stick / "sub" / "irbid.cosync", passphrase=None)
    export_package(world.hub.engine, world.hub.device_id, world.stick / "office.cosync", passphrase=None)
    (world.stick / "broken.cosync").write_bytes(b"WCCOKEYD" + b"\x00" * 40)
    (world.stick / "notes.txt").write_text("not a package")
    return amman, irbid


def _laptop(report, name: str) -> LaptopImport:
    return next(entry for entry in report.laptops if entry.name == name)


def test_a_usb_stick_is_imported_in_order_with_one_summary_per_laptop(world: World) -> None:
    amman, irbid = _stick(world)
    assert [p.name for p in find_packages(world.stick)] == ["1-amman-later.cosync", "2-amman.cosync",
                                                            "broken.cosync", "office.cosync", "irbid.cosync"]
    seen: list[FolderProgress] = []
    report = import_folder(world.hub.engine, world.stick, progress=seen.append)

    a = _laptop(report, "Amman 1")
    # Written first, imported first (everything known already), then the later one: 1 session, 6 check-ins.
    assert (a.packages, a.inserted, a.updated, a.conflicts, a.refused) == (2, 7, 0, 0, [])
    importing = [p.file for p in seen if p.stage == "importing"]
    assert importing.index("2-amman.cosync") < importing.index("1-amman-later.cosync")
    i = _laptop(report, "Irbid 2")  # not enrolled: refused, named, with its fingerprint
    assert (i.packages, i.inserted) == (0, 0)
    [refusal] = i.refused
    assert refusal.file == "irbid.cosync" and "has not enrolled" in refusal.reason and "fingerprint" in refusal.reason
    refused = {r.file: r.reason for r in report.refused}
    assert set(refused) == {"broken.cosync", "office.cosync"}
    assert "written by this database itself" in refused["office.cosync"]
    assert "broken.cosync" in refused["broken.cosync"]
    assert report.refusals == 3 and not report.cancelled
    checking = [p for p in seen if p.stage == "checking"]
    assert (checking[0].done, checking[-1].done, checking[-1].total) == (0, 5, 5)
    assert seen[-1].done == seen[-1].total > 0

    enrolled = import_folder(world.hub.engine, world.stick, enrol=True)  # the officer compared it
    assert (_laptop(enrolled, "Irbid 2").inserted, _laptop(enrolled, "Amman 1").inserted) == (3 + 6 + 1 + 6 + 1, 0)
    [row_a, row_i] = laptops.list_laptops(world.hub.engine)
    assert (row_a.name, row_a.last_package, row_a.sessions, row_i.sessions) == ("Amman 1", "1-amman-later.cosync",
                                                                                3, 1)

    before = _counts(world.hub.engine)
    again = import_folder(world.hub.engine, world.stick, enrol=True)
    assert (again.total("inserted"), again.total("updated"), again.total("conflicts")) == (0, 0, 0)
    assert again.total("unchanged") == enrolled.total("unchanged") + enrolled.total("inserted")
    assert _counts(world.hub.engine) == before
    assert json.loads(json.dumps(again.as_dict()))["laptops"][0]["name"] == "Amman 1"


def test_cancel_keeps_the_packages_imported_before_and_a_second_import_finishes(world: World, monkeypatch) -> None:
    for name in ("Amman 1", "Irbid 2", "Zarqa 3"):
        populate(world.laptop(name), sessions=1)
    for db in world.laptops:
        world.export(db, f"{db.device_id}.cosync")
    cancel = threading.Event()
    files: list[str] = []

    def progress(p: FolderProgress) -> None:
        if p.stage == "importing" and p.file not in files:
            files.append(p.file)
            if len(files) == 2:
                cancel.set()  # Cancel pressed while the second laptop's package is merged

    report = import_folder(world.hub.engine, world.stick, progress=progress, cancel=cancel, enrol=True)
    assert report.cancelled
    assert sorted(entry.packages for entry in report.laptops) == [0, 0, 1]  # every laptop listed
    [first] = [entry.name for entry in report.laptops if entry.packages]
    assert _counts(world.hub.engine)["co_sessions"] == 1  # the second package was rolled back whole
    # A stick too heavy to keep every package open between checking and merging: each is
    # checked, closed, and opened again when its turn comes.
    monkeypatch.setattr(usb_import, "KEEP_OPEN_BYTES", 0)
    finished = import_folder(world.hub.engine, world.stick, enrol=True)
    assert not finished.cancelled
    assert [(e.name, e.inserted, e.unchanged) for e in finished.laptops] == [
        (name, 0, 17) if name == first else (name, 17, 0) for name in ("Amman 1", "Irbid 2", "Zarqa 3")]


def test_a_folder_that_is_not_there_is_one_sentence(tmp_path: Path) -> None:
    from co_app.core.office.usb_import import FolderError

    try:
        find_packages(tmp_path / "missing")
    except FolderError as exc:
        assert str(exc) == f"The folder {tmp_path / 'missing'} does not exist or is not a folder."
    else:
        raise AssertionError("no error for a missing folder")


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "main.py", "--data-dir", str(home), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def test_sync_import_of_a_folder_on_the_command_line(world: World) -> None:
    _stick(world)
    url = world.hub.engine.url.render_as_string(hide_password=False)
    world.hub.dispose()
    home = world.tmp / "home"
    first = _cli("sync", "import", str(world.stick), "--db", url, "--enrol", home=home)
    assert first.returncode == 1, first.stderr  # the office's own package and the damaged one
    lines = first.stdout.splitlines()
    assert lines[0].startswith(f"Imported 3 packages from {world.stick} into ")
    assert lines[0].endswith(": 24 new, 0 updated, 25 unchanged, 0 conflicts, 2 refused.")
    assert lines[1] == "  Amman 1: 2 packages, 7 new, 0 updated, 25 unchanged, 0 conflicts"
    assert lines[2] == "  Irbid 2: 1 package, 17 new, 0 updated, 0 unchanged, 0 conflicts"
    assert any(line.startswith("  refused office.cosync: office.cosync was written by this database itself")
               for line in lines)
    again = _cli("sync", "import", str(world.stick), "--db", url, "--json", home=home)
    document = json.loads(again.stdout)
    assert (document["inserted"], document["updated"], document["unchanged"], document["refused"]) == (0, 0, 49, 2)
    listing = json.loads(_cli("office", "laptops", "--db", url, "--json", home=home).stdout)
    assert [(row["name"], row["sessions"], row["silent"]) for row in listing["laptops"]] == [
        ("Amman 1", 3, False), ("Irbid 2", 1, False)]
    text = _cli("office", "laptops", "--db", url, "--silent-after", "3", home=home).stdout.splitlines()
    assert text[0].startswith("2 laptops sent packages to ")
    assert text[1].startswith("Amman 1  (") and "SILENT" not in "".join(text)
    assert text[2].startswith("  last package 1-amman-later.cosync, received ")  # dates as English writes them
    assert text[2].endswith(" by the laptop's clock, sessions Dec 1, 2026 to Dec 1, 2026"), text[2]
    assert " (0 days ago); written " in text[2], text[2]
    assert text[3] == "  3 sessions, 6 people; facilitators: R. Nasser"


def test_the_windows_smaller_batches_import_the_same(world: World, monkeypatch) -> None:
    """The window imports a stick in batches of ``WINDOW_BATCH`` records (its worker holds
    Python's lock for shorter stretches): the same records and the same summary as the
    command line's 2,000 at a time — here in batches of 4, so every table spans several."""
    from co_app.core.sync.reader import Package

    _stick(world)
    sizes: list[int] = []
    batches = Package.batches

    def counted(self, table):
        for batch in batches(self, table):
            sizes.append(len(batch))
            yield batch

    monkeypatch.setattr(Package, "batches", counted)
    report = import_folder(world.hub.engine, world.stick, enrol=True, batch=4)
    assert max(sizes) == 4 and sizes.count(4) > 5
    assert (_laptop(report, "Amman 1").inserted, _laptop(report, "Irbid 2").inserted) == (7, 3 + 6 + 1 + 6 + 1)
    assert report.refusals == 2 and not report.cancelled
    assert usb_import.WINDOW_BATCH == 500
