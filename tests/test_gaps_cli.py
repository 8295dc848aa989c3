"""``gapcli gaps`` through the CLI: the pinned JSON shape, order, --all, the table."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gapcli.render.terminal import err, out

DEMO_TRACK_ORDER = [
    "llm-concepts",
    "prompt-engineering",
    "rag",
    "agentic-ai",
    "fine-tuning",
    "multimodal",
    "ml-research",
    "mlops",
    "ai-safety",
]


def report(cli: Any, *args: str) -> dict[str, Any]:
    result = cli("gaps", "--json", *args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_json_shape_is_pinned(cli: Any, demo: Path) -> None:
    data = report(cli)
    assert set(data) == {
        "track",
        "math_level",
        "domains",
        "total_hours",
        "unblock",
        "finish",
        "forecast",
        "off_track",  # assessed domains off the track, in the shape of "domains"
        "plan_hours",  # the plan's whole cost: the gaps and the maths and prerequisites
        "plan_hours_by_why",
        "at_risk",  # finished topics likely forgotten (issue 17): one review each
    }
    assert set(data["plan_hours_by_why"]) == {
        "gap",
        "recommended",
        "math",
        "prerequisite",
        "review",
    }
    assert data["at_risk"] == []
    assert data["off_track"] == []
    assert data["track"] == "ai-engineer-gaps"
    assert data["math_level"] == "none"
    for domain in data["domains"]:
        assert set(domain) == {
            "id",
            "name",
            "current",
            "target",
            "gap",
            "assessed",
            "math_required",
            "math_ok",
            "hours_to_close",
            "closing_topics",
            "at_risk",
        }
        assert isinstance(domain["math_ok"], bool)
        assert all(isinstance(t, str) for t in domain["closing_topics"])
    assert data["domains"][0] == {
        "id": "multimodal",
        "name": "Multimodal AI",
        "current": 40,
        "target": 75,
        "gap": 35,
        "assessed": 40,
        "math_required": "light",
        "math_ok": False,
        "hours_to_close": 5.5,
        # vision prompting: the demo marks it not done yet, so 40 % covers the next topics
        "closing_topics": ["mm-vision-prompting", "mm-image-tokenization", "mm-multimodal-llms"],
        "at_risk": [],
    }
    assert data["total_hours"] == pytest.approx(
        sum(d["hours_to_close"] for d in data["domains"]), abs=0.5
    )
    assert data["total_hours"] == 64.7


def test_one_number_for_the_learner(cli: Any, demo: Path, today: Any) -> None:
    """Rule 5: the report states the plan's whole cost and where it comes from."""
    data = report(cli)
    parts = data["plan_hours_by_why"]
    assert sum(parts.values()) == pytest.approx(data["plan_hours"], abs=1e-9)
    assert parts["gap"] == pytest.approx(data["total_hours"], abs=0.05)
    assert parts["math"] > 0  # the demo lacks maths
    # The catalog's edges are precise: the demo's gap topics build only on what its
    # % already covers, so nothing else is pulled in (and the sentence omits that part).
    assert parts["prerequisite"] == 0
    plan = json.loads(cli("plan", "--json").stdout)
    # The plan's new study, and the reviews of what it finishes (issue 17), apart.
    assert data["plan_hours"] == pytest.approx(
        plan["total_hours"] + plan["review_hours"], abs=0.01
    )
    assert parts["review"] == pytest.approx(plan["review_hours"], abs=0.02)
    by_why = {why: 0.0 for why in parts}
    for item in plan["items"]:
        by_why[item["why"]] += item["hours"]
    assert by_why == pytest.approx(parts, abs=0.02)

    text = " ".join(cli("gaps").stdout.split())
    # Rounded along the running total, so the printed parts add up to the printed total.
    found = re.search(
        r"At 6 h/week as planned: ([\d.]+) h to close your gaps \+ ([\d.]+) h of maths "
        r"\+ ([\d.]+) h of reviews = ([\d.]+) h, finish (\S+)\.",
        text,
    )
    assert found is not None, text
    gap, math, reviews, total = (float(found.group(i)) for i in (1, 2, 3, 4))
    # The printed parts add up to the printed total.
    assert round(gap + math + reviews, 1) == total
    assert reviews == pytest.approx(parts["review"], abs=0.051)
    assert gap == pytest.approx(parts["gap"], abs=0.051)
    assert math == pytest.approx(parts["math"], abs=0.051)
    assert total == pytest.approx(data["plan_hours"], abs=0.051)
    assert found.group(5) == data["finish"]


