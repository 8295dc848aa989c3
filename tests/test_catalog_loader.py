"""Bad catalogs, each built in code, through ``gapcli catalog validate`` and the service.

Every refusal must exit 1, print only ``gapcli: error:`` lines on stderr, never a
traceback, and name the offending key or id.
"""

from __future__ import annotations

import copy
import itertools
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from gapcli.domain.catalog_format import parse_catalog
from gapcli.errors import CatalogError
from gapcli.services.catalogs import MAX_CATALOG_BYTES, load_catalog


def small() -> dict[str, Any]:
    """A valid catalog using every key of format version 1 (web development)."""
    return {
        "catalog": 1,
        "id": "webdev",
        "name": "Web development",
        "math_levels": [
            {"id": "none", "name": "No math needed"},
            {"id": "basic", "name": "Basic algebra", "topics": ["algebra-basics"]},
        ],
        "domains": [
            {
                "id": "algebra",
                "name": "Algebra",
                "kind": "math",
                "topics": [{"id": "algebra-basics", "name": "Algebra basics", "hours": 3}],
            },
            {
                "id": "html",
                "name": "HTML",
                "topics": [
                    {"id": "html-tags", "name": "Tags", "hours": 2},
                    {"id": "js-functions", "name": "JS functions", "hours": 2.5},
                ],
            },
            {
                "id": "frontend",
                "name": "Frontend",
                "kind": "skill",
                "math": "basic",
                "requires": ["html"],
                "target": 80,
                "topics": [
                    {
                        "id": "dom-events",
                        "name": "DOM events",
                        "hours": 4,
                        "requires": ["js-functions"],
                        "resources": ["mdn-dom"],
                    }
                ],
            },
        ],
        "resources": [
            {
                "id": "mdn-dom",
                "title": "Introduction to the DOM",
                "by": "MDN",
                "kind": "docs",
                "hours": 2,
                "url": "https://developer.mozilla.org/en-US/docs/Web/API/DOM",
            }
        ],
        "papers": [
            {
                "id": "vaswani-2017",
                "title": "Attention Is All You Need",
                "authors": "Vaswani et al.",
                "year": 2017,
                "contribution": "Transformer architecture",
                "priority": "essential",
            }
        ],
        "tracks": [{"id": "frontend-dev", "name": "Frontend developer", "domains": ["html"]}],
        "study_order": [{"topic": "algebra-basics", "why": "everything else builds on it"}],
    }


