"""``gapcli team ...`` and ``export -f html --team`` end to end, on real SQLite files.

The team store is built as the README tells a team lead to: each learner keeps
their own database, exports it as JSON, and the lead imports every file with
``import FILE.json --profile NAME``. The catalog is small enough to count by hand:
three domains of two 5 h (security: 4 h) topics, an assessment's % covering the
topics in teaching order, and a gap closing with whole topics.

Learners (every domain assessed):
- ana, track core: py 100/80 (at target), ml 50/80 (5 h); her first assessments
  were on 2026-10-10, with ml then at 0/80 (10 h).
- ben, track core: py 50/80 (5 h), ml 0/60 (10 h).
- cy, track all: py 100/90, ml 100/70 (both at target), sec 50/80 (4 h); she logs
  sessions with notes (what --detail shows, and nothing else does).

By hand: ml 15 h (1/3 at target, mean 50, median 50), py 5 h (2/3, mean 83.3,
median 100), sec 4 h (0/1, two learners without it); 24 h in all. Bus factor:
ml (only cy), sec (no one); topics ml-b and sec-a (only cy), sec-b (no one).
Trend: 2026-10-31 ana alone, 10 h; 2026-11-30 everyone, 24 h.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from gapcli.cli import app
from tests.test_report_html import SVG_NS, read_page

NOTE = "chapter 2 \x1b]52;c;aGk=\x07 [/bold] <b>&"
SEC_NAME = "Security </td><script>x</script> [bold]"


def catalog_file(folder: Path) -> Path:
    def topics(domain: str, hours: int) -> list[dict[str, Any]]:
        return [
            {"id": f"{domain}-{part}", "name": f"{domain} {part}", "hours": hours}
            for part in ("a", "b")
        ]

    data = {
        "catalog": 1,
        "id": "team-test",
        "name": "Team test",
        "math_levels": [{"id": "none", "name": "None"}],
        "domains": [
            {"id": "py", "name": "Python", "topics": topics("py", 5)},
            {"id": "ml", "name": "Machine learning", "topics": topics("ml", 5)},
            {"id": "sec", "name": SEC_NAME, "topics": topics("sec", 4)},
        ],
        "tracks": [
            {"id": "core", "name": "Core", "domains": ["py", "ml"]},
            {"id": "all3", "name": "Everything", "domains": ["py", "ml", "sec"]},
        ],
    }
    path = folder / "team.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def run(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


LEARNERS: dict[str, tuple[str, list[list[str]]]] = {
    "ana": (
        "core",
        [
            ["assess", "py", "-c", "100", "-t", "80", "--date", "2026-10-10"],
            ["assess", "ml", "-c", "0", "-t", "80", "--date", "2026-10-10"],
            ["assess", "ml", "-c", "50", "-t", "80"],
        ],
    ),
    "ben": (
        "core",
        [["assess", "py", "-c", "50", "-t", "80"], ["assess", "ml", "-c", "0", "-t", "60"]],
    ),
    "cy": (
        "all3",
        [
            ["assess", "py", "-c", "100", "-t", "90"],
            ["assess", "ml", "-c", "100", "-t", "70"],
            ["assess", "sec", "-c", "50", "-t", "80"],
            ["log-progress", "py-a", "--minutes", "45", "--date", "2026-11-20", "--note", NOTE],
            ["log-progress", "py-b", "--minutes", "30", "--date", "2026-11-25"],
            ["note", "ml-a", "cy's own note"],
        ],
    ),
}


@pytest.fixture(scope="module")
def team_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Each learner's own database, exported, then imported into one team store."""
    folder = tmp_path_factory.mktemp("team")
    catalog = catalog_file(folder)
    store = folder / "team.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GAPCLI_CATALOG", str(catalog))
        for name, (track, steps) in LEARNERS.items():
            own = folder / f"{name}.db"
            run("--db", str(own), "init", "--track", track, "--weekly-hours", "5")
            for step in steps:
                run("--db", str(own), *step)
            export = folder / f"{name}.json"
            run("--db", str(own), "export", "-o", str(export))
            run("--db", str(store), "import", str(export), "--profile", name)
    yield store


