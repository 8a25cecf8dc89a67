"""Which of two changes of one field came first — decided by counters, never by clocks.

A change's **dot** is ``[device, counter, hlc]`` (co_app/core/db/versions.py).  Change X
came before change Y when Y's device had seen X when it made Y:

* the same device: the smaller counter came first;
* another device: Y's **context** — what Y's device held of every other device when it
  made Y (``sync_contexts``, a vector {device: counter}, renewed after each import) —
  covers X's counter.

Neither before the other: the two are **concurrent**, a true conflict.  Then the rule,
the same on every database: the greater hlc wins, and at equal hlc the greater device id.

Dots with counter 0 were written before counters existed (schema 0005): they come before
every counted change, and among themselves the greater (hlc, device) is the later.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, select

from co_app.core.db.models import SyncContext, SyncSeen
from co_app.core.db.versions import COUNTER_KEY, meta_int

Dot = tuple[str, int, int]

SKIP, APPLY = "skip", "apply"
#: Concurrent: the incoming value wins (apply, log the local one) or loses (log it).
WIN, LOSE = "win", "lose"


def as_dot(value: Any) -> Dot:
    device, counter, hlc = value
    return str(device), int(counter), int(hlc)


class Contexts:
    """Every device's contexts, loaded once per import or export."""

    def __init__(self, rows: Iterable[tuple[str, int, Mapping[str, int]]]) -> None:
        self._starts: dict[str, list[int]] = {}
        self._vectors: dict[str, list[Mapping[str, int]]] = {}
        for device, first, vector in sorted(rows, key=lambda r: (r[0], r[1])):
            self._starts.setdefault(device, []).append(first)
            self._vectors.setdefault(device, []).append(vector)

    @classmethod
    def load(cls, conn: Connection) -> "Contexts":
        return cls(conn.execute(select(SyncContext.device_id, SyncContext.first_counter, SyncContext.vector)).all())

    def add(self, device: str, first: int, vector: Mapping[str, int]) -> None:
        """Learn a context.  One (device, first counter) can be known in two versions — a
        device that imported twice before changing anything rewrote it, larger the second
        time — and contexts only grow: the element-wise maximum is the truth."""
        starts = self._starts.setdefault(device, [])
        vectors = self._vectors.setdefault(device, [])
        at = bisect.bisect_left(starts, first)
        if at < len(starts) and starts[at] == first:
            vectors[at] = union(vectors[at], vector)
        else:
            starts.insert(at, first)
            vectors.insert(at, vector)

    def of(self, device: str, counter: int) -> Mapping[str, int]:
        """What ``device`` had seen of the others when it made its change ``counter``."""
        starts = self._starts.get(device)
        if not starts:
            return {}
        at = bisect.bisect_right(starts, counter) - 1
        return self._vectors[device][at] if at >= 0 else {}

    def rows(self) -> list[tuple[str, int, Mapping[str, int]]]:
        return [(device, first, vector) for device, starts in self._starts.items()
                for first, vector in zip(starts, self._vectors[device])]


def union(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, int]:
    """The element-wise maximum of two vectors."""
    out = dict(a)
    for device, counter in b.items():
        if counter > out.get(device, 0):
            out[device] = counter
    return out


def before(x: Dot, y: Dot, contexts: Contexts) -> bool:
    """True when change ``x`` came before change ``y`` (``y`` was made knowing ``x``)."""
    (dx, cx, hx), (dy, cy, hy) = x, y
    if cx == 0 or cy == 0:
        if cx == 0 and cy == 0:
            return (hx, dx) < (hy, dy)
        return cx == 0
    if dx == dy:
        return cx < cy
    return contexts.of(dy, cy).get(dx, 0) >= cx


def resolve(local: Dot | None, incoming: Dot, contexts: Contexts) -> str:
    """What an incoming change of a field does to the local one: SKIP (the same change, or
    an older one), APPLY (made after the local one), or — concurrent — WIN or LOSE."""
    if local is None:
        return APPLY
    if local == incoming or before(incoming, local, contexts):
        return SKIP
    if before(local, incoming, contexts):
        return APPLY
    return WIN if (incoming[2], incoming[0]) > (local[2], local[0]) else LOSE


def seen_vector(conn: Connection, device_id: str) -> dict[str, int]:
    """Every device's changes this database holds, up to which counter (its own included)."""
    vector = {device: counter for device, counter in conn.execute(select(SyncSeen.device_id, SyncSeen.counter))}
    vector[device_id] = meta_int(conn, COUNTER_KEY) or 0
    return vector
