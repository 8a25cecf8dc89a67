"""learning checks: the answers to a module's check questions, before and after it (issue 21)

Revision ID: 0007_learning_answers
Revises: 0006_office_console
Create Date: 2026-12-06 22:30:00

* ``learning_answers`` (synced): one record per person's answer, or per answer of a group
  tally, of one check question asked before or after one module of one session; its id is
  made from its natural key (co_app/core/db/versions.py), like check-ins.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import co_app.core.db.base

revision = '0007_learning_answers'
down_revision = '0006_office_console'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('learning_answers',
        sa.Column('session_id', sa.CHAR(length=36), nullable=False),
        sa.Column('module_id', sa.String(length=64), nullable=False),
        sa.Column('question_id', sa.String(length=64), nullable=False),
        sa.Column('phase', sa.String(length=8), nullable=False),
        sa.Column('slot', sa.String(length=40), nullable=False),
        sa.Column('participant_id', sa.CHAR(length=36), nullable=True),
        sa.Column('answer', sa.Integer(), nullable=False),
        sa.Column('correct', sa.Boolean(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('present', sa.Integer(), nullable=True),
        sa.Column('recorded_by', sa.String(length=200), nullable=False),
        sa.Column('id', sa.CHAR(length=36), nullable=False),
        sa.Column('created_at', co_app.core.db.base.UTCDateTime(), nullable=False),
        sa.Column('updated_at', co_app.core.db.base.UTCDateTime(), nullable=False),
        sa.Column('device_id', sa.CHAR(length=36), nullable=False),
        sa.Column('deleted_at', co_app.core.db.base.UTCDateTime(), nullable=True),
        sa.Column('versions', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column('sync_seq', sa.Integer(), server_default=sa.text('0'), nullable=False),
        sa.ForeignKeyConstraint(['participant_id'], ['participants.id'],
                                name=op.f('fk_learning_answers_participant_id_participants')),
        sa.ForeignKeyConstraint(['session_id'], ['co_sessions.id'],
                                name=op.f('fk_learning_answers_session_id_co_sessions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_answers')),
        sa.UniqueConstraint('session_id', 'module_id', 'question_id', 'phase', 'slot',
                            name='uq_learning_answers_slot'))
    op.create_index(op.f('ix_learning_answers_session_id'), 'learning_answers', ['session_id'], unique=False)
    op.create_index(op.f('ix_learning_answers_participant_id'), 'learning_answers', ['participant_id'], unique=False)
    op.create_index(op.f('ix_learning_answers_updated_at'), 'learning_answers', ['updated_at'], unique=False)
    op.create_index(op.f('ix_learning_answers_sync_seq'), 'learning_answers', ['sync_seq'], unique=False)
    op.create_index('ix_learning_answers_device_id_updated_at', 'learning_answers', ['device_id', 'updated_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_table('learning_answers')