@pytest.fixture
def team(team_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the team store at this test's GAPCLI_DB (the catalog stays where it was)."""
    target = tmp_path / "gapcli.db"
    with closing(sqlite3.connect(team_template)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    monkeypatch.setenv("GAPCLI_DB", str(target))
    return target


def ok(cli: Any, *args: str) -> Any:
    result = cli(*args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def as_json(cli: Any, *args: str) -> Any:
    return json.loads(ok(cli, *args, "--json").stdout)


def one_error(result: Any) -> str:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("gapcli: error: "), lines
    assert "Traceback" not in result.stdout + result.stderr
    return lines[0]


def test_the_team_store_holds_each_import(cli: Any, team: Path) -> None:
    names = [p["name"] for p in json.loads(ok(cli, "profiles", "--json").stdout)]
    assert names == ["ana", "ben", "cy"]


def test_gaps_by_hand(cli: Any, team: Path) -> None:
    data = as_json(cli, "team", "gaps")
    assert data["members"] == 3 and data["catalogs"] == ["team-test"] and data["track"] is None
    rows = {d["id"]: d for d in data["domains"]}
    assert [d["id"] for d in data["domains"]] == ["ml", "py", "sec"]  # largest gap first
    assert rows["ml"] == {
        "id": "ml",
        "name": "Machine learning",
        "learners": 3,
        "assessed": 3,
        "mean_current": 50,
        "median_current": 50,
        "total_gap_hours": 15,
        "at_target": 1,
        "without": 0,
    }
    assert (rows["py"]["mean_current"], rows["py"]["median_current"]) == (83.3, 100)
    assert (rows["py"]["total_gap_hours"], rows["py"]["at_target"]) == (5, 2)
    assert (rows["sec"]["learners"], rows["sec"]["without"]) == (1, 2)
    assert (rows["sec"]["total_gap_hours"], rows["sec"]["at_target"]) == (4, 0)
    assert data["total_hours"] == 24

    text = ok(cli, "team", "gaps").stdout
    assert "Team gaps, 3 learners, largest first" in text
    lines = [line.split() for line in text.splitlines()]
    assert ["Machine", "learning", "1/3", "50%", "50%", "15"] in lines
    assert ["Python", "2/3", "83.3%", "100%", "5"] in lines
    assert "Total: 24 h" in text


def test_each_learner_counts_as_their_own_gaps(cli: Any, team: Path) -> None:
    """The team's hours are the sum of what each learner's own ``gaps`` says."""
    own = [
        json.loads(ok(cli, "--profile", name, "gaps", "--json").stdout)["total_hours"]
        for name in LEARNERS
    ]
    assert own == [5, 15, 4]
    assert sum(own) == as_json(cli, "team", "gaps")["total_hours"]


def test_track_keeps_its_domains_and_unknown_is_refused(cli: Any, team: Path) -> None:
    data = as_json(cli, "team", "gaps", "--track", "core")
    assert data["track"] == "core"
    assert [d["id"] for d in data["domains"]] == ["ml", "py"]
    assert data["total_hours"] == 20
    assert "on track core" in ok(cli, "team", "gaps", "--track", "core").stdout
    for command in ("gaps", "matrix", "coverage"):
        error = one_error(cli("team", command, "--track", "nope"))
        assert "'nope'" in error and "core" in error


def test_matrix_by_hand(cli: Any, team: Path) -> None:
    data = as_json(cli, "team", "matrix")
    assert [d["id"] for d in data["domains"]] == ["py", "ml", "sec"]
    cells = {row["name"]: row["cells"] for row in data["learners"]}
    assert list(cells) == ["ana", "ben", "cy"]
    assert cells["ana"]["py"] == {"current": 100, "target": 80, "at_target": True}
    assert cells["ana"]["ml"] == {"current": 50, "target": 80, "at_target": False}
    assert cells["ana"]["sec"] is None and cells["ben"]["sec"] is None
    assert cells["ben"]["ml"] == {"current": 0, "target": 60, "at_target": False}
    assert cells["cy"]["sec"] == {"current": 50, "target": 80, "at_target": False}
    text = ok(cli, "team", "matrix").stdout
    assert "100/80 ✓" in text and "0/60" in text and "50/80" in text


def test_coverage_by_hand(cli: Any, team: Path) -> None:
    data = as_json(cli, "team", "coverage")
    assert data["minimum"] == 2
    assert [(h["id"], h["holders"]) for h in data["domains"]] == [("sec", []), ("ml", ["cy"])]
    assert [(h["id"], h["holders"]) for h in data["topics"]] == [
        ("sec-b", []),
        ("ml-b", ["cy"]),
        ("sec-a", ["cy"]),
    ]
    text = ok(cli, "team", "coverage").stdout
    assert "Only cy knows (2): ml b, sec a" in text
    assert "No one knows (1): sec b" in text


def test_trend_by_hand(cli: Any, team: Path) -> None:
    data = as_json(cli, "team", "trend")
    assert data["points"] == [
        {"date": "2026-10-31", "hours": 10, "members": 1},
        {"date": "2026-11-30", "hours": 24, "members": 3},
    ]
    text = ok(cli, "team", "trend").stdout
    assert "2026-10-31" in text and "24" in text


@pytest.mark.parametrize("command", ["gaps", "matrix", "coverage", "trend"])
def test_detail_only_when_asked(cli: Any, team: Path, command: str) -> None:
    plain = ok(cli, "team", command)
    assert "chapter 2" not in plain.stdout and "own note" not in plain.stdout
    assert "detail" not in as_json(cli, "team", command)

    shown = ok(cli, "team", command, "--detail").stdout
    assert "2026-11-20  0.8 h  py-a  (chapter 2" in shown and "cy's own note" in shown
    assert "\x1b" not in shown  # the note's escape sequence is defused
    detail = as_json(cli, "team", command, "--detail")["detail"]
    assert list(detail) == ["ana", "ben", "cy"]
    assert [s["topic"] for s in detail["cy"]["sessions"]] == ["py-a", "py-b"]
    assert detail["cy"]["sessions"][0]["note"] == NOTE  # JSON keeps the text as written
    assert [n["text"] for n in detail["cy"]["notes"]] == ["cy's own note"]
    assert detail["ana"] == {"sessions": [], "notes": []}


def test_help_says_detail_is_off_by_default(cli: Any) -> None:
    text = " ".join(ok(cli, "team", "gaps", "--help").stdout.split())
    assert "--detail" in text and "(off by default" in text
    assert "workplace rules" in " ".join(ok(cli, "team", "--help").stdout.split())


def test_html_team_report(cli: Any, team: Path, tmp_path: Path) -> None:
    target = tmp_path / "team.html"
    result = ok(cli, "export", "-f", "html", "--team", "-o", str(target))
    assert result.stderr.startswith(f"Wrote team report to {target}")
    assert target.stat().st_mode & 0o777 == 0o600
    page = read_page(target.read_text(encoding="utf-8"))
    assert page.errors == [] and "script" not in page.tags and page.handlers == []
    assert [u for u in page.urls if not u.startswith("#") and u != SVG_NS] == []
    text = "\n".join(page.texts)
    assert SEC_NAME in text  # the hostile domain name is text, not markup
    for name in ("ana", "ben", "cy", "100/80% met", "50/80% below"):
        assert name in text
    assert "chapter 2" not in text and "own note" not in text  # aggregates only
    again = cli("export", "-f", "html", "--team", "-o", str(target))
    assert "--force" in one_error(again)
    ok(cli, "export", "--team", "-o", str(target), "--force")
    assert "--team" in one_error(cli("export", "--team", "-o", str(tmp_path / "t.md")))
    weeks = cli("export", "--team", "--weeks", "2", "-o", str(tmp_path / "w.html"))
    assert "--weeks" in one_error(weeks)


def test_team_commands_do_not_write(cli: Any, team: Path, tmp_path: Path) -> None:
    before = team.read_bytes(), team.stat().st_mtime_ns
    for command in ("gaps", "matrix", "coverage", "trend"):
        ok(cli, "team", command)
        ok(cli, "team", command, "--json", "--detail")
    ok(cli, "export", "--team", "-o", str(tmp_path / "r.html"))
    assert (team.read_bytes(), team.stat().st_mtime_ns) == before


def test_hostile_domain_name_is_defused_in_the_terminal(cli: Any, team: Path) -> None:
    for command in ("gaps", "matrix", "coverage"):
        text = ok(cli, "team", command).stdout
        assert "Security" in text and "\x1b" not in text


def test_a_profile_name_that_is_not_one_is_refused(cli: Any, team: Path, tmp_path: Path) -> None:
    export = tmp_path / "x.json"
    ok(cli, "--profile", "ana", "export", "-o", str(export))
    for bad in ("evil\x1b[2J", "../x", "a b", ""):
        result = cli("import", str(export), "--profile", bad)
        assert result.exit_code != 0 and "Traceback" not in result.stderr
        assert "\x1b" not in result.stderr


def test_a_team_of_one(cli: Any, demo: Path) -> None:
    result = ok(cli, "team", "gaps")
    assert "Team gaps, 1 learner" in result.stdout
    assert "one learner" in result.stderr


def test_no_store_or_an_empty_one_is_one_line(cli: Any, demo: Path, tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    assert "init" in one_error(cli("--db", str(missing), "team", "gaps"))
    assert not missing.exists()
    (name,) = [p["name"] for p in json.loads(ok(cli, "profiles", "--json").stdout)]
    ok(cli, "profile", "remove", name, "--yes")
    for command in ("gaps", "matrix", "coverage", "trend"):
        assert "no learners" in one_error(cli("team", command))
    assert "no learners" in one_error(cli("export", "--team", "-o", str(tmp_path / "t.html")))


def test_track_completion_offers_the_team_catalogs_tracks(team: Path) -> None:
    from tests.test_completion import complete, lines

    assert lines(complete("gapcli team gaps --track ", 4, team)) == ["all3", "core"]
    assert lines(complete("gapcli team coverage --track c", 4, team)) == ["core"]


def test_members_on_two_catalogs_are_matched_by_id(
    cli: Any, team: Path, demo_template: Path
) -> None:
    """The demo learner (built-in catalog) joins: the view names both catalogs."""
    export = team.parent / "dee.json"
    ok(cli, "--db", str(demo_template), "export", "-o", str(export))
    ok(cli, "import", str(export), "--profile", "dee")
    data = as_json(cli, "team", "gaps")
    assert data["members"] == 4 and data["catalogs"] == ["ai", "team-test"]
    rows = {d["id"]: d for d in data["domains"]}
    assert rows["ml"]["learners"] == 3 and rows["ml"]["without"] == 1  # dee's catalog lacks it
    assert "rag" in rows and rows["rag"]["learners"] == 1
    assert "Members use 2 catalogs (ai, team-test)" in ok(cli, "team", "gaps").stdout
    assert "dee" in [r["name"] for r in as_json(cli, "team", "matrix")["learners"]]
