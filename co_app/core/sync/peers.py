"""What a database learns from a package it imported, besides the records: what the sender
held (the seen vector), the contexts of its changes, and the sender itself as a peer — its
name, role, keys, and which of our exports it holds (the base of the next export to it)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select, update

from co_app.core.db import versions
from co_app.core.db.models import SyncContext, SyncExport, SyncPeer, SyncSeen
from co_app.core.sync import causality, records
from co_app.core.sync.keys import PublicKeys, b64


def learn_seen_and_contexts(conn: Connection, manifest: dict[str, Any], own: str) -> None:
    """This database now holds what the sender held; its own changes from now on come after
    all of it (a new context of its own).  Contexts only grow: one (device, first counter)
    known in two versions is their element-wise maximum."""
    before = causality.seen_vector(conn, own)
    after = causality.union(before, {d: c for d, c in manifest["seen"].items() if d != own})
    seen_table = SyncSeen.__table__
    for device, counter in after.items():
        if device != own and counter != before.get(device):
            conn.execute(seen_table.delete().where(seen_table.c.device_id == device))
            conn.execute(seen_table.insert().values(device_id=device, counter=counter))
    stored = {(d, f): dict(v) for d, f, v in causality.Contexts.load(conn).rows()}
    wanted = {(d, f): dict(v) for d, f, v in manifest["contexts"] if d != own}
    if after != before:
        first = (versions.meta_int(conn, versions.COUNTER_KEY) or 0) + 1
        wanted[(own, first)] = {d: c for d, c in after.items() if d != own}
    contexts = SyncContext.__table__
    for (device, first), vector in wanted.items():
        old = stored.get((device, first))
        merged = causality.union(old or {}, vector)
        if old == merged:
            continue
        if old is not None:
            conn.execute(contexts.delete().where(contexts.c.device_id == device, contexts.c.first_counter == first))
        conn.execute(contexts.insert().values(device_id=device, first_counter=first, vector=merged))


def remember_peer(conn: Connection, manifest: dict[str, Any], sender: PublicKeys | None, package: str) -> None:
    """The sender as a peer: what it holds, and the newest of our exports it holds all of."""
    peers = SyncPeer.__table__
    seen = manifest["seen"]
    acked = 0
    for seq_max, vector in conn.execute(select(SyncExport.seq_max, SyncExport.vector)):
        vector = json.loads(vector) if isinstance(vector, str) else vector
        if all(seen.get(d, 0) >= c for d, c in vector.items()):
            acked = max(acked, seq_max)
    values = {"name": manifest["device_name"], "role": manifest["role"], "seen": seen,
              **({"sign_key": b64(sender.sign), "box_key": b64(sender.box)} if sender is not None else {}),
              "last_package_at": records.parse_timestamp(manifest["created_at"]),
              "last_package": package, "predecessors": manifest.get("predecessors", [])}
    device = manifest["device_id"]
    old = conn.execute(select(peers.c.acked_seq).where(peers.c.device_id == device)).first()
    if old is None:
        conn.execute(peers.insert().values(device_id=device, acked_seq=acked, **values))
    else:
        conn.execute(update(peers).where(peers.c.device_id == device).values(acked_seq=max(acked, old[0]), **values))
