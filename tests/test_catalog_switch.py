"""``gapcli catalog switch``: an existing profile moves to another catalog, knowingly.

Without --yes nothing is written; with it, one change appends the catalog (and
the track when the old one is missing) to the settings history, ``undo`` takes it
back, and rows the new catalog lacks are set aside, never deleted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import dump, rows

from gapcli.resources import builtin_catalog_path


def other_catalog(tmp_path: Path, *, drop_domain: str | None = None, cid: str = "my-ai") -> Path:
    """The built-in catalog under another id, without one domain (and what names it)."""
    data = yaml.safe_load(builtin_catalog_path().read_text(encoding="utf-8"))
    data["id"], data["name"] = cid, "My AI"
    data.pop("demo", None)
    data["tracks"] = [t for t in data["tracks"] if t["id"] != "ai-engineer-gaps"]
    if drop_domain is not None:
        gone = {t["id"] for d in data["domains"] if d["id"] == drop_domain for t in d["topics"]}
        data["domains"] = [d for d in data["domains"] if d["id"] != drop_domain]
        for d in data["domains"]:
            d["requires"] = [r for r in d.get("requires", []) if r != drop_domain]
            d["requires"] = [
                r
                for r in d["requires"]
                if not (isinstance(r, dict) and r["domain"] == drop_domain)
            ]
            for t in d["topics"]:
                t["requires"] = [r for r in t.get("requires", []) if r not in gone]
        for p in data.get("papers", []):
            p["domains"] = [x for x in p.get("domains", []) if x != drop_domain]
        for t in data["tracks"]:
            t["domains"] = [x for x in t["domains"] if x != drop_domain]
            t["study_order"] = [
                s for s in t.get("study_order", []) if not set(_step_ids(s)) & gone
            ]
        data["study_order"] = [
            s for s in data.get("study_order", []) if not set(_step_ids(s)) & gone
        ]
        for m in data.get("math_levels", []):
            m["topics"] = [x for x in m.get("topics", []) if x not in gone]
    path = tmp_path / f"{cid}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _step_ids(step: dict[str, Any]) -> list[str]:
    return [step["topic"]] if "topic" in step else list(step.get("topics", []))


def switch_json(cli: Any, *args: str) -> dict[str, Any]:
    result = cli("catalog", "switch", *args, "--json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_without_yes_it_shows_what_carries_over_and_writes_nothing(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    other = other_catalog(tmp_path, drop_domain="rag")
    before = dump(demo)
    result = cli("catalog", "switch", str(other))
    assert result.exit_code == 0, result.stderr
    assert "set aside: rag" in result.stdout
    assert "--yes" in result.stdout
    assert dump(demo) == before
    data = switch_json(cli, str(other))
    assert data["switched"] is False
    assert data["to"] == {"catalog": "my-ai", "source": str(other)}
    assert "rag" in data["domains"]["set_aside"]
    assert "rag" not in data["domains"]["kept"]
    assert data["track"]["before"] == "ai-engineer-gaps"
    assert data["track"]["after"] != "ai-engineer-gaps"
    assert dump(demo) == before


def test_switch_then_undo(cli: Any, demo: Path, tmp_path: Path) -> None:
    other = other_catalog(tmp_path, drop_domain="rag")
    data = switch_json(cli, str(other), "--yes", "--track", "ai-engineer")
    assert data["switched"] is True
    assert data["track"]["after"] == "ai-engineer"
    config = json.loads(cli("config", "--json").stdout)
    assert (config["catalog"], config["track"]) == ("my-ai", "ai-engineer")
    # Every command now reads the new catalog; the set-aside domain is not planned.
    plan = json.loads(cli("plan", "--json").stdout)
    assert plan["items"]
    assert all(item["domain"] != "rag" for item in plan["items"])
    gaps = cli("gaps", "--json")
    assert gaps.exit_code == 0, gaps.stderr
    # Nothing deleted: the rag assessment is still stored.
    assert rows(demo, "SELECT count(*) FROM assessment WHERE domain_id = 'rag'")[0][0] >= 1
    assert cli("undo", "--yes").exit_code == 0
    config = json.loads(cli("config", "--json").stdout)
    assert (config["catalog"], config["track"]) == ("ai", "ai-engineer-gaps")


def test_back_to_builtin(cli: Any, demo: Path, tmp_path: Path) -> None:
    other = other_catalog(tmp_path)
    assert switch_json(cli, str(other), "--yes")["switched"]
    data = switch_json(cli, "builtin", "--yes")
    assert data["to"] == {"catalog": "ai", "source": "builtin"}
    assert json.loads(cli("config", "--json").stdout)["catalog"] == "ai"


def test_a_moved_catalog_file_can_be_replaced_by_switching(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    other = other_catalog(tmp_path)
    assert switch_json(cli, str(other), "--yes")["switched"]
    moved = other.rename(tmp_path / "moved.yaml")
    assert cli("gaps").exit_code == 1
    data = switch_json(cli, str(moved), "--yes")
    assert data["finish"]["before"] is None  # the old file is gone: no finish to show
    assert cli("gaps").exit_code == 0


def test_a_mismatched_catalog_points_to_switch(cli: Any, demo: Path, tmp_path: Path) -> None:
    other = other_catalog(tmp_path)
    result = cli("--catalog", str(other), "gaps")
    assert result.exit_code == 1
    assert "gapcli catalog switch" in result.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("builtin",), "already uses"),
        (("nope.yaml",), "nope.yaml"),
        (("{other}", "--track", "zzz"), "zzz"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(
    cli: Any, demo: Path, tmp_path: Path, args: tuple[str, ...], needle: str
) -> None:
    other = other_catalog(tmp_path)
    before = dump(demo)
    argv = [a.format(other=other) for a in args]
    result = cli("catalog", "switch", *argv, "--yes")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert dump(demo) == before


def test_config_set_catalog_points_to_switch(cli: Any, demo: Path) -> None:
    result = cli("config", "set", "catalog", "x.yaml")
    assert result.exit_code == 1
    assert "gapcli catalog switch" in result.stderr