def write(tmp_path: Path, content: str | bytes | dict[str, Any], name: str = "cat.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, dict):
        content = yaml.safe_dump(content, sort_keys=False)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def refused(cli: Any, path: Path) -> list[str]:
    """Run validate, assert the refusal contract, and return the stderr lines."""
    result = cli("catalog", "validate", str(path))
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert lines, "a refusal prints at least one line"
    for line in lines:
        assert line.startswith("gapcli: error: "), line
        assert str(path) in line, "every line names the file"
    return lines


def service_problems(path: Path) -> list[str]:
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert info.value.source == str(path)
    return info.value.problems


def check_both(cli: Any, path: Path, *needles: str) -> tuple[list[str], list[str]]:
    """The CLI and the service refuse ``path`` alike, naming every needle."""
    lines = refused(cli, path)
    problems = service_problems(path)
    assert len(lines) == len(problems)
    text = "\n".join(lines)
    for needle in needles:
        assert needle in text, (needle, text)
        assert any(needle in p for p in problems), (needle, problems)
    return lines, problems


def mutated(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(small())
    change(data)
    return data


# -- the valid one ----------------------------------------------------------------------------


def test_valid_catalog_passes_with_a_one_line_summary(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path, small())
    result = cli("catalog", "validate", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0] == (f"{path}: valid catalog 'webdev': 3 domains, 4 topics, 11.5 h, 1 track")
    loaded = load_catalog(path)
    assert loaded.catalog.id == "webdev"
    assert loaded.source == str(path)
    assert len(loaded.sha256) == 64


def test_valid_catalog_json_summary(cli: Any, tmp_path: Path) -> None:
    import json

    path = write(tmp_path, small())
    result = cli("catalog", "validate", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["valid"] is True
    assert (data["domains"], data["topics"], data["tracks"]) == (3, 4, 1)


def test_user_catalog_is_used_by_other_commands(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path, small())
    result = cli("--catalog", str(path), "catalog", "list", "--kind", "topics")
    assert result.exit_code == 0, result.stderr
    assert "dom-events" in result.stdout
    assert "rag" not in result.stdout


# -- YAML-level problems ------------------------------------------------------------------------


def test_yaml_syntax_error_gives_the_line(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "catalog: 1\nid: webdev\nname: [unclosed\ndomains: []\n")
    lines, _ = check_both(cli, path, "YAML syntax error")
    assert len(lines) == 1
    assert re.search(r": line [34]: YAML syntax error", lines[0]), lines[0]


def test_yaml_mapping_in_wrong_place_gives_the_line(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "catalog: 1\nid: x\n  name: oops: here\n")
    lines, _ = check_both(cli, path, "line 3", "YAML syntax error")
    assert len(lines) == 1


@pytest.mark.parametrize(
    "text",
    ["- a\n- b\n", "just a string\n", "42\n", "", "# only a comment\n"],
    ids=["list", "string", "number", "empty", "comment"],
)
def test_root_must_be_a_mapping(cli: Any, tmp_path: Path, text: str) -> None:
    check_both(cli, write(tmp_path, text), "must be a mapping")


def test_unknown_key_is_a_typo_with_its_line(cli: Any, tmp_path: Path) -> None:
    text = yaml.safe_dump(small(), sort_keys=False).replace("\nname: Web", "\nnmae: Web")
    path = write(tmp_path, text)
    lines, _ = check_both(cli, path, "nmae", "unknown key", "name: required key is missing")
    line_no = text.splitlines().index("nmae: Web development") + 1
    assert any(f"line {line_no}: nmae: unknown key" in line for line in lines), lines


def test_unknown_nested_key_is_named_with_its_path(cli: Any, tmp_path: Path) -> None:
    data = mutated(lambda d: d["domains"][2]["topics"][0].update(hourz=3))
    check_both(cli, write(tmp_path, data), "domains[2].topics[0].hourz: unknown key")


@pytest.mark.parametrize(
    ("key", "needle"),
    [("catalog", "catalog: required"), ("id", "id: required"), ("domains", "domains: required")],
)
def test_missing_top_level_key(cli: Any, tmp_path: Path, key: str, needle: str) -> None:
    check_both(cli, write(tmp_path, mutated(lambda d: d.pop(key))), needle)


def test_missing_topic_hours(cli: Any, tmp_path: Path) -> None:
    data = mutated(lambda d: d["domains"][1]["topics"][0].pop("hours"))
    check_both(cli, write(tmp_path, data), "domains[1].topics[0].hours: required key is missing")


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (lambda d: d.update(catalog=2), "catalog: unsupported catalog format version"),
        (lambda d: d.update(id="Web Dev"), "id: String should match pattern"),
        (lambda d: d.update(domains="frontend"), "domains:"),
        (lambda d: d["domains"][2].update(requires="html"), "domains[2].requires"),
        (lambda d: d["domains"][2].update(kind="art"), "domains[2].kind"),
        (lambda d: d["domains"][2].update(target="high"), "domains[2].target"),
        (lambda d: d["domains"][2].update(target=True), "domains[2].target"),
        (lambda d: d["domains"][0]["topics"][0].update(hours="four"), "topics[0].hours"),
        (lambda d: d["domains"][0]["topics"][0].update(hours="4"), "topics[0].hours"),
        (lambda d: d["domains"][0]["topics"][0].update(hours=True), "topics[0].hours"),
        (lambda d: d["domains"][0]["topics"][0].update(hours=[1]), "topics[0].hours"),
        (lambda d: d["papers"][0].update(year="2017"), "papers[0].year"),
        (lambda d: d["resources"][0].update(url="javascript:alert(1)"), "resources[0].url"),
        (lambda d: d["tracks"][0].update(domains=[]), "tracks[0].domains: must list"),
        (lambda d: d["domains"][0].update(topics=[]), "domains[0].topics: must list"),
    ],
    ids=[
        "version",
        "id-pattern",
        "domains-string",
        "requires-string",
        "kind",
        "target-string",
        "target-bool",
        "hours-word",
        "hours-quoted",
        "hours-bool",
        "hours-list",
        "year-quoted",
        "url-scheme",
        "track-empty",
        "domain-empty",
    ],
)
def test_wrong_types_are_named(
    cli: Any, tmp_path: Path, change: Callable[[dict[str, Any]], None], needle: str
) -> None:
    check_both(cli, write(tmp_path, mutated(change)), needle)


def test_one_bad_topic_gives_one_line_not_an_echo(cli: Any, tmp_path: Path) -> None:
    data = mutated(lambda d: d["domains"][0]["topics"][0].update(hours=0))
    lines, _ = check_both(cli, write(tmp_path, data), "domains[0].topics[0].hours")
    assert len(lines) == 1, lines


def test_every_problem_is_listed(cli: Any, tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["domains"][0]["topics"][0]["hours"] = -1
        d["domains"][2]["target"] = 150
        d["tracks"][0]["colour"] = "red"

    lines, _ = check_both(
        cli, write(tmp_path, mutated(change)), "topics[0].hours", "target", "colour"
    )
    assert len(lines) == 3


# -- whole-catalog rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "dup", "where"),
    [
        (lambda d: d["resources"][0].update(id="html"), "html", "resources[0].id"),
        (lambda d: d["tracks"][0].update(id="dom-events"), "dom-events", "tracks[0].id"),
        (lambda d: d["papers"][0].update(id="frontend"), "frontend", "papers[0].id"),
        (
            lambda d: d["domains"][1]["topics"][1].update(id="html-tags"),
            "html-tags",
            "domains[1].topics[1].id",
        ),
        (lambda d: d["domains"][1].update(id="algebra-basics"), "algebra-basics", "domains[1]"),
    ],
    ids=["resource-domain", "track-topic", "paper-domain", "topic-topic", "domain-topic"],
)
def test_duplicate_ids_across_kinds(
    cli: Any, tmp_path: Path, change: Callable[[dict[str, Any]], None], dup: str, where: str
) -> None:
    check_both(cli, write(tmp_path, mutated(change)), f"duplicate id '{dup}'", where)


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (
            lambda d: d["domains"][2]["topics"][0].update(requires=["nope"]),
            "domains[2].topics[0].requires[0]: unknown topic 'nope'",
        ),
        (
            lambda d: d["domains"][2]["topics"][0].update(resources=["no-such"]),
            "domains[2].topics[0].resources[0]: unknown resource 'no-such'",
        ),
        (lambda d: d["domains"][2].update(math="heavy"), "unknown math level 'heavy'"),
        (
            lambda d: d["math_levels"][1].update(topics=["ghost"]),
            "math_levels[1].topics[0]: unknown topic 'ghost'",
        ),
        (
            lambda d: d["math_levels"][1].update(topics=["html-tags"]),
            "topic 'html-tags' is not in a math domain",
        ),
        (
            lambda d: d["tracks"][0].update(domains=["html", "backend"]),
            "tracks[0].domains[1]: unknown domain 'backend'",
        ),
        (
            lambda d: d["domains"][2].update(requires=["css"]),
            "domains[2].requires[0]: unknown domain 'css'",
        ),
        (
            lambda d: d["study_order"][0].update(topic="flexbox"),
            "study_order[0].topic: unknown topic 'flexbox'",
        ),
        (
            lambda d: d["tracks"][0].update(domains=["html", "html"]),
            "tracks[0].domains[1]: domain 'html' is listed twice",
        ),
    ],
    ids=[
        "topic-requires",
        "resources",
        "math",
        "level-topics",
        "level-non-math",
        "track-domains",
        "domain-requires",
        "study-order",
        "listed-twice",
    ],
)
def test_dangling_references(
    cli: Any, tmp_path: Path, change: Callable[[dict[str, Any]], None], needle: str
) -> None:
    lines, _ = check_both(cli, write(tmp_path, mutated(change)), needle)
    assert all(re.search(r": line \d+: ", line) for line in lines), lines


