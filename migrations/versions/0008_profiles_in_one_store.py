"""profiles in one store: profile gains a unique name; every learner's row its profile_id

Every per-learner table gains ``profile_id`` (not null, referencing the profile);
existing rows belong to the one profile there was (id 1), which is named after
the operating-system user. Reads by profile are indexed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each per-learner table, with the columns its profile index leads with profile_id.
LEARNER_TABLES: dict[str, tuple[str, ...]] = {
    "change": ("profile_id",),
    "assessment": ("profile_id",),
    "math_assessment": ("profile_id",),
    "study_session": ("profile_id", "day"),
    "topic_progress": ("profile_id",),
    "setting_change": ("profile_id",),
    "away": ("profile_id",),
    "note": ("profile_id",),
    "paper_read": ("profile_id",),
    "review": ("profile_id", "day"),
}


def index_name(table: str, columns: tuple[str, ...]) -> str:
    return f"ix_{table}_{'_'.join(columns)}"


def upgrade() -> None:
    from gapcli.store.os_user import default_profile_name

    bind = op.get_bind()
    owner = bind.execute(sa.text("SELECT min(id) FROM profile")).scalar()
    owner = 1 if owner is None else int(owner)
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    bind.execute(
        sa.text("UPDATE profile SET name = :name WHERE id = :id"),
        {"name": default_profile_name(), "id": owner},
    )
    # Any other row (there never was one: gapcli kept one profile) gets a name of its own.
    bind.execute(sa.text("UPDATE profile SET name = 'profile-' || id WHERE name IS NULL"))
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.alter_column(
            "name", existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=False
        )
        batch_op.create_index(batch_op.f("ix_profile_name"), ["name"], unique=True)
    for table, columns in LEARNER_TABLES.items():
        # Added with the owner as default so existing rows are its, then the default
        # goes: a row written without its profile is refused, never given one.
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("profile_id", sa.Integer(), nullable=False, server_default=str(owner))
            )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "profile_id",
                existing_type=sa.Integer(),
                existing_nullable=False,
                server_default=None,
            )
            batch_op.create_foreign_key(
                f"fk_{table}_profile_id_profile", "profile", ["profile_id"], ["id"]
            )
            batch_op.create_index(index_name(table, columns), list(columns), unique=False)


def downgrade() -> None:
    bind = op.get_bind()
    count = bind.execute(sa.text("SELECT count(*) FROM profile")).scalar() or 0
    if count > 1:
        raise RuntimeError(
            f"this store holds {count} profiles; revision 0007 keeps one: remove the others first"
        )
    for table, columns in LEARNER_TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(index_name(table, columns))
            batch_op.drop_constraint(f"fk_{table}_profile_id_profile", type_="foreignkey")
            batch_op.drop_column("profile_id")
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_name"))
        batch_op.drop_column("name")
