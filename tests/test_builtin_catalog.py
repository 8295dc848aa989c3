"""The built-in AI catalog: the facts the five seed roadmaps give, and browsing it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gapcli.domain.catalog import Catalog
from gapcli.errors import CatalogError
from gapcli.resources import builtin_catalog_path
from gapcli.services.catalogs import BUILTIN, load_catalog

KNOWLEDGE_GAPS = {
    "llm-concepts": 90,
    "prompt-engineering": 95,
    "rag": 90,
    "agentic-ai": 88,
    "fine-tuning": 80,
    "multimodal": 75,
    "ml-research": 60,
    "mlops": 75,
    "ai-safety": 60,
}
TRACKS = {"ai-engineer", "ai-researcher", "llm-researcher", "math-to-gpt", "ai-engineer-gaps"}
KINDS = ["domains", "topics", "tracks", "papers", "resources", "levels"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(None).catalog


def test_builtin_catalog_loads_from_the_package(catalog: Catalog) -> None:
    loaded = load_catalog(None)
    assert loaded.source == BUILTIN
    assert builtin_catalog_path().is_file()
    assert catalog.id == "ai"


# -- read from the cache, not the YAML --------------------------------------------------------


def test_the_profile_hash_is_the_yaml_hash() -> None:
    raw = builtin_catalog_path().read_bytes()
    assert load_catalog(None).sha256 == hashlib.sha256(raw).hexdigest()


def test_an_invalid_edit_is_reported_from_the_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ai.yaml"
    shutil.copy(builtin_catalog_path(), path)
    monkeypatch.setattr("gapcli.resources.builtin_catalog_path", lambda: path)
    load_catalog(None)  # cached
    path.write_text(path.read_text("utf-8").replace("hours: ", "hours: -", 1))
    with pytest.raises(CatalogError) as info:
        load_catalog(None)
    assert info.value.source == BUILTIN
    assert any(p.startswith("line ") for p in info.value.problems), info.value.problems


def test_a_key_given_twice_in_the_builtin_catalog_is_refused_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The built-in catalog goes through the same checks as a user's (README's table)."""
    path = tmp_path / "ai.yaml"
    text = builtin_catalog_path().read_text("utf-8")
    assert "\nname: AI and machine learning\n" in text
    path.write_text(text.replace("\nname: AI", "\nname: Twice\nname: AI", 1), "utf-8")
    monkeypatch.setattr("gapcli.resources.builtin_catalog_path", lambda: path)
    with pytest.raises(CatalogError) as info:
        load_catalog(None)
    assert "is given twice" in str(info.value.problems)


