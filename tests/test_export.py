"""``gapcli export`` and ``gapcli import``: every format read back the way its users read it.

Markdown is parsed with markdown-it-py (tables, task lists, links must come out
as those tokens, and hostile text as plain text); iCalendar is parsed back
with icalendar; CSV with the csv module; JSON goes through ``gapcli import``
and must come back identical.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections import Counter
from contextlib import closing
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar
from markdown_it import MarkdownIt
from markdown_it.token import Token

from gapcli.render.markdown_text import md_link, md_text
from gapcli.render.sanitize import clean

MD = MarkdownIt("commonmark").enable("table")
HOSTILE = "a|b *em* _u_ `code` [x](javascript:alert(1)) <script>&amp; # h\n- item ~~s~~ \\"
HOSTILE_FOLDED = HOSTILE.replace("\n", " ")


def export(cli: Any, *args: str) -> Any:
    result = cli("export", *args)
    assert result.exit_code == 0, result.stderr
    return result


def inline_texts(tokens: list[Token]) -> list[str]:
    return [t.content for t in tokens if t.type == "inline"]


def children(tokens: list[Token]) -> list[Token]:
    return [c for t in tokens if t.type == "inline" for c in (t.children or [])]


def table_rows(tokens: list[Token]) -> list[list[str]]:
    """Each table row's cells, as rendered text, in every table of the document."""
    rows: list[list[str]] = []
    for i, tok in enumerate(tokens):
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type in ("td_open", "th_open"):
            rows[-1].append(plain(tokens[i + 1]))
    return rows


def plain(inline: Token) -> str:
    """What a reader sees of an inline token: its text, without markup."""
    shown = ("text", "text_special", "code_inline")
    return "".join(c.content for c in inline.children or [] if c.type in shown)


# --- Markdown ---


def test_markdown_has_title_tables_task_lists_and_links(cli: Any, demo: Path) -> None:
    cli("log-progress", "ps-distributions", "--hours", "1", "--done")
    text = export(cli, "--weeks", "3").stdout
    tokens = MD.parse(text)

    title = tokens[1].content
    assert tokens[0].tag == "h1"
    assert "Beyond the roadmap: AI engineer gaps" in title

    rows = table_rows(tokens)
    gap_header = ["Domain", "Now", "Target", "Gap", "Math", "Hours"]
    assert gap_header in rows
    assert any(r[0] == "RAG Systems" for r in rows)
    assert all(len(r) in (4, 5, 6) for r in rows)  # no cell ever split a row

    weeks = [
        t.content
        for i, t in enumerate(tokens)
        if tokens[i - 1].type == "heading_open" and tokens[i - 1].tag == "h3"
    ]
    assert len(weeks) == 3 and all(w.startswith("Week of ") for w in weeks)
    items = [plain(t) for t in tokens if t.type == "inline" and t.content[:4] in ("[ ] ", "[x] ")]
    assert items and all(re.search(r"\(.+, [\d.]+ h\)", i) for i in items if i[1] == " ")
    assert "[x] Probability distributions (Probability & Statistics)" in items

    links = [c.attrs["href"] for c in children(tokens) if c.type == "link_open"]
    assert links and all(str(h).startswith(("https://", "http://")) for h in links)
    assert "## Reading list" in text and "Attention Is All You Need" not in text
    # every paper links to its abstract
    assert (
        "| 2020 | [Language Models are Few-Shot Learners](https://arxiv.org/abs/2005.14165) |"
        in text
    )
    assert "## Recent history" in text and "## Finish" in text


def test_markdown_finish_states_the_plans_whole_cost(cli: Any, demo: Path) -> None:
    """Rule 5: the Finish part says what the planned hours are made of, as gaps does."""
    text = export(cli).stdout
    gaps = " ".join(cli("gaps").stdout.split())
    cost = gaps[gaps.index("as planned: ") + len("as planned: ") : gaps.index(", finish ")]
    assert " h to close your gaps + " in cost and " h of maths" in cost
    finish = json.loads(cli("gaps", "--json").stdout)["finish"]
    assert f"- As planned, at 6 h a week: **{finish}** ({cost})" in text


