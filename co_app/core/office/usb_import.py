"""Import a whole USB stick: every sync package in a folder checked, then merged in the
right order, with one summary per laptop.

Public API::

    from co_app.core.office import usb_import

    files = usb_import.find_packages(folder)          # the *.cosync files, subfolders included
    report = usb_import.import_folder(engine, folder, progress=None, cancel=None, enrol=False)
    report.laptops            # list[LaptopImport], by name: device_id, name, packages (imported),
                              # inserted ("new"), updated, unchanged, conflicts, held,
                              # refused: list[Refusal(file, reason)]
    report.refused            # Refusal for files no laptop can be named for (damaged, not a package)
    report.cancelled          # True when ``cancel`` was set: see below
    report.as_dict()          # what ``sync import FOLDER --json`` prints

``progress(FolderProgress)`` is called while packages are checked (``stage`` "checking",
``done``/``total`` in packages) and merged (``stage`` "importing", ``done``/``total`` in
records over the whole folder); ``file`` is the package at hand.  Run it on a worker;
``cancel`` is a ``threading.Event``.

**Order and atomicity.**  Every package is opened and checked first (signature, keys,
checksums; co_app/core/sync/reader.py).  The checked ones are merged one laptop after the
other, each laptop's packages in the order it wrote them (its own change counter when it
wrote each, from the package's seen vector; then the time written), so an incremental package
never comes before the one it continues.  Each package is merged in one transaction
(co_app/core/sync/merge.py): a package that fails changes nothing and is listed as refused
with the reason; the others are imported.  Cancel stops after rolling back the package being
merged: the ones before it stay imported, and importing the folder again finishes the job —
importing a package twice changes nothing, so a folder imported again reports every record
unchanged.  Refused without being opened: this database's own packages (the office's,
written for its laptops) and, without ``enrol``, packages of laptops the office has not enrolled (the reason
gives the laptop's name and key fingerprint to compare before ``--enrol``).

Command line: ``python main.py sync import FOLDER --db URL [--enrol] [--json]``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from co_app.core.db.glance import DEVICE_ID_KEY
from co_app.core.db.versions import meta_text
from co_app.core.foundation.errors import Cancelled, CoError
from co_app.core.foundation.i18n import _
from co_app.core.sync.container import PackageError
from co_app.core.sync.keyed import MAGIC, read_keyed
from co_app.core.sync.keys import PublicKeys
from co_app.core.sync.merge import MergeProgress, MergeReport, merge_package
from co_app.core.sync.package import SUFFIX
from co_app.core.sync.reader import Package, UnknownSenderError, open_package
from co_app.core.sync.service import trust_for

#: Packages are checked first, then merged: the decrypted ones are kept (in memory up to
#: 128 MB each, then on disk) while their files weigh less than this together.
KEEP_OPEN_BYTES = 256 << 20


class FolderError(CoError):
    """The folder cannot be read; the message names it."""


@dataclass(frozen=True)
class Refusal:
    file: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"file": self.file, "reason": self.reason}


@dataclass
class LaptopImport:
    device_id: str
    name: str
    packages: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    held: int = 0
    refused: list[Refusal] = field(default_factory=list)

    def add(self, report: MergeReport) -> None:
        self.packages += 1
        self.inserted += report.inserted
        self.updated += report.updated
        self.unchanged += report.unchanged
        self.conflicts += report.conflicts
        self.held += report.held

    def as_dict(self) -> dict[str, Any]:
        return {"device_id": self.device_id, "name": self.name, "packages": self.packages,
                "inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
                "conflicts": self.conflicts, "held": self.held, "refused": [r.as_dict() for r in self.refused]}


@dataclass(frozen=True)
class FolderProgress:
    stage: str
    done: int
    total: int
    file: str


@dataclass
class FolderReport:
    folder: str
    laptops: list[LaptopImport] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    cancelled: bool = False

    def total(self, what: str) -> int:
        return sum(getattr(laptop, what) for laptop in self.laptops)

    @property
    def refusals(self) -> int:
        return len(self.refused) + sum(len(laptop.refused) for laptop in self.laptops)

    def as_dict(self) -> dict[str, Any]:
        totals = {what: self.total(what) for what in ("packages", "inserted", "updated", "unchanged", "conflicts",
                                                       "held")}
        return {"folder": self.folder, "cancelled": self.cancelled, **totals, "refused": self.refusals,
                "laptops": [laptop.as_dict() for laptop in self.laptops],
                "unattributed_refusals": [r.as_dict() for r in self.refused]}


def find_packages(folder: Path) -> list[Path]:
    """The sync packages in ``folder`` and its subfolders (hidden ones skipped), by path."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FolderError(_("The folder {folder} does not exist or is not a folder.").format(folder=folder))
    try:
        found = [path for path in folder.rglob(f"*{SUFFIX}") if path.is_file()
                 and not any(part.startswith(".") for part in path.relative_to(folder).parts)]
    except OSError as exc:
        raise FolderError(_("The folder {folder} cannot be read: {problem}.").format(
            folder=folder, problem=exc.strerror or exc)) from None
    return sorted(found)


def _sender(path: Path) -> PublicKeys | None:
    """Who signed a keyed package, from its header (None: not a keyed package, or damaged)."""
    try:
        with open(path, "rb") as fh:
            if fh.read(len(MAGIC)) != MAGIC:
                return None
            return read_keyed(path, fh).sender
    except (OSError, PackageError):
        return None


