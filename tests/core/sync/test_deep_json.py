"""JSON nested 100,000 deep in a sync package's unsigned header, in one of its records, or
in an office key file is a damaged file in one sentence: json.loads recursed until
RecursionError, which the command line and the window showed as "unexpected RecursionError"
(found by a fresh-eyes attack on issue 19)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from co_app.core.sync.container import PackageError
from co_app.core.sync.keyed import MAGIC
from co_app.core.sync.keys import read_key_file
from co_app.core.sync.package import export_package
from tests.core.sync.test_sync_rejections import members, refused, repack
from tests.core.sync_helpers import PASSPHRASE, laptop, populate

DEEP = "[" * 100_000 + "]" * 100_000


def test_a_header_nested_too_deep_is_a_damaged_package(tmp_path: Path) -> None:
    b = laptop(tmp_path, "b")
    try:
        header = DEEP.encode()
        package = tmp_path / "deep-header.cosync"
        package.write_bytes(MAGIC + struct.pack(">I", len(header)) + header + bytes(200))
        message = refused(b, package, "header is not valid", passphrase=None)
        assert message.isprintable()
    finally:
        b.dispose()


def test_a_record_nested_too_deep_is_a_damaged_line(tmp_path: Path) -> None:
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    try:
        populate(a)
        package = tmp_path / "a.cosync"
        export_package(a.engine, a.device_id, package, passphrase=PASSPHRASE)
        parts = members(package)
        lines = parts["participants.jsonl"].splitlines(keepends=True)
        lines[1] = DEEP.encode() + b"\n"
        parts["participants.jsonl"] = b"".join(lines)
        refused(b, repack(tmp_path / "deep-line.cosync", parts), "line 2 of participants.jsonl is not a JSON record")
    finally:
        a.dispose()
        b.dispose()


def test_an_office_key_file_nested_too_deep_is_not_a_key_file(tmp_path: Path) -> None:
    key = tmp_path / "office.key"
    key.write_text("[" * 30_000 + "]" * 30_000, "utf-8")
    with pytest.raises(PackageError, match="is not an office key file"):
        read_key_file(key)
