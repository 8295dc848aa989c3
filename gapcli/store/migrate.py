"""Schema changes, only through alembic, only here.

An existing database is checked and backed up before it is migrated, the
migration runs in one transaction with foreign keys off (a batch "move and
copy" with them on cascades deletes into child tables), and the foreign keys
are checked before commit. On any failure the file is left as it was.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from gapcli.errors import DatabaseError
from gapcli.resources import data_dir
from gapcli.store.backup import BackupReason, automatic_backup
from gapcli.store.engine import make_engine, translate_errors
from gapcli.store.probe import integrity_problems
from gapcli.store.sqlite_file import RESTORE_HINT


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(data_dir("migrations")))
    return config


def _upgrade(path: Path) -> None:
    engine = make_engine(path, write=True, foreign_keys=False)
    try:
        with translate_errors(path), engine.connect() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            with conn.begin():
                command.upgrade(config, "head")
                bad = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
                if bad:
                    raise DatabaseError(
                        f"migrating {path} would break {len(bad)} references; left unchanged"
                    )
    finally:
        engine.dispose()


def upgrade_new(path: Path) -> None:
    _upgrade(path)


def upgrade_existing(path: Path) -> None:
    problems = integrity_problems(path)
    if problems:
        raise DatabaseError(f"{path} fails its integrity check ({problems[0]}); {RESTORE_HINT}")
    automatic_backup(path, BackupReason.PRE_MIGRATION)
    _upgrade(path)