def hostile_catalog(tmp_path: Path) -> Path:
    topic = {
        "id": "t1",
        "name": HOSTILE,
        "hours": 2,
        "resources": ["evil", "good"],
    }
    data = {
        "catalog": 1,
        "id": "hostile",
        "name": "Hostile <b>catalog</b>",
        "math_levels": [{"id": "none", "name": "None | *at all*"}],
        "domains": [
            {
                "id": "d1",
                "name": "Dom | ain *x*",
                "topics": [topic, {"id": "t2", "name": "`x`", "hours": 1, "resources": ["good"]}],
            }
        ],
        "resources": [
            {"id": "evil", "title": "click [me]", "url": "https://x.org/)](javascript:alert(1))"},
            {"id": "good", "title": "a) b", "url": "https://example.org/a(b)<c>"},
        ],
        "papers": [{"id": "p", "title": "P | <i>", "year": 2020}],
        "tracks": [{"id": "tr", "name": "Track *`|`*", "domains": ["d1"]}],
    }
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_hostile_catalog_and_notes_stay_plain_text(cli: Any, tmp_path: Path) -> None:
    catalog = hostile_catalog(tmp_path)
    assert cli("--catalog", str(catalog), "init").exit_code == 0
    assert cli("assess", "d1", "-c", "10", "-t", "90").exit_code == 0, "assess"
    logged = cli("log-progress", "t2", "--minutes", "30", "--note", HOSTILE)
    assert logged.exit_code == 0, logged.stderr

    text = export(cli).stdout
    tokens = MD.parse(text)
    kinds = Counter(c.type for c in children(tokens))
    assert not {"html_inline", "em_open", "code_inline", "image"} & set(kinds)
    inline = children(tokens)
    bold = [inline[i + 1].content for i, c in enumerate(inline) if c.type == "strong_open"]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", b) for b in bold)  # only our finish dates
    assert not [t for t in tokens if t.type in ("html_block", "code_block", "fence")]
    hrefs = [c.attrs["href"] for c in children(tokens) if c.type == "link_open"]
    # The catalog only accepts http(s) URLs; the export still keeps each one a single link.
    assert set(hrefs) == {
        "https://x.org/%29%5D%28javascript:alert%281%29%29",
        "https://example.org/a%28b%29%3Cc%3E",
    }

    assert tokens[1].content.startswith("Study plan: Track")
    assert plain(tokens[1]) == "Study plan: Track *`|`*"
    rows = table_rows(tokens)
    assert ["Dom | ain *x*", "26.7%", "90%", "63.3", "-", "2.2"] in rows  # 30 min of t2 logged
    assert rows[-1][1:] == ["`x`", "0.5", HOSTILE_FOLDED]
    items = [t for t in tokens if t.type == "inline" and t.content.startswith("[ ] ")]
    first = plain(items[0])
    assert first.startswith(f"[ ] {HOSTILE_FOLDED} (Dom | ain *x*, ")
    assert first.endswith(" h): click [me]")
    assert ["2020", "P | <i>", "", "optional", "unread"] in rows


def test_hostile_advice_and_todo_marks_stay_plain_text(cli: Any, tmp_path: Path) -> None:
    """A track's advice and the "Marked not done yet" list are catalog text: never markup."""
    path = hostile_catalog(tmp_path)
    data = yaml.safe_load(path.read_text())
    data["tracks"][0]["advice"] = [HOSTILE]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert cli("--catalog", str(path), "init").exit_code == 0
    assert cli("assess", "d1", "-c", "80", "-t", "90").exit_code == 0
    assert cli("log-progress", "t1", "--todo").exit_code == 0
    tokens = MD.parse(export(cli).stdout)
    kinds = Counter(c.type for c in children(tokens))
    assert not {"html_inline", "em_open", "code_inline", "image", "s_open"} & set(kinds)
    assert not [t for t in tokens if t.type in ("html_block", "code_block", "fence")]
    texts = [plain(t) for t in tokens if t.type == "inline"]
    assert f"Advice: {HOSTILE_FOLDED}" in texts
    heading = texts.index("Marked not done yet")
    assert texts[heading + 1] == f"{HOSTILE_FOLDED} (Dom | ain *x*)"


