"""Damaged and crafted sync packages against the importer: a real package from a real
laptop, then bytes flipped or cut, the manifest edited, members renamed, records changed
(with their checksums made right again, so the merge itself is reached) and wrong
passphrases.  Only the project's own errors, with a message, may come out — and a refused
package leaves every row of the database as it was."""

from __future__ import annotations

import hashlib
import io
import json
import warnings
import uuid
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from co_app.core.db import validation
from co_app.core.db.engine import Database
from co_app.core.foundation.errors import CoError
from co_app.core.sync import container
from co_app.core.sync.container import HEADER, PackageError, decrypt_file, encrypt_file, read_envelope
from co_app.core.sync.package import MANIFEST, export_package, member_name
from co_app.core.sync.service import import_package, trust_for
from tests.core.sync_helpers import PASSPHRASE, enrol, laptop, office, populate
from tests.core.valid_data import assert_every_record_valid, assert_exports_and_reports_work
from tests.fuzz.mutations import ODD_TEXT, VALUES, checksum, mutated_bytes, mutated_document

#: Three quarters of the profile's examples (150 of the default 200): each one imports into a
#: database, and the whole tests/fuzz run stays well under a minute.
EXAMPLES = settings(max_examples=max(1, settings.default.max_examples * 3 // 4))


class World:
    """Laptop B, which imports, and laptop A's package: as written (``encrypted``) and its
    zip's members decrypted.  A plain class: hypothesis prints a dataclass whole in its
    report of a failing example."""

    def __init__(self, folder: Path, db: Database, encrypted: bytes, members: dict[str, bytes]) -> None:
        self.folder, self.db, self.encrypted, self.members = folder, db, encrypted, members

    def __repr__(self) -> str:
        return f"World({self.folder})"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("fuzz-sync")
    with pytest.MonkeyPatch.context() as patch:
        # The package says what scrypt cost to read it with: a cheap one keeps a thousand
        # decryptions fast, and the importer is the same code.
        patch.setattr(container, "KDF_LOG2_N", 10)
        a, b = laptop(folder, "a"), laptop(folder, "b")
        populate(a)
        populate(b, sessions=1, town="portugal-caranguejeira")
        trust_for(b.engine)  # B's keys are made on first use: now, so that whichever test runs first
        package = folder / "a.cosync"  # sees a refused import leave B exactly as it was
        export_package(a.engine, a.device_id, package, passphrase=PASSPHRASE)
        a.dispose()
        raw = package.read_bytes()
        with package.open("rb") as fh:
            plain = io.BytesIO()
            decrypt_file(package, fh, read_envelope(package, fh), PASSPHRASE, plain)
        with zipfile.ZipFile(plain) as zf:
            members = {name: zf.read(name) for name in zf.namelist()}
        yield World(folder, b, raw, members)
        b.dispose()


def attempt(world: World | Office, data: bytes, passphrase: str | None = PASSPHRASE, **kwargs: Any) -> str | None:
    """Import ``data``; the error message when it is refused (None when it was imported).
    Anything but a ``CoError`` escapes and fails the property."""
    path = world.folder / "fuzzed.cosync"
    path.write_bytes(data)
    before = checksum(world.db.engine)
    try:
        import_package(world.db.engine, path, passphrase, **kwargs)
    except CoError as exc:
        assert str(exc).strip(), f"{type(exc).__name__} without a message"
        assert checksum(world.db.engine) == before, f"refused ({exc}) but the database changed"
        return str(exc)
    return None


def pack(members: dict[str, bytes] | list[tuple[str, bytes]], *, encrypt: bool) -> bytes:
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": wanted here
        for name, data in (members.items() if isinstance(members, dict) else members):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    if not encrypt:
        return plain.getvalue()
    out = io.BytesIO()
    encrypt_file(plain, out, PASSPHRASE)
    return out.getvalue()


def with_sums(members: dict[str, bytes], *, encrypted: bool) -> dict[str, bytes]:
    """The members with a manifest whose checksums, sizes and counts fit them again."""
    manifest = json.loads(members[MANIFEST])
    manifest["encrypted"] = encrypted
    for info in manifest["tables"].values():
        data = members.get(info["member"], b"")
        info.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), records=data.count(b"\n"))
    return {**members, MANIFEST: json.dumps(manifest, ensure_ascii=False).encode()}


def test_the_untouched_package_imports(world: World) -> None:
    """The baseline the mutations start from is a good package.  The same records without
    encryption are refused before anything else (this application never writes a package in
    the clear), so the plain mutations below test the reader up to that point; the encrypted
    ones reach the records and the merge."""
    assert attempt(world, world.encrypted) is None
    plain = attempt(world, pack(with_sums(world.members, encrypted=False), encrypt=False), None)
    assert plain is not None
    assert "it is not encrypted, and this application never writes a package in the clear" in plain


