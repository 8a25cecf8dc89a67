"""Where the data shipped with the application lies: ``co_app/data`` inside the package.

Found through :mod:`importlib.resources`, so the same code works in a source checkout, an
installed wheel and a frozen bundle.  The application needs real files (libVLC, Babel and
the TOML reader open paths), so a zipped install is not supported: :func:`data_dir` says so
plainly instead of failing later on a path that does not exist.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_dir() -> Path:
    """The folder holding ``content/``, ``locales/`` and ``media_manifest/``."""
    folder = Path(str(resources.files("co_app.data")))
    if not folder.is_dir():
        raise RuntimeError(f"the application's data folder {folder} is not a folder on disk "
                           "(a zipped install is not supported)")
    return folder


def content_dir() -> Path:
    return data_dir() / "content"


def locale_dir() -> Path:
    return data_dir() / "locales"


def manifest_file() -> Path:
    return data_dir() / "media_manifest" / "films.toml"


def map_file() -> Path:
    return content_dir() / "map" / "europe.json"


#: The shipped film manifest: the one definition (the media library and the start-up use it).
DEFAULT_MANIFEST = manifest_file()
