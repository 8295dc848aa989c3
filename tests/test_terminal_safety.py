"""Hostile text in catalogs and notes reaches the terminal inert, with colour on.

A catalog anyone can write (and notes the learner pastes) may hold terminal escape
sequences (OSC 52 writes the clipboard, OSC 0 the window title, CSI 2J clears the
screen), C1 controls (U+009B is an 8-bit CSI), bidi overrides (U+202E makes text read
backwards) and rich markup (an unbalanced "[/x]" raises MarkupError when text is
parsed as markup). Every command's terminal output is checked with colour forced on
(TERM=xterm-256color, FORCE_COLOR=1, NO_COLOR unset): the only ESC bytes allowed are
rich's own SGR colour codes; no C0/C1 control, no bidi control, exit 0. ``--json``
output must still carry every string exactly.

The commands run in-process. gapcli caches its two rich consoles (decided once per
process), so the caches are cleared around every invocation; one test runs gapcli as
a real subprocess to show the in-process set-up matches what a user gets.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml
from conftest import TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gapcli.cli import app
from gapcli.render.terminal import out

HOSTILE = [
    "\x1b]52;c;aGk=\x07",  # OSC 52: write the clipboard
    "\x1b[2J",  # CSI: clear the screen
    "\x1b]0;title\x07",  # OSC 0: window title
    "\x1b[31m",  # a colour of its own
    "\x1b]8;;https://evil.test\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x1bP1$r\x1b\\",  # DCS
    "\x1bc",  # full reset
    "\x9b2J",  # C1 CSI
    "\x9d0;t\x9c",  # C1 OSC ... ST
    "\x85",  # C1 NEL
    "\x07",
    "\x08",
    "\r",
    "\x7f",
    "\u202e",  # right-to-left override
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "[/x]",
    "[bold",
    "[link=https://evil.test]",
    "[/]",
    "[red]x[/red]",
    "\\[b]",
    ":smile:",
]
ALL_HOSTILE = "".join(HOSTILE)

SGR = re.compile(r"\x1b\[[0-9;]*m")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but tab/newline, DEL, C1
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
COMMAND_IDS = set()


def _walk(command: Any, path: tuple[str, ...]) -> None:
    for name, sub in (getattr(command, "commands", None) or {}).items():
        COMMAND_IDS.add(" ".join((*path, name)))
        _walk(sub, (*path, name))


_walk(typer.main.get_command(app), ())


def assert_inert(text: str, where: str) -> None:
    """Only SGR colour codes may carry ESC; no other control or bidi character."""
    rest = SGR.sub("", text)
    assert "\x1b" not in rest, (where, rest)
    bad = sorted({hex(ord(c)) for c in CONTROL.findall(rest)})
    assert not bad, (where, bad, rest)
    bidi = sorted({hex(ord(c)) for c in BIDI.findall(rest)})
    assert not bidi, (where, bidi, rest)


# -- a catalog whose every free-text field is hostile ----------------------------------------

FIELDS = [
    "catalog.name",
    "catalog.description",
    "level0.name",
    "level1.name",
    "level1.description",
    "maths.name",
    "maths.description",
    "m1.name",
    "m1.description",
    "dom.name",
    "dom.description",
    "t1.name",
    "t1.description",
    "t2.name",
    "res.title",
    "res.by",
    "pap.title",
    "pap.authors",
    "pap.contribution",
    "trk.name",
    "trk.description",
    "trk.advice",
    "src.title",
    "src.by",
    "why",
]


def hostile_catalog(s: dict[str, str]) -> dict[str, Any]:
    return {
        "catalog": 1,
        "id": "hostile",
        "name": s["catalog.name"],
        "description": s["catalog.description"],
        "math_levels": [
            {"id": "lvl0", "name": s["level0.name"]},
            {
                "id": "lvl1",
                "name": s["level1.name"],
                "description": s["level1.description"],
                "topics": ["m1"],
            },
        ],
        "domains": [
            {
                "id": "maths",
                "name": s["maths.name"],
                "kind": "math",
                "description": s["maths.description"],
                "topics": [
                    {
                        "id": "m1",
                        "name": s["m1.name"],
                        "hours": 2,
                        "description": s["m1.description"],
                    }
                ],
            },
            {
                "id": "dom",
                "name": s["dom.name"],
                "math": "lvl1",
                "target": 90,
                "description": s["dom.description"],
                "topics": [
                    {
                        "id": "t1",
                        "name": s["t1.name"],
                        "hours": 3,
                        "description": s["t1.description"],
                        "resources": ["res"],
                    },
                    {
                        "id": "t2",
                        "name": s["t2.name"],
                        "hours": 4,
                        "requires": ["t1", "m1"],
                        "resources": ["res"],
                    },
                    {"id": "t3", "name": "Q[/x]", "hours": 1},
                ],
            },
        ],
        "resources": [
            {
                "id": "res",
                "title": s["res.title"],
                "by": s["res.by"],
                "kind": "book",
                "hours": 2,
                "url": "https://example.test/book",
            }
        ],
        "papers": [
            {
                "id": "pap",
                "title": s["pap.title"],
                "authors": s["pap.authors"],
                "year": 2000,
                "contribution": s["pap.contribution"],
                "domains": ["dom"],
                "url": "https://example.test/paper",
            }
        ],
        "tracks": [
            {
                "id": "trk",
                "name": s["trk.name"],
                "description": s["trk.description"],
                "domains": ["dom", "maths"],
                "advice": [s["trk.advice"]],  # shown under the plan's heading
            }
        ],
        # credited under every 'catalog list'
        "sources": [
            {"title": s["src.title"], "by": s["src.by"], "url": "https://example.test/roadmap"}
        ],
        "study_order": [{"topic": "t1", "why": s["why"]}],
        "demo": {
            "track": "trk",
            "math_level": "lvl0",
            "weekly_hours": 6,
            "assessments": {
                "dom": {"current": 10, "target": 90},
                "maths": {"current": 0, "target": 50},
            },
        },
    }


CATALOG_IDS = ["maths", "m1", "dom", "t1", "t2", "t3", "res", "pap", "trk", "lvl0", "lvl1"]
KINDS = ["domains", "topics", "tracks", "papers", "resources", "levels"]


# -- running gapcli with colour forced on -----------------------------------------------------


def _clear_consoles() -> None:
    from gapcli.render import terminal

    for name in ("out", "err"):
        clear = getattr(getattr(terminal, name, None), "cache_clear", None)
        if clear is not None:
            clear()


@pytest.fixture
def colour_cli(tmp_path: Path) -> Iterator[Any]:
    """Runs gapcli in-process on a terminal-like, colour-forced environment."""

    def run(folder: Path, *args: str) -> Any:
        env = {
            "TERM": "xterm-256color",
            "FORCE_COLOR": "1",
            "NO_COLOR": None,
            "COLUMNS": "120",
            "GAPCLI_DB": str(folder / "gapcli.db"),
            "GAPCLI_CATALOG": None,
            "HOME": str(folder),
        }
        _clear_consoles()
        try:
            return CliRunner().invoke(app, list(args), env=env, input="")
        finally:
            _clear_consoles()

    yield run
    _clear_consoles()


class Session:
    """One learner with a hostile catalog; records every terminal output it sees."""

    def __init__(self, run: Any, catalog: dict[str, Any], root: Path) -> None:
        self.run = run
        self.folder = Path(tempfile.mkdtemp(dir=root))
        self.catalog_path = self.folder / "hostile.yaml"
        self.catalog_path.write_text(yaml.safe_dump(catalog), "utf-8")
        self.coloured = False

    def ok(self, *args: str, codes: tuple[int, ...] = (0,)) -> Any:
        result = self.run(self.folder, *args)
        where = " ".join(args)[:200]
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            where,
            result.exception,
        )
        assert result.exit_code in codes, (where, result.exit_code, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr, where
        assert_inert(result.stdout, f"stdout of {where}")
        assert_inert(result.stderr, f"stderr of {where}")
        self.coloured = self.coloured or bool(SGR.search(result.stdout))
        return result


def exercise(session: Session, strings: dict[str, str], note: str) -> None:
    """Every command whose terminal output can show catalog text or notes."""
    ok = session.ok
    today = TODAY
    init = ok("--catalog", str(session.catalog_path), "init", "--demo")
    assert "Created" in SGR.sub("", init.stdout)
    ok("log-progress", "t1", "--hours", "1", "--note", note)
    ok(
        "log-progress",
        "dom",
        "--minutes",
        "30",
        "--note",
        note,
        "--date",
        str(today - timedelta(1)),
    )
    ok("log-progress", "m1", "--minutes", "20", "--done")
    # by name; "--" because a hostile name may start with "-"
    ok("log-progress", "--minutes", "20", "--", strings["t2.name"], codes=(0, 1))
    for args in (
        ["gaps"],
        ["gaps", "--all"],
        ["plan"],
        ["plan", "--weeks", "1", "--domain", "dom"],
        ["today"],
        ["roadmap"],
        ["roadmap", "dom"],
        ["roadmap", "--track", "all"],
        ["plan", "--days"],
        ["history"],
        ["history", "--domain", "dom", "--since", str(today - timedelta(30))],
        ["catalog", "validate", str(session.catalog_path)],
        ["db", "check"],
        ["db", "path"],
        ["assess"],  # stdin is not a terminal: prints the gap report
    ):
        ok(*args)
    for kind in [*KINDS, "sources"]:
        ok("catalog", "list", "--kind", kind)
    for ident in CATALOG_IDS:
        ok("catalog", "show", ident)
    ok("catalog", "show", "--", strings["pap.title"], codes=(0, 1))  # by name
    ok("history", "edit", "1", "--note", note + " (edited)")
    ok("assess", "dom", "--current", "20", "--target", "95")
    ok("assess", "--math-level", "lvl1")
    ok("undo", "--yes")
    ok("history", "remove", "2", "--yes")
    ok("undo", "--yes")
    if "export" in COMMAND_IDS:  # to stdout: what a terminal shows without -o
        for fmt in ("markdown", "csv", "ics"):
            ok("export", "--format", fmt)
    # refusals that echo what they were given
    note = "no such thing " + note
    for args in (
        ["catalog", "show", note],
        ["log-progress", note, "--hours", "1"],
        ["history", "--domain", note],
        ["plan", "--start", note],
        ["plan", "--domain", note],
        ["assess", "dom", "--current", note],
        ["assess", "--math-level", note],
        ["init", "--track", note],
        ["history", "edit", "1", "--date", note],
    ):
        ok(*args, codes=(1,))
    assert session.coloured, "colour was not on: the test would prove nothing"


# -- the tests --------------------------------------------------------------------------------


_ANY = st.characters(exclude_categories=("Cs",))
# argv cannot hold NUL
_ARGV = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")


def hostile_text(alphabet: st.SearchStrategy[str] = _ANY) -> st.SearchStrategy[str]:
    """At least one hostile fragment among a little arbitrary text; 1-200 characters."""
    piece = st.one_of(st.sampled_from(HOSTILE), st.text(alphabet, min_size=1, max_size=6))
    return st.tuples(st.sampled_from(HOSTILE), st.lists(piece, max_size=5), st.randoms()).map(
        lambda t: "".join(t[2].sample([t[0], *t[1]], len(t[1]) + 1))[:200]
    )


CATALOG_STRINGS = st.fixed_dictionaries({f: hostile_text() for f in FIELDS})


@settings(
    max_examples=max(5, settings.default.max_examples // 5),  # 20 with CI=1, ~1.5 s each
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(strings=CATALOG_STRINGS, note=hostile_text(_ARGV))
def test_every_command_renders_hostile_text_inert(
    colour_cli: Any, tmp_path: Path, strings: dict[str, str], note: str
) -> None:
    session = Session(colour_cli, hostile_catalog(strings), tmp_path)
    exercise(session, strings, note)


def test_all_hostile_fragments_at_once(colour_cli: Any, tmp_path: Path) -> None:
    strings = {f: (f + ALL_HOSTILE)[:200] for f in FIELDS}
    strings["catalog.description"] = ALL_HOSTILE * 5
    session = Session(colour_cli, hostile_catalog(strings), tmp_path)
    exercise(session, strings, "note " + ALL_HOSTILE)
    listed = SGR.sub("", session.ok("catalog", "list", "--kind", "topics").stdout)
    assert "Q[/x]" in listed, "markup in a name is shown as typed, not parsed"


# -- JSON keeps every string exactly -----------------------------------------------------------


def _json(session: Session, *args: str) -> Any:
    result = session.run(session.folder, *args, "--json")
    assert result.exit_code == 0, (args, result.stderr)
    assert "\x1b" not in result.stdout, "JSON escapes ESC (and is never coloured)"
    assert not re.search(r"[\x00-\x1f]", result.stdout.replace("\n", "")), args
    return json.loads(result.stdout)


def check_json(session: Session, strings: dict[str, str], note: str) -> None:
    ok = session.ok
    ok("--catalog", str(session.catalog_path), "init", "--demo")
    ok("log-progress", "t1", "--hours", "1", "--note", note)
    by_kind = {kind: _json(session, "catalog", "list", "--kind", kind) for kind in KINDS}
    names = {
        row["id"]: row.get("name") or row.get("title") for rows in by_kind.values() for row in rows
    }
    assert names["maths"] == strings["maths.name"]
    assert names["dom"] == strings["dom.name"]
    assert names["t1"] == strings["t1.name"]
    assert names["t2"] == strings["t2.name"]
    assert names["trk"] == strings["trk.name"]
    assert names["lvl1"] == strings["level1.name"]
    assert names["res"] == strings["res.title"]
    assert names["pap"] == strings["pap.title"]
    paper = by_kind["papers"][0]
    assert (paper["authors"], paper["contribution"]) == (
        strings["pap.authors"],
        strings["pap.contribution"],
    )
    assert by_kind["resources"][0]["by"] == strings["res.by"]
    shown = _json(session, "catalog", "show", "dom")
    assert (shown["name"], shown["description"]) == (
        strings["dom.name"],
        strings["dom.description"],
    )
    assert _json(session, "catalog", "show", "t1")["description"] == strings["t1.description"]
    assert _json(session, "catalog", "show", "trk")["description"] == strings["trk.description"]
    gaps = _json(session, "gaps", "--all")
    assert {d["id"]: d["name"] for d in gaps["domains"]}["dom"] == strings["dom.name"]
    history = _json(session, "history")
    assert [s["note"] for s in history["sessions"]] == [note.strip() or None]  # notes are trimmed
    assert _json(session, "plan")["advice"] == [strings["trk.advice"]]
    assert _json(session, "catalog", "list", "--kind", "sources") == [
        {
            "title": strings["src.title"],
            "by": strings["src.by"],
            "url": "https://example.test/roadmap",
        }
    ]


@settings(
    max_examples=max(5, settings.default.max_examples // 5),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(strings=CATALOG_STRINGS, note=hostile_text(_ARGV))
def test_json_output_keeps_hostile_strings_exactly(
    colour_cli: Any, tmp_path: Path, strings: dict[str, str], note: str
) -> None:
    check_json(Session(colour_cli, hostile_catalog(strings), tmp_path), strings, note)


def test_json_output_escapes_c1_controls(colour_cli: Any, tmp_path: Path) -> None:
    strings = {f: "x\x9b2J\x9d0;t\x9c" for f in FIELDS}
    session = Session(colour_cli, hostile_catalog(strings), tmp_path)
    session.ok("--catalog", str(session.catalog_path), "init", "--demo")
    for args in (["catalog", "list", "--kind", "topics"], ["gaps"], ["catalog", "show", "dom"]):
        result = session.run(session.folder, *args, "--json")
        assert result.exit_code == 0, result.stderr
        assert not re.search(r"[\x80-\x9f]", result.stdout), args


# -- the same in a real process -----------------------------------------------------------------


def test_real_process_with_forced_colour(tmp_path: Path) -> None:
    """No in-process shortcut: rich decides colour itself from the environment."""
    strings = {f: (f + ALL_HOSTILE)[:200] for f in FIELDS}
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(hostile_catalog(strings)), "utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "GAPCLI_CATALOG")}
    env |= {"TERM": "xterm-256color", "FORCE_COLOR": "1", "COLUMNS": "120"}
    env |= {"GAPCLI_DB": str(tmp_path / "gapcli.db"), "HOME": str(tmp_path)}
    coloured = False
    for args in (
        ["--catalog", str(path), "init", "--demo"],
        ["log-progress", "t1", "--hours", "1", "--note", "n" + ALL_HOSTILE],
        ["gaps"],
        ["history"],
        ["catalog", "list", "--kind", "topics"],
        ["catalog", "show", "pap"],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "gapcli", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, (args, result.stderr)
        assert_inert(result.stdout, f"stdout of {args}")
        assert_inert(result.stderr, f"stderr of {args}")
        coloured = coloured or bool(SGR.search(result.stdout))
    assert coloured, "FORCE_COLOR=1 did not turn colour on"


def test_a_plain_string_prints_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    """gapcli styles with Text objects only: a string is neither markup nor emoji codes."""
    out.cache_clear()
    try:
        out().print("[bold]10[/bold] :fire: [/x] 50%")
    finally:
        out.cache_clear()
    assert capsys.readouterr().out == "[bold]10[/bold] :fire: [/x] 50%\n"