@given(st.text())
def test_any_text_renders_as_itself(value: str) -> None:
    """md_text output parses back to the same characters, in a paragraph or in a cell.

    (With an invisible word joiner before each ``@``: tests/test_autolinks.py says why.)
    """
    expected = re.sub(r"\s+", " ", clean(value)).strip().replace("@", "\u2060@")
    paragraph = MD.parse(f"Note: {md_text(value)}\n")
    assert [t.type for t in paragraph] in (
        ["paragraph_open", "inline", "paragraph_close"],
        [],
    )
    assert plain(paragraph[1]) == f"Note: {expected}".rstrip()
    cells = table_rows(MD.parse(f"| a | b |\n| --- | --- |\n| {md_text(value)} | z |\n"))
    assert cells[-1] == [expected, "z"]


@given(st.text(), st.text())
def test_links_are_http_only(title: str, url: str) -> None:
    tokens = MD.parse(f"See {md_link(title, url)}\n")
    for tok in children(tokens):
        if tok.type == "link_open":
            assert str(tok.attrs["href"]).startswith(("http://", "https://"))


# --- JSON and import ---


def test_json_round_trip_through_import(cli: Any, demo: Path, tmp_path: Path) -> None:
    cli("log-progress", "la-visual", "--hours", "2", "--note", HOSTILE, "--date", "2026-11-02")
    cli("log-progress", "rag", "--minutes", "45")
    cli("log-progress", "ps-distributions", "--hours", "1", "--done")
    cli("assess", "--math-level", "light")
    first = export(cli, "-f", "json").stdout
    document = json.loads(first)
    assert document["schema"] == 1
    assert set(document) == {
        "schema", "generator", "exported_on", "profile", "records", "gaps", "plan", "history"
    }  # fmt: skip
    # The reports have the shapes of the commands' own --json output.
    for command in ("gaps", "plan", "history"):
        own = json.loads(cli(command, "--json").stdout)
        assert set(document[command]) == set(own), command
    assert document["records"]["sessions"][0]["note"] == HOSTILE

    (tmp_path / "backup.json").write_text(first)
    restored = tmp_path / "restored.db"
    result = cli("--db", str(restored), "import", str(tmp_path / "backup.json"))
    assert result.exit_code == 0, result.stderr
    assert "Imported 3 sessions" in result.stdout
    again = cli("--db", str(restored), "export", "--format", "json")
    assert again.stdout == first
    # The restored profile is a working one.
    assert cli("--db", str(restored), "log-progress", "rag", "--hours", "1").exit_code == 0
    assert cli("--db", str(restored), "undo", "--yes").exit_code == 0
    nothing = cli("--db", str(restored), "undo", "--yes")  # the import itself stays
    assert "nothing to undo" in nothing.stderr
    assert len(json.loads(cli("--db", str(restored), "history", "--json").stdout)["sessions"]) == 3


def dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


def test_import_refuses_a_database_with_a_profile(cli: Any, demo: Path, tmp_path: Path) -> None:
    file = tmp_path / "e.json"
    export(cli, "-o", str(file))
    before = dump(demo)
    result = cli("import", str(file))
    assert result.exit_code == 1
    assert "already holds a profile" in result.stderr
    assert dump(demo) == before


