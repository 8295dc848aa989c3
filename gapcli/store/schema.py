"""The schema revisions this gapcli knows, without importing alembic.

Opening a database compares its stored revision with :data:`HEAD` in one plain
query; alembic is imported only when they differ. A test checks this list
against alembic's own history.
"""

REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006")
HEAD = REVISIONS[-1]

# Columns added after the first revision, with what a read shows for them in a file
# not yet upgraded (their server default): only a write upgrades a file, so a read
# of an older file sees these instead. A test checks them against the migrations.
ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (("profile", "study_time", "19:00"),)

# Tables added after the first revision, with their columns: a read of an older
# file sees each as an empty table of that name (nothing was ever written to it):
# revision 0003 added the settings history, 0004 the away days, 0005 the notes
# and the papers read, 0006 the reviews.
ADDED_TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("setting_change", ("id", "at", "key", "value", "change_id")),
    ("away", ("id", "start", "end", "note", "created_at", "removed_at", "change_id")),
    ("note", ("id", "at", "topic_id", "text", "link", "change_id")),
    ("paper_read", ("id", "at", "paper_id", "day", "change_id")),
    ("review", ("id", "at", "day", "topic_id", "rating", "kind", "session_id", "change_id")),
)
