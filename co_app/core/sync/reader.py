"""Opening a sync package: everything is checked before the database is touched.

In order: the file's size; its envelope (plain zip, or encrypted: container version, length,
passphrase, authentication tag); the zip's member names (only ``manifest.json`` and
``<table>.jsonl`` — never a path, so nothing can point outside the package); the
unpacked sizes (a total limit and a compression-ratio limit against zip bombs); the
manifest (format and schema version); and the SHA-256, size and record count of every
member.  Any failure is a ``PackageError`` naming the file and the problem.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from co_app.core.db import validation
from co_app.core.db.revision import HEAD_REVISION
from co_app.core.foundation.errors import Cancelled, sentence
from co_app.core.sync import records
from co_app.core.sync.container import PackageError, decrypt_file, read_envelope
from co_app.core.sync.keyed import MAGIC as KEYED_MAGIC
from co_app.core.sync.keyed import KeyedEnvelope, decrypt_keyed, read_keyed, verify
from co_app.core.sync.keys import OwnKeys, PublicKeys
from co_app.core.sync.package import FORMAT_NAME, FORMAT_VERSION, MANIFEST, SPOOL_BYTES, member_name
from co_app.core.foundation.i18n import N_

BATCH = 2000
MiB = 1 << 20
#: What reading a damaged member raises: a bad CRC, bad deflate data (zlib.error), a
#: compression method or an encryption flag zipfile does not support, a cut-off stream.
_UNREADABLE_MEMBER = (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error, NotImplementedError,
                      RuntimeError)


@dataclass(frozen=True)
class Limits:
    """What a package may weigh.  100,000 check-ins make about 40 MB unpacked."""

    max_package_bytes: int = 1024 * MiB
    max_unpacked_bytes: int = 2048 * MiB
    #: Unpacked / packed size of one member; JSON lines of ids compress 5–10 times.
    max_ratio: int = 100
    #: Members smaller than this are not held to the ratio (tiny files compress oddly).
    ratio_floor: int = 1 * MiB
    #: The manifest carries the seen vector, the contexts and up to 2,000 of a laptop's
    #: conflicts (package.MAX_SHIPPED_CONFLICTS).
    max_manifest_bytes: int = 4 * MiB


def _newer_schema(schema: str) -> bool:
    if schema == HEAD_REVISION:
        return False
    from co_app.core.db.migrate import known_revisions

    return schema not in known_revisions()


class UnknownSenderError(PackageError):
    """A keyed package from a laptop the office has not enrolled: the officer may compare
    the fingerprint with the laptop's and enrol it (``trust_new``)."""

    def __init__(self, message: str, sender: PublicKeys) -> None:
        super().__init__(message)
        self.sender = sender


@dataclass(frozen=True)
class Trust:
    """Who this database accepts packages from, and the keys it reads them with."""

    own: OwnKeys
    role: str
    #: The laptops the office enrolled (device id -> keys); the laptop's enrolled office.
    laptops: dict[str, PublicKeys]
    office: PublicKeys | None
    #: Enrol a laptop not seen before (after the officer compared its fingerprint).
    trust_new: bool = False