def _yaml_imported_by(*args: str, db: Path) -> bool:
    """Run gapcli in a fresh interpreter; did the command import yaml?"""
    code = (
        "import sys\n"
        "from gapcli.cli import main\n"
        f"sys.argv = ['gapcli', '--db', {str(db)!r}, *{list(args)!r}]\n"
        "code = main()\n"
        "print('yaml' in sys.modules, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GAPCLI_CATALOG"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    return {"True": True, "False": False}[result.stderr.splitlines()[-1]]


def test_builtin_catalog_commands_do_not_import_yaml(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    # the first command validates the catalog (with yaml) and fills the cache
    assert _yaml_imported_by("init", "--demo", db=db)
    assert not _yaml_imported_by("gaps", "--json", db=db)
    assert not _yaml_imported_by("plan", "--weeks", "2", db=db)
    # the same bytes given by path are the same cached catalog
    assert not _yaml_imported_by("--catalog", str(builtin_catalog_path()), "gaps", db=db)


# -- the catalog's content -------------------------------------------------------------------


def test_knowledge_gaps_domains_and_targets(catalog: Catalog) -> None:
    targets = {d.id: d.target for d in catalog.domains if d.id in KNOWLEDGE_GAPS}
    assert targets == KNOWLEDGE_GAPS
    for domain_id in KNOWLEDGE_GAPS:
        assert catalog.domain_by_id[domain_id].kind == "skill"
        assert catalog.domain_by_id[domain_id].math is not None


def test_math_levels(catalog: Catalog) -> None:
    assert [m.id for m in catalog.math_levels] == ["none", "light", "medium", "structured"]
    light = catalog.level_by_id["light"]
    assert sum(catalog.topic_by_id[t].hours for t in light.topics) == pytest.approx(9)
    assert catalog.level_by_id["none"].topics == ()
    for level in catalog.math_levels:
        for topic_id in level.topics:
            domain = catalog.domain_by_id[catalog.domain_of_topic[topic_id]]
            assert domain.kind == "math", topic_id


def test_math_levels_are_sized_as_the_roadmaps_advise(catalog: Catalog) -> None:
    """Seed 000: light is four statistics ideas and visual linear algebra (9 h); medium
    adds the chain rule and a little more (the demo learner's maths is about 11 h); only
    structured, for research, holds the formal maths."""
    own = {m.id: sum(catalog.topic_by_id[t].hours for t in m.topics) for m in catalog.math_levels}
    assert "calc-chain-rule" in catalog.level_by_id["medium"].topics
    assert own["light"] + own["medium"] <= 15
    assert own["structured"] > own["light"] + own["medium"]


def test_tracks(catalog: Catalog) -> None:
    assert {t.id for t in catalog.tracks} >= TRACKS
    assert set(catalog.track("ai-engineer-gaps").domains) == set(KNOWLEDGE_GAPS)


def test_ten_papers_with_years(catalog: Catalog) -> None:
    assert len(catalog.papers) == 10
    for paper in catalog.papers:
        assert 2010 <= paper.year <= 2026, paper.id
        assert paper.contribution
        assert paper.priority in ("essential", "important", "optional")
    assert "vaswani-2017" in {p.id for p in catalog.papers}


def test_every_topic_has_hours(catalog: Catalog) -> None:
    assert len(catalog.topic_by_id) > 100
    for topic in catalog.topic_by_id.values():
        assert topic.hours > 0, topic.id


@pytest.mark.parametrize("track_id", sorted(TRACKS))
def test_track_lists_prerequisite_domains_first(catalog: Catalog, track_id: str) -> None:
    order = list(catalog.track(track_id).domains)
    assert len(order) == len(set(order)), "a track lists each domain once"
    for position, domain_id in enumerate(order):
        for required in catalog.domain_by_id[domain_id].required_domains:
            if required in order:
                assert order.index(required) < position, (track_id, domain_id, required)


def test_roadmap_prerequisites_are_precise(catalog: Catalog) -> None:
    """Topic-level edges where a whole domain is too coarse (issue 14)."""
    topic = catalog.topic_by_id
    assert "la-matrix-ops" in topic["dl-perceptrons-to-deep-nets"].requires
    assert "calc-chain-rule" in topic["dl-backpropagation"].requires
    assert "tr-multi-head" in topic["nlp-contextual-embeddings"].requires
    assert "tr-self-vs-cross-attention" in topic["mm-cross-modal-attention"].requires
    assert "me-quantization" in topic["ft-qlora"].requires
    assert "al-rl-basics" in topic["al-ppo"].requires
    math = {d.id for d in catalog.domains if d.kind == "math"}
    for domain in catalog.domains:
        assert not set(domain.required_domains) & math, domain.id
    assert catalog.topic_math("ft-lora-mechanics") == "light"
    assert catalog.topic_math("mr-paper-reading") == "none"


def test_study_orders_point_at_topics(catalog: Catalog) -> None:
    steps = catalog.steps("ai-engineer-gaps")
    assert [s.ids for s in steps] == [
        ("ps-distributions", "it-cross-entropy", "it-kl-divergence", "ps-bayes-theorem"),
        ("la-visual",),
        ("ft-lora-mechanics",),
        ("mm-vision-prompting",),
        ("ops-observability-langsmith",),
        ("calc-chain-rule",),
    ]
    for track in catalog.tracks:
        for step in track.study_order:
            assert all(t in catalog.topic_by_id for t in step.ids)
    assert catalog.track("llm-researcher").advice


def test_papers_link_to_their_abstracts(catalog: Catalog) -> None:
    for paper in catalog.papers:
        assert paper.url is not None
        assert paper.url.startswith("https://arxiv.org/abs/"), paper.id
    assert catalog.sources


def test_demo_learner(catalog: Catalog) -> None:
    assert catalog.demo is not None
    assert set(catalog.demo.assessments) == set(KNOWLEDGE_GAPS)
    for domain_id, value in catalog.demo.assessments.items():
        assert value.target == KNOWLEDGE_GAPS[domain_id]
        assert 0 <= value.current <= value.target


# -- browsing through the CLI ----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_list_json_for_each_kind(cli: Any, catalog: Catalog, kind: str) -> None:
    result = cli("catalog", "list", "--kind", kind, "--json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    assert rows
    assert all(isinstance(row, dict) and "id" in row for row in rows)
    expected = {
        "domains": len(catalog.domains),
        "topics": len(catalog.topic_by_id),
        "tracks": len(catalog.tracks),
        "papers": len(catalog.papers),
        "resources": len(catalog.resources),
        "levels": len(catalog.math_levels),
    }[kind]
    assert len(rows) == expected


def test_domains_json_shape_is_pinned(cli: Any) -> None:
    rows = json.loads(cli("catalog", "list", "--json").stdout)
    assert set(rows[0]) == {"id", "name", "kind", "math", "target", "topics", "hours", "requires"}
    assert rows[0]["id"] == "llm-concepts"


@pytest.mark.parametrize("kind", KINDS)
def test_list_table_for_each_kind(cli: Any, kind: str) -> None:
    result = cli("catalog", "list", "--kind", kind)
    assert result.exit_code == 0, result.stderr
    assert "(built-in catalog): " in result.stdout


def test_list_unknown_kind_is_a_usage_error(cli: Any) -> None:
    result = cli("catalog", "list", "--kind", "recipes")
    assert result.exit_code == 2


def test_show_rag_json(cli: Any) -> None:
    result = cli("catalog", "show", "rag", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["type"] == "domain"
    assert data["id"] == "rag"
    assert data["target"] == 90
    assert data["topics"]
    assert data["hours"] == pytest.approx(sum(t["hours"] for t in data["topics"]), abs=0.05)


@pytest.mark.parametrize(
    ("ident", "kind"),
    [
        ("ai-engineer", "track"),
        ("vaswani-2017", "paper"),
        ("light", "math_level"),
    ],
)
def test_show_other_kinds(cli: Any, ident: str, kind: str) -> None:
    result = cli("catalog", "show", ident, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["type"] == kind


def test_show_a_topic_and_a_resource(cli: Any, catalog: Catalog) -> None:
    topic = next(iter(catalog.topic_by_id))
    data = json.loads(cli("catalog", "show", topic, "--json").stdout)
    assert (data["type"], data["domain"]) == ("topic", catalog.domain_of_topic[topic])
    resource = catalog.resources[0].id
    data = json.loads(cli("catalog", "show", resource, "--json").stdout)
    assert data["type"] == "resource"


@pytest.mark.parametrize("text", ["rag systems", "RAG SYSTEMS", "RAG", " rag "])
def test_show_by_name_is_case_insensitive(cli: Any, catalog: Catalog, text: str) -> None:
    assert catalog.domain_by_id["rag"].name.casefold() == "rag systems"
    result = cli("catalog", "show", text, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "rag"


def test_show_table(cli: Any) -> None:
    result = cli("catalog", "show", "rag")
    assert result.exit_code == 0, result.stderr
    assert "RAG Systems" in result.stdout
    assert "topics, in teaching order" in result.stdout


def test_show_unknown_id_suggests(cli: Any) -> None:
    result = cli("catalog", "show", "ragg")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "gapcli: error: unknown catalog id 'ragg'; did you mean 'rag'?"
    ]
    assert "Traceback" not in result.stderr
