"""The content a laptop uses: the one shipped with the program, or an imported content pack.

In the data folder::

    content/
      current.json                 {"active": "<version folder>", "previous": "<version folder>" | ""}
      versions/<version>-<token>/  one checked pack's files (towns/, modules/, map/, films.toml …)
                                   with its pack.json and pack.sig

A pack is unpacked into ``versions/.incoming-<token>/``, every file checked against the signed
list and the whole folder validated by the ``content check`` rules; only then is the folder
renamed into place and ``current.json`` replaced atomically (write, fsync, ``os.replace``).
A kill at any moment leaves ``current.json`` naming the old folder or the new one — both
whole — never a mix; leftovers of an interrupted import are removed by the next one.
``previous`` keeps the content before the last switch for one-step rollback ("" = the
content shipped with the program).  A missing or unreadable ``current.json``, or one naming a
folder that is not there, means the shipped content.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from co_app.core.foundation import resources
from co_app.core.foundation.errors import CoError
from co_app.core.foundation.i18n import N_
from co_app.core.content.pack import (
    FILMS_FILE, MANIFEST, SIGNATURE, ContentVersion, PackError, PackInfo, check_listing, content_files,
    folder_version, extract, read_manifest, tree_hashes, changed_items,
)

POINTER = "current.json"
VERSIONS = "versions"
INCOMING = ".incoming-"
#: Set by the crash-safety test only: the name of a step at which this process stops and
#: waits to be killed (after writing the step's name to CO_APP_CONTENT_STOP_FILE).
STOP_AT_ENV, STOP_FILE_ENV = "CO_APP_CONTENT_STOP_AT", "CO_APP_CONTENT_STOP_FILE"


def checkpoint(step: str) -> None:
    if os.environ.get(STOP_AT_ENV) != step:
        return
    import time

    with open(os.environ[STOP_FILE_ENV], "w", encoding="utf-8") as marker:
        marker.write(step)
    while True:  # the test's SIGKILL ends it
        time.sleep(1)


@dataclass(frozen=True)
class ActiveContent:
    """What the application reads: a folder, its film manifest, and which version it is."""

    root: Path            # holds towns/, modules/, map/
    films: Path           # the film manifest (moments' times)
    version: int
    date: str
    from_pack: bool       # False: the content shipped with the program
    note: str = ""
    changes: tuple[str, ...] = ()
    previous: int | None = None  # the version a rollback returns to; None: no rollback


@dataclass(frozen=True)
class ImportResult:
    before: ActiveContent
    after: ActiveContent
    changes: tuple[str, ...]  # what differs from the content used before


def shipped() -> ActiveContent:
    root = resources.content_dir()
    stamp = folder_version(root)
    return ActiveContent(root, resources.manifest_file(), stamp.version, stamp.date, False)


class ContentStore:
    def __init__(self, data_root: Path):
        self.base = Path(data_root) / "content"
        self.versions = self.base / VERSIONS

    # --- reading ---------------------------------------------------------------------

    def pointer(self) -> tuple[str, str | None]:
        """(active folder name, previous folder name); ("", None) = shipped, no rollback."""
        try:
            data = json.loads((self.base / POINTER).read_text(encoding="utf-8"))
            active, previous = str(data.get("active") or ""), data.get("previous")
            return active, (str(previous) if previous is not None else None)
        except (OSError, ValueError, AttributeError):
            return "", None

    def _load(self, name: str) -> ActiveContent | None:
        if not name or "/" in name or name.startswith("."):
            return None
        folder = self.versions / name
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            films = folder / FILMS_FILE
            return ActiveContent(folder, films if films.is_file() else resources.manifest_file(),
                                 int(manifest["version"]), str(manifest["date"]), True, str(manifest.get("note", "")),
                                 tuple(manifest.get("changes", [])))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def active(self) -> ActiveContent:
        active_name, previous_name = self.pointer()
        current = self._load(active_name) or shipped()
        if previous_name is None:
            return current
        before = self._load(previous_name) if previous_name else shipped()
        return current if before is None else _with_previous(current, before.version)

    # --- switching -------------------------------------------------------------------

    def _switch(self, active: str, previous: str | None) -> None:
        from co_app.core.foundation.fileio import fsync_dir, temp_name

        target = self.base / POINTER
        tmp = temp_name(target)
        with open(tmp, "w", encoding="utf-8") as out:
            json.dump({"active": active, "previous": previous}, out)
            out.flush()
            os.fsync(out.fileno())
        checkpoint("pointer-written")
        os.replace(tmp, target)
        fsync_dir(self.base)
        checkpoint("switched")

    def _prune(self) -> None:
        """Remove every version folder that neither the active content nor the rollback
        needs, and what an interrupted import left."""
        keep = {name for name in self.pointer() if name}
        if not self.versions.is_dir():
            return
        for folder in self.versions.iterdir():
            if folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)
        for stray in self.base.glob(f".{POINTER}.*.tmp"):
            stray.unlink(missing_ok=True)

    def install(self, pack: Path, office_sign: bytes, office_name: str,
                progress: Callable[[int, int], None] | None = None) -> ImportResult:
        """Check ``pack`` whole, then make it the content this laptop uses; raises PackError."""
        import secrets

        before = self.active()
        pack = Path(pack)
        try:
            handle = zipfile.ZipFile(pack)
        except FileNotFoundError:
            raise PackError(N_("{file} does not exist."), file=str(pack)) from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise PackError(N_("{file} is cut short or damaged: copy the content pack from the office again."),
                            file=str(pack)) from None
        with handle as zf:
            info = read_manifest(pack, zf, office_sign, office_name)
            _refuse_older(pack, info, before)
            check_listing(pack, zf, info)
            self._prune()
            old = _hashes_of(before)
            self.versions.mkdir(parents=True, exist_ok=True)
            token = secrets.token_hex(4)
            staging = self.versions / f"{INCOMING}{token}"
            try:
                extract(pack, zf, info, staging, progress)
                (staging / MANIFEST).write_bytes(info.manifest)
                (staging / SIGNATURE).write_bytes(info.signature)
                validate(pack, staging, info)
                checkpoint("extracted")
                final = self.versions / f"{info.version}-{token}"
                os.replace(staging, final)
                from co_app.core.foundation.fileio import fsync_dir

                fsync_dir(self.versions)
                checkpoint("renamed")
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        active_name, _previous = self.pointer()
        self._switch(final.name, active_name if self._load(active_name) else "")
        self._prune()
        after = self.active()
        changes = changed_items(old, _hashes_of(after))
        return ImportResult(before, after, tuple(changes))

    def rollback(self) -> ImportResult:
        """Go back to the content used before the last import (one step); raises PackError."""
        before = self.active()
        active_name, previous_name = self.pointer()
        if previous_name is None or (previous_name and self._load(previous_name) is None):
            raise PackError(N_("There is no earlier content to go back to."))
        old = _hashes_of(before)
        self._switch(previous_name, None)
        self._prune()
        after = self.active()
        return ImportResult(before, after, tuple(changed_items(old, _hashes_of(after))))


def _with_previous(content: ActiveContent, previous: int) -> ActiveContent:
    from dataclasses import replace

    return replace(content, previous=previous)


def _hashes_of(content: ActiveContent) -> dict[str, str]:
    return tree_hashes(content_files(content.root, content.films))


def _refuse_older(pack: Path, info: PackInfo, before: ActiveContent) -> None:
    if info.version < before.version:
        raise PackError(N_("{file} holds content version {version} of {date}, older than the version {installed} "
                           "this laptop uses: it is refused."), file=str(pack), version=info.version,
                        date=info.date, installed=before.version)
    if info.version == before.version:
        raise PackError(N_("{file} holds content version {version}, the version this laptop already uses."),
                        file=str(pack), version=info.version)


def validate(pack: Path, folder: Path, info: PackInfo) -> None:
    """The ``content check`` rules on an unpacked pack: its film manifest reads, and no
    town or module has an error."""
    from co_app.core.content.library import load_content
    from co_app.core.media.manifest import load_manifest

    films = folder / FILMS_FILE
    try:
        manifest = load_manifest(films if films.is_file() else resources.manifest_file())
        library = load_content(folder, manifest)
    except CoError as exc:
        raise PackError(N_("{file} does not pass the content check: {problem}"), file=str(pack),
                        problem=str(exc)) from None
    if library.errors:
        raise PackError(N_("{file} does not pass the content check ({count} errors), the first: {problem}."),
                        file=str(pack), count=len(library.errors), problem=str(library.errors[0]))


def content_version_of(folder: Path) -> ContentVersion:
    return folder_version(folder)
