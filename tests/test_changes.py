"""Change kinds and undo records: typed, stored as the same JSON as before, refused when odd.

The stored text is checked against literal strings in the format earlier
versions wrote (``json.dumps`` of a plain dict), so a database made before the
records were typed still undoes.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY

from gapcli.domain.changes import (
    RECORD_OF_KIND,
    AddedRows,
    AwayChange,
    ChangeKind,
    EditedSession,
    RemovedSession,
    UndoRecord,
    parse_kind,
    record_from_json,
    record_to_json,
)
from gapcli.errors import DatabaseError

SAMPLES: dict[ChangeKind, UndoRecord] = {
    ChangeKind.INIT: AddedRows(),
    ChangeKind.LOG: AddedRows(),
    ChangeKind.ASSESS: AddedRows(),
    ChangeKind.SETTING: AddedRows(),
    ChangeKind.EDIT: EditedSession(7, 90, date(2026, 1, 5), 'café "1-4"\n\x1b'),
    ChangeKind.REMOVE: RemovedSession(2**63 - 1),
    ChangeKind.AWAY: AwayChange(4, added=True),
    ChangeKind.NOTE: AddedRows(),
    ChangeKind.READ: AddedRows(),
    ChangeKind.REVIEW: AddedRows(),
}


def test_kinds_are_the_strings_databases_hold() -> None:
    assert [k.value for k in ChangeKind] == [
        "init",
        "log",
        "assess",
        "edit",
        "remove",
        "setting",
        "away",
        "note",
        "read",
        "review",
    ]
    assert set(RECORD_OF_KIND) == set(ChangeKind)


@pytest.mark.parametrize("kind", list(ChangeKind))
def test_every_kind_round_trips(kind: ChangeKind) -> None:
    record = SAMPLES[kind]
    text = record_to_json(record)
    back = record_from_json(kind, text)
    assert (type(back), back) == (type(record), record)  # named tuples equal any tuple alike
    assert record_to_json(back) == text
    assert parse_kind(kind.value) is kind


@pytest.mark.parametrize(
    "text", ['{"away": 0, "added": true}', '{"away": 3, "added": 1}', '{"away": 3}']
)
def test_odd_away_records_are_refused(text: str) -> None:
    with pytest.raises(DatabaseError):
        record_from_json(ChangeKind.AWAY, text)


def test_edit_without_a_note_round_trips() -> None:
    record = EditedSession(3, 30, date(2025, 12, 31), None)
    back = record_from_json(ChangeKind.EDIT, record_to_json(record))
    assert (type(back), back) == (EditedSession, record)


# (kind, text exactly as the code before typed records wrote it with json.dumps)
EARLIER_TEXTS = [
    ("init", "{}"),
    ("log", "{}"),
    ("assess", "{}"),
    ("remove", '{"session": 12}'),
    ("edit", '{"session": 12, "before": {"minutes": 90, "day": "2026-01-05", "note": null}}'),
    (
        "edit",
        '{"session": 3, "before": {"minutes": 45, "day": "2025-02-28", '
        '"note": "caf\\u00e9 \\"1-4\\" | x"}}',
    ),
]


@pytest.mark.parametrize(("kind", "text"), EARLIER_TEXTS)
def test_text_stored_by_earlier_versions_reads_and_writes_back_the_same(
    kind: str, text: str
) -> None:
    record = record_from_json(parse_kind(kind), text)
    assert record_to_json(record) == text


@pytest.mark.parametrize(
    ("kind", "text", "needle"),
    [
        ("log", '{"session": 1}', "keys []"),
        ("log", "", "not JSON"),
        ("assess", "[]", "expected an object"),
        ("remove", "{}", "keys ['session']"),
        ("remove", '{"session": "12"}', "session is not a whole number"),
        ("remove", '{"session": true}', "session is not a whole number"),
        ("remove", '{"session": 0}', "not a row id"),
        ("remove", '{"session": 9223372036854775808}', "not a row id"),
        ("remove", '{"session": 1, "extra": 2}', "keys ['session']"),
        ("edit", '{"session": 12}', "keys ['before', 'session']"),
        ("edit", '{"session": 12, "before": null}', "expected an object"),
        ("edit", '{"session": 12, "before": {"minutes": 90, "day": "2026-01-05"}}', "'note'"),
        (
            "edit",
            '{"session": 12, "before": {"minutes": 1.5, "day": "2026-01-05", "note": null}}',
            "minutes is not a whole number",
        ),
        (
            "edit",
            '{"session": 12, "before": {"minutes": 90, "day": "20260105", "note": null}}',
            "YYYY-MM-DD",
        ),
        (
            "edit",
            '{"session": 12, "before": {"minutes": 90, "day": "2026-02-30", "note": null}}',
            "YYYY-MM-DD",
        ),
        (
            "edit",
            '{"session": 12, "before": {"minutes": 90, "day": "2026-01-05", "note": 5}}',
            "note is neither text nor null",
        ),
        ("edit", "[" * 100_000, "not JSON"),
    ],
)
def test_other_shapes_are_refused_with_a_database_error(kind: str, text: str, needle: str) -> None:
    with pytest.raises(DatabaseError) as refused:
        record_from_json(parse_kind(kind), text)
    assert needle in str(refused.value)
    assert f"'{kind}' change" in str(refused.value)


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(DatabaseError, match="upgrade gapcli"):
        parse_kind("rename")


# Through the CLI, on a real database.


def _changes(path: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT kind, undo FROM change ORDER BY id").fetchall()


def _sessions(cli: Any) -> list[dict[str, Any]]:
    result = cli("history", "--json")
    assert result.exit_code == 0, result.stderr
    sessions: list[dict[str, Any]] = json.loads(result.stdout)["sessions"]
    return sessions


def _rag_current(cli: Any) -> int:
    domains = json.loads(cli("gaps", "--all", "--json").stdout)["domains"]
    return int(next(d["current"] for d in domains if d["id"] == "rag"))


def _undo(cli: Any) -> None:
    result = cli("undo", "--yes")
    assert result.exit_code == 0, result.stderr


def test_log_edit_remove_assess_store_the_earlier_format_and_undo(cli: Any, demo: Path) -> None:
    """Each command stores the text earlier versions stored, and undo takes each back."""
    day = (TODAY - timedelta(days=1)).isoformat()
    assert (
        cli(
            "log-progress", "la-visual", "--minutes", "30", "--date", day, "--note", "café"
        ).exit_code
        == 0
    )
    assert cli("log-progress", "rag", "--hours", "2").exit_code == 0
    first, second = (s["id"] for s in _sessions(cli))
    assert cli("history", "edit", str(first), "--minutes", "45", "--note", "x").exit_code == 0
    assert cli("history", "remove", str(second), "--yes").exit_code == 0
    assert cli("assess", "rag", "--current", "85").exit_code == 0

    before = f'{{"minutes": 30, "day": "{day}", "note": "caf\\u00e9"}}'
    assert _changes(demo) == [
        ("init", "{}"),
        ("log", "{}"),
        ("log", "{}"),
        ("edit", f'{{"session": {first}, "before": {before}}}'),
        ("remove", f'{{"session": {second}}}'),
        ("assess", "{}"),
    ]

    assert _rag_current(cli) == 85
    _undo(cli)  # the assessment
    assert _rag_current(cli) == 80
    _undo(cli)  # the removal
    assert [s["id"] for s in _sessions(cli)] == [first, second]
    _undo(cli)  # the edit
    restored = _sessions(cli)[0]
    assert (restored["hours"], restored["date"], restored["note"]) == (0.5, day, "café")
    _undo(cli)  # the 2 h log
    _undo(cli)  # the 30 min log
    assert _sessions(cli) == []
    assert "nothing to undo" in cli("undo", "--yes").stderr


def test_rows_in_the_earlier_format_undo(cli: Any, demo: Path) -> None:
    """Changes written straight into the file, as an earlier gapcli wrote them."""
    assert cli("log-progress", "rag", "--hours", "2", "--note", "old").exit_code == 0
    (session,) = (s["id"] for s in _sessions(cli))
    with closing(sqlite3.connect(demo)) as conn, conn:
        conn.execute(
            "UPDATE study_session SET minutes = 15, day = '2025-03-01', note = NULL WHERE id = ?",
            (session,),
        )
        conn.execute(
            "INSERT INTO change (at, kind, summary, undo, profile_id) VALUES "
            "('2026-01-05 10:00:00', 'edit', 'edited by an earlier gapcli', ?, 1)",
            (
                f'{{"session": {session}, "before": {{"minutes": 120, "day": "2026-01-04", '
                '"note": "old"}}',
            ),
        )
    _undo(cli)
    (restored,) = _sessions(cli)
    assert (restored["hours"], restored["date"], restored["note"]) == (2, "2026-01-04", "old")


def _dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


@pytest.mark.parametrize(
    ("column", "value", "needle"),
    [
        ("undo", '{"sesion": 1}', "undo record of this 'remove' change"),
        ("undo", "{", "not JSON"),
        ("kind", "rename", "upgrade gapcli"),
    ],
)
def test_an_unreadable_change_is_refused_in_one_line_and_nothing_is_undone(
    cli: Any, demo: Path, column: str, value: str, needle: str
) -> None:
    assert cli("log-progress", "rag", "--hours", "2").exit_code == 0
    (session,) = (s["id"] for s in _sessions(cli))
    assert cli("history", "remove", str(session), "--yes").exit_code == 0
    with closing(sqlite3.connect(demo)) as conn, conn:
        conn.execute(f"UPDATE change SET {column} = ? WHERE kind = 'remove'", (value,))
    before = _dump(demo)
    result = cli("undo", "--yes")
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("gapcli: error: "), lines
    assert needle in lines[0]
    assert _dump(demo) == before