@EXAMPLES
@given(data=st.data())
def test_damaged_encrypted_package(world: World, data: st.DataObject) -> None:
    damaged = data.draw(mutated_bytes(world.encrypted))
    if damaged != world.encrypted:
        assert attempt(world, damaged) is not None


@EXAMPLES
@given(data=st.data())
def test_damaged_zip_inside(world: World, data: st.DataObject) -> None:
    """The zip itself damaged (as a plain package, and encrypted with a valid tag, as a
    package made by a broken program would be)."""
    plain = pack(world.members, encrypt=False)
    damaged = data.draw(mutated_bytes(plain))
    encrypt = data.draw(st.booleans())
    if encrypt:
        out = io.BytesIO()
        encrypt_file(io.BytesIO(damaged), out, PASSPHRASE)
        damaged = out.getvalue()
    attempt(world, damaged, PASSPHRASE if encrypt else None)


@EXAMPLES
@given(data=st.data())
def test_edited_manifest(world: World, data: st.DataObject) -> None:
    manifest = json.loads(world.members[MANIFEST])
    edited = data.draw(mutated_document(manifest, names=tuple(manifest) + ("member", "records", "sha256", "bytes")))
    members = {**world.members, MANIFEST: json.dumps(edited, ensure_ascii=False, default=str).encode()}
    encrypt = data.draw(st.booleans())
    attempt(world, pack(members, encrypt=encrypt), PASSPHRASE if encrypt else None)


NAMES = st.one_of(ODD_TEXT, st.text(max_size=30), st.sampled_from([
    "../participants.jsonl", "/etc/passwd", "a/participants.jsonl", "participants.jsonl/", "PARTICIPANTS.jsonl",
    "participants.json", "manifest.json", "c:participants.jsonl", "~participants.jsonl", "participants.jsonl\x00",
    "attendance.jsonl", "households.jsonl",
]))


@EXAMPLES
@given(data=st.data())
def test_renamed_added_or_missing_members(world: World, data: st.DataObject) -> None:
    entries = list(world.members.items())
    for _ in range(data.draw(st.integers(1, 3))):
        op = data.draw(st.sampled_from(["rename", "add", "drop", "duplicate"]))
        if op == "add" or not entries:
            entries.append((data.draw(NAMES), data.draw(st.binary(max_size=64))))
            continue
        at = data.draw(st.integers(0, len(entries) - 1))
        if op == "rename":
            entries[at] = (data.draw(NAMES), entries[at][1])
        elif op == "drop":
            del entries[at]
        else:
            entries.append(entries[at])
    encrypt = data.draw(st.booleans())
    try:
        package = pack(entries, encrypt=encrypt)
    except (ValueError, UnicodeEncodeError):
        return  # zipfile itself refuses to write such a name (a NUL, a lone surrogate)
    attempt(world, package, PASSPHRASE if encrypt else None)


TABLES = ("co_sessions", "households", "participants", "attendance", "module_coverage")


@EXAMPLES
@given(data=st.data())
def test_changed_records_with_checksums_made_right(world: World, data: st.DataObject) -> None:
    """A crafted package: records changed, and the manifest made to agree, so every check
    of the reader passes and the merge meets the bad values itself."""
    members = dict(world.members)
    table = data.draw(st.sampled_from([t for t in TABLES if member_name(t) in members]))
    name = member_name(table)
    lines = members[name].decode("utf-8").splitlines()
    how = data.draw(st.sampled_from(["record", "line", "bytes"]))
    if how == "record" and lines:
        at = data.draw(st.integers(0, len(lines) - 1))
        record: dict[str, Any] = json.loads(lines[at])
        changed = data.draw(mutated_document(record, max_mutations=3))
        lines[at] = json.dumps(changed, ensure_ascii=False, default=str)
        members[name] = "".join(line + "\n" for line in lines).encode("utf-8", "surrogatepass")
    elif how == "line":
        lines.insert(data.draw(st.integers(0, len(lines))), data.draw(st.one_of(
            ODD_TEXT, st.text(max_size=60), VALUES.map(lambda v: json.dumps(v, default=str)))).replace("\n", " "))
        members[name] = "".join(line + "\n" for line in lines).encode("utf-8", "surrogatepass")
    else:
        members[name] = data.draw(mutated_bytes(members[name]))
    encrypt = data.draw(st.booleans())
    attempt(world, pack(with_sums(members, encrypted=encrypt), encrypt=encrypt), PASSPHRASE if encrypt else None)


@EXAMPLES
@given(passphrase=st.one_of(st.none(), ODD_TEXT, st.text(max_size=40),
                            st.sampled_from([PASSPHRASE.upper(), PASSPHRASE + " ", " " + PASSPHRASE, PASSPHRASE[:-1],
                                             PASSPHRASE.replace(" ", "")])))
