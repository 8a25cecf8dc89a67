"""Every bad package is refused with one clear sentence, and the database stays as it was:
tampered, truncated, wrong passphrase, newer or older format, path traversal, zip bombs, bad records."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from co_app.core.db.models import AuditEntry, SyncConflict
from co_app.core.sync.container import (
    HEADER, PackageError, PassphraseError, decrypt_file, encrypt_file, read_envelope,
)
from co_app.core.sync.package import FORMAT_VERSION, export_package
from co_app.core.sync.reader import Limits
from co_app.core.sync.service import import_package
from tests.core.sync_helpers import PASSPHRASE, laptop, office, populate, snapshot

#: The refusal of a package that is not encrypted at all (made or altered elsewhere).
NOT_ENCRYPTED = "it is not encrypted, and this application never writes a package in the clear"


@pytest.fixture
def setup(tmp_path: Path):
    """A package from laptop A, and laptop B that already has some data of its own."""
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    populate(a)
    populate(b, sessions=1, town="portugal-caranguejeira")
    package = tmp_path / "a.cosync"
    export_package(a.engine, a.device_id, package, passphrase=PASSPHRASE)
    return package, b


def state(db) -> tuple:
    with db.engine.connect() as conn:
        logged = conn.execute(select(func.count()).select_from(SyncConflict.__table__)).scalar()
        audited = conn.execute(select(func.count()).select_from(AuditEntry.__table__)).scalar()
    return snapshot(db), logged, audited


def refused(db, path: Path, match: str, passphrase: str | None = PASSPHRASE, **kwargs) -> str:
    before = state(db)
    with pytest.raises(PackageError, match=match) as caught:
        import_package(db.engine, path, passphrase, **kwargs)
    assert state(db) == before, "a refused package must leave the database unchanged"
    message = str(caught.value)
    assert str(path) in message and "\n" not in message
    return message


def members(package: Path) -> dict[str, bytes]:
    with package.open("rb") as fh:
        envelope = read_envelope(package, fh)
        plain = io.BytesIO()
        decrypt_file(package, fh, envelope, PASSPHRASE, plain)
    with zipfile.ZipFile(plain) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def repack(target: Path, parts: dict[str, bytes], *, fix_sums: bool = True, encrypt: bool = True,
           manifest_edit=None, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A package with these members; by default with correct checksums, so only the change
    under test is wrong."""
    parts = dict(parts)
    manifest = json.loads(parts.pop("manifest.json"))
    if fix_sums:
        for info in manifest["tables"].values():
            data = parts.get(info["member"], b"")
            info.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), records=data.count(b"\n"))
    manifest["encrypted"] = encrypt
    if manifest_edit:
        manifest_edit(manifest)
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w", compression=compression) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for name, data in parts.items():
            zf.writestr(name, data)
    if encrypt:
        with target.open("wb") as out:
            encrypt_file(plain, out, PASSPHRASE)
    else:
        target.write_bytes(plain.getvalue())
    return target


def test_a_good_repacked_package_is_accepted(setup, tmp_path: Path) -> None:
    """The control for the tests below: repacking alone does not make a package bad."""
    package, b = setup
    good = repack(tmp_path / "good.cosync", members(package))
    assert import_package(b.engine, good, PASSPHRASE).inserted == 25


def test_a_tampered_byte_is_refused(setup, tmp_path: Path) -> None:
    package, b = setup
    data = bytearray(package.read_bytes())
    data[HEADER.size + 100] ^= 0x01
    (tmp_path / "t.cosync").write_bytes(bytes(data))
    refused(b, tmp_path / "t.cosync", "damaged or was altered")


def test_a_tampered_header_is_refused(setup, tmp_path: Path) -> None:
    package, b = setup
    data = bytearray(package.read_bytes())
    data[20] ^= 0x01  # inside the salt: the key changes, so the key check fails
    (tmp_path / "t.cosync").write_bytes(bytes(data))
    refused(b, tmp_path / "t.cosync", "Wrong passphrase|damaged")