class Package:
    """An opened, fully checked package.  Use as a context manager."""

    def __init__(self, path: Path, manifest: dict[str, Any], encrypted: bool, zf: zipfile.ZipFile,
                 owned: list[BinaryIO], sender: PublicKeys | None = None) -> None:
        self.path = path
        self.manifest = manifest
        self.encrypted = encrypted
        self._zf = zf
        self._owned = owned
        #: The signer of a keyed package (its keys are stored when the office enrols it).
        self.sender = sender
        #: Records per batch ``batches`` yields: smaller while a window waits on the import
        #: (each batch's checks hold Python's lock in one stretch; co_app/core/office/usb_import.py).
        self.batch_size = BATCH

    @property
    def device_id(self) -> str:
        return self.manifest["device_id"]

    @property
    def counts(self) -> dict[str, int]:
        return {name: info["records"] for name, info in self.manifest["tables"].items()}

    def batches(self, table: str) -> Iterator[list[tuple[int, dict[str, Any]]]]:
        """The table's records as batches of (line number, JSON object)."""
        info = self.manifest["tables"].get(table)
        if info is None:
            return
        name = info["member"]
        batch: list[tuple[int, dict[str, Any]]] = []
        with self._zf.open(name) as raw:
            try:
                for number, line in enumerate(io.TextIOWrapper(raw, encoding="utf-8"), start=1):
                    try:
                        batch.append((number, json.loads(line)))
                    except (ValueError, RecursionError):  # RecursionError: a line of [[[… nested 100,000 deep
                        raise PackageError(sentence(N_("The sync package {path} is damaged: line {number} of {name} "
                                                       "is not a JSON record."),
                                                    path=self.path, number=number, name=name)) from None
                    if len(batch) >= self.batch_size:
                        yield batch
                        batch = []
            except UnicodeDecodeError:  # decoded a block ahead of the lines: no line number to give
                raise PackageError(sentence(N_("The sync package {path} is damaged: {name} is not UTF-8 text. "
                                               "Nothing was imported."), path=self.path, name=name)) from None
        if batch:
            yield batch

    def close(self) -> None:
        self._zf.close()
        for fh in self._owned:
            fh.close()

    def __enter__(self) -> "Package":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _signer(path: Path, envelope: KeyedEnvelope, trust: Trust) -> PublicKeys:
    """Whose signature a keyed package must carry, from this database's enrolments."""
    sender = envelope.sender
    if trust.role == "office":
        if sender.role != "laptop":
            raise PackageError(sentence(N_("The sync package {path} was refused: it was made by another office "
                                           "({name}), not by a laptop."),
                                        path=path, name=sender.name or sender.device_id))
        known = trust.laptops.get(sender.device_id)
        if known is None:
            if not trust.trust_new:
                raise UnknownSenderError(
                    sentence(N_('The sync package {path} comes from a laptop this office has not enrolled: "{name}", '
                                "key fingerprint {fingerprint}. If that fingerprint is the one its Settings page "
                                "shows, enrol it (sync import --enrol)."),
                             path=path, name=sender.name or sender.device_id, fingerprint=sender.fingerprint), sender)
            return sender
        if (known.sign, known.box) != (sender.sign, sender.box):
            raise PackageError(sentence(N_('The sync package {path} was refused: it claims to come from "{name}" but '
                                           "carries another key than the one enrolled for that laptop (fingerprint "
                                           "{fingerprint}, enrolled {enrolled})."),
                                        path=path, name=known.name or sender.device_id,
                                        fingerprint=sender.fingerprint, enrolled=known.fingerprint))
        return known
    office = trust.office
    if office is None:
        raise PackageError(sentence(N_("The sync package {path} is sealed with keys, and this laptop is not enrolled "
                                       "with an office yet: enrol it with the office's key file (sync enrol FILE)."),
                                    path=path))
    if (sender.device_id, sender.sign) != (office.device_id, office.sign):
        maker = "another laptop" if sender.role == "laptop" else f"the office \"{sender.name or sender.device_id}\""
        raise PackageError(sentence(N_("The sync package {path} was refused: it was made by {maker}, not by this "
                                       'laptop\'s office "{name}" (a laptop reads only its own office\'s packages).'),
                                    path=path, maker=maker, name=office.name or office.device_id))
    return office


