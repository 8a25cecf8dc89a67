"""Everything the application needs before any window opens, in one plain object.

Order (DESIGN.md): paths → settings → language → database.  Pure Python, so the
start-up sequence is tested without a display.

The database may be opened *after* the window has painted (``open_db=False``): importing
SQLAlchemy costs more than the whole bare window.  That is only done when the file is
already at the expected schema, so a database that needs migrating, is too new or is
damaged is still dealt with before any window opens.  The window then reads it with
``sqlite3`` (``Services.plain``) and loads the ORM (``Services.db``) only when a page that
edits sessions, people or attendance is first opened — never in the viewer.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from co_app.core.foundation import resources
from co_app.core.foundation import i18n
from co_app.core.db.revision import is_current
from co_app.core.foundation.errors import DatabaseError, ManifestError, Notice
from co_app.core.foundation.logs import setup_logging
from co_app.core.foundation.paths import DataPaths, resolve_data_dir
from co_app.core.foundation.settings import Settings, load_settings, save_settings

if TYPE_CHECKING:
    from co_app.core.db.engine import Database
    from co_app.core.content.library import ContentLibrary
    from co_app.core.content.store import ActiveContent
    from co_app.core.media.manifest import Manifest

#: From resources, not the manifest module, so start-up need not import the manifest
#: parser before the window has painted.
DEFAULT_MANIFEST = resources.DEFAULT_MANIFEST

log = logging.getLogger(__name__)


@dataclass
class Services:
    paths: DataPaths
    settings: Settings
    manifest_path: Path = DEFAULT_MANIFEST
    locale_dir: Path = i18n.DEFAULT_LOCALE_DIR
    #: Messages to show the user once the window is up (a damaged settings file, …).
    warnings: list[Notice] = field(default_factory=list)
    _db: Database | None = field(default=None, repr=False)
    _manifest: Manifest | None = field(default=None, repr=False)
    _manifest_error: str | None = field(default=None, repr=False)
    _manifest_read: bool = field(default=False, repr=False)
    _content: ContentLibrary | None = field(default=None, repr=False)
    #: The content in use (co_app/core/content/store.py): shipped, or an imported content pack.
    active_content: ActiveContent | None = None
    _db_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    #: The office's hub (``--db URL``: a PostgreSQL URL or a SQLite hub file) the window
    #: opens instead of the data folder's database; None on a laptop.
    hub: str | None = None
    #: The hub's URL with its password hidden, for the window to show.
    hub_label: str = ""
    _target: object | None = field(default=None, repr=False)

    @property
    def is_office(self) -> bool:
        """The window is over the office's hub: the Office page, no field session's check-in."""
        return self.hub is not None

    @property
    def content(self) -> ContentLibrary:
        """Towns and modules (content/), read once on first use; problems are in ``.problems``."""
        if self._content is None:
            from co_app.core.content.library import load_content

            if self.active_content is not None and self.active_content.from_pack:
                self._content = load_content(self.active_content.root, manifest=self.manifest)
            else:
                self._content = load_content(manifest=self.manifest)
        return self._content

    def reload_content(self) -> None:
        """After a content pack was imported or rolled back: read the content in use again
        (the pages read it anew when they are next shown)."""
        from co_app.core.content.store import ContentStore

        shipped_manifest = self.active_content is None or self.manifest_path == self.active_content.films
        self.active_content = ContentStore(self.paths.root).active()
        if shipped_manifest:
            self.manifest_path = self.active_content.films
        self._content, self._manifest, self._manifest_error, self._manifest_read = None, None, None, False

    def _read_manifest(self) -> None:
        """Read the film manifest once, on first use; a broken one is reported, not fatal."""
        if self._manifest_read:
            return
        self._manifest_read = True
        from co_app.core.media.manifest import load_manifest

        try:
            self._manifest = load_manifest(self.manifest_path)
        except ManifestError as exc:
            self._manifest_error = str(exc)
            log.error("manifest: %s", exc)

    @property
    def manifest(self) -> Manifest | None:
        self._read_manifest()
        return self._manifest

    @property
    def manifest_error(self) -> str | None:
        self._read_manifest()
        return self._manifest_error

    @property
    def db(self) -> Database:
        """The open database, opened (and upgraded) on first use; raises ``CoError``.
        Safe from any thread: a worker may open it (and import the ORM) while the window
        goes on; a second caller waits for the first."""
        if self._db is None:
            with self._db_lock:
                if self._db is None and self.hub is not None:
                    self._open_hub()
                elif self._db is None:
                    from co_app.core.db.engine import open_database

                    self._db = open_database(self.paths.database, backups_dir=self.paths.backups)
                    freeze_long_lived()
        return self._db

    def _open_hub(self) -> None:
        """Open (and upgrade) the office's hub; raises ``CoError`` naming it."""
        from co_app.core.sync.hub import open_target

        target = open_target(self.hub or "")
        self._target, self.hub_label = target, target.label
        self._db = target.database()
        freeze_long_lived()

    @property
    def hub_engine(self):  # sqlalchemy Engine
        """The hub's engine (over a hub only), for the office's queries."""
        return self.db.engine

    @property
    def db_is_open(self) -> bool:
        return self._db is not None

    def plain(self) -> AbstractContextManager[sqlite3.Connection]:
        """A ``sqlite3`` connection to the database, for the pages that do without the ORM
        (co_app/core/db/plain.py); committed at the end of the ``with`` block, then closed.
        Raises ``DatabaseError`` with a message."""
        from co_app.core.db.plain import connect

        if self.hub is not None:
            path = _sqlite_hub_path(self.hub)
            if path is None:
                raise DatabaseError(_hub_message(self.hub_label or self.hub))
            return connect(path)
        return connect(self.paths.database)

    def check_database(self) -> None:
        """Make sure the database can be read (the window's first data comes from it);
        raises ``CoError`` with a message naming the file.  Cheap: the ORM is not loaded."""
        from co_app.core.db.glance import device_id

        if self._db is not None:
            return
        if self.hub is not None:
            self.db  # noqa: B018 - opens the hub, or says what is wrong
            return
        with self.plain() as conn:
            if device_id(conn) is None:  # only a damaged or foreign file lacks it at this schema
                self.db  # noqa: B018 - the ORM makes one, or says what is wrong

    def save_settings(self) -> None:
        save_settings(self.paths.settings, self.settings)

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None
        self._target = None

    def backup_now(self, reason: str) -> Path:
        """A backup of the database into the backups folder (co_app/core/safety/backup.py), audited.
        Raises ``BackupError`` when it cannot be written."""
        from co_app.core.safety import audit
        from co_app.core.safety.backup import make_backup

        if self._db is None and not self.paths.database.is_file():
            self.db  # noqa: B018 - nothing to back up yet: create it, so a backup always exists
        target = make_backup(self.paths.database, self.paths.backups, reason)
        with self.plain() as conn:  # the day's backup comes while only Home is open: no ORM
            audit.record_plain(conn, "backup", detail="{reason}: {name}".format(reason=reason, name=target.name))
        return target

    def daily_backup_if_due(self) -> Path | None:
        """The day's backup, audited, when the daily rule (co_app/core/safety/backup.py) says so."""
        from co_app.core.safety.backup import backup_if_due

        return backup_if_due(self.paths.database, self.paths.backups, take=lambda: self.backup_now("daily"))

    def restore_backup(self, backup: Path) -> Path | None:
        """Replace the database with ``backup``: the open database is closed, the current one
        is kept as a "before-restore" backup (returned), and the restored one is opened (and
        upgraded if it is older) and audited.  Raises ``CoError`` with a message."""
        from co_app.core.safety import audit
        from co_app.core.safety.backup import check_restorable, restore

        from co_app.core.db import identity

        check_restorable(backup)  # before closing anything
        self.close()
        safety = restore(backup, self.paths.database, self.paths.backups)
        with self.db.engine.begin() as conn:  # reopens; a restored database is a new laptop
            identity.renew(conn, "the database was restored from a backup")
        self.close()  # sessions stamp with the device id: open again with the new one
        with self.db.session() as db:
            audit.record(db, "restore", detail="from {name}".format(name=backup.name))
        return safety