def test_wrong_passphrase(world: World, passphrase: str | None) -> None:
    if passphrase == PASSPHRASE:
        return
    message = attempt(world, world.encrypted, passphrase)
    assert message is not None


def test_a_package_asking_for_a_huge_key_cost_is_refused_at_once(world: World) -> None:
    """The header says how costly the passphrase check is; a crafted one asking for
    gigabytes of memory is refused before scrypt runs."""
    fields = list(HEADER.unpack(world.encrypted[:HEADER.size]))
    fields[2:5] = [20, 16, 4]  # log2(n), r, p: 2 GiB and half a minute
    crafted = HEADER.pack(*fields) + world.encrypted[HEADER.size:]
    with pytest.raises(PackageError, match="damaged"):
        import_package(world.db.engine, _write(world, crafted), PASSPHRASE)


def _write(world: World, data: bytes) -> Path:
    path = world.folder / "crafted.cosync"
    path.write_bytes(data)
    return path



class Office:
    """The office's hub, which enrolled laptop A, and A's keyed package (sealed for the
    office and signed by A)."""

    def __init__(self, folder: Path, hub: Database, keyed: bytes) -> None:
        self.folder, self.db, self.keyed = folder, hub, keyed

    def __repr__(self) -> str:
        return f"Office({self.folder})"


