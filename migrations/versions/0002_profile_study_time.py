"""profile study time: the hour calendar exports put study sessions at

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 17:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('profile', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'study_time',
                sqlmodel.sql.sqltypes.AutoString(),
                nullable=False,
                server_default='19:00',
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('profile', schema=None) as batch_op:
        batch_op.drop_column('study_time')