def _doc(cli: Any) -> dict[str, Any]:
    return dict(json.loads(export(cli, "-f", "json").stdout))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: "not json {", "is not JSON"),
        (lambda d: "[1, 2]", "not a gapcli export"),
        (lambda d: {**d, "schema": 2}, "newer gapcli"),
        (lambda d: {**d, "schema": "1"}, "schema"),
        (lambda d: {**d, "profile": {**d["profile"], "weekly_hours": -3}}, "weekly hours"),
        (lambda d: {**d, "profile": {**d["profile"], "study_time": "25:00"}}, "study_time"),
        (lambda d: {**d, "profile": {**d["profile"], "study_days": ["someday"]}}, "someday"),
        (lambda d: {**d, "records": {**d["records"], "sessions": [{"id": 1}]}}, "sessions.0"),
        (
            lambda d: {
                **d,
                "records": {
                    **d["records"],
                    "assessments": [{**d["records"]["assessments"][0], "current": 150}],
                },
            },
            "current",
        ),
        (lambda d: {**d, "profile": {**d["profile"], "created_at": "yesterday"}}, "created_at"),
    ],
)
def test_import_refuses_bad_files_and_writes_nothing(
    cli: Any, demo: Path, tmp_path: Path, change: Any, message: str
) -> None:
    changed = change(_doc(cli))
    file = tmp_path / "bad.json"
    file.write_text(changed if isinstance(changed, str) else json.dumps(changed))
    target = tmp_path / "new.db"
    result = cli("--db", str(target), "import", str(file))
    assert result.exit_code == 1
    assert result.stderr.startswith("gapcli: error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert not target.exists()


@pytest.mark.parametrize("name", ["missing.json", "."])
def test_import_of_a_missing_file_or_folder(cli: Any, tmp_path: Path, name: str) -> None:
    result = cli("--db", str(tmp_path / "x.db"), "import", str(tmp_path / name))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert not (tmp_path / "x.db").exists()


# --- CSV ---


def test_csv_reads_back_one_row_a_session(cli: Any, demo: Path, tmp_path: Path) -> None:
    notes = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", 'plain, "quoted"\nline']
    for note in notes:
        assert cli("log-progress", "rag", "--minutes", "20", "--note", note).exit_code == 0
    assert cli("history", "remove", "1", "--yes").exit_code == 0
    file = tmp_path / "sessions.csv"
    result = cli("export", "-o", str(file))  # the suffix chooses the format
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(file.read_text(), newline="")))
    assert len(rows) == len(notes) - 1  # a removed session is not exported
    assert [r["note"] for r in rows] == ["'+1", "'-1", "'@SUM(A1)", notes[-1]]
    assert rows[0]["domain_name"] == "RAG Systems" and rows[0]["minutes"] == "20"
    assert rows[0]["hours"] == "0.33"


# --- iCalendar ---


def events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_ics_one_event_per_planned_session(cli: Any, demo: Path) -> None:
    plan = json.loads(cli("plan", "--json").stdout)
    sessions = [
        (f"Review: {i['name']}" if i["why"] == "review" else i["name"], s)
        for i in plan["items"]
        for s in i["sessions"]
    ]
    data = cli("export", "-f", "ics", "--at", "07:30").stdout_bytes
    found = events(data)
    assert len(found) == len(sessions)
    assert len({str(e["uid"]) for e in found}) == len(found)
    by_day: dict[date, list[Any]] = {}
    for event, (name, session) in zip(found, sessions, strict=True):
        start = event.decoded("dtstart")
        assert str(event["summary"]) == name
        assert start.date().isoformat() == session["date"]
        minutes = (event.decoded("dtend") - start) / timedelta(minutes=1)
        assert abs(minutes - session["hours"] * 60) <= 1
        by_day.setdefault(start.date(), []).append(event)
    for day_events in by_day.values():  # one after the other, from 07:30
        starts = sorted((e.decoded("dtstart"), e.decoded("dtend")) for e in day_events)
        assert starts[0][0].strftime("%H:%M") == "07:30"
        assert all(a[1] <= b[0] for a, b in pairwise(starts))


