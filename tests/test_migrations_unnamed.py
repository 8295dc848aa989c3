"""A SQLite file made before constraints had names still upgrades, every row kept.

Since the naming convention (gapcli/store/tables.py), a new database's primary and
foreign keys are named (``pk_change``, ``fk_assessment_change_id_change``). Files made
earlier hold them unnamed. The suite's other upgrade tests build their old files with
today's migrations, so names and all; this one starts from the exact schema an earlier
gapcli wrote at revision 0001 (copied from such a file) and upgrades it through
gapcli's own migration path.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from test_migrations import OLD_ROWS, _rows
from test_schema_contract import database_differences

from gapcli.store.contract import TABLES
from gapcli.store.migrate import upgrade_existing
from gapcli.store.schema import HEAD

# sqlite_master of a file an earlier gapcli made at revision 0001: no CONSTRAINT names.
UNNAMED_0001 = """
CREATE TABLE change (
    id INTEGER NOT NULL, at DATETIME NOT NULL, kind VARCHAR NOT NULL,
    summary VARCHAR NOT NULL, undo VARCHAR NOT NULL, undone_at DATETIME,
    PRIMARY KEY (id)
);
CREATE TABLE profile (
    id INTEGER NOT NULL, catalog_id VARCHAR NOT NULL, catalog_source VARCHAR NOT NULL,
    catalog_hash VARCHAR NOT NULL, catalog_ids VARCHAR NOT NULL, track VARCHAR NOT NULL,
    weekly_hours FLOAT NOT NULL, study_days VARCHAR NOT NULL, start_date DATE NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (id)
);
CREATE TABLE assessment (
    id INTEGER NOT NULL, at DATETIME NOT NULL, domain_id VARCHAR NOT NULL,
    current INTEGER NOT NULL, target INTEGER NOT NULL, change_id INTEGER,
    PRIMARY KEY (id), FOREIGN KEY(change_id) REFERENCES change (id)
);
CREATE INDEX ix_assessment_at ON assessment (at);
CREATE INDEX ix_assessment_change_id ON assessment (change_id);
CREATE INDEX ix_assessment_domain_id ON assessment (domain_id);
CREATE TABLE math_assessment (
    id INTEGER NOT NULL, at DATETIME NOT NULL, level VARCHAR NOT NULL, change_id INTEGER,
    PRIMARY KEY (id), FOREIGN KEY(change_id) REFERENCES change (id)
);
CREATE INDEX ix_math_assessment_change_id ON math_assessment (change_id);
CREATE TABLE study_session (
    id INTEGER NOT NULL, day DATE NOT NULL, minutes INTEGER NOT NULL,
    domain_id VARCHAR NOT NULL, topic_id VARCHAR, note VARCHAR,
    logged_at DATETIME NOT NULL, removed_at DATETIME, change_id INTEGER,
    PRIMARY KEY (id), FOREIGN KEY(change_id) REFERENCES change (id)
);
CREATE INDEX ix_study_session_change_id ON study_session (change_id);
CREATE INDEX ix_study_session_day ON study_session (day);
CREATE INDEX ix_study_session_domain_id ON study_session (domain_id);
CREATE INDEX ix_study_session_topic_id ON study_session (topic_id);
CREATE TABLE topic_progress (
    id INTEGER NOT NULL, at DATETIME NOT NULL, topic_id VARCHAR NOT NULL,
    done BOOLEAN NOT NULL, change_id INTEGER,
    PRIMARY KEY (id), FOREIGN KEY(change_id) REFERENCES change (id)
);
CREATE INDEX ix_topic_progress_change_id ON topic_progress (change_id);
CREATE INDEX ix_topic_progress_topic_id ON topic_progress (topic_id);
CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO alembic_version VALUES ('0001');
"""


def test_a_file_with_unnamed_constraints_upgrades_with_every_row(tmp_path: Path) -> None:
    path = tmp_path / "made-before-names.db"
    path.touch(mode=0o600)
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.executescript(UNNAMED_0001)
        for statement in OLD_ROWS.values():
            conn.execute(statement)
    with closing(sqlite3.connect(path)) as conn:
        assert "CONSTRAINT" not in "".join(
            r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'assessment'")
        )
    before = _rows(path)

    upgrade_existing(path)

    assert _rows(path) == before
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert database_differences(conn, TABLES) == []
