"""The conflict log as the merge writes it: the value of a field that lost to a concurrent
change, with both values and both dots — logged once, however often its package comes.

A loser that had the kept value lost nothing: it is kept as *absorbed* (``winner`` is
``SAME``, marked reviewed, out of the officer's list) and reopened when the kept change is
overwritten by one that did not know it.  A laptop's own log travels to the office in its
packages (``from_laptop``): a value lost on the laptop must reach the office's review too.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from co_app.core.db import versions
from co_app.core.db.models import SyncConflict
from co_app.core.sync import causality, records

#: The "winner" of a loser that had the kept value (nothing lost, yet).
SAME = "same"
#: Values per IN list: under the 999 parameters of older SQLite builds.
IN_CHUNK = 900


def entry(codec: records.TableCodec, record_id: str, name: str, side: str, win_value: Any, win_dot: causality.Dot,
          lose_value: Any, lose_dot: causality.Dot, *, now: datetime, package: str) -> dict[str, Any]:
    """A row of the log: ``side`` ("local", "incoming" or SAME) is the version kept."""
    return {"detected_at": now, "table_name": codec.name, "record_id": record_id, "winner": side, "field": name,
            "winner_updated_at": versions.hlc_datetime(win_dot[2]), "winner_device_id": win_dot[0],
            "loser_updated_at": versions.hlc_datetime(lose_dot[2]), "loser_device_id": lose_dot[0],
            "winner_value": codec.field_canonical(name, win_value),
            "loser_data": {name: codec.field_canonical(name, lose_value)},
            "winner_dot": list(win_dot), "loser_dot": list(lose_dot), "package": package, "reviewed": side == SAME}


def log(conn: Connection, table_name: str, conflicts: list[dict[str, Any]]) -> int:
    """Log the losing values not logged before; returns how many were new."""
    if not conflicts:
        return 0
    table = SyncConflict.__table__
    ids = list({c["record_id"] for c in conflicts})
    known = set()
    for start in range(0, len(ids), IN_CHUNK):
        known.update((row.record_id, row.field, json.dumps(row.loser_dot)) for row in conn.execute(
            select(table.c.record_id, table.c.field, table.c.loser_dot)
            .where(table.c.table_name == table_name, table.c.record_id.in_(ids[start:start + IN_CHUNK]))))
    fresh = []
    for conflict in conflicts:
        key = (conflict["record_id"], conflict["field"], json.dumps(conflict["loser_dot"]))
        if key not in known:
            known.add(key)
            fresh.append(conflict)
    if fresh:
        conn.execute(table.insert(), fresh)
    return len(fresh)


def reopen(conn: Connection, applied: list[tuple[Any, str, str, Any, causality.Dot]],
           contexts: causality.Contexts) -> None:
    """An absorbed loser is lost after all when the kept change is overwritten by a change
    that did not know it: back to the officer's list, with the value that now wins.
    ``applied``: the fields an import changed, as (codec, record id, field, value, dot)."""
    if not applied:
        return
    table = SyncConflict.__table__
    ids = list({record_id for _codec, record_id, *_rest in applied})
    absorbed: dict[tuple[str, str], list[Any]] = {}
    for start in range(0, len(ids), IN_CHUNK):
        for row in conn.execute(select(table.c.id, table.c.record_id, table.c.field, table.c.loser_dot,
                                       table.c.winner_dot).where(
                table.c.winner == SAME, table.c.record_id.in_(ids[start:start + IN_CHUNK]))):
            absorbed.setdefault((row.record_id, row.field), []).append(row)
    for codec, record_id, name, value, dot in applied:
        for row in absorbed.get((record_id, name), ()):
            if causality.as_dot(row.winner_dot) == dot:
                continue  # the change that absorbed it
            if not causality.before(causality.as_dot(row.loser_dot), dot, contexts):
                conn.execute(update(table).where(table.c.id == row.id).values(
                    winner="incoming", reviewed=False, winner_value=codec.field_canonical(name, value),
                    winner_dot=list(dot), winner_device_id=dot[0], winner_updated_at=versions.hlc_datetime(dot[2])))


def from_laptop(manifest: dict[str, Any], *, now: datetime, package: str) -> dict[str, list[dict[str, Any]]]:
    """The conflicts a laptop's package carries (found when the laptop imported), as rows of
    this log by table; checked by the reader (reader._is_conflict)."""
    by_table: dict[str, list[dict[str, Any]]] = {}
    label = f"{manifest['device_name'] or manifest['device_id'][:8]}: {package}"[:200]
    for shipped in manifest.get("conflicts", []):
        win, lose = causality.as_dot(shipped["winner_dot"]), causality.as_dot(shipped["loser_dot"])
        same = shipped["winner_value"] == shipped["loser_value"]
        by_table.setdefault(shipped["table"], []).append({
            "detected_at": now, "table_name": shipped["table"], "record_id": shipped["record_id"],
            "winner": SAME if same else "incoming", "field": shipped["field"],
            "winner_updated_at": versions.hlc_datetime(win[2]), "winner_device_id": win[0],
            "loser_updated_at": versions.hlc_datetime(lose[2]), "loser_device_id": lose[0],
            "winner_value": shipped["winner_value"], "loser_data": {shipped["field"]: shipped["loser_value"]},
            "winner_dot": list(win), "loser_dot": list(lose), "package": label, "reviewed": same})
    return by_table