def cyclic() -> dict[str, Any]:
    data = small()
    data["domains"][1]["topics"] = [
        {"id": "a", "name": "A", "hours": 1, "requires": ["c"]},
        {"id": "b", "name": "B", "hours": 1, "requires": ["a"]},
        {"id": "c", "name": "C", "hours": 1, "requires": ["b"]},
    ]
    data["domains"][2]["topics"][0]["requires"] = ["a"]
    return data


def test_topic_cycle_is_printed(cli: Any, tmp_path: Path) -> None:
    lines, _ = check_both(cli, write(tmp_path, cyclic()), "cycle in topic prerequisites")
    assert len(lines) == 1
    cycle = lines[0].split("cycle in topic prerequisites: ")[1]
    nodes = cycle.split(" -> ")
    assert nodes[0] == nodes[-1]
    assert sorted(nodes[:-1]) == ["a", "b", "c"]
    # Printed in "requires" order: each id requires the next one.
    requires = {"a": "c", "b": "a", "c": "b"}
    for here, there in itertools.pairwise(nodes):
        assert requires[here] == there, cycle


def test_self_requiring_topic_is_a_cycle(cli: Any, tmp_path: Path) -> None:
    data = mutated(lambda d: d["domains"][1]["topics"][0].update(requires=["html-tags"]))
    check_both(cli, write(tmp_path, data), "html-tags -> html-tags")