def _open_payload(path: Path, fh: BinaryIO, passphrase: str | None, trust: Trust | None,
                  owned: list[BinaryIO], check_cancel: Any) -> tuple[BinaryIO, bool, PublicKeys | None]:
    """The zip inside the package, after every check its envelope allows."""
    if fh.read(len(KEYED_MAGIC)) == KEYED_MAGIC:
        if trust is None:
            raise PackageError(sentence(N_("The sync package {path} is sealed with keys; open it with this "
                                           "database's keys."), path=path))
        envelope = read_keyed(path, fh)
        signer = _signer(path, envelope, trust)
        verify(path, fh, envelope, signer, check_cancel)
        payload = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        owned.append(payload)
        decrypt_keyed(path, fh, envelope, trust.own, payload, cancel=check_cancel)
        return payload, True, envelope.sender
    fh.seek(0)
    envelope = read_envelope(path, fh)
    if not envelope.encrypted:
        raise PackageError(sentence(N_("The sync package {path} was refused: it is not encrypted, and this "
                                       "application never writes a package in the clear (made or altered elsewhere). "
                                       "Ask for a new export."), path=path))
    if trust is not None and trust.role == "office":
        raise PackageError(sentence(N_("The sync package {path} was refused: it is locked with a passphrase (a "
                                       "hand-over between laptops), and the office accepts only packages sealed with "
                                       "its key and signed by an enrolled laptop. Enrol that laptop with the office "
                                       "key and export again."), path=path))
    payload = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    owned.append(payload)
    decrypt_file(path, fh, envelope, passphrase, payload, cancel=check_cancel)
    return payload, True, None


