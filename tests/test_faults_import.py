"""``gapcli import`` of a file no gapcli export could be: refused whole, leaving no file.

Every value is checked before the database is created, and the error names the
JSON file and the field; a failure while writing still removes the new file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_faults import fill, small_disk  # noqa: F401  (a fixture)

Doc = dict[str, Any]


def exported(cli: Any, demo: Path) -> Doc:
    for args in (
        ["log-progress", "la-visual", "--minutes", "30", "--note", "first"],
        ["log-progress", "rag", "--minutes", "20"],
    ):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
    result = cli("export", "-f", "json")
    assert result.exit_code == 0, result.stderr
    return dict(json.loads(result.stdout))


def session(doc: Doc, **values: Any) -> Doc:
    records = doc["records"]
    first = {**records["sessions"][0], **values}
    return {**doc, "records": {**records, "sessions": [first, *records["sessions"][1:]]}}


def assessment(doc: Doc, **values: Any) -> Doc:
    records = doc["records"]
    first = {**records["assessments"][0], **values}
    return {**doc, "records": {**records, "assessments": [first, *records["assessments"][1:]]}}


def profile(doc: Doc, **values: Any) -> Doc:
    return {**doc, "profile": {**doc["profile"], **values}}


CASES: dict[str, tuple[Callable[[Doc], Doc], str]] = {
    "id-2**63": (lambda d: session(d, id=2**63), "records.sessions.0.id"),
    "naive-at": (
        lambda d: assessment(d, at="2026-11-20T10:00:00"),
        "records.assessments.0.at",
    ),
    "naive-logged-at": (
        lambda d: session(d, logged_at="2026-11-20T10:00:00.000000"),
        "records.sessions.0.logged_at",
    ),
    "date-year-1": (lambda d: session(d, date="0001-01-01"), "records.sessions.0.date"),
    "at-year-1": (lambda d: assessment(d, at="0001-01-01T00:00:00Z"), "records.assessments.0.at"),
    "at-year-9999": (
        lambda d: assessment(d, at="9999-12-31T00:00:00Z"),
        "records.assessments.0.at",
    ),
    "start-year-9999": (lambda d: profile(d, start_date="9999-12-31"), "profile.start_date"),
    "start-year-1": (lambda d: profile(d, start_date="0001-01-01"), "profile.start_date"),
    "created-year-1": (
        lambda d: profile(d, created_at="0001-01-01T00:00:00Z"),
        "profile.created_at",
    ),
    "logged-year-9999": (
        lambda d: session(d, logged_at="9999-12-31T23:00:00Z"),
        "records.sessions.0.logged_at",
    ),
    "note-space-formula": (
        lambda d: session(d, note=' =HYPERLINK("http://x")'),
        "records.sessions.0.note",
    ),
    "note-trailing-space": (lambda d: session(d, note="first "), "records.sessions.0.note"),
    "note-empty": (lambda d: session(d, note=""), "records.sessions.0.note"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_import_refuses_in_one_line_and_leaves_no_file(
    cli: Any, demo: Path, tmp_path: Path, case: str
) -> None:
    change, field = CASES[case]
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(change(exported(cli, demo))))
    target = tmp_path / "new.db"
    result = cli("--db", str(target), "import", str(file))
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith(f"gapcli: error: {file}: {field}"), result.stderr
    assert result.stderr.count("\n") == 1
    assert "restore" not in result.stderr  # the file is wrong, not the database
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("new.db")] == []


@pytest.mark.parametrize(
    ("duplicate", "field"),
    [
        ('"minutes": 30', '"minutes": 1, "minutes": 30'),
        ('"schema": 1', '"schema": 1, "schema": 1'),
        ('"track": "', '"track": "x", "track": "'),
    ],
    ids=["session-minutes", "schema", "profile-track"],
)
def test_import_refuses_a_key_given_twice(
    cli: Any, demo: Path, tmp_path: Path, duplicate: str, field: str
) -> None:
    text = json.dumps(exported(cli, demo))
    assert text.count(duplicate) >= 1
    file = tmp_path / "twice.json"
    file.write_text(text.replace(duplicate, field, 1))
    target = tmp_path / "new.db"
    result = cli("--db", str(target), "import", str(file))
    assert result.exit_code == 1, result.stdout
    key = duplicate.split('"')[1]
    assert result.stderr.startswith(f"gapcli: error: {file}: "), result.stderr
    assert f"'{key}' is given twice" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not target.exists()


def test_a_valid_export_still_imports(cli: Any, demo: Path, tmp_path: Path) -> None:
    file = tmp_path / "good.json"
    file.write_text(json.dumps(exported(cli, demo)))
    result = cli("--db", str(tmp_path / "new.db"), "import", str(file))
    assert result.exit_code == 0, result.stderr
    assert "Imported 2 sessions" in result.stdout


@pytest.mark.slow
def test_an_import_that_fails_while_writing_leaves_no_file(
    cli: Any,
    demo: Path,
    tmp_path: Path,
    small_disk: Path,  # noqa: F811 (the fixture)
) -> None:
    """A full disk fails the write after the database was created: it is removed again."""
    doc = exported(cli, demo)
    first = doc["records"]["sessions"][0]
    sessions = [
        {**first, "id": i + 1, "date": f"{2001 + i // 300}-01-{1 + i % 28:02d}", "note": "n" * 999}
        for i in range(120)  # small enough that the import fits once the disk has room:
    ]  # a new database is built beside its name, with its -wal, then checkpointed
    doc = {**doc, "records": {**doc["records"], "sessions": sessions}}
    file = tmp_path / "big.json"
    file.write_text(json.dumps(doc))
    target = small_disk / "new.db"
    failed = []
    for leave_kb in range(64, 1024, 32):
        fill(small_disk, leave_kb)
        result = cli("--db", str(target), "import", str(file))
        if result.exit_code == 0:
            break
        failed.append(leave_kb)
        assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
        assert [p.name for p in small_disk.iterdir() if p.name != "filler"] == [], leave_kb
    assert failed, "the disk never filled up"
    assert result.exit_code == 0, result.stderr
