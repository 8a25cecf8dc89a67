"""Import a package in one call: open and check it completely, then merge it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, select

from co_app.core.sync.merge import MergeProgress, MergeReport, merge_package
from co_app.core.sync.reader import Limits, Trust, open_package


def trust_for(engine: Engine, *, trust_new: bool = False) -> Trust:
    """This database's keys (made on first use) and whom it has enrolled."""
    from co_app.core.db import identity
    from co_app.core.db.models import SyncPeer
    from co_app.core.sync.keys import PublicKeys, enrolled_office, own_keys, unb64

    with engine.begin() as conn:
        own = own_keys(conn)
        role = identity.role(conn)
        laptops = {device: PublicKeys(device, name, "laptop", unb64(sign), unb64(box))
                   for device, name, sign, box in conn.execute(
                       select(SyncPeer.device_id, SyncPeer.name, SyncPeer.sign_key, SyncPeer.box_key)
                       .where(SyncPeer.sign_key.is_not(None), SyncPeer.role == "laptop"))}
        office = enrolled_office(conn)
    return Trust(own, role, laptops, office, trust_new)


def import_package(engine: Engine, path: Path, passphrase: str | None, *, dry_run: bool = False,
                   limits: Limits = Limits(), progress: Callable[[MergeProgress], None] | None = None,  # noqa: B008 - Limits is a frozen dataclass
                   cancel: threading.Event | None = None,
                   before_merge: Callable[[], object] | None = None, trust_new: bool = False) -> MergeReport:
    """Raises ``PackageError`` / ``PassphraseError`` with the database unchanged.
    ``before_merge`` (a backup) runs once the package has passed every check, before a
    real import changes anything; its error stops the import.  ``trust_new``: the office
    enrols the laptop that signed the package (the officer compared its fingerprint)."""
    trust = trust_for(engine, trust_new=trust_new)
    with open_package(Path(path), passphrase, limits=limits, cancel=cancel, trust=trust) as package:
        if before_merge is not None and not dry_run:
            before_merge()
        return merge_package(engine, package, dry_run=dry_run, progress=progress, cancel=cancel)
