"""A track's advice is shown with the plan; the catalog's sources are credited where it is listed.

``tracks[].advice`` (what a roadmap asks beyond topics, "two papers a week") and
``sources`` (the roadmaps the catalog comes from) are catalog text: shown as
typed, in the rich views, ``--json`` and the exports (hostile text is covered by
test_terminal_safety).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

ADVICE = ["Read two papers a week.", "Study the maths alongside\nthe ML topics."]
SOURCES = [
    {"title": "Beyond the Roadmap", "by": "A. Author", "url": "https://example.test/roadmap"},
    {"title": "Maths from zero"},
]


def catalog(*, advice: bool = True, sources: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "catalog": 1,
        "id": "tiny",
        "name": "Tiny",
        "domains": [
            {
                "id": "dom",
                "name": "Domain",
                "topics": [
                    {"id": "t1", "name": "First", "hours": 2},
                    {"id": "t2", "name": "Second", "hours": 3},
                ],
            }
        ],
        "tracks": [{"id": "trk", "name": "Track", "domains": ["dom"]}],
        "demo": {"track": "trk", "assessments": {"dom": {"current": 0, "target": 100}}},
    }
    if advice:
        data["tracks"][0]["advice"] = ADVICE
    if sources:
        data["sources"] = SOURCES
    return data


@pytest.fixture
def tiny(cli: Any, tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(catalog()), "utf-8")
    assert cli("--catalog", str(path), "init", "--demo").exit_code == 0
    return path


def _ok(cli: Any, *args: str) -> Any:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return result


def test_plan_shows_the_tracks_advice_under_its_heading(cli: Any, tiny: Path) -> None:
    lines = [line.strip() for line in _ok(cli, "plan").stdout.splitlines() if line.strip()]
    heading = next(i for i, line in enumerate(lines) if line.startswith("Study plan from"))
    assert lines[heading + 1 : heading + 3] == [
        "Advice: Read two papers a week.",
        "Advice: Study the maths alongside the ML topics.",  # one line each
    ]
    data = json.loads(_ok(cli, "plan", "--json").stdout)
    assert data["advice"] == ADVICE  # exactly as the catalog words it


def test_export_carries_the_advice(cli: Any, tiny: Path) -> None:
    document = json.loads(_ok(cli, "export", "-f", "json").stdout)
    assert document["plan"]["advice"] == ADVICE
    text = _ok(cli, "export").stdout
    assert "- Advice: Read two papers a week." in text
    assert "- Advice: Study the maths alongside the ML topics." in text


def test_no_advice_no_lines(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text(yaml.safe_dump(catalog(advice=False, sources=False)), "utf-8")
    assert cli("--catalog", str(path), "init", "--demo").exit_code == 0
    assert "Advice" not in _ok(cli, "plan").stdout
    assert json.loads(_ok(cli, "plan", "--json").stdout)["advice"] == []
    assert "Sources" not in _ok(cli, "catalog", "list").stdout
    assert json.loads(_ok(cli, "catalog", "list", "--kind", "sources", "--json").stdout) == []
    assert ", 0 source" not in _ok(cli, "catalog", "validate", str(path)).stdout


@pytest.mark.parametrize("kind", ["domains", "topics", "tracks"])
def test_catalog_list_credits_the_sources(cli: Any, tiny: Path, kind: str) -> None:
    text = " ".join(_ok(cli, "catalog", "list", "--kind", kind).stdout.split())
    assert (
        "Sources: Beyond the Roadmap by A. Author (https://example.test/roadmap); "
        "Maths from zero" in text
    )


def test_sources_as_a_kind_and_in_validate(cli: Any, tiny: Path) -> None:
    rows = json.loads(_ok(cli, "catalog", "list", "--kind", "sources", "--json").stdout)
    assert rows == SOURCES
    table = _ok(cli, "catalog", "list", "--kind", "sources").stdout
    assert "2 sources" in table and "Sources:" not in table  # no footer repeating the table
    line = _ok(cli, "catalog", "validate", str(tiny)).stdout
    assert line.rstrip().endswith(", 1 track, 2 sources")
    assert json.loads(_ok(cli, "catalog", "validate", str(tiny), "--json").stdout)["sources"] == 2


def test_the_builtin_catalog_lists_with_or_without_sources(cli: Any) -> None:
    rows = json.loads(_ok(cli, "catalog", "list", "--kind", "sources", "--json").stdout)
    assert isinstance(rows, list)
    assert all(set(row) <= {"title", "by", "url"} and row["title"] for row in rows)