def test_ics_uses_the_local_time_zone(cli: Any, demo: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("TZ", "Europe/Paris")
    data = cli("export", "-f", "ics", "--weeks", "2").stdout_bytes
    calendar = Calendar.from_ical(data)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    first = events(data)[0].decoded("dtstart")
    assert first.tzinfo is not None and first.strftime("%H:%M") == "19:00"
    assert first.utcoffset() == timedelta(hours=1)  # winter time in Paris


def test_ics_uids_are_stable_when_the_plan_moves(cli: Any, demo: Path) -> None:
    before = {
        str(e["uid"]): e.decoded("dtstart")
        for e in events(cli("export", "-f", "ics").stdout_bytes)
    }
    plan = json.loads(cli("plan", "--json").stdout)
    study = [i for i in plan["items"] if i["why"] != "review"]
    second = study[1]["topic"]  # study the second topic first: the plan shifts
    assert cli("log-progress", second, "--minutes", "60").exit_code == 0
    after = {
        str(e["uid"]): e.decoded("dtstart")
        for e in events(cli("export", "-f", "ics").stdout_bytes)
    }
    # The k-th session of a topic keeps its UID: a calendar moves it instead of adding a
    # copy. (A topic split into one more session than before gets one new event.)
    shared = set(after) & set(before)
    assert len(shared) >= 0.9 * len(after)
    assert any(after[u] != before[u] for u in shared)


def test_ics_study_time_from_the_profile(cli: Any, tmp_path: Path) -> None:
    assert cli("init", "--demo", "--at", "6:05").exit_code == 0
    first = events(cli("export", "-f", "ics", "-w", "1").stdout_bytes)[0]
    assert first.decoded("dtstart").strftime("%H:%M") == "06:05"


# --- files ---


def test_existing_file_needs_force(cli: Any, demo: Path, tmp_path: Path) -> None:
    file = tmp_path / "plan.md"
    file.write_text("my notes")
    result = cli("export", "-o", str(file))
    assert result.exit_code == 1 and "--force" in result.stderr
    assert file.read_text() == "my notes"
    assert cli("export", "-o", str(file), "--force").exit_code == 0
    assert file.read_text().startswith("# Study plan")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_symlink_is_replaced_not_followed(cli: Any, demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / "plan.md"
    link.symlink_to(target)
    assert cli("export", "-o", str(link)).exit_code == 1
    assert cli("export", "-o", str(link), "--force").exit_code == 0
    assert target.read_text() == "keep me"
    assert not link.is_symlink() and link.read_text().startswith("# Study plan")


@pytest.mark.parametrize(
    ("where", "message"),
    [(".", "is a directory"), ("no/such/dir/plan.md", "does not exist")],
)
def test_bad_destinations(cli: Any, demo: Path, tmp_path: Path, where: str, message: str) -> None:
    result = cli("export", "-o", str(tmp_path / where))
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_unwritable_folder(demo: Path, unprivileged: list[str]) -> None:
    """As root, modes do not stop writes: the export then runs as ``nobody``."""
    import shutil
    import subprocess
    import sys
    import tempfile

    prefix = unprivileged
    folder = Path(tempfile.mkdtemp(prefix="gapcli-export-"))
    try:
        db = folder / "me.db"
        shutil.copyfile(demo, db)
        db.chmod(0o644)
        locked = folder / "locked"
        locked.mkdir(mode=0o755 if prefix else 0o555)
        folder.chmod(0o755)
        result = subprocess.run(
            [
                *prefix,
                sys.executable,
                "-m",
                "gapcli",
                "--db",
                str(db),
                "export",
                "-o",
                str(locked / "plan.md"),
            ],
            capture_output=True,
            text=True,
            cwd="/",
            check=False,
        )
        assert result.returncode == 1, result.stderr
        assert result.stderr == f"gapcli: error: cannot write in {locked}: Permission denied\n"
        assert list(locked.iterdir()) == []
    finally:
        shutil.rmtree(folder)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--at", "19:00"], "--at is for --format ics"),
        (["-f", "ics", "--at", "7pm"], "HH:MM"),
        (["--start", "2026-02-30"], "--start"),
        (["-f", "pdf"], "pdf"),
        (["--weeks", "0"], "--weeks"),
        (["-f", "csv", "--weeks", "2"], "--weeks is for markdown, html and ics"),
    ],
)
def test_bad_options(cli: Any, demo: Path, args: list[str], message: str) -> None:
    result = cli("export", *args)
    assert result.exit_code in (1, 2)
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_export_before_init_says_run_init(cli: Any) -> None:
    result = cli("export")
    assert result.exit_code == 1 and "gapcli init" in result.stderr