def test_a_truncated_package_is_refused(setup, tmp_path: Path) -> None:
    package, b = setup
    data = package.read_bytes()
    (tmp_path / "cut.cosync").write_bytes(data[: len(data) // 2])
    message = refused(b, tmp_path / "cut.cosync", "truncated")
    assert "Copy it again" in message
    (tmp_path / "head.cosync").write_bytes(data[:40])
    refused(b, tmp_path / "head.cosync", "truncated")


def test_a_truncated_plain_package_is_refused(setup, tmp_path: Path) -> None:
    package, b = setup
    plain = repack(tmp_path / "plain.cosync", members(package), encrypt=False)
    data = plain.read_bytes()
    (tmp_path / "cut.cosync").write_bytes(data[: len(data) - 200])
    # Refused before its zip is read: this application never writes a package in the clear.
    message = refused(b, tmp_path / "cut.cosync", NOT_ENCRYPTED, passphrase=None)
    assert "Ask for a new export" in message


def test_a_wrong_or_missing_passphrase_is_refused(setup) -> None:
    package, b = setup
    before = state(b)
    with pytest.raises(PassphraseError, match="Wrong passphrase"):
        import_package(b.engine, package, "not the passphrase")
    with pytest.raises(PassphraseError, match="is encrypted: give its passphrase"):
        import_package(b.engine, package, None)
    assert state(b) == before


def test_a_newer_container_is_refused(setup, tmp_path: Path) -> None:
    package, b = setup
    data = bytearray(package.read_bytes())
    data[8] = 2  # the container version
    (tmp_path / "new.cosync").write_bytes(bytes(data))
    refused(b, tmp_path / "new.cosync", "newer version .*package format 2")


def test_a_newer_format_version_is_refused(setup, tmp_path: Path) -> None:
    package, b = setup
    assert json.loads(members(package)["manifest.json"])["format_version"] == FORMAT_VERSION == 2
    newer = repack(tmp_path / "new.cosync", members(package), manifest_edit=lambda m: m.update(format_version=3))
    refused(b, newer, "newer version .*format 3")


def test_a_package_of_format_1_is_refused_saying_to_update_the_laptop(setup, tmp_path: Path) -> None:
    """Format 1 ordered whole records by the laptops' clocks: its records carry no field
    versions, so it is refused with one sentence saying what to do."""
    package, b = setup

    def format_1(manifest: dict) -> None:
        manifest["format_version"] = 1
        for key in ("role", "device_name", "predecessors", "seen", "contexts", "from_seq", "seq_max", "kind"):
            manifest.pop(key, None)

    older = repack(tmp_path / "old.cosync", members(package), manifest_edit=format_1)
    message = refused(b, older, "made by an older version of Welcoming Communities CO .*format 1")
    assert "Update the application on the laptop that made it and export again" in message
    assert "its first export after the update holds all its records" in message


def test_a_newer_schema_is_refused(setup, tmp_path: Path) -> None:
    package, b = setup
    newer = repack(tmp_path / "new.cosync", members(package),
                   manifest_edit=lambda m: m.update(schema_version="0099_from_the_future"))
    refused(b, newer, "newer version .*0099_from_the_future")


def test_a_member_whose_checksum_differs_is_refused(setup, tmp_path: Path) -> None:
    package, b = setup
    parts = members(package)
    parts["participants.jsonl"] = parts["participants.jsonl"].replace(b"Amina", b"Anima")
    forged = repack(tmp_path / "forged.cosync", parts, fix_sums=False)
    refused(b, forged, "checksum of 'participants.jsonl' does not match")


@pytest.mark.parametrize("name", ["../participants.jsonl", "/etc/cron.d/x", "sub/attendance.jsonl",
                                  "..\\evil.jsonl", "C:attendance.jsonl"])
def test_a_member_name_that_is_a_path_is_refused(setup, tmp_path: Path, name: str) -> None:
    package, b = setup
    parts = members(package)
    parts[name] = b""
    refused(b, repack(tmp_path / "evil.cosync", parts), "could point outside the package")


def test_an_unexpected_member_is_refused(setup, tmp_path: Path) -> None:
    package, b = setup
    parts = members(package)
    parts["payload.exe"] = b"MZ"
    refused(b, repack(tmp_path / "odd.cosync", parts), "unexpected member 'payload.exe'")


def test_a_zip_bomb_is_refused(setup, tmp_path: Path) -> None:
    package, b = setup
    parts = members(package)
    parts["attendance.jsonl"] = b"\n" * (64 << 20)  # 64 MB of newlines pack into about 64 KB
    bomb = repack(tmp_path / "bomb.cosync", parts)
    assert bomb.stat().st_size < 1 << 20
    refused(b, bomb, "zip bomb")


def test_a_package_bigger_than_the_limit_is_refused(setup) -> None:
    package, b = setup
    refused(b, package, "would unpack to .* more than the limit", limits=Limits(max_unpacked_bytes=1000))
    refused(b, package, "too large", limits=Limits(max_package_bytes=1000))


def test_a_file_that_is_no_package_is_refused(setup, tmp_path: Path) -> None:
    _, b = setup
    (tmp_path / "notes.txt").write_text("=1+1 hello")
    refused(b, tmp_path / "notes.txt", "is not a sync package")
    refused(b, tmp_path / "missing.cosync", "Cannot read the sync package")


def test_a_record_of_the_wrong_shape_is_refused_naming_its_line(setup, tmp_path: Path) -> None:
    package, b = setup
    parts = members(package)
    lines = parts["participants.jsonl"].splitlines(keepends=True)
    record = json.loads(lines[2])
    record["birth_year"] = "nineteen-ninety"
    lines[2] = (json.dumps(record) + "\n").encode()
    parts["participants.jsonl"] = b"".join(lines)
    message = refused(b, repack(tmp_path / "bad.cosync", parts), "record 3 of participants.jsonl")
    assert "birth_year" in message


def test_a_record_with_an_unknown_field_is_refused(setup, tmp_path: Path) -> None:
    package, b = setup
    parts = members(package)
    lines = parts["households.jsonl"].splitlines(keepends=True)
    record = json.loads(lines[0])
    record["favourite_colour"] = "blue"
    lines[0] = (json.dumps(record) + "\n").encode()
    parts["households.jsonl"] = b"".join(lines)
    refused(b, repack(tmp_path / "bad.cosync", parts), "fields this version does not know: favourite_colour")


def test_a_repeated_id_is_refused(setup, tmp_path: Path) -> None:
    package, b = setup
    parts = members(package)
    first = parts["attendance.jsonl"].splitlines(keepends=True)[0]
    parts["attendance.jsonl"] += first
    refused(b, repack(tmp_path / "twice.cosync", parts), "record 13 of attendance.jsonl .*appears twice")


def test_records_that_point_to_missing_records_are_refused(setup, tmp_path: Path) -> None:
    """An incremental package imported without the packages before it."""
    package, b = setup
    parts = members(package)
    parts["participants.jsonl"] = b""
    message = refused(b, repack(tmp_path / "orphans.cosync", parts), "refers to records that are neither")
    assert "Import those first" in message


def test_a_refused_package_in_a_dry_run_is_refused_too(setup, tmp_path: Path) -> None:
    package, b = setup
    data = bytearray(package.read_bytes())
    data[-1] ^= 0x01  # the authentication tag itself
    (tmp_path / "t.cosync").write_bytes(bytes(data))
    refused(b, tmp_path / "t.cosync", "damaged or was altered", dry_run=True)


def test_people_s_records_without_encryption_are_refused(setup, tmp_path: Path) -> None:
    """The export always encrypts a package that holds people; one that does not was made
    or altered elsewhere — its edits (a far-future date that would win every later sync)
    must not reach the database."""
    package, b = setup
    parts = members(package)
    lines = parts["attendance.jsonl"].splitlines(keepends=True)
    record = json.loads(lines[0])
    record.update(status="present", updated_at="2099-01-01 00:00:00.000000")
    lines[0] = (json.dumps(record) + "\n").encode()
    parts["attendance.jsonl"] = b"".join(lines)
    forged = repack(tmp_path / "forged-plain.cosync", parts, encrypt=False)
    message = refused(b, forged, NOT_ENCRYPTED, passphrase=None)
    assert "Ask for a new export" in message
    refused(b, forged, NOT_ENCRYPTED, dry_run=True)
    # The office refuses it just the same, even while enrolling new laptops.
    hub = office(tmp_path)
    refused(hub, forged, NOT_ENCRYPTED, passphrase=None, trust_new=True)


@pytest.mark.parametrize(("table", "field", "value"), [
    ("attendance", "status", "attended"),
    ("participants", "sex", "F"),
    ("participants", "age_group", "adult"),
])
def test_a_word_this_version_does_not_know_is_refused(setup, tmp_path: Path, table: str, field: str,
                                                      value: str) -> None:
    """A status, sex or age group outside the known words would be counted as one thing by
    the spreadsheet and as another by the report: the package is refused, naming it."""
    package, b = setup
    parts = members(package)
    member = f"{table}.jsonl"
    lines = parts[member].splitlines(keepends=True)
    record = json.loads(lines[1])
    record[field] = value
    lines[1] = (json.dumps(record) + "\n").encode()
    parts[member] = b"".join(lines)
    message = refused(b, repack(tmp_path / "bad.cosync", parts), f"record 2 of {member}")
    assert f"'{field}' should be one of" in message and f'not "{value}"' in message
