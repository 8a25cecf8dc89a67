"""Everything the application needs before any window opens, in one plain object.

Order (DESIGN.md): paths → settings → language → database.  Pure Python, so the
start-up sequence is tested without a display.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from co_app.core import i18n
from co_app.core.db.engine import Database, open_database
from co_app.core.errors import ManifestError, Notice
from co_app.core.logs import setup_logging
from co_app.core.manifest import DEFAULT_MANIFEST, Manifest, load_manifest
from co_app.core.paths import DataPaths, resolve_data_dir
from co_app.core.settings import Settings, load_settings, save_settings

log = logging.getLogger(__name__)


@dataclass
class Services:
    paths: DataPaths
    settings: Settings
    db: Database
    manifest: Manifest | None
    locale_dir: Path = i18n.DEFAULT_LOCALE_DIR
    #: Messages to show the user once the window is up (a damaged settings file, …).
    warnings: list[Notice] = field(default_factory=list)
    manifest_error: str | None = None

    def save_settings(self) -> None:
        save_settings(self.paths.settings, self.settings)

    def close(self) -> None:
        self.db.dispose()


def bootstrap(
    data_dir: str | Path | None,
    *,
    language: str | None = None,
    manifest_path: Path = DEFAULT_MANIFEST,
    locale_dir: Path = i18n.DEFAULT_LOCALE_DIR,
) -> Services:
    """Open the data folder; raises ``CoError`` subclasses with a message on failure."""
    paths = DataPaths(resolve_data_dir(data_dir)).ensure()
    setup_logging(paths.logs)
    first_run = not paths.settings.exists()
    settings, warning = load_settings(paths.settings)
    warnings = [warning] if warning else []
    if first_run:
        save_settings(paths.settings, settings)  # the folder holds every part from the first run on
    i18n.set_language(language or settings.language or i18n.system_language(), locale_dir)
    db = open_database(paths.database, backups_dir=paths.backups)
    manifest, manifest_error = None, None
    try:
        manifest = load_manifest(manifest_path)
    except ManifestError as exc:
        manifest_error = str(exc)
        log.error("manifest: %s", exc)
    log.info("started with data folder %s, language %s", paths.root, i18n.current_language())
    return Services(paths=paths, settings=settings, db=db, manifest=manifest, locale_dir=locale_dir,
                    warnings=warnings, manifest_error=manifest_error)