def test_export_to_stdout_writes_no_file(cli: Any, demo: Path, tmp_path: Path) -> None:
    assert export(cli, "-o", "-").stdout.startswith("# Study plan")
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("gapcli.db")] == []


def test_stamps_keep_microseconds() -> None:
    from gapcli.documents.export_doc import stamp

    assert stamp(datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05.000000Z"


def test_csv_cells_that_would_run_as_formulas() -> None:
    from gapcli.render.csv_export import csv_cell

    for value in ("=1+1", "+1", "-1", "@A1", "\tx"):
        assert csv_cell(value).startswith("'")
    assert csv_cell("\rx") == "\ufffdx"  # a control character is never written at all
    assert csv_cell("plain") == "plain" and csv_cell(None) == ""


def test_import_with_a_custom_catalog_that_moved(cli: Any, tmp_path: Path) -> None:
    catalog = hostile_catalog(tmp_path)
    assert cli("--catalog", str(catalog), "init").exit_code == 0
    file = tmp_path / "e.json"
    export(cli, "-o", str(file))
    moved = catalog.rename(tmp_path / "moved.yaml")
    target = tmp_path / "new.db"
    refused = cli("--db", str(target), "import", str(file))
    assert refused.exit_code == 1 and "give it with --catalog" in refused.stderr
    assert not target.exists()
    result = cli("--db", str(target), "--catalog", str(moved), "import", str(file))
    assert result.exit_code == 0, result.stderr
    assert cli("--db", str(target), "gaps", "--json").exit_code == 0


# --- what a new user tried ---


def _exported(cli: Any, tmp_path: Path) -> dict[str, Any]:
    cli("log-progress", "rag-why", "--minutes", "30")
    return dict(json.loads(export(cli, "-f", "json").stdout))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["profile"].update(track="ghost"), "has no track 'ghost'"),
        (lambda d: d["records"]["sessions"][0].update(date="2099-01-01"), "in the future"),
        (lambda d: d["records"]["sessions"][0].update(domain="mlops"), "belongs to 'rag'"),
    ],
    ids=["track", "future", "wrong-domain"],
)
def test_import_refuses_what_the_catalog_contradicts(
    cli: Any, demo: Path, tmp_path: Path, change: Any, message: str
) -> None:
    doc = _exported(cli, tmp_path)
    change(doc)
    file = tmp_path / "e.json"
    file.write_text(json.dumps(doc))
    result = cli("--db", str(tmp_path / "n.db"), "import", str(file))
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert not (tmp_path / "n.db").exists()


def test_import_refuses_another_catalog(cli: Any, demo: Path, tmp_path: Path) -> None:
    file = tmp_path / "e.json"
    file.write_text(json.dumps(_exported(cli, tmp_path)))
    other = hostile_catalog(tmp_path)
    result = cli("--db", str(tmp_path / "n.db"), "--catalog", str(other), "import", str(file))
    assert result.exit_code == 1
    assert "exported with the catalog 'ai'" in result.stderr