@pytest.fixture(scope="module")
def hub_world(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("fuzz-keyed")
    a, hub = laptop(folder, "a"), office(folder)
    enrol(hub, a)
    populate(a)
    package = folder / "a.cosync"
    export_package(a.engine, a.device_id, package, passphrase=None)
    a.dispose()
    import_package(hub.engine, package, None, trust_new=True)  # enrols A
    yield Office(folder, hub, package.read_bytes())
    hub.dispose()


@EXAMPLES
@given(data=st.data())
def test_damaged_keyed_package_at_the_office(hub_world: Office, data: st.DataObject) -> None:
    """A's sealed package, bytes flipped or cut: the office refuses it with one of its own
    errors (the signature covers every byte) and its database is as it was, even while
    enrolling new laptops."""
    damaged = data.draw(mutated_bytes(hub_world.keyed))
    if damaged == hub_world.keyed:
        return
    message = attempt(hub_world, damaged, None, trust_new=data.draw(st.booleans()))
    assert message is not None, "a damaged keyed package was imported"


# --- bad field values (issue 19) ----------------------------------------------------

#: Control characters, lone surrogates and noncharacters: the XLSX export refused them, the
#: log and the terminal printed them.  Tabs and line breaks are kept in notes.
_CONTROLS = st.sampled_from(["\x00", "\x07", "\x1b[2J", "\x7f", "\x85", "\x9b", "\ud800", "\udfff", "\ufffe", "\t",
                             "\n", "\r"])
_WORDS = st.sampled_from([*validation.SEXES, *validation.AGE_GROUPS, *validation.NEEDS, *validation.ATTENDANCE_STATUSES,
                          *validation.SESSION_STATUSES, "F", "", " ", "SY", "Syria", "sy", "ar", "fa_AF", "x-1",
                          "housing", "germany-jena", "../housing"])


def _moments(moment: datetime) -> st.SearchStrategy[str]:
    """One moment written the canonical way and the ways that sorted wrongly beside it."""
    canonical = moment.strftime("%Y-%m-%d %H:%M:%S.%f")
    return st.sampled_from([canonical, canonical[:10], moment.isoformat(), canonical[:-5] + "+0530",
                            moment.isoformat(sep=" ") + "+05:30", canonical + "Z", moment.strftime("%Y%m%d"),
                            "{:04d}-W{:02d}-{}".format(*moment.isocalendar()), canonical.replace("-", "/")])


#: Values a field may be given by a broken or hostile laptop: each kind issue 19 found past
#: the import (control characters, numbers and objects in lists, huge and negative
#: integers, week dates, offsets, overlong text) and valid values beside them.
FIELD_VALUES = st.one_of(
    st.builds(lambda a, c, b: a + c + b, st.text(max_size=6), _CONTROLS, st.text(max_size=6)),
    st.text(st.characters(exclude_categories=()), max_size=12),
    _WORDS,
    st.sampled_from(["x" * 64, "x" * 65, "x" * 200, "x" * 201, "ع" * 201]),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([2**31 - 1, 2**31, 2**63, 2**64, -(2**63) - 1, 10**20, -1985, 0, 1, 1899, 1900, 1985, 2026, 9999]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(9999, 1, 1)).flatmap(_moments),
    st.lists(st.one_of(st.integers(), _WORDS, st.text(max_size=6), st.none(), st.booleans(),
                       st.dictionaries(st.text(max_size=4), st.integers(), max_size=2)), max_size=4),
    st.lists(st.fixed_dictionaries({"kind": st.sampled_from([*validation.AGENDA_KINDS, "dance"]),
                                    "ref": st.one_of(_WORDS, st.text(max_size=6)),
                                    "minutes": st.integers(-10, 2**70)}), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


#: Valid values at the edges of what a field may hold (limits, right-to-left and joining
#: marks, formula-like text, far dates, full lists): what the import takes must export.
_EDGES = [
    "", " ", "x" * 36, "x" * 64, "ع" * 200, "=HYPERLINK(\"http://x\")", "-1", "+1", "@SUM(A1)", "'", "{name}", "%s",
    "Ḥaddād", "\u200f\u202eabc\u202c", "ZWNJ\u200cخانه", "نص عربي", "ትግርኛ", "\U0001f600", "a\tb\r\nc",
    "germany-jena", "italy-biella", "no-such-town", "housing", "ar", "fa_AF", "sr-Latn", "SY", "AF", "x-1",
    *validation.SEXES, *validation.AGE_GROUPS, *validation.ATTENDANCE_STATUSES, *validation.SESSION_STATUSES,
    0, 1, -1, 999, 1900, 1901, date.today().year + 1, 2**31 - 1, -(2**31), True, False, None,
    "1900-01-01", "2199-12-31", "2024-02-29", "1900-01-01 00:00:00.000000", "9999-12-31 23:59:59.999999",
    "2099-01-01 00:00:00.000000", "2026-11-20 10:00:00.000000",
    [], ["ar", "fa_AF", "sr-Latn"], list(validation.NEEDS), ["germany-jena", "no-such-town"], ["ar"] * 50,
    [{"kind": "break", "minutes": 15}], [{"kind": "film", "ref": "germany-jena", "minutes": 240}],
    [{"kind": "module", "ref": "no-such-module", "minutes": 1}] * 3, str(uuid.uuid4()),
]
#: For each field, the edge values it may hold.
EDGES = {(table, field): [v for v in _EDGES if rule.problem(field, v) is None]
         for table, rules in validation.RULES.items() for field, rule in rules.items()}


def _value_for(table: str, field: str, hostile: bool) -> st.SearchStrategy[Any]:
    edges = EDGES[(table, field)]
    return st.sampled_from(edges) if edges and not hostile else FIELD_VALUES


#: A quarter of the profile's examples (50 of 200): an imported one runs the exports and the
#: reports (about half a second).
@settings(max_examples=max(1, settings.default.max_examples // 4))
@given(data=st.data())
def test_bad_field_values_are_refused_or_harmless(world: World, data: st.DataObject) -> None:
    """One to three fields of one record given values of the wrong kind, range or form, in a
    package whose checksums agree (a broken or hostile laptop): the import refuses the whole
    package in one sentence naming the record, or every record it leaves is valid and every
    export (CSV, XLSX, with names, pseudonymised) and report still runs."""
    members = dict(world.members)
    table = data.draw(st.sampled_from(TABLES))
    name = member_name(table)
    lines = members[name].decode("utf-8").splitlines()
    at = data.draw(st.integers(0, len(lines) - 1))
    record: dict[str, Any] = json.loads(lines[at])
    # Half the examples give hostile values, half valid ones at the edges: what is refused must
    # be refused in one sentence, what is taken must export.
    hostile = data.draw(st.booleans(), label="hostile")
    for field in data.draw(st.lists(st.sampled_from(sorted(record)), min_size=1, max_size=3, unique=True)):
        record[field] = data.draw(_value_for(table, field, hostile), label=field)
    lines[at] = json.dumps(record)  # ASCII: a lone surrogate travels as \ud800 and reaches the import
    members[name] = "".join(line + "\n" for line in lines).encode("utf-8")
    message = attempt(world, pack(with_sums(members, encrypted=True), encrypt=True))
    event("imported" if message is None else "refused")  # --hypothesis-show-statistics
    if message is None:
        assert_every_record_valid(world.db)
        assert_exports_and_reports_work(world.db, world.folder / "exports", quick=True)
        return
    assert message.isprintable(), "a refusal must not carry a control character"
    # Refused by a check (the record, its references, its natural key), never by the database.
    assert message.startswith(f"The sync package {world.folder / 'fuzzed.cosync'}"), message


FIELDS = [(table, field) for table, rules in validation.RULES.items() for field in rules]


@given(where=st.sampled_from(FIELDS), values=st.lists(FIELD_VALUES, max_size=4))
def test_a_column_checked_at_once_agrees_with_its_values_checked_one_by_one(where: tuple[str, str],
                                                                            values: list[Any]) -> None:
    """The import checks a batch of records column by column (fast); a refusal then names
    the first bad value (one by one): the two must agree on every value."""
    table, field = where
    rule = validation.RULES[table][field]
    assert rule.batch(values) == all(rule.problem(field, value) is None for value in values)
