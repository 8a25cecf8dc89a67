"""How packages move in a chaos run (chaos.py): laptops export (some packages are lost),
the hub imports a random part of what arrived in a random order, some twice, and laptops
import the hub's packages they can open.  Importing a package again must change nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from co_app.core.sync import merge
from co_app.core.sync.container import PackageError
from co_app.core.sync.package import export_package
from co_app.core.sync.service import import_package
from tests.core.sync_helpers import PASSPHRASE, snapshot


@dataclass
class Pkg:
    path: Path
    source: str
    lost: bool
    imported_by: list[str] = field(default_factory=list)
    #: Who can open it (keyed packages of the hub: the laptops it had enrolled); None: anyone.
    readers: frozenset[str] | None = None



class Exchanges:
    """The package side of chaos.World (a mix-in: it uses the world's nodes, clock and dice)."""

    hub: Any
    nodes: dict[str, Any]

    def export(self, node: Any, *, lost: bool | None = None) -> Pkg:
        if lost is None:
            lost = self.rng.random() < self.s.p_lost
        self.serial += 1
        path = self.tmp / "packages" / f"{self.serial:05d}-{node.name}.cosync"
        with self.on(node):
            export_package(node.db.engine, node.device, path, passphrase=None if self.keyed else PASSPHRASE)
        readers = frozenset(self.enrolled) if self.keyed and node is self.hub else None
        pkg = Pkg(path, node.name, lost, readers=readers)
        (self.hub_pkgs if node is self.hub else self.laptop_pkgs).append(pkg)
        self.stats["packages lost" if lost else "packages"] += 1
        return pkg

    def _import(self, node: Any, pkg: Pkg) -> merge.MergeReport | None:
        again = node.name in pkg.imported_by
        before = snapshot(node.db) if again else None
        try:
            with self.on(node):
                if not self.keyed:
                    report = import_package(node.db.engine, pkg.path, PASSPHRASE)
                else:  # the officer compared the fingerprint of a new laptop (a copy too) and enrols it
                    report = import_package(node.db.engine, pkg.path, None, trust_new=node is self.hub)
        except PackageError as exc:
            self.problems.append(f"{node.name} could not import {pkg.path.name} (from {pkg.source}): {exc}")
            self.stats["imports refused"] += 1
            return None
        pkg.imported_by.append(node.name)
        if node is self.hub:
            self.enrolled.add(pkg.source)
        self.stats["imports"] += 1
        if again:
            self.stats["imports again"] += 1
            if report.inserted or report.updated or report.conflicts:
                self.problems.append(f"importing {pkg.path.name} (from {pkg.source}) into {node.name} a second time "
                                     f"changed something: {report.as_dict()}")
            if snapshot(node.db) != before:
                self.problems.append(f"importing {pkg.path.name} into {node.name} a second time changed its records")
        if report.held:
            self.stats["changes held"] += report.held
        if report.conflicts:
            self.stats[f"conflicts logged on {'the hub' if node is self.hub else 'laptops'}"] += report.conflicts
        return report

    def hub_import(self, pkg: Pkg) -> merge.MergeReport | None:
        return self._import(self.hub, pkg)

    def laptop_import(self, node: Any, pkg: Pkg) -> merge.MergeReport | None:
        return self._import(node, pkg)

    def hub_imports(self) -> None:
        """The hub imports a random part of what arrived, in a random order, some twice."""
        waiting = [p for p in self.laptop_pkgs if not p.lost and "hub" not in p.imported_by]
        chosen = self.rng.sample(waiting, self.rng.randint(0, len(waiting))) if waiting else []
        done = [p for p in self.laptop_pkgs if "hub" in p.imported_by]
        if done and self.rng.random() < self.s.p_twice:
            chosen.insert(self.rng.randint(0, len(chosen)), self.rng.choice(done))
        for pkg in chosen:
            self.hub_import(pkg)
            if self.rng.random() < self.s.p_twice:
                self.hub_import(pkg)

    def laptop_imports(self, node: Any) -> None:
        """A laptop imports one of the hub's packages it has not had (any of them: newer or
        older than what it has), or one it had, again."""
        fresh = [p for p in self.hub_pkgs if not p.lost and node.name not in p.imported_by
                 and (p.readers is None or node.name in p.readers)]
        old = [p for p in self.hub_pkgs if node.name in p.imported_by]
        if old and (not fresh or self.rng.random() < self.s.p_twice):
            self.laptop_import(node, self.rng.choice(old))
        elif fresh:
            self.laptop_import(node, self.rng.choice(fresh))

    def reimport_some(self) -> None:
        """A few packages imported again where they were imported: nothing changes."""
        done = [(name, p) for p in self.laptop_pkgs + self.hub_pkgs for name in p.imported_by]
        for name, pkg in self.rng.sample(done, min(self.s.reimport_sample, len(done))):
            self._import(self.nodes[name], pkg)
