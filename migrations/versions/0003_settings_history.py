"""settings history: each `config set` appends a row; the newest per key wins

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'setting_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('value', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('change_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['change_id'], ['change.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('setting_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_setting_change_key'), ['key'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_setting_change_change_id'), ['change_id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('setting_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_setting_change_change_id'))
        batch_op.drop_index(batch_op.f('ix_setting_change_key'))
    op.drop_table('setting_change')
