"""notes per topic (gapcli note) and papers read (gapcli read); both append-only

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'note',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('topic_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('link', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('change_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['change_id'], ['change.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_note_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_note_change_id'), ['change_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_note_topic_id'), ['topic_id'], unique=False)
    op.create_table(
        'paper_read',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('paper_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('change_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['change_id'], ['change.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('paper_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_read_change_id'), ['change_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_paper_read_paper_id'), ['paper_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('paper_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_read_paper_id'))
        batch_op.drop_index(batch_op.f('ix_paper_read_change_id'))
    op.drop_table('paper_read')
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_note_topic_id'))
        batch_op.drop_index(batch_op.f('ix_note_change_id'))
        batch_op.drop_index(batch_op.f('ix_note_at'))
    op.drop_table('note')
