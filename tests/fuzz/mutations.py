"""Strategies that damage valid files the way hands, tools and USB sticks do: values of the
wrong type, missing or unknown keys, odd text, and flipped, cut or inserted bytes; and the
database's checksum, to show that a refused file changed nothing."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import math
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import Engine

ODD_TEXT = st.sampled_from([
    "", " ", "\t", "\n", "0", "-1", "00:00", "99:99", "1:02:03.4567", "../../etc/passwd", "a" * 300,
    "ar", "xx_YY", "fa_AF", "germany-jena", "germany-jena#welcome", "#", "\u200f\u202e", "نص عربي", "ትግርኛ",
    "${x}", "{name}", "%s", "\x00", "\ud7ff", "\U0001f600",
])
SCALARS = st.one_of(
    st.text(max_size=40), ODD_TEXT, st.integers(min_value=-(2**63), max_value=2**63 - 1), st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True), st.dates(),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.text(max_size=12), ODD_TEXT), inner, max_size=4)),
    max_leaves=12)


def _keys(node: Any) -> list[str]:
    """Every dictionary key anywhere in ``node``."""
    if isinstance(node, dict):
        return [str(k) for k in node] + [k for v in node.values() for k in _keys(v)]
    if isinstance(node, list):
        return [k for v in node for k in _keys(v)]
    return []


def _children(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return list(node)
    if isinstance(node, list):
        return list(range(len(node)))
    return []


@st.composite
def mutated_document(draw: st.DrawFn, document: dict[str, Any], max_mutations: int = 4,
                     names: tuple[str, ...] = ()) -> dict[str, Any]:
    """``document`` with 1..max_mutations changes at random places in its tree; ``names``
    are field names of the format, so that optional fields get added with odd values too."""
    doc = copy.deepcopy(document)
    vocabulary = tuple(sorted(set(names) | set(_keys(document)))) or ("x",)
    for _ in range(draw(st.integers(1, max_mutations))):
        node = doc
        while True:  # walk down to a container, stopping at random
            keys = [k for k in _children(node) if isinstance(node[k], (dict, list))]
            if not keys or draw(st.booleans()):
                break
            node = node[draw(st.sampled_from(keys))]
        keys = _children(node)
        op = draw(st.sampled_from(["replace", "delete", "add", "edit"] if keys else ["add"]))
        if op == "add":
            if isinstance(node, dict):
                node[draw(st.one_of(st.sampled_from(vocabulary), ODD_TEXT))] = draw(VALUES)
            else:
                node.insert(draw(st.integers(0, len(node))), draw(VALUES))
            continue
        key = draw(st.sampled_from(keys))
        if op == "delete":
            del node[key]
        elif op == "replace":
            node[key] = draw(VALUES)
        elif isinstance(node[key], str):  # edit a string a little
            text = node[key]
            cut = draw(st.integers(0, len(text)))
            inserted = draw(st.one_of(ODD_TEXT, st.text(max_size=5)))
            node[key] = text[:cut] + inserted + text[cut + draw(st.integers(0, 3)):]
        else:
            node[key] = draw(VALUES)
    return doc


@st.composite
def mutated_bytes(draw: st.DrawFn, raw: bytes, max_mutations: int = 6) -> bytes:
    """``raw`` with bytes flipped, cut, inserted, duplicated or the end truncated."""
    data = bytearray(raw)
    for _ in range(draw(st.integers(1, max_mutations))):
        op = draw(st.sampled_from(["flip", "delete", "insert", "duplicate", "truncate"]))
        at = draw(st.integers(0, len(data)))
        if op == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "duplicate":
            data[at:at] = data[at:at + draw(st.integers(1, 200))]
        elif op == "truncate":
            del data[at:]
    return bytes(data)


# --- writing TOML (the standard library only reads it) ----------------------------------


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_string(str(k))} = {_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def dump_toml(document: dict[str, Any]) -> str:
    """TOML for ``document``: every top-level key on its own line, nested ones inline."""
    return "".join(f"{_string(str(key))} = {_value(value)}\n" for key, value in document.items())


def checksum(engine: Engine) -> str:
    """SHA-256 of every row of every table, in a fixed order."""
    digest = hashlib.sha256()
    with engine.connect() as conn:
        tables = [row[0] for row in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            digest.update(table.encode())
            for row in conn.exec_driver_sql(f'SELECT * FROM "{table}" ORDER BY rowid'):  # noqa: S608 - the test's own table names
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()