def _sqlite_hub_path(value: str) -> Path | None:
    """The file of a SQLite hub (a path or ``sqlite:///path``); None for PostgreSQL."""
    from co_app.core.sync.hub import normalise_url
    from sqlalchemy.engine import make_url

    url = make_url(normalise_url(value))
    return Path(url.database or "") if url.get_backend_name() == "sqlite" else None


def _hub_message(label: str) -> str:
    return i18n._("This page reads a laptop's own database; it is not available over the office's hub "
                  "{hub}.").format(hub=label)


def freeze_long_lived() -> None:
    """Take every object alive now — modules, classes, the ORM's mappings — out of the
    cyclic garbage collector's reach (``gc.freeze``): they live as long as the process,
    and a full collection walking them all again held the GIL for 44 ms in the middle of a
    sync import (benchmarks/event_loop_stall.py), freezing the window."""
    import gc

    gc.freeze()


def bootstrap(
    data_dir: str | Path | None,
    *,
    language: str | None = None,
    manifest_path: Path = DEFAULT_MANIFEST,
    locale_dir: Path = i18n.DEFAULT_LOCALE_DIR,
    open_db: bool = True,
    hub: str | None = None,
) -> Services:
    """Open the data folder; raises ``CoError`` subclasses with a message on failure.

    With ``open_db=False`` an up-to-date database is left for the caller to open later
    (``services.db``); any other database is opened now, so its errors come first.
    ``hub``: the office's hub (``--db URL``), opened now (its errors come before any window);
    the data folder still holds the settings, the logs and the exports.
    """
    paths = DataPaths(resolve_data_dir(data_dir)).ensure()
    setup_logging(paths.logs)
    first_run = not paths.settings.exists()
    settings, warning = load_settings(paths.settings)
    warnings = [warning] if warning else []
    if first_run:
        save_settings(paths.settings, settings)  # the folder holds every part from the first run on
    i18n.set_language(language or settings.language or i18n.system_language(), locale_dir)
    log.info("started with data folder %s, language %s", paths.root, i18n.current_language())
    from co_app.core.content.store import ContentStore

    active = ContentStore(paths.root).active()
    if manifest_path == DEFAULT_MANIFEST:  # an imported content pack brings its films' moments
        manifest_path = active.films
    services = Services(paths=paths, settings=settings, manifest_path=manifest_path, locale_dir=locale_dir,
                        warnings=warnings, hub=hub, active_content=active)
    if hub is not None:
        services.db  # noqa: B018 - opens the hub, raises CoError with a message
    elif open_db or not is_current(paths.database):
        services.db  # noqa: B018 - opens, migrates, raises CoError with a message
    return services
