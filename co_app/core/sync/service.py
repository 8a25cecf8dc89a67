"""Import a package in one call: open and check it completely, then merge it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from co_app.core.sync.merge import MergeProgress, MergeReport, merge_package
from co_app.core.sync.reader import Limits, open_package


def import_package(engine: Engine, path: Path, passphrase: str | None, *, dry_run: bool = False,
                   limits: Limits = Limits(), progress: Callable[[MergeProgress], None] | None = None,  # noqa: B008 - Limits is a frozen dataclass
                   cancel: threading.Event | None = None,
                   before_merge: Callable[[], object] | None = None) -> MergeReport:
    """Raises ``PackageError`` / ``PassphraseError`` with the database unchanged.
    ``before_merge`` (a backup) runs once the package has passed every check, before a
    real import changes anything; its error stops the import."""
    with open_package(Path(path), passphrase, limits=limits, cancel=cancel) as package:
        if before_merge is not None and not dry_run:
            before_merge()
        return merge_package(engine, package, dry_run=dry_run, progress=progress, cancel=cancel)