def open_package(path: Path, passphrase: str | None = None, *, limits: Limits = Limits(),
                 cancel: threading.Event | None = None, trust: Trust | None = None) -> Package:
    """Open and check the package at ``path``; raises ``PackageError`` (or ``PassphraseError``).
    ``trust`` (this database's keys and enrolments) opens keyed packages and refuses, at the
    office, a passphrase package."""
    path = Path(path)
    try:
        size = path.stat().st_size
        fh: BinaryIO = open(path, "rb")  # owned by the Package
    except OSError as exc:
        raise PackageError(sentence(N_("Cannot read the sync package {path}: {reason}."),
                                    path=path, reason=exc.strerror or exc)) from exc
    owned: list[BinaryIO] = [fh]
    try:
        if size > limits.max_package_bytes:
            raise PackageError(sentence(N_("The sync package {path} is too large ({size} MB; the limit is {limit} "
                                           "MB)."),
                                        path=path, size=size // MiB, limit=limits.max_package_bytes // MiB))
        def check_cancel() -> None:
            if cancel is not None and cancel.is_set():
                raise Cancelled(sentence(N_("Reading the sync package {path} was cancelled; nothing was imported."),
                                         path=path))

        payload, encrypted, sender = _open_payload(path, fh, passphrase, trust, owned, check_cancel)
        try:
            zf = zipfile.ZipFile(payload)
        except (zipfile.BadZipFile, OSError, EOFError):
            raise PackageError(sentence(N_("The sync package {path} is damaged or truncated (its contents cannot be "
                                           "read as a whole). Copy it again from the original."), path=path)) from None
        try:
            manifest = _check_members(path, zf, limits)
            _check_checksums(path, zf, manifest)
        except BaseException:
            zf.close()
            raise
        if sender is not None and manifest["device_id"] != sender.device_id:
            zf.close()
            raise PackageError(sentence(N_("The sync package {path} was altered: its records name another laptop "
                                           "than the one that signed it."), path=path))
        return Package(path, manifest, encrypted, zf, owned, sender)
    except BaseException:
        for owned_fh in owned:
            owned_fh.close()
        raise


def _check_members(path: Path, zf: zipfile.ZipFile, limits: Limits) -> dict[str, Any]:
    allowed = {MANIFEST} | {member_name(t.name) for t in records.TABLES}
    seen: set[str] = set()
    total = 0
    for info in zf.infolist():
        name = info.filename
        if "/" in name or "\\" in name or ".." in name or name.startswith(("/", "~")) or ":" in name:
            raise PackageError(sentence(N_("The sync package {path} was refused: it holds a member named '{name}', a "
                                           "path that could point outside the package."), path=path, name=name))
        if name not in allowed:
            raise PackageError(sentence(N_("The sync package {path} was refused: it holds an unexpected member "
                                           "'{name}'."), path=path, name=name))
        if name in seen:
            raise PackageError(sentence(N_("The sync package {path} was refused: the member '{name}' appears twice."),
                                        path=path, name=name))
        seen.add(name)
        total += info.file_size
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(1, info.compress_size):
            raise PackageError(sentence(N_("The sync package {path} was refused: '{name}' would unpack to {size} MB "
                                           "from {compress_size} bytes (a zip bomb?)."),
                                        path=path, name=name, size=info.file_size // MiB,
                                        compress_size=info.compress_size))
    if total > limits.max_unpacked_bytes:
        raise PackageError(sentence(N_("The sync package {path} was refused: it would unpack to {size} MB, more "
                                       "than the limit of {limit} MB."),
                                    path=path, size=total // MiB, limit=limits.max_unpacked_bytes // MiB))
    if MANIFEST not in seen:
        raise PackageError(sentence(N_("The sync package {path} is damaged: it has no {manifest}."),
                                    path=path, manifest=MANIFEST))
    if zf.getinfo(MANIFEST).file_size > limits.max_manifest_bytes:
        raise PackageError(sentence(N_("The sync package {path} was refused: its {manifest} is too large."),
                                    path=path, manifest=MANIFEST))
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except _UNREADABLE_MEMBER:
        raise PackageError(sentence(N_("The sync package {path} is damaged: its {manifest} cannot be read."),
                                    path=path, manifest=MANIFEST)) from None
    _check_manifest(path, manifest, seen - {MANIFEST})
    return manifest


def _check_manifest(path: Path, manifest: Any, members: set[str]) -> None:
    def bad(what: str) -> PackageError:
        return PackageError(sentence(N_("The sync package {path} is damaged: its {manifest} {what}."), path=path,
                                     manifest=MANIFEST, what=what))

    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise bad(sentence(N_("is not that of a Welcoming Communities CO sync package")))
    version = manifest.get("format_version")
    if not isinstance(version, int):
        raise bad(sentence(N_("has no format version")))
    if version > FORMAT_VERSION:
        raise PackageError(sentence(N_("The sync package {path} was made by a newer version of Welcoming Communities "
                                       "CO (format {version}; this one reads format {supported}). Update this "
                                       "application to import it."),
                                    path=path, version=version, supported=FORMAT_VERSION))
    if version < FORMAT_VERSION:
        raise PackageError(sentence(N_("The sync package {path} was made by an older version of Welcoming "
                                       "Communities CO (format {version}), which ordered changes by the laptops' "
                                       "clocks; it is not imported. Update the application on the laptop that made "
                                       "it and export again: its first export after the update holds all its records."),
                                    path=path, version=version))
    schema = manifest.get("schema_version")
    if not isinstance(schema, str):
        raise bad(sentence(N_("has no schema version")))
    if _newer_schema(schema):
        raise PackageError(sentence(N_("The sync package {path} was made by a newer version of Welcoming Communities "
                                       "CO (database schema {schema}). Update this application to import it."),
                                    path=path, schema=schema))
    if not isinstance(manifest.get("device_id"), str) or validation.value_problem(
            "households", "created_at", manifest.get("created_at")) is not None:
        raise bad(sentence(N_("lacks the device or the creation time")))
    _check_versions(manifest, bad)
    tables = manifest.get("tables")
    if not isinstance(tables, dict):
        raise bad(sentence(N_("lists no tables")))
    listed = set()
    for name, info in tables.items():
        if name not in records.TABLE_BY_NAME:
            raise bad(sentence(N_("names an unknown table '{name}'"), name=name))
        if (not isinstance(info, dict) or info.get("member") != member_name(name)
                or not isinstance(info.get("records"), int) or not isinstance(info.get("bytes"), int)
                or not isinstance(info.get("sha256"), str)):
            raise bad(sentence(N_("describes the table '{name}' incompletely"), name=name))
        listed.add(info["member"])
    if listed != members:
        missing = sorted(listed - members) or sorted(members - listed)
        raise bad(sentence(N_("and its contents disagree (about {missing})"), missing=', '.join(missing)))


def _is_vector(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and len(k) <= 36 and type(v) is int and 0 <= v < 2**62 for k, v in value.items())


def _check_versions(manifest: dict[str, Any], bad: Any) -> None:
    """The seen vector, the contexts, the role and the name a package of format 2 carries."""
    if manifest.get("role") not in ("laptop", "office"):
        raise bad(sentence(N_("does not say whether a laptop or the office made it")))
    name = manifest.get("device_name")
    if not isinstance(name, str) or len(name) > 80 or not name.isprintable():
        raise bad(sentence(N_("names its laptop wrongly")))
    if not _is_vector(manifest.get("seen")):
        raise bad(sentence(N_("has no valid seen vector")))
    contexts = manifest.get("contexts")
    if not isinstance(contexts, list) or not all(
            isinstance(c, list) and len(c) == 3 and isinstance(c[0], str) and type(c[1]) is int
            and _is_vector(c[2]) for c in contexts):
        raise bad(sentence(N_("has no valid contexts")))
    predecessors = manifest.get("predecessors", [])
    if not isinstance(predecessors, list) or not all(isinstance(p, str) and len(p) <= 36 for p in predecessors):
        raise bad(sentence(N_("lists its predecessors wrongly")))
    if type(manifest.get("from_seq")) is not int or type(manifest.get("seq_max")) is not int:
        raise bad(sentence(N_("lacks its place in the arrival order")))
    conflicts = manifest.get("conflicts", [])
    if not isinstance(conflicts, list) or not all(_is_conflict(c) for c in conflicts):
        raise bad(sentence(N_("lists its laptop's conflicts wrongly")))


def _is_dot(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and len(value[0]) <= 36
            and type(value[1]) is int and type(value[2]) is int and 0 <= value[1] < 2**62 and 0 <= value[2] < 2**62)


def _is_conflict(entry: Any) -> bool:
    """A laptop's conflict as a package carries it: a known table and field, two dots."""
    if not isinstance(entry, dict) or set(entry) != {"table", "record_id", "field", "winner_value", "loser_value",
                                                     "winner_dot", "loser_dot"}:
        return False
    codec = records.CODECS.get(entry["table"]) if isinstance(entry["table"], str) else None
    return (codec is not None and isinstance(entry["record_id"], str) and len(entry["record_id"]) <= 36
            and isinstance(entry["field"], str) and entry["field"] in codec.column_set
            and _is_dot(entry["winner_dot"]) and _is_dot(entry["loser_dot"])
            # The office may keep the lost value (review.keep_lost_value): it must be one the
            # import would take, like every other value.
            and validation.value_problem(codec.name, entry["field"], entry["winner_value"]) is None
            and validation.value_problem(codec.name, entry["field"], entry["loser_value"]) is None)


def _check_checksums(path: Path, zf: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    for info in manifest["tables"].values():
        name = info["member"]
        digest, size, lines = hashlib.sha256(), 0, 0
        try:
            with zf.open(name) as member:
                while chunk := member.read(1 << 20):
                    digest.update(chunk)
                    size += len(chunk)
                    lines += chunk.count(b"\n")
        except _UNREADABLE_MEMBER:
            raise PackageError(sentence(N_("The sync package {path} is damaged: '{name}' cannot be unpacked "
                                           "(truncated or altered)."), path=path, name=name)) from None
        if digest.hexdigest() != info["sha256"] or size != info["bytes"]:
            raise PackageError(sentence(N_("The sync package {path} is damaged or was altered: the checksum of "
                                           "'{name}' does not match its manifest."), path=path, name=name))
        if lines != info["records"]:
            raise PackageError(sentence(N_("The sync package {path} is damaged: '{name}' holds {lines} records, its "
                                           "manifest says {expected}."),
                                        path=path, name=name, lines=lines, expected=info['records']))