def test_domain_cycle_is_printed(cli: Any, tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["domains"][1]["requires"] = ["frontend"]

    lines, _ = check_both(cli, write(tmp_path, mutated(change)), "cycle in domain prerequisites")
    assert any(
        "html -> frontend -> html" in line or "frontend -> html -> frontend" in line
        for line in lines
    ), lines


@pytest.mark.parametrize("hours", [0, -2, -0.5, ".nan", ".inf"])
def test_non_positive_or_non_finite_hours(cli: Any, tmp_path: Path, hours: object) -> None:
    text = yaml.safe_dump(small(), sort_keys=False).replace("hours: 4\n", f"hours: {hours}\n")
    check_both(cli, write(tmp_path, text), "domains[2].topics[0].hours")


@pytest.mark.parametrize("target", [150, -1, 101])
def test_target_outside_0_100(cli: Any, tmp_path: Path, target: int) -> None:
    data = mutated(lambda d: d["domains"][2].update(target=target))
    check_both(cli, write(tmp_path, data), "domains[2].target")


def test_demo_learner_references_are_checked(cli: Any, tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["demo"] = {
            "track": "nope-track",
            "math_level": "extreme",
            "assessments": {"cooking": {"current": 10, "target": 50}},
        }

    check_both(
        cli,
        write(tmp_path, mutated(change)),
        "unknown track 'nope-track'",
        "unknown math level 'extreme'",
        "unknown domain 'cooking'",
    )


# -- files that are not catalogs -----------------------------------------------------------------


def test_file_over_the_size_cap(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as fh:
        fh.write(b"catalog: 1\n# ")
        fh.write(b"x" * MAX_CATALOG_BYTES)
        fh.write(b"\n")
    check_both(cli, path, "5,242,880")


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_is_refused_fast(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path, BILLION_LAUGHS)
    started = time.perf_counter()
    lines, _ = check_both(cli, path, "line 1", "anchors and aliases are not allowed")
    assert time.perf_counter() - started < 2.0
    assert len(lines) == 1


def test_alias_inside_a_valid_catalog_is_refused(cli: Any, tmp_path: Path) -> None:
    text = yaml.safe_dump(small(), sort_keys=False)
    text = text.replace("- id: html\n", "- id: &h html\n").replace("  - html\n", "  - *h\n")
    assert "*h" in text
    check_both(cli, write(tmp_path, text), "anchors and aliases are not allowed")


def test_ampersand_and_star_in_text_are_fine(cli: Any, tmp_path: Path) -> None:
    data = mutated(lambda d: d.update(name="R&D *and* more & stuff"))
    result = cli("catalog", "validate", str(write(tmp_path, data)))
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "catalog: " + "[" * 20_000 + "]" * 20_000 + "\n",
        "catalog: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n",
        "- " * 10_000 + "x\n",
    ],
    ids=["flow-seq", "flow-map", "block-seq"],
)
def test_deep_nesting_is_refused_fast(cli: Any, tmp_path: Path, text: str) -> None:
    """Refused in one line naming the file and line 1, whichever check stops it first.

    gapcli's own depth check or libyaml's: newer libyaml refuses deep flow nesting itself,
    in its own words, before gapcli's check sees it. The contract is gapcli's, not a
    message.
    """
    path = write(tmp_path, text)
    started = time.perf_counter()
    lines, _ = check_both(cli, path, "line 1: ")
    assert time.perf_counter() - started < 2.0
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"gapcli: error: {path}: line 1: "), lines[0]
    assert "unexpected" not in lines[0], "not the CLI's last-resort handler"


