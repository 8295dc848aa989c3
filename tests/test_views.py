"""The view models and their kinds, as users meet them: values in JSON and in tables.

Kinds are enums (``CatalogKind``, ``TopicStatus``, ``Why``) whose values are the
strings gapcli wrote before they were enums, so no output changed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gapcli.domain.reasons import Why
from gapcli.services.catalogs import load_catalog
from gapcli.views.catalog import BUILTIN_SOURCE, CatalogKind
from gapcli.views.roadmap import TopicStatus


def test_the_built_in_catalog_is_named_as_views_name_it() -> None:
    """``catalog list`` titles it "built-in" by comparing its source with this constant."""
    assert load_catalog().source == BUILTIN_SOURCE


def test_the_kinds_keep_the_values_written_before_they_were_enums() -> None:
    assert [k.value for k in CatalogKind] == [
        "domains",
        "topics",
        "tracks",
        "papers",
        "resources",
        "levels",
        "sources",
    ]
    assert {w.value for w in Why} == {"gap", "math", "prerequisite", "recommended", "review"}
    assert [s.value for s in TopicStatus] == [
        "done",
        "known",
        "in_progress",
        "todo",
        "planned",
        "to_study",
        "not_needed",
    ]


@pytest.mark.parametrize("kind", list(CatalogKind))
def test_every_kind_lists_as_a_table_and_as_json(cli: Any, demo: Path, kind: CatalogKind) -> None:
    table = cli("catalog", "list", "--kind", kind.value)
    assert table.exit_code == 0, table.stderr
    rows = json.loads(cli("catalog", "list", "--kind", kind.value, "--json").stdout)
    assert isinstance(rows, list)
    if kind is not CatalogKind.SOURCES:
        assert f"(built-in catalog): {len(rows)} " in table.stdout
    if kind is CatalogKind.PAPERS:
        assert all("read" in row for row in rows) and "unread" in table.stdout


def test_plan_json_writes_why_as_plain_strings(cli: Any, demo: Path) -> None:
    result = cli("plan", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    whys = {item["why"] for item in data["items"]}
    assert whys and whys <= {w.value for w in Why}
    reasons = [item["reason"] for item in data["items"]]
    assert any(r.startswith("closes your gap in ") for r in reasons)
