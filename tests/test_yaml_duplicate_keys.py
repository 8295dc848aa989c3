"""A key given twice in a catalog or an assessment file is refused with its line.

YAML loaders keep the last of two equal keys without a word, so
``hours: 1`` ... ``hours: 5000`` used to plan 5000 hours.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import dump

ROOT = Path(__file__).resolve().parent.parent
WEBDEV = ROOT / "docs" / "examples" / "webdev.yaml"
FIRST_HOURS = "        hours: 3\n"  # algebra-basics, line 24 of the example


def webdev_with(tmp_path: Path, old: str, new: str) -> Path:
    text = WEBDEV.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "catalog.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "line", "key"),
    [
        (FIRST_HOURS, FIRST_HOURS + "        hours: 5000\n", 25, "hours"),
        ("id: webdev\n", "id: webdev\nid: webdev\n", 6, "id"),
        (
            "  - {id: none, name: No math needed}",
            "  - {id: none, name: No math needed, name: Other}",
            10,
            "name",
        ),
    ],
    ids=["topic-hours", "catalog-id", "flow-mapping"],
)
def test_catalog_with_a_key_given_twice_is_refused(
    cli: Any, tmp_path: Path, old: str, new: str, line: int, key: str
) -> None:
    path = webdev_with(tmp_path, old, new)
    result = cli("catalog", "validate", str(path))
    assert result.exit_code == 1, result.stdout
    assert f"line {line}: the key '{key}' is given twice" in result.stderr
    assert "Traceback" not in result.stderr
    init = cli("--catalog", str(path), "init")
    assert init.exit_code == 1
    assert f"line {line}: the key '{key}' is given twice" in init.stderr


def test_equal_keys_in_different_mappings_or_of_different_types_are_fine(
    cli: Any, tmp_path: Path
) -> None:
    assert cli("catalog", "validate", str(WEBDEV)).exit_code == 0  # many topics have hours
    path = tmp_path / "types.yaml"
    path.write_text('1: one\n"1": one as text\n', encoding="utf-8")
    result = cli("catalog", "validate", str(path))
    assert "given twice" not in result.stderr


@pytest.mark.parametrize(
    ("text", "line", "key", "first"),
    [
        ("rag: {current: 85, current: 10}\n", 1, "current", 1),
        ("rag: 80\nmath_level: light\nrag: 10\n", 3, "rag", 1),
        ("rag:\n  current: 85\n  target: 95\n  target: 20\n", 4, "target", 3),
    ],
    ids=["flow", "domain", "block"],
)
def test_assessment_file_with_a_key_given_twice_is_refused(
    cli: Any, demo: Path, tmp_path: Path, text: str, line: int, key: str, first: int
) -> None:
    path = tmp_path / "where-i-stand.yaml"
    path.write_text(text, encoding="utf-8")
    before = dump(demo)
    result = cli("assess", "--file", str(path))
    assert result.exit_code == 1, result.stdout
    assert result.stderr == (
        f"gapcli: error: {path}: line {line}: the key '{key}' is given twice "
        f"(first on line {first}); "
        "keep one\n"
    )
    assert dump(demo) == before
