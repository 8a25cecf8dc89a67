"""Content packs: the office's towns, modules, check questions, film moments, map and
translations in one signed file, for laptops that cannot install a new program.

A pack (``.copack``) is a ZIP archive holding

* ``pack.json`` — the manifest: format, version (a whole number that only grows), date, the
  office's note, the list of what changed, the signer's public key, and every file with its
  size and SHA-256;
* ``pack.sig`` — the Ed25519 signature of ``pack.json``'s exact bytes, by the office's key
  (the sync key pair of co_app/core/sync/keys.py: the caller passes the key, so this
  domain needs nothing from sync);
* ``files/<path>`` — the content folder's files: ``towns/``, ``modules/``, ``map/``,
  ``films.toml`` (the film manifest with the moments' times) and ``version.toml``.

Reading a pack checks, in this order, that it is a whole archive (a file cut short has
lost the archive's directory), that it is signed, that the signature is by the office the
laptop is enrolled with, and that every file is listed, whole and unchanged.  Every refusal
is a :class:`PackError`: one sentence naming the file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from co_app.core.content.reading import ContentFileError, load_toml
from co_app.core.foundation.errors import CoError, Notice
from co_app.core.foundation.i18n import N_

if TYPE_CHECKING:  # cryptography is imported where a pack is made or read, not at start-up
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

PACK_FORMAT = "welcoming-communities-co-content-pack"
PACK_EXTENSION = ".copack"
MANIFEST, SIGNATURE, FILES = "pack.json", "pack.sig", "files/"
VERSION_FILE, FILMS_FILE = "version.toml", "films.toml"
#: What a content folder may give a pack: the rest of a folder (notes, editor files) stays out.
TOP_FOLDERS = ("towns", "modules", "map")
TOP_FILES = (VERSION_FILE, FILMS_FILE)
MAX_FILES, MAX_BYTES = 5000, 200 * 1024 * 1024
MAX_MANIFEST_BYTES = 16 * 1024 * 1024  # 5,000 files listed take under 1 MB
_PATH_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$")
CHUNK = 1 << 16


class PackError(CoError):
    """A pack cannot be made, or is refused.  ``str()`` is English (the command line);
    ``notice.translated()`` is the same sentence in the interface language."""

    exit_code = 1

    def __init__(self, template: str, **params: object) -> None:
        self.notice = Notice(template, **params)
        super().__init__(str(self.notice))


@dataclass(frozen=True)
class ContentVersion:
    """Which content a folder or a pack holds."""

    version: int
    date: str  # ISO date, "2026-12-06"


@dataclass(frozen=True)
class PackInfo:
    """A pack's manifest, once its signature and files are checked."""

    version: int
    date: str
    note: str
    changes: tuple[str, ...]
    files: dict[str, tuple[int, str]]  # path → (size, sha256)
    signer_name: str
    signer_fingerprint: str
    manifest: bytes = field(repr=False, default=b"")
    signature: bytes = field(repr=False, default=b"")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def folder_version(folder: Path) -> ContentVersion:
    """The version a content folder says it is (``version.toml``); 0 when it says nothing."""
    try:
        data = load_toml(Path(folder) / VERSION_FILE)  # a regular file, not too large, not nested too deep
        number = data.get("version", 0)
        return ContentVersion(number if isinstance(number, int) and number >= 0 else 0, str(data.get("date", "")))
    except ContentFileError:
        return ContentVersion(0, "")


def version_toml(version: ContentVersion) -> str:
    return (f"# The version of this content folder: content packs made from it are numbered from here.\n"
            f"version = {version.version}\ndate = \"{version.date}\"\n")


def content_files(folder: Path, films: Path | None = None) -> dict[str, Path]:
    """Pack path → file, for every file of ``folder`` a pack carries; ``films`` is the film
    manifest to carry when the folder has no ``films.toml`` of its own."""
    folder = Path(folder)
    found: dict[str, Path] = {}
    for top in TOP_FOLDERS:
        base = folder / top
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                name = path.relative_to(folder).as_posix()
                if path.is_file() and not any(part.startswith(".") for part in name.split("/")):
                    found[name] = path
    for name in TOP_FILES:
        if (folder / name).is_file():
            found[name] = folder / name
    if FILMS_FILE not in found and films is not None and Path(films).is_file():
        found[FILMS_FILE] = Path(films)
    return found


def item_of(path: str) -> str:
    """What a pack path is, in the office's words: "town jena (ar)", "film moments", "map"."""
    parts = path.split("/")
    if parts[0] in ("towns", "modules") and len(parts) == 3:
        return f"{parts[0][:-1]} {parts[1]} ({parts[2].removesuffix('.toml')})"
    if path == FILMS_FILE:
        return "films and moments"
    if parts[0] == "map":
        return "map"
    return path


