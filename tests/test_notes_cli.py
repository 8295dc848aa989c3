"""``gapcli note``, ``notes`` and ``read`` through the CLI, on the demo learner and a frozen clock.

TODAY (conftest) is Monday 2026-11-30.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, dump, rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def ok(cli: Any, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def notes(cli: Any, *args: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(ok(cli, "notes", *args, "--json"))
    return data


def refused(cli: Any, db: Path, *args: str) -> str:
    """The command fails with one line on stderr and leaves the database as it was."""
    before = dump(db)
    result = cli(*args)
    assert result.exit_code != 0, result.stdout
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert dump(db) == before
    return str(result.stderr)


def test_note_by_id_or_name_lists_newest_last_and_undo_takes_it_back(cli: Any, demo: Path) -> None:
    assert notes(cli) == []
    assert "No notes yet" in ok(cli, "notes")
    ok(cli, "note", "la-visual", "stopped at episode 4", "--link", "https://example.org/ep4")
    ok(cli, "note", "Linear algebra, visually", "redo the exercises")
    ok(cli, "note", "rag-why", "  why RAG at all?\n ")
    listed = notes(cli)
    assert [(n["id"], n["topic"], n["text"], n["link"]) for n in listed] == [
        (1, "la-visual", "stopped at episode 4", "https://example.org/ep4"),
        (2, "la-visual", "redo the exercises", None),
        (3, "rag-why", "why RAG at all?", None),
    ]
    assert set(listed[0]) == {"id", "at", "topic", "text", "link"}
    assert [n["id"] for n in notes(cli, "la-visual")] == [1, 2]
    text = ok(cli, "notes", "la-visual")
    assert "stopped at episode 4" in text and "https://example.org/ep4" in text
    assert "why RAG" not in text

    assert "note on rag-why" in ok(cli, "undo", "--yes")
    assert [n["id"] for n in notes(cli)] == [1, 2]
    assert rows(demo, "SELECT count(*) FROM note") == [(2,)]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("note", "no-such-topic", "x"), "topic"),
        (("note", "la-visual", "   "), "empty"),
        (("note", "la-visual", "x" * 10_001), "10,000"),
        (("note", "la-visual", "x", "--link", "javascript:alert(1)"), "http"),
        (("note", "la-visual", "x", "--link", "file:///etc/passwd"), "http"),
        (("note", "la-visual", "x", "--link", "https://"), "http"),
        (("note", "la-visual", "x", "--link", "https://a b"), "space"),
        (("notes", "no-such-topic"), "topic"),
        (("read", "no-such-paper"), "paper"),
        (("read", "vaswani-2017", "--date", "2099-01-01"), "future"),
        (("read", "vaswani-2017", "--date", "someday"), "--date"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    cli: Any, demo: Path, args: tuple[str, ...], says: str
) -> None:
    assert says in refused(cli, demo, *args)


def test_a_note_of_ten_thousand_characters_is_kept_whole(cli: Any, demo: Path) -> None:
    ok(cli, "note", "la-visual", "y" * 10_000)
    assert len(notes(cli)[0]["text"]) == 10_000


def papers(cli: Any) -> dict[str, dict[str, Any]]:
    data = json.loads(ok(cli, "catalog", "list", "--kind", "papers", "--json"))
    return {p["id"]: p for p in data}


def test_read_marks_a_paper_and_undo_takes_it_back(cli: Any, demo: Path) -> None:
    before = papers(cli)
    assert before["vaswani-2017"]["read"] is None
    assert before["vaswani-2017"]["url"].startswith("https://")
    out = ok(cli, "read", "vaswani-2017", "--date", "-3d")
    assert (TODAY - timedelta(days=3)).isoformat() in out
    assert papers(cli)["vaswani-2017"]["read"] == (TODAY - timedelta(days=3)).isoformat()
    assert papers(cli)["lewis-2020"]["read"] is None
    table = ok(cli, "catalog", "list", "--kind", "papers")
    assert "unread" in table and "https://arxiv.org/abs/1706.03762" in table
    assert (TODAY - timedelta(days=3)).isoformat() in table
    assert "read vaswani-2017" in ok(cli, "undo", "--yes")
    assert papers(cli)["vaswani-2017"]["read"] is None


def test_catalog_show_has_the_topics_notes(cli: Any, demo: Path) -> None:
    ok(cli, "note", "la-visual", "stopped at episode 4", "--link", "https://example.org/ep4")
    shown = json.loads(ok(cli, "catalog", "show", "la-visual", "--json"))
    assert [(n["text"], n["link"]) for n in shown["notes"]] == [
        ("stopped at episode 4", "https://example.org/ep4")
    ]
    text = ok(cli, "catalog", "show", "la-visual")
    assert "notes: 1" in text and "stopped at episode 4" in text
    assert "notes: none yet" in ok(cli, "catalog", "show", "rag-why")
    paper = json.loads(ok(cli, "catalog", "show", "vaswani-2017", "--json"))
    assert paper["read"] is None


def test_catalog_browsing_needs_no_profile(cli: Any, db_path: Path) -> None:
    listed = json.loads(ok(cli, "catalog", "list", "--kind", "papers", "--json"))
    assert listed and all(p["read"] is None for p in listed)
    assert "notes" not in json.loads(ok(cli, "catalog", "show", "la-visual", "--json"))
    assert not db_path.exists()


def _noted_and_read(cli: Any) -> None:
    ok(cli, "note", "la-visual", "stopped at ep. 4 | *bold*", "--link", "https://example.org/a")
    ok(cli, "note", "la-visual", "newest: chapter 5")
    ok(cli, "read", "devlin-2018", "--date", "2026-11-02")


def test_json_export_carries_notes_and_reads_and_import_restores_them(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    _noted_and_read(cli)
    first = ok(cli, "export", "--format", "json")
    records = json.loads(first)["records"]
    assert [(n["topic"], n["text"], n["link"]) for n in records["notes"]] == [
        ("la-visual", "stopped at ep. 4 | *bold*", "https://example.org/a"),
        ("la-visual", "newest: chapter 5", None),
    ]
    assert records["papers_read"] == [{"paper": "devlin-2018", "date": "2026-11-02"}]
    (tmp_path / "backup.json").write_text(first)
    restored = tmp_path / "restored.db"
    ok(cli, "--db", str(restored), "import", str(tmp_path / "backup.json"))
    assert ok(cli, "--db", str(restored), "export", "--format", "json") == first
    again = json.loads(ok(cli, "--db", str(restored), "notes", "--json"))
    assert [n["text"] for n in again] == [
        "stopped at ep. 4 | *bold*",
        "newest: chapter 5",
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("link", "javascript:alert(1)"),
        ("text", " padded "),
        ("text", "x" * 10_001),
    ],
)
def test_import_refuses_a_note_gapcli_would_not_store(
    cli: Any, demo: Path, tmp_path: Path, field: str, value: str
) -> None:
    ok(cli, "note", "la-visual", "fine")
    document = json.loads(ok(cli, "export", "--format", "json"))
    document["records"]["notes"][0][field] = value
    (tmp_path / "bad.json").write_text(json.dumps(document))
    restored = tmp_path / "restored.db"
    result = cli("--db", str(restored), "import", str(tmp_path / "bad.json"))
    assert result.exit_code != 0 and "notes" in result.stderr, result.stderr
    assert not restored.exists()


def test_markdown_and_calendar_exports_show_notes_and_the_reading_list(
    cli: Any, demo: Path
) -> None:
    from icalendar import Calendar

    _noted_and_read(cli)
    markdown = ok(cli, "export", "--format", "markdown")
    notes_part = markdown.split("## Notes", 1)[1].split("\n## ", 1)[0]
    assert "stopped at ep. 4 \\| \\*bold\\*" in notes_part  # escaped where it would render
    assert "[link](https://example.org/a)" in notes_part and "chapter 5" in notes_part
    reading = markdown.split("## Reading list", 1)[1].split("\n## ", 1)[0]
    assert "read 2026-11-02" in reading and "unread" in reading
    assert "https://arxiv.org/abs/1810.04805" in reading
    calendar = Calendar.from_ical(ok(cli, "export", "--format", "ics"))
    descriptions = {str(e["summary"]): str(e["description"]) for e in calendar.walk("VEVENT")}
    found = [d for d in descriptions.values() if "newest: chapter 5" in d]
    assert found and all("stopped at" not in d for d in found)


def test_plan_marks_noted_topics_and_today_shows_the_newest_note(cli: Any, demo: Path) -> None:
    sessions = json.loads(ok(cli, "today", "--json"))["sessions"]
    assert sessions  # TODAY is a Monday, a study day of the demo's
    topic = sessions[0]["topic"]
    assert "✎" not in ok(cli, "plan")
    ok(cli, "note", topic, "older note")
    ok(cli, "note", topic, "left off at   the proof\nof 2.3")
    assert "✎" in ok(cli, "plan")
    assert "✎" in ok(cli, "plan", "--days")
    shown = ok(cli, "today")
    assert "your note: left off at the proof of 2.3" in shown
    assert "older note" not in shown


# Real argv never holds NUL or lone surrogates.
_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=60)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT, link=st.one_of(st.none(), _TEXT, _TEXT.map("https://example.org/".__add__)))
def test_a_note_is_kept_as_given_or_refused_whole(
    cli: Any, demo: Path, text: str, link: str | None
) -> None:
    """Any text and link: read back stripped, or refused in one line with nothing written."""
    before = dump(demo)
    # "--" ends the options, so a text such as "-0" is the note, not an unknown option.
    args = ["note", *(["--link", link] if link is not None else []), "--", "la-visual", text]
    result = cli(*args)
    if result.exit_code == 0:
        newest = notes(cli)[-1]
        assert newest["text"] == text.strip()
        assert newest["link"] == (link.strip() if link is not None else None)
        assert str(newest["link"] or "https://").startswith(("http://", "https://"))
        assert "note on la-visual" in ok(cli, "undo", "--yes")
    else:
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert dump(demo).count("INSERT INTO note") == before.count("INSERT INTO note")