@dataclass(frozen=True)
class _Checked:
    """A package that passed every check, and where it goes in the order."""

    path: Path
    device_id: str
    device_name: str
    order: tuple
    records: int
    #: Still open (decrypted), or None: opened again when merged.
    package: Package | None


#: Records merged at a time when a window waits on the import (its worker thread): a batch's
#: checks run as long C calls over all its records, which hold Python's lock the GUI thread
#: needs; at 500 the window's waits were a third shorter (90th percentile), the import as fast.
WINDOW_BATCH = 500


class _Run:
    """One folder's import: the report being built and the packages opened."""

    def __init__(self, engine: Engine, folder: Path, progress: Callable[[FolderProgress], None] | None,
                 cancel: threading.Event | None, enrol: bool, batch: int | None = None) -> None:
        self.engine = engine
        self.batch = batch
        self.trust = trust_for(engine, trust_new=enrol)
        self.report = FolderReport(str(folder))
        self.progress = progress or (lambda _p: None)
        self.cancel = cancel
        self.by_device: dict[str, LaptopImport] = {}
        with engine.connect() as conn:
            self.own = meta_text(conn, DEVICE_ID_KEY) or ""

    def laptop(self, device_id: str, name: str) -> LaptopImport:
        entry = self.by_device.get(device_id)
        if entry is None:
            entry = self.by_device[device_id] = LaptopImport(device_id, name or device_id)
        elif name:
            entry.name = name
        return entry

    def refuse(self, path: Path, reason: str, sender: PublicKeys | None) -> None:
        refusal = Refusal(path.name, reason)
        if sender is None:
            self.report.refused.append(refusal)
        else:
            self.laptop(sender.device_id, sender.name).refused.append(refusal)

    def check(self, stack: contextlib.ExitStack, files: list[Path]) -> list[_Checked]:
        """Every package opened and checked; kept open (decrypted) while their files weigh
        less than ``KEEP_OPEN_BYTES`` together, else reopened when merged."""
        checked, kept = [], 0
        for index, path in enumerate(files):
            if self.cancel is not None and self.cancel.is_set():
                raise Cancelled(_("Importing the folder was cancelled."))
            self.progress(FolderProgress("checking", index, len(files), path.name))
            sender = _sender(path)
            if sender is not None and sender.device_id == self.own:
                self.refuse(path, _("{file} was written by this database itself (the office's package for its "
                                    "laptops): there is nothing in it to import here.").format(file=path.name), None)
                continue
            try:
                package = open_package(path, None, cancel=self.cancel, trust=self.trust)
            except UnknownSenderError as exc:
                self.refuse(path, str(exc), exc.sender)
                continue
            except PackageError as exc:
                self.refuse(path, str(exc), sender)
                continue
            size = path.stat().st_size
            manifest = package.manifest
            # Ordered by device, not by name: a laptop named between two packages is one laptop.
            checked.append(_Checked(path, package.device_id, manifest.get("device_name", ""), (
                package.device_id, int(manifest["seen"].get(package.device_id, 0)),
                manifest.get("created_at", ""), path.name),
                sum(package.counts.values()), package if kept + size <= KEEP_OPEN_BYTES else None))
            if checked[-1].package is None:
                package.close()
            else:
                kept += size
                stack.enter_context(package)
        self.progress(FolderProgress("checking", len(files), len(files), ""))
        return sorted(checked, key=lambda c: c.order)

    def merge(self, packages: list[_Checked]) -> None:
        total = sum(c.records for c in packages)
        for checked in packages:  # every laptop in the summary, even when Cancel comes first
            self.laptop(checked.device_id, checked.device_name)
        before = 0
        for checked in packages:
            entry = self.laptop(checked.device_id, checked.device_name)
            name = checked.path.name

            def step(p: MergeProgress, base: int = before, name: str = name) -> None:
                self.progress(FolderProgress("importing", base + p.done, total, name))

            reopened = None
            try:
                if checked.package is None:
                    reopened = open_package(checked.path, None, cancel=self.cancel, trust=self.trust)
                package = checked.package or reopened
                if self.batch:
                    package.batch_size = self.batch
                entry.add(merge_package(self.engine, package, progress=step, cancel=self.cancel))
            except Cancelled:
                self.report.cancelled = True
                return
            except PackageError as exc:
                entry.refused.append(Refusal(name, str(exc)))
            finally:
                if reopened is not None:
                    reopened.close()
            before += checked.records
            self.progress(FolderProgress("importing", before, total, name))


def import_folder(engine: Engine, folder: Path, *, progress: Callable[[FolderProgress], None] | None = None,
                  cancel: threading.Event | None = None, enrol: bool = False,
                  batch: int | None = None) -> FolderReport:
    """Check every package in ``folder``, then merge the good ones in order (module docstring).
    ``batch``: records merged at a time (default the sync's 2,000); the window asks for
    ``WINDOW_BATCH``, so no batch's checks keep its GUI thread from Python's lock for long."""
    files = find_packages(Path(folder))
    run = _Run(engine, Path(folder), progress, cancel, enrol, batch)
    try:
        with contextlib.ExitStack() as stack:
            run.merge(run.check(stack, files))
    except Cancelled:
        run.report.cancelled = True
    run.report.laptops = sorted(run.by_device.values(), key=lambda e: (e.name.casefold(), e.device_id))
    return run.report
