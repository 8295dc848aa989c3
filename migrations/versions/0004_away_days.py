"""away days: ranges of days the learner will not study (gapcli away)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'away',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('start', sa.Date(), nullable=False),
        sa.Column('end', sa.Date(), nullable=False),
        sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('removed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('change_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['change_id'], ['change.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('away', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_away_change_id'), ['change_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_away_start'), ['start'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('away', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_away_start'))
        batch_op.drop_index(batch_op.f('ix_away_change_id'))
    op.drop_table('away')