def test_a_plan_of_gaps_alone_says_no_sum(cli: Any, demo: Path) -> None:
    assert cli("config", "set", "review-share", "0").exit_code == 0  # no reviews either
    assert cli("assess", "--math-level", "structured").exit_code == 0
    for domain_id in DEMO_TRACK_ORDER[1:]:
        assert cli("assess", domain_id, "--current", "100").exit_code == 0
    data = report(cli)
    if data["plan_hours_by_why"]["prerequisite"]:
        pytest.skip("the catalog pulls prerequisites into LLM Concepts")
    text = " ".join(cli("gaps").stdout.split())
    gap = round(data["plan_hours"], 1)
    assert f"as planned: {gap:g} h to close your gaps, finish {data['finish']}." in text
    assert " + " not in text and " = " not in text


def test_largest_gap_first_ties_in_track_order(cli: Any, demo: Path) -> None:
    domains = report(cli)["domains"]
    assert len(domains) == 9
    keys = [(-d["gap"], DEMO_TRACK_ORDER.index(d["id"])) for d in domains]
    assert keys == sorted(keys)
    assert [d["id"] for d in domains][:2] == ["multimodal", "ml-research"]


def test_demo_tip_medium_math_unblocks_four_domains(cli: Any, demo: Path) -> None:
    """Seed 000: the light level plus the chain rule (about 11 h) is all this learner needs."""
    unblock = report(cli)["unblock"]
    assert unblock["math_level"] == "medium"
    assert set(unblock["domains"]) == {"llm-concepts", "rag", "multimodal", "fine-tuning"}
    assert unblock["hours"] == 11

    result = cli("gaps")
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())  # the tip may wrap
    tip = text[text.index("Tip:") :]
    assert tip.startswith("Tip: Medium math (applied) unblocks ")
    for name in ("LLM Concepts & Internals", "RAG Systems", "Multimodal AI", "Fine-Tuning"):
        assert name in tip
    assert "RAG Systems: 11 h of math." in tip
    assert "Total: 64.7 h of study" in text
    assert "Your math level: No math needed." in text


def test_math_level_moves_the_tip_and_unblocks(cli: Any, demo: Path) -> None:
    assert cli("assess", "--math-level", "light").exit_code == 0
    data = report(cli)
    assert data["math_level"] == "light"
    by_id = {d["id"]: d for d in data["domains"]}
    assert by_id["rag"]["math_ok"] and by_id["multimodal"]["math_ok"]
    assert not by_id["ml-research"]["math_ok"]
    assert data["unblock"]["math_level"] in {"medium", "structured"}
    assert "rag" not in data["unblock"]["domains"]


def test_all_includes_domains_without_gap(cli: Any, demo: Path) -> None:
    assert cli("assess", "prompt-engineering", "-c", "95", "-t", "95").exit_code == 0
    assert cli("assess", "ai-safety", "-c", "70", "-t", "50").exit_code == 0
    open_report = report(cli)
    open_ids = [d["id"] for d in open_report["domains"]]
    assert "prompt-engineering" not in open_ids and "ai-safety" not in open_ids
    every = report(cli, "--all")
    assert sorted(d["id"] for d in every["domains"]) == sorted(DEMO_TRACK_ORDER)
    closed = {d["id"]: d for d in every["domains"][-2:]}
    assert set(closed) == {"prompt-engineering", "ai-safety"}
    for d in closed.values():
        assert (d["gap"], d["hours_to_close"], d["closing_topics"]) == (0, 0, [])
    assert every["total_hours"] == open_report["total_hours"]
    assert "Prompt Engineering" in cli("gaps", "--all").stdout
    assert "Prompt Engineering" not in cli("gaps").stdout


DEMO_TODO = ["ft-lora-mechanics", "mm-vision-prompting", "ops-observability-langsmith"]


