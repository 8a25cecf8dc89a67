"""The merge's bulk reads and writes the fastest way each database allows: new records
written with the driver's own ``executemany`` and plain tuples (SQLAlchemy's processing of
every parameter of every row made importing a USB stick of 20 laptops into PostgreSQL 1.5
times slower), the device each session and person was created on
(co_app/core/db/origins.py) among the columns; and on PostgreSQL the records already
there read with one array parameter instead of a compiled list of 900."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timezone
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection

from co_app.core.sync.records import TableCodec


def _sql(codec: TableCodec, mark: str) -> str:
    names = (*codec.columns, "sync_seq")
    columns = ", ".join(f'"{name}"' for name in names)
    return f'INSERT INTO "{codec.name}" ({columns}) VALUES ({", ".join([mark] * len(names))})'  # noqa: S608 - our own table and column names


def insert(conn: Connection, codec: TableCodec, rows: list[dict[str, Any]], next_seq: Callable[[], int]) -> None:
    """Insert ``rows`` (parsed by ``codec``; a session's and a person's creating device among
    them), each with the next arrival number."""
    row_tuple = itemgetter(*codec.columns)
    if codec.stored:  # SQLite: the values are already the text it stores
        conn.exec_driver_sql(_sql(codec, "?"), [(*row_tuple(row), next_seq()) for row in rows])
        return
    if conn.dialect.name != "postgresql":
        conn.execute(codec.table.insert(), [dict(row, sync_seq=next_seq()) for row in rows])
        return
    times = [i for i, name in enumerate(codec.columns) if codec.kinds[name] == "datetime"]
    texts = [i for i, name in enumerate(codec.columns) if codec.kinds[name] == "json"]
    dumps, values = json.dumps, []
    for row in rows:
        value = list(row_tuple(row))
        for i in times:  # aware UTC -> the naive UTC the column stores (db.base.UTCDateTime)
            if value[i] is not None:
                value[i] = value[i].astimezone(timezone.utc).replace(tzinfo=None)
        for i in texts:  # JSON as text: PostgreSQL casts it to the column's json
            value[i] = dumps(value[i])
        values.append((*value, next_seq()))
    conn.exec_driver_sql(_sql(codec, "%s"), values)


def existing_postgres(conn: Connection, codec: TableCodec, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The records of ``ids`` already in a PostgreSQL database, as SQLAlchemy's typed view
    gives them (aware UTC times), by id."""
    times = [name for name in codec.columns if codec.kinds[name] == "datetime"]
    utc = timezone.utc
    found: dict[str, dict[str, Any]] = {}
    for row in conn.exec_driver_sql(f"{codec.select_sql} WHERE id = ANY(%s::bpchar[])", (ids,)):
        values = dict(zip(codec.columns, row))
        for name in times:
            if values[name] is not None:
                values[name] = values[name].replace(tzinfo=utc)
        found[values["id"]] = values
    return found