def test_megabytes_of_brackets_do_not_crash_the_interpreter(tmp_path: Path) -> None:
    """libyaml's composer recurses in C: without the depth check this is a segfault."""
    path = write(tmp_path, "catalog: " + "[" * 2_000_000 + "]" * 2_000_000 + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "gapcli", "catalog", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr[-500:]
    assert lines[0].startswith(f"gapcli: error: {path}: line 1: "), lines[0]
    assert "unexpected" not in lines[0], "not the CLI's last-resort handler"


def test_python_tags_are_not_executed(cli: Any, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"catalog: !!python/object/apply:os.system ['touch {marker}']\n"
    check_both(cli, write(tmp_path, text), "YAML")
    assert not marker.exists()


def test_a_directory(cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "catalogs"
    folder.mkdir()
    check_both(cli, folder, "is a directory")


def test_a_missing_file(cli: Any, tmp_path: Path) -> None:
    check_both(cli, tmp_path / "nope.yaml", "no such file")


def test_non_utf8_bytes(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "catalog: 1\nid: caf\xe9\n".encode("latin-1"))
    check_both(cli, path, "not UTF-8")


def test_terminal_escapes_in_the_file_do_not_reach_stderr(cli: Any, tmp_path: Path) -> None:
    data = mutated(lambda d: d["domains"][2].update(math="\x1b]0;pwned\x07"))
    lines = refused(cli, write(tmp_path, data))
    assert not any("\x1b" in line or "\x07" in line for line in lines)


def test_global_catalog_option_refuses_a_bad_catalog(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "- not a catalog\n")
    result = cli("--catalog", str(path), "catalog", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("gapcli: error: ")
    assert "must be a mapping" in result.stderr


# -- round trip ----------------------------------------------------------------------------------

ids = st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True)
names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
)
hours = st.floats(
    min_value=0.1, max_value=500, allow_nan=False, allow_infinity=False
) | st.integers(min_value=1, max_value=500)


@st.composite
def catalogs(draw: st.DrawFn) -> dict[str, Any]:
    """Valid catalogs: unique ids, references only backwards (so no cycles)."""
    all_ids = draw(st.lists(ids, min_size=4, max_size=24, unique=True))
    cat_id, rest = all_ids[0], all_ids[1:]
    n_domains = draw(st.integers(min_value=1, max_value=max(1, len(rest) // 3)))
    domain_ids, topic_pool = rest[:n_domains], rest[n_domains:]
    if not topic_pool:
        topic_pool = [f"{d}-t" for d in domain_ids]
    chunks: list[list[str]] = [[] for _ in domain_ids]
    for i, tid in enumerate(topic_pool):
        chunks[i % len(domain_ids)].append(tid)
    for i, chunk in enumerate(chunks):
        if not chunk:
            chunk.append(f"{domain_ids[i]}-t")
    seen_topics: list[str] = []
    domains = []
    for di, (did, chunk) in enumerate(zip(domain_ids, chunks, strict=True)):
        topics = []
        for tid in chunk:
            topic: dict[str, Any] = {"id": tid, "name": draw(names), "hours": draw(hours)}
            if seen_topics and draw(st.booleans()):
                topic["requires"] = draw(
                    st.lists(st.sampled_from(seen_topics), max_size=3, unique=True)
                )
            topics.append(topic)
            seen_topics.append(tid)
        domain: dict[str, Any] = {"id": did, "name": draw(names), "topics": topics}
        if di and draw(st.booleans()):
            domain["requires"] = draw(
                st.lists(st.sampled_from(domain_ids[:di]), max_size=2, unique=True)
            )
        if draw(st.booleans()):
            domain["target"] = draw(st.integers(min_value=0, max_value=100))
        domains.append(domain)
    data: dict[str, Any] = {"catalog": 1, "id": cat_id, "name": draw(names), "domains": domains}
    if draw(st.booleans()):
        data["tracks"] = [
            {
                "id": f"{cat_id}-track",
                "name": draw(names),
                "domains": draw(st.lists(st.sampled_from(domain_ids), min_size=1, unique=True)),
            }
        ]
    if draw(st.booleans()):
        data["study_order"] = [{"topic": t} for t in draw(st.permutations(seen_topics))[:3]]
    return data


@given(catalogs())
def test_yaml_round_trip(data: dict[str, Any]) -> None:
    expected = parse_catalog(data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        loaded = load_catalog(path).catalog
        assert loaded == expected
        # and back: the catalog's data dumped to YAML loads as the same catalog
        dumped = loaded.to_data()
        path.write_text(yaml.safe_dump(dumped, allow_unicode=True), "utf-8")
        assert load_catalog(path).catalog == loaded


def test_escapes_and_markup_in_catalog_text_are_shown_inert(cli: Any, tmp_path: Path) -> None:
    hostile = "\x1b]52;c;cHduZWQ=\x07[/bold]\x1b[2J\u202eevil"

    def change(d: dict[str, Any]) -> None:
        d["name"] = hostile
        d["domains"][2]["name"] = hostile
        d["domains"][2]["topics"][0]["name"] = hostile

    path = write(tmp_path, mutated(change))
    for args in (
        ["catalog", "validate", str(path)],
        ["--catalog", str(path), "catalog", "list"],
        ["--catalog", str(path), "catalog", "list", "--kind", "topics"],
        ["--catalog", str(path), "catalog", "show", "frontend"],
    ):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        for bad in ("\x1b", "\x07", "\u202e"):
            assert bad not in result.stdout, (args, bad)


def test_cycle_across_domain_and_topic_prerequisites_is_refused(tmp_path: Path) -> None:
    """Domain a requires b while a topic of b requires a topic of a: no plan could exist."""
    from gapcli.errors import CatalogError
    from gapcli.services.catalogs import load_catalog

    path = tmp_path / "mixed.yaml"
    path.write_text(
        "catalog: 1\nid: mixed\nname: Mixed\ndomains:\n"
        "  - {id: a, name: A, requires: [b], topics: [{id: a1, name: A1, hours: 1}]}\n"
        "  - {id: b, name: B, topics: [{id: b1, name: B1, hours: 1, requires: [a1]}]}\n"
    )
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert "a1 -> domain b -> b1 -> a1" in str(info.value)


# -- the keys of issue 14: partial prerequisites, a topic's math, steps ----------------------


def _need(to: object) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["domains"][2]["requires"] = [{"domain": "html", "to": to}]

    return change


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (_need(0), "domains[2].requires[0].to: Input should be greater than or equal to 1"),
        (_need(101), "domains[2].requires[0].to"),
        (_need("half"), "domains[2].requires[0].to"),
        (
            lambda d: d["domains"][2].update(requires=[{"domain": "html"}]),
            "domains[2].requires[0].to: required key is missing",
        ),
        (
            lambda d: d["domains"][2].update(requires=[7]),
            "domains[2].requires[0]: must be a domain id or {domain: ID, to: PERCENT}",
        ),
        (
            lambda d: d["domains"][2].update(requires=[{"domain": "nope", "to": 50}]),
            "domains[2].requires[0]: unknown domain 'nope'",
        ),
        (
            lambda d: d["domains"][2]["topics"][0].update(math="nope"),
            "domains[2].topics[0].math: unknown math level 'nope'",
        ),
        (
            lambda d: d.update(study_order=[{"topic": "dom-events", "topics": ["dom-events"]}]),
            "study_order[0]: give either 'topic' or 'topics', not both or neither",
        ),
        (
            lambda d: d["tracks"][0].update(study_order=[{"topics": ["dom-events", "nope"]}]),
            "tracks[0].study_order[0].topics[1]: unknown topic 'nope'",
        ),
        (
            lambda d: d.update(demo={"todo": ["nope"]}),
            "demo.todo[0]: unknown topic 'nope'",
        ),
    ],
    ids=[
        "to-0",
        "to-101",
        "to-text",
        "to-missing",
        "neither-form",
        "need-unknown",
        "topic-math",
        "step-both",
        "track-step-unknown",
        "demo-todo",
    ],
)
def test_new_keys_are_checked_with_one_line_each(
    cli: Any, tmp_path: Path, change: Callable[[dict[str, Any]], None], needle: str
) -> None:
    lines, _ = check_both(cli, write(tmp_path, mutated(change)), needle)
    assert len(lines) == 1, lines


def test_a_partial_prerequisite_is_valid(cli: Any, tmp_path: Path) -> None:
    data = mutated(lambda d: d["domains"][2].update(requires=[{"domain": "html", "to": 60}]))
    result = cli("catalog", "validate", str(write(tmp_path, data)))
    assert result.exit_code == 0, result.stderr
