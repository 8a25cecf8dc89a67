"""Where the application keeps its data.

One folder holds everything — database, settings, media, backups, exports and logs —
so that a USB stick can carry a whole installation.  Its location is, in order:

1. ``--data-dir DIR``;
2. the ``CO_APP_HOME`` environment variable;
3. portable mode: in the bundle (``sys.frozen``, built by ``dev.py dist``), when a file named
   ``portable`` sits beside the executable, the folder ``data`` beside it — the bundle on a
   USB stick then keeps its data on the stick;
4. the platform's user data folder (through platformdirs).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from co_app import APP_SLUG
from co_app.core.foundation.errors import DataDirError, sentence
from co_app.core.foundation.i18n import N_

#: Environment variables the application reads, with what they do (shown in --help).
ENVIRONMENT_VARIABLES: dict[str, str] = {
    "CO_APP_HOME": N_("data folder (database, settings, media, backups, exports, logs); --data-dir wins over it"),
    "CO_APP_LANG": N_("interface language code (en, ar, fr, …); --lang wins over it"),
    "CO_APP_DISK_RESERVE_MB": N_("space kept free for the database on the data folder's disk (default 200)"),
}


def default_data_dir() -> Path:
    import platformdirs  # imported here: only needed when no folder was given

    return platformdirs.user_data_path(APP_SLUG, appauthor=False)


#: The marker file that puts a bundle in portable mode, and the data folder it then uses,
#: both beside the bundle's executable.
PORTABLE_MARKER = "portable"
PORTABLE_DATA = "data"


def portable_data_dir(executable: str | os.PathLike[str] | None = None, frozen: bool | None = None) -> Path | None:
    """``<bundle folder>/data`` when this is the bundle and a ``portable`` file is beside its
    executable; None otherwise (a source checkout or a wheel is never portable)."""
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    if not frozen:
        return None
    bundle = Path(sys.executable if executable is None else executable).absolute().parent
    if (bundle / PORTABLE_MARKER).is_file():
        return bundle / PORTABLE_DATA
    return None


def resolve_data_dir(cli_value: str | os.PathLike[str] | None, environ: Mapping[str, str] | None = None, *,
                     executable: str | os.PathLike[str] | None = None, frozen: bool | None = None) -> Path:
    """The data folder chosen by the command line, the environment, portable mode or the platform.

    ``executable`` and ``frozen`` default to ``sys.executable`` and ``sys.frozen`` (tests pass fakes)."""
    environ = os.environ if environ is None else environ
    if cli_value:
        return Path(cli_value).expanduser().absolute()
    if environ.get("CO_APP_HOME"):
        return Path(environ["CO_APP_HOME"]).expanduser().absolute()
    portable = portable_data_dir(executable, frozen)
    if portable is not None:
        return portable
    return default_data_dir()


@dataclass(frozen=True)
class DataPaths:
    """The layout of a data folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "co_app.sqlite3"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def media(self) -> Path:
        return self.root / "media"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def thumbnails(self) -> Path:
        return self.root / "thumbnails"

    @property
    def subtitle_copies(self) -> Path:
        """UTF-8 copies of subtitle files found in another encoding (for the player)."""
        return self.root / "subtitle-copies"

    @property
    def reports(self) -> Path:
        """Error reports the viewer keeps for the facilitator (no file dialog there)."""
        return self.root / "reports"

    def folders(self) -> tuple[Path, ...]:
        return (self.root, self.media, self.backups, self.exports, self.logs, self.thumbnails)

    def ensure(self) -> "DataPaths":
        """Create the folders and prove the data folder is writable.  The folders made here
        are the owner's only (0700); one that already exists keeps its mode — ``--data-dir``
        may name a folder others share, and it must not be closed to them."""
        from co_app.core.foundation.fileio import make_private_dirs

        for folder in self.folders():
            try:
                make_private_dirs(folder)
            except OSError as exc:
                raise DataDirError(
                    sentence(N_("Cannot create the data folder {folder}: {reason}. Choose another folder with "
                                "--data-dir or CO_APP_HOME."), folder=folder, reason=exc.strerror or exc)
                ) from exc
        probe = self.root / f".write-test-{os.urandom(8).hex()}"
        try:
            probe.write_bytes(b"ok")
            probe.unlink()
        except OSError as exc:
            raise DataDirError(
                sentence(N_("The data folder {root} is not writable ({reason}). Choose another folder with "
                            "--data-dir or CO_APP_HOME."), root=self.root, reason=exc.strerror or exc)
            ) from exc
        return self