#: A line of ``changed_items`` ("town jena changed: ar, fr"), read back to be said in the reader's language.
_CHANGE_LINE = re.compile(r"^(?:(town|module) (\S+)|(.+?)) (added|removed|changed)(?:: (.+))?$")
_CHANGE_WORDS = {("added", False): N_("{item} added"), ("removed", False): N_("{item} removed"),
                 ("changed", False): N_("{item} changed"), ("added", True): N_("{item} added: {languages}"),
                 ("removed", True): N_("{item} removed: {languages}"),
                 ("changed", True): N_("{item} changed: {languages}")}
_CHANGE_ITEMS = {"town": N_("town {id}"), "module": N_("module {id}"), "films and moments": N_("films and moments"),
                 "map": N_("map")}


def change_notice(line: str) -> Notice | str:
    """A pack's change line (kept in English in its signed manifest) as a ``Notice`` a reader's
    language can say: "town jena changed: ar" → "المدينة jena تغيّرت: ar"; a line of another
    shape as it is."""
    found = _CHANGE_LINE.match(line)
    if found is None:
        return line
    kind, item_id, other, what, languages = found.groups()
    item_template = _CHANGE_ITEMS.get(kind or other)
    item = Notice(item_template, id=item_id) if item_template else other
    template = _CHANGE_WORDS[(what, bool(languages))]
    return Notice(template, item=item, languages=languages or "")


def changed_items(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """Path → sha256 before and after: what changed, one line per town, module or part."""
    grouped: dict[str, list[str]] = {}
    for path in sorted(set(old) | set(new)):
        if path == VERSION_FILE or old.get(path) == new.get(path):
            continue
        what = "added" if path not in old else "removed" if path not in new else "changed"
        label = item_of(path)
        head, _, lang = label.partition(" (")
        grouped.setdefault(f"{head} {what}", []).append(lang.rstrip(")") if lang else "")
    return [head + (f": {', '.join(x for x in langs if x)}" if any(langs) else "") for head, langs in grouped.items()]


def tree_hashes(files: dict[str, Path]) -> dict[str, str]:
    return {name: sha256_file(path) for name, path in files.items()}


def make_pack(folder: Path, out: Path, sign_key: Ed25519PrivateKey, *, signer_name: str, signer_fingerprint: str,
              version: int, note: str = "", baseline: dict[str, str] | None = None,
              films: Path | None = None, today: date | None = None) -> PackInfo:
    """Write the pack of ``folder`` to ``out`` (atomically), signed with ``sign_key``.

    ``baseline`` (path → sha256: the content shipped with the program) gives the list of
    what changed.  The folder's ``version.toml`` is set to ``version`` first, so the next
    pack made from it is numbered higher."""
    from co_app.core.foundation.fileio import atomic_output, atomic_write_text, describe

    folder = Path(folder)
    if not (folder / "towns").is_dir() or not (folder / "modules").is_dir():
        raise PackError(N_("{folder} is not a content folder: it has no towns/ and modules/."), folder=str(folder))
    stamp = ContentVersion(version, (today or date.today()).isoformat())
    try:
        atomic_write_text(folder / VERSION_FILE, version_toml(stamp), mode=0o644)
    except OSError as exc:
        raise PackError(N_("Cannot write {file}: {reason}."), file=str(folder / VERSION_FILE),
                        reason=describe(exc)) from None
    files = content_files(folder, films)
    hashes = tree_hashes(files)
    manifest = {
        "format": PACK_FORMAT, "format_version": 1, "version": stamp.version, "date": stamp.date,
        "made_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "note": note,
        "changes": changed_items(baseline or {}, hashes) if baseline is not None else [],
        "signer": {"name": signer_name, "fingerprint": signer_fingerprint,
                   "sign": base64.b64encode(sign_key.public_key().public_bytes_raw()).decode("ascii")},
        "files": {name: {"size": files[name].stat().st_size, "sha256": hashes[name]} for name in sorted(files)},
    }
    raw = json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True).encode("utf-8")
    signature = sign_key.sign(raw)
    with atomic_output(Path(out), mode=0o644) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, raw)
        zf.writestr(SIGNATURE, base64.b64encode(signature))
        for name in sorted(files):
            zf.write(files[name], FILES + name)
    return _info(manifest, raw, signature)


