"""The verdict of a chaos run (chaos.py): every laptop equals the hub, and every recorded
change is the final value of its field or accounted for — made before the final change or
before another change of the field, in the hub's conflict log, held for review, or the same
value as the final one.  Nothing is simply gone."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select

from co_app.core.db.models import SyncConflict, SyncHeld
from co_app.core.sync import causality
from tests.core.sync.chaos import TRACKED, Change, World, dot_in
from tests.core.sync_helpers import snapshot


def check(self: World) -> dict[str, Any]:
    """Every laptop equals the hub; every change is the final value or accounted for.
    Returns what was found, by category; problems go to ``self.problems``."""
    hub_snap = snapshot(self.hub.db)
    for node in self.laptops:
        theirs = snapshot(node.db)
        if theirs != hub_snap:
            self.problems.append(f"{node.name} differs from the hub: {_diff(theirs, hub_snap)}")
    with self.hub.db.engine.connect() as conn:
        contexts = causality.Contexts.load(conn)
        logged = {(c.table_name, c.record_id, c.field, causality.as_dot(c.loser_dot))
                  for c in conn.execute(select(SyncConflict)) if c.loser_dot}
        held = set()
        for row in conn.execute(select(SyncHeld)):
            if isinstance(row.dot, dict):  # a whole new record: every field's dot
                names = (set(row.dot) - {""}) | set(TRACKED.get(row.table_name, ()))
                held |= {(row.table_name, row.record_id, name, dot_in(row.dot, name)) for name in names}
            else:
                held.add((row.table_name, row.record_id, row.field, causality.as_dot(row.dot)))
    laptop_logged = set()
    for node in self.laptops:
        with node.db.engine.connect() as conn:
            laptop_logged |= {(c.table_name, c.record_id, c.field, causality.as_dot(c.loser_dot))
                              for c in conn.execute(select(SyncConflict)) if c.loser_dot}
    groups: dict[tuple[str, str, str], list[Change]] = {}
    for change in self.truth:
        groups.setdefault((change.table, change.record_id, change.field), []).append(change)
    found: Counter[str] = Counter()
    for (table, record_id, name), changes in groups.items():
        row = hub_snap[table].get(record_id)
        if row is None:
            self.problems.append(f"{table} {record_id} is not on the hub")
            continue
        final = dot_in(row["versions"], name)
        dots = {c.dot: c for c in changes}
        if final not in dots:
            self.problems.append(f"{table}.{name} of {record_id}: the final dot {final} is nobody's change")
        elif dots[final].value != row[name]:
            self.problems.append(f"{table}.{name} of {record_id}: the final value {row[name]!r} is not the "
                                 f"value {dots[final].value!r} of its change {final}")
        found["final values"] += 1
        for change in changes:
            if change.dot == final:
                continue
            key = (table, record_id, name, change.dot)
            if causality.before(change.dot, final, contexts):
                found["overwritten later (before the final change)"] += 1
            elif key in logged:
                found["concurrent, in the hub's conflict log"] += 1
            elif key in held:
                found["held by the hub for review"] += 1
            elif change.value == row[name]:
                found["concurrent, the same value as the final one (nothing lost)"] += 1
            elif any(causality.before(change.dot, other, contexts) for other in dots if other != change.dot):
                found["overwritten by another change of the field"] += 1
            elif key in laptop_logged:
                found["LOST: only in a laptop's conflict log"] += 1
                self.problems.append(f"{change} was lost concurrently on a laptop and never reached the hub's "
                                     f"conflict log (final {final})")
            else:
                found["LOST: nowhere"] += 1
                self.problems.append(f"{change} is gone: not the final value {final}, not before it, not in any "
                                     "conflict log, not held")
    found["changes recorded"] = len(self.truth)
    return dict(found)


def _diff(a: dict[str, dict[str, dict]], b: dict[str, dict[str, dict]]) -> str:
    """The records that differ; says when only the derived "last changed" columns
    (updated_at, device_id: the newest dot's) differ, the content and dots being equal."""
    out, derived = [], 0
    for table in a:
        for record_id in sorted(set(a[table]) | set(b[table])):
            x, y = a[table].get(record_id), b[table].get(record_id)
            if x != y:
                if x is None or y is None:
                    out.append(f"{table} {record_id} only on {'the hub' if x is None else 'the laptop'}")
                    continue
                fields = [k for k in x if x[k] != y[k]]
                derived += set(fields) <= {"updated_at", "device_id"}
                out.append(f"{table} {record_id}: " + ", ".join(f"{k}={x[k]!r} vs {y[k]!r}" for k in fields)
                           + (f" (versions {x['versions']})" if set(fields) <= {"updated_at", "device_id"} else ""))
    return f"{len(out)} records ({derived} only in updated_at/device_id): " + "; ".join(out[:3])
