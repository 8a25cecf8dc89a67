"""office console: where each session and person was created, merged duplicates, the packages received

Revision ID: 0006_office_console
Revises: 0005_field_versions
Create Date: 2026-12-06 21:20:00

* ``origin_device`` (local, never synced) on sessions and people: the device that created
  the record, derived from its dots (co_app/core/db/origins.py) — the office lists and
  filters by laptop in SQL.  Existing records get it here.
* ``participants.merged_into`` (synced): the person a duplicate was found to be.
* ``sync_received``: every package imported, for the office's list of laptops.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

import co_app.core.db.base

revision = '0006_office_console'
down_revision = '0005_field_versions'
branch_labels = None
depends_on = None

ORIGIN_TABLES = ('co_sessions', 'participants')


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN (see 0005: batch mode would drop tables others refer to).
    for table in ORIGIN_TABLES:
        op.add_column(table, sa.Column('origin_device', sa.String(length=36), nullable=True))
        op.create_index(op.f(f'ix_{table}_origin_device'), table, ['origin_device'], unique=False)
    op.add_column('participants', sa.Column('merged_into', sa.String(length=36), nullable=True))
    op.create_index(op.f('ix_participants_merged_into'), 'participants', ['merged_into'], unique=False)
    op.create_table('sync_received',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('device_id', sa.String(length=36), nullable=False),
        sa.Column('package', sa.String(length=200), nullable=False),
        sa.Column('created_at', co_app.core.db.base.UTCDateTime(), nullable=True),
        sa.Column('imported_at', co_app.core.db.base.UTCDateTime(), nullable=False),
        sa.Column('first_date', sa.Date(), nullable=True),
        sa.Column('last_date', sa.Date(), nullable=True),
        sa.Column('counter', sa.Integer(), nullable=False),
        sa.Column('inserted', sa.Integer(), nullable=False),
        sa.Column('updated', sa.Integer(), nullable=False),
        sa.Column('unchanged', sa.Integer(), nullable=False),
        sa.Column('conflicts', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_received')))
    op.create_index(op.f('ix_sync_received_device_id'), 'sync_received', ['device_id'], unique=False)
    _fill_origins()


def _ms(value) -> int | None:
    if value is None:
        return None
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return round(when.timestamp() * 1000)


def _origin(versions, created_at) -> str | None:
    """co_app/core/db/origins.py's rule, frozen here as the migration ran it."""
    mapping = json.loads(versions) if isinstance(versions, str) else (versions or {})
    dots = [dot for dot in mapping.values() if isinstance(dot, list) and len(dot) == 3]
    if not dots:
        return None
    created = _ms(created_at)
    at_creation = sorted(dot for dot in dots if dot[2] == created)
    if at_creation:
        return str(at_creation[0][0])
    return str(min(dots, key=lambda dot: (dot[2], dot[1], dot[0]))[0])


def _fill_origins() -> None:
    conn = op.get_bind()
    for table in ORIGIN_TABLES:
        rows = conn.execute(sa.text(f'SELECT id, versions, created_at FROM {table}')).fetchall()  # noqa: S608 - our tables
        values = [{'o': _origin(row[1], row[2]), 'i': row[0]} for row in rows]
        values = [v for v in values if v['o'] is not None]
        if values:
            conn.execute(sa.text(f'UPDATE {table} SET origin_device = :o WHERE id = :i'), values)  # noqa: S608 - our tables


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), indexes first: batch mode would drop and copy tables
    # that others refer to, which SQLite's foreign keys refuse.
    op.drop_index(op.f('ix_sync_received_device_id'), table_name='sync_received')
    op.drop_table('sync_received')
    op.drop_index(op.f('ix_participants_merged_into'), table_name='participants')
    op.drop_column('participants', 'merged_into')
    for table in ORIGIN_TABLES:
        op.drop_index(op.f(f'ix_{table}_origin_device'), table_name=table)
        op.drop_column(table, 'origin_device')
