"""an index on (device_id, updated_at) of every synced table

Revision ID: 0004_device_changes_index
Revises: 0003_audit_conflicts
Create Date: 2026-11-24 16:05:00

Counting this laptop's changes since its last export (Home, the export dialog) read every
row of every synced table; with this index it reads the index alone.
"""
from __future__ import annotations

from alembic import op


revision = '0004_device_changes_index'
down_revision = '0003_audit_conflicts'
branch_labels = None
depends_on = None

TABLES = ('co_sessions', 'households', 'participants', 'attendance', 'module_coverage')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f'ix_{table}_device_id_updated_at', ['device_id', 'updated_at'], unique=False)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_device_id_updated_at')
