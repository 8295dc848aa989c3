"""reviews of finished topics (gapcli review; log-progress --done --recall); append-only

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('topic_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('rating', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=True),
        sa.Column('change_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['change_id'], ['change.id']),
        sa.ForeignKeyConstraint(['session_id'], ['study_session.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_change_id'), ['change_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_topic_id'), ['topic_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_topic_id'))
        batch_op.drop_index(batch_op.f('ix_review_day'))
        batch_op.drop_index(batch_op.f('ix_review_change_id'))
    op.drop_table('review')
