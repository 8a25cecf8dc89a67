"""field-level sync: dots per field, local arrival order, seen vectors, contexts, peers and their keys, held changes

Revision ID: 0005_field_versions
Revises: 0004_device_changes_index
Create Date: 2026-12-06 19:00:00

Sync stops trusting the clock (co_app/core/db/versions.py).  Existing records keep every
value: each field gets the dot [device_id, 0, updated_at] ("before counters"), and each row
a place in the new arrival order, so the first export after the upgrade holds all of this
laptop's records.  Check-ins and module marks take the id made from their natural key,
which every laptop computes alike (the conflict log follows them).
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

import co_app.core.db.base

revision = '0005_field_versions'
down_revision = '0004_device_changes_index'
branch_labels = None
depends_on = None

TABLES = ('co_sessions', 'households', 'participants', 'attendance', 'module_coverage')
NATURAL = {'attendance': ('session_id', 'participant_id'), 'module_coverage': ('session_id', 'module_id')}
# co_app/core/db/versions.py's namespace: ids must be the ones the application computes.
NAMESPACE = uuid.UUID("6f0e2c1a-3b0c-4f8e-9a59-0c0a7d4b2e11")


def _ms(value) -> int:
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return int(when.timestamp() * 1000)


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN, never batch mode: SQLite's batch mode copies and drops
    # the table, which its foreign keys forbid once records refer to it.
    for table in TABLES:
        op.add_column(table, sa.Column('versions', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        op.add_column(table, sa.Column('sync_seq', sa.Integer(), nullable=False, server_default=sa.text('0')))
        op.create_index(op.f(f'ix_{table}_sync_seq'), table, ['sync_seq'], unique=False)
    for name in ('winner_value', 'winner_dot', 'loser_dot'):
        op.add_column('sync_conflicts', sa.Column(name, sa.JSON(), nullable=True))
    op.add_column('sync_conflicts', sa.Column('field', sa.String(length=64), nullable=True))
    op.create_table('sync_seen',
        sa.Column('device_id', sa.String(length=36), nullable=False),
        sa.Column('counter', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('device_id', name=op.f('pk_sync_seen')))
    op.create_table('sync_contexts',
        sa.Column('device_id', sa.String(length=36), nullable=False),
        sa.Column('first_counter', sa.Integer(), nullable=False),
        sa.Column('vector', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('device_id', 'first_counter', name=op.f('pk_sync_contexts')))
    op.create_table('sync_peers',
        sa.Column('device_id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('seen', sa.JSON(), nullable=False),
        sa.Column('acked_seq', sa.Integer(), nullable=False),
        sa.Column('last_package_at', co_app.core.db.base.UTCDateTime(), nullable=True),
        sa.Column('last_package', sa.String(length=200), nullable=False),
        sa.Column('predecessors', sa.JSON(), nullable=False),
        sa.Column('sign_key', sa.String(length=64), nullable=True),
        sa.Column('box_key', sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint('device_id', name=op.f('pk_sync_peers')))
    op.create_table('sync_exports',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('created_at', co_app.core.db.base.UTCDateTime(), nullable=False),
        sa.Column('seq_max', sa.Integer(), nullable=False),
        sa.Column('vector', sa.JSON(), nullable=False),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_exports')))
    op.create_table('sync_held',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('held_at', co_app.core.db.base.UTCDateTime(), nullable=False),
        sa.Column('table_name', sa.String(length=64), nullable=False),
        sa.Column('record_id', sa.String(length=36), nullable=False),
        sa.Column('field', sa.String(length=64), nullable=False),
        sa.Column('value', sa.JSON(), nullable=True),
        sa.Column('dot', sa.JSON(), nullable=False),
        sa.Column('record', sa.JSON(), nullable=True),
        sa.Column('package', sa.String(length=200), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_held')))
    with op.batch_alter_table('sync_held', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_held_record_id'), ['record_id'], unique=False)
    _fill()


def _fill() -> None:
    """Dots for the records already there, natural ids for check-ins and marks, and an
    arrival order for every row."""
    conn = op.get_bind()
    seq = 0
    for table in TABLES:
        natural = NATURAL.get(table)
        select_cols = ['id', 'device_id', 'updated_at', *(natural or ())]
        query = f'SELECT {", ".join(select_cols)} FROM {table} ORDER BY updated_at, id'  # noqa: S608 - our tables
        rows = conn.execute(sa.text(query)).fetchall()
        updates, renames = [], []
        for row in rows:
            seq += 1
            dot = [row[1], 0, _ms(row[2])]
            new_id = row[0]
            if natural:
                new_id = str(uuid.uuid5(NAMESPACE, f"{table}/{row[3]}/{row[4]}"))
                if new_id != row[0]:
                    renames.append({'old': row[0], 'new': new_id, 't': table})
            # The compact form of co_app/core/db/versions.py: every field has this one dot.
            updates.append({'v': json.dumps({'': dot}), 's': seq, 'i': row[0], 'n': new_id})
        if updates:
            change = f'UPDATE {table} SET versions = :v, sync_seq = :s, id = :n WHERE id = :i'  # noqa: S608 - our tables
            conn.execute(sa.text(change), updates)
        if renames:
            conn.execute(sa.text('UPDATE sync_conflicts SET record_id = :new '
                                 'WHERE table_name = :t AND record_id = :old'), renames)
    conn.execute(sa.text('INSERT INTO app_meta (key, value) VALUES (:k, :v)'), {'k': 'sync_seq', 'v': str(seq)})


def downgrade() -> None:
    for name in ('sync_held', 'sync_exports', 'sync_peers', 'sync_contexts', 'sync_seen'):
        op.drop_table(name)
    with op.batch_alter_table('sync_conflicts', schema=None) as batch_op:
        for column in ('loser_dot', 'winner_dot', 'winner_value', 'field'):
            batch_op.drop_column(column)
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_sync_seq'))
            batch_op.drop_column('sync_seq')
            batch_op.drop_column('versions')
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM app_meta WHERE key IN ('sync_seq', 'sync_counter', 'sync_hlc')"))