def test_no_gap_at_all(cli: Any, demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "done.yaml"
    path.write_text("".join(f"{d}: 100\n" for d in DEMO_TRACK_ORDER), encoding="utf-8")
    assert cli("assess", "--file", str(path)).exit_code == 0
    for topic in DEMO_TODO:  # the demo's "not done yet" marks, taken back
        assert cli("log-progress", topic, "--done").exit_code == 0
    data = report(cli)
    assert (data["domains"], data["total_hours"], data["unblock"]) == ([], 0, None)
    result = cli("gaps")
    assert "every target is met" in result.stdout
    assert len(report(cli, "--all")["domains"]) == 9


@pytest.fixture
def columns_80(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Consoles are cached per process; rebuild them for an 80-column terminal."""
    monkeypatch.setenv("COLUMNS", "80")
    out.cache_clear()
    err.cache_clear()
    yield
    out.cache_clear()
    err.cache_clear()


def test_table_fits_80_columns(cli: Any, demo: Path, columns_80: None) -> None:
    result = cli("gaps")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if line.startswith("domain"))
    assert header.split() == ["domain", "now", "target", "gap", "progress", "math", "hours"]
    data = report(cli)
    for d in data["domains"]:  # each row whole on one line, ending with its hours
        row = next(line for line in lines if line.startswith(d["name"]))
        assert row.split()[-1] == f"{d['hours_to_close']:g}"
        assert f"{d['current']}%" in row and f"{d['target']}%" in row


HOSTILE_CATALOG = r"""
catalog: 1
id: hostile
name: "Hostile \e]52;c;aGk=\a catalog"
math_levels:
  - {id: basic, name: "Basic \e[2J math [/x]", topics: [m-one]}
domains:
  - id: maths
    name: "Maths \e]0;pwned\a"
    kind: math
    topics:
      - {id: m-one, name: "One \e[31m", hours: 2}
  - id: evil
    name: "Evil \e[2J\u202edomain [/x] [bold]"
    math: basic
    target: 80
    topics:
      - {id: e-one, name: One, hours: 3}
      - {id: e-two, name: Two, hours: 1}
tracks:
  - id: t
    name: "Track \e]0;x\a [red]"
    domains: [evil, maths]
"""


def test_catalog_text_is_sanitised(cli: Any, db_path: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "hostile.yaml"
    catalog.write_text(HOSTILE_CATALOG, encoding="utf-8")
    assert cli("--catalog", str(catalog), "init").exit_code == 0
    runs = [
        cli("--catalog", str(catalog), "assess", "evil", "-c", "10"),
        cli("--catalog", str(catalog), "gaps"),
        cli("--catalog", str(catalog), "gaps", "--all"),
        cli("--catalog", str(catalog), "assess", "evil domain", "-c", "10"),
        cli("--catalog", str(catalog), "assess", "-i", input="10\n"),
    ]
    assert [r.exit_code for r in runs] == [0, 0, 0, 1, 130]
    for result in runs:
        shown = result.stdout + result.stderr
        for bad in ("\x1b", "\x07", "\u202e"):
            assert bad not in shown
    assert "[/x]" in runs[1].stdout  # shown literally, not parsed as markup
    assert "Evil" in runs[4].stderr  # the prompt named the domain, cleaned


def test_todo_topics_stay_open_when_the_target_is_met(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    """At 100 % with a topic marked not done yet, the % cannot cover it: it is still studied."""
    path = tmp_path / "done.yaml"
    path.write_text("".join(f"{d}: 100\n" for d in DEMO_TRACK_ORDER), encoding="utf-8")
    assert cli("assess", "--file", str(path)).exit_code == 0
    data = report(cli)
    rows = {d["id"]: d for d in data["domains"]}
    assert set(rows) == {"fine-tuning", "multimodal", "mlops"}
    assert [t for d in rows.values() for t in d["closing_topics"]] == DEMO_TODO
    assert all(d["gap"] == 0 and d["current"] < 100 for d in rows.values())
    assert data["total_hours"] == sum(d["hours_to_close"] for d in rows.values())
    assert data["plan_hours_by_why"]["gap"] == data["total_hours"]
