"""profile: drop catalog_hash and catalog_ids, written at init and never read

The profile names its catalog by ``catalog_id`` and ``catalog_source``; the file's
hash and its ids were stored at init (and kept stale by a catalog switch) but no
command, export or check ever read them back.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('profile', schema=None) as batch_op:
        batch_op.drop_column('catalog_ids')
        batch_op.drop_column('catalog_hash')


def downgrade() -> None:
    # Back where 0001 put them (placing a column needs the table rebuilt); the values
    # are gone, so an unknown hash and no ids.
    with op.batch_alter_table('profile', schema=None, recreate='always') as batch_op:
        batch_op.add_column(
            sa.Column(
                'catalog_hash',
                sqlmodel.sql.sqltypes.AutoString(),
                nullable=False,
                server_default='',
            ),
            insert_after='catalog_source',
        )
        batch_op.add_column(
            sa.Column(
                'catalog_ids',
                sqlmodel.sql.sqltypes.AutoString(),
                nullable=False,
                server_default='[]',
            ),
            insert_after='catalog_hash',
        )