def test_import_accepts_a_bom_and_explains_a_csv(cli: Any, demo: Path, tmp_path: Path) -> None:
    text = export(cli, "-f", "json").stdout
    file = tmp_path / "bom.json"
    file.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert cli("--db", str(tmp_path / "n.db"), "import", str(file)).exit_code == 0
    csv_file = tmp_path / "s.csv"
    export(cli, "-o", str(csv_file))
    result = cli("--db", str(tmp_path / "m.db"), "import", str(csv_file))
    assert result.exit_code == 1 and "gapcli export -f json" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "plan.ical"], "cannot tell the format"),
        (["-o", ""], "needs a file name"),
        (["-f", "csv", "--start", "2027-01-04"], "--start"),
    ],
)
def test_export_refuses_unclear_requests(
    cli: Any, demo: Path, tmp_path: Path, monkeypatch: Any, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("export", *args)
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("gapcli.db")] == []


def test_export_never_replaces_any_sqlite_database(cli: Any, demo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    assert cli("--db", str(other), "init").exit_code == 0
    before = other.read_bytes()
    result = cli("export", "-o", str(other), "--force")
    assert result.exit_code == 1 and "SQLite database" in result.stderr
    assert other.read_bytes() == before


def test_format_names_ignore_case(cli: Any, demo: Path) -> None:
    assert json.loads(export(cli, "-f", "JSON").stdout)["schema"] == 1


def test_an_empty_plan_makes_an_empty_calendar(cli: Any, tmp_path: Path) -> None:
    """Every target met: a valid calendar with no events (a subscription then empties)."""
    catalog = hostile_catalog(tmp_path)
    assert cli("--catalog", str(catalog), "init").exit_code == 0
    assert cli("assess", "d1", "-c", "100", "-t", "100").exit_code == 0
    result = cli("export", "-f", "ics")
    assert result.exit_code == 0, result.stderr
    assert "plan is empty" in result.stderr
    calendar = Calendar.from_ical(result.stdout_bytes)
    assert calendar.name == "VCALENDAR"
    assert [c for c in calendar.walk() if c.name == "VEVENT"] == []


def test_stdout_on_a_full_disk(demo: Path) -> None:
    import subprocess
    import sys

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this machine")
    with Path("/dev/full").open("w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "gapcli", "--db", str(demo), "export"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr.startswith("gapcli: error: cannot write to standard output")


def test_markdown_reads_well_raw(cli: Any, demo: Path) -> None:
    """Escapes only where the text would otherwise render differently (issue 18)."""
    cli("log-progress", "ps-distributions", "--hours", "1", "--done", "--note", "ch. 1-2 & 3")
    text = export(cli).stdout
    for noise in ("\\-", "\\.", "&amp;", "\\(", "\\)", "\\!", "&#8288;"):
        assert noise not in text, noise
    assert "Fine-Tuning / Training" in text and "Probability & Statistics" in text
    assert "ch. 1-2 & 3" in text


@pytest.mark.parametrize(
    ("raw", "markdown"),
    [
        ("Fine-Tuning & RAG 2026-11-30 (v1.5)!", "Fine-Tuning & RAG 2026-11-30 (v1.5)!"),
        ("snake_case and _under_", "snake_case and \\_under\\_"),
        ("- a list? # a heading?", "\\- a list? # a heading?"),
        ("1. first", "1\\. first"),
        ("Ends in #", "Ends in \\#"),
        ("<b>&amp; &", "\\<b>&amp;amp; &"),
        ("*a* [b] `c` ~d~ e|f", "\\*a\\* \\[b\\] \\`c\\` \\~d\\~ e\\|f"),
        ("a \\ b \\*", "a \\ b \\\\\\*"),
    ],
)
def test_markdown_escapes_only_what_would_render(raw: str, markdown: str) -> None:
    assert md_text(raw) == markdown