def _info(manifest: dict[str, Any], raw: bytes, signature: bytes) -> PackInfo:
    files = {name: (int(entry["size"]), str(entry["sha256"])) for name, entry in manifest["files"].items()}
    signer = manifest.get("signer") or {}
    return PackInfo(int(manifest["version"]), str(manifest["date"]), str(manifest.get("note", "")),
                    tuple(str(c) for c in manifest.get("changes", [])), files, str(signer.get("name", "")),
                    str(signer.get("fingerprint", "")), raw, signature)


def _damaged(path: Path) -> PackError:
    return PackError(N_("{file} is cut short or damaged: copy the content pack from the office again."),
                     file=str(path))


def _tampered(path: Path, what: str) -> PackError:
    return PackError(N_("{file} was changed after the office signed it ({what}): it is refused."),
                     file=str(path), what=what)


def read_manifest(path: Path, zf: zipfile.ZipFile, office_sign: bytes, office_name: str) -> PackInfo:
    """The manifest of an open pack, its signature checked against the office's key."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    names = set(zf.namelist())
    if MANIFEST not in names:
        raise PackError(N_("{file} is not a content pack of Welcoming Communities CO."), file=str(path))
    if SIGNATURE not in names:
        raise PackError(N_("{file} is not signed: only content packs signed by the office are accepted."),
                        file=str(path))
    try:
        if max(zf.getinfo(MANIFEST).file_size, zf.getinfo(SIGNATURE).file_size) > MAX_MANIFEST_BYTES:
            raise ValueError("a manifest no pack has")  # a zip bomb is not unpacked to find out
        raw = zf.read(MANIFEST)
        signature = base64.b64decode(zf.read(SIGNATURE), validate=True)
        manifest = json.loads(raw.decode("utf-8"))
        if manifest.get("format") != PACK_FORMAT:
            raise ValueError
        signer = base64.b64decode(str((manifest.get("signer") or {}).get("sign", "")), validate=True)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, TypeError, AttributeError, RecursionError):
        raise _damaged(path) from None  # RecursionError: JSON nested a thousand deep
    if signer != office_sign:
        raise PackError(N_("{file} was signed by another key ({signer}), not by {office}, the office this laptop is "
                           "enrolled with: it is refused."),
                        file=str(path), signer=str((manifest.get("signer") or {}).get("name", "")) or "?",
                        office=office_name)
    try:
        Ed25519PublicKey.from_public_bytes(office_sign).verify(signature, raw)
    except (InvalidSignature, ValueError):
        raise _tampered(path, "its signature does not match") from None
    try:
        return _info(manifest, raw, signature)
    except (KeyError, ValueError, TypeError, AttributeError):
        raise _tampered(path, "its list of files is malformed") from None


def check_listing(path: Path, zf: zipfile.ZipFile, info: PackInfo) -> None:
    """Every archived file is listed in the signed manifest, and the other way round."""
    archived = {name[len(FILES):] for name in zf.namelist() if name.startswith(FILES) and not name.endswith("/")}
    others = set(zf.namelist()) - {MANIFEST, SIGNATURE} - {FILES + n for n in archived}
    if others or archived != set(info.files):
        extra = sorted(others | (archived - set(info.files)))
        missing = sorted(set(info.files) - archived)
        raise _tampered(path, f"unlisted file {extra[0]}" if extra else f"missing file {missing[0]}")
    if len(info.files) > MAX_FILES or sum(size for size, _ in info.files.values()) > MAX_BYTES:
        raise _tampered(path, "too large")
    for name in info.files:
        top = name.split("/")[0]
        if not _PATH_RE.match(name) or ".." in name.split("/") or (top not in TOP_FOLDERS and name not in TOP_FILES):
            raise _tampered(path, f"file {name} has no place in a content folder")


def extract(path: Path, zf: zipfile.ZipFile, info: PackInfo, target: Path,
            progress: Callable[[int, int], None] | None = None) -> None:
    """Write the pack's files under ``target`` (a new folder), each checked against its hash."""
    total, done = sum(size for size, _ in info.files.values()), 0
    for name in sorted(info.files):
        size, expected = info.files[name]
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        digest, written = hashlib.sha256(), 0
        try:
            with zf.open(FILES + name) as src, open(dest, "wb") as out:
                for chunk in iter(lambda: src.read(CHUNK), b""):
                    written += len(chunk)
                    if written > size:
                        raise _tampered(path, f"file {name} is longer than listed")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
            if isinstance(exc, OSError) and not isinstance(exc, zipfile.BadZipFile) and exc.errno:
                from co_app.core.foundation.fileio import describe

                raise PackError(N_("Cannot write {file}: {reason}."), file=str(dest), reason=describe(exc)) from None
            raise _damaged(path) from None
        if written != size or digest.hexdigest() != expected:
            raise _tampered(path, f"file {name} differs from the signed list")
        done += size
        if progress is not None:
            progress(done, total)
