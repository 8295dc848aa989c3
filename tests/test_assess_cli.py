"""``gapcli assess`` through the CLI: flags, files, the prompt walk, and bad input.

Every refusal must leave the database byte-for-byte as it was (compared as an
SQL dump), and every accepted assessment appends rows: nothing is updated.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_db, dump, rows

ANSWERS_TO_KEEP = "\n" * 18  # Enter for current and target of the 9 demo domains


def assessments(db: Path) -> list[tuple[Any, ...]]:
    return rows(db, "SELECT id, domain_id, current, target FROM assessment ORDER BY id")


def latest(db: Path, domain_id: str) -> tuple[int, int]:
    found = rows(
        db,
        "SELECT current, target FROM assessment "
        f"WHERE domain_id = '{domain_id}' ORDER BY id DESC LIMIT 1",
    )
    return found[0]


@dataclass(frozen=True)
class Run:
    """One real ``gapcli`` process: its exit code, output, and the database around it."""

    code: int
    stdout: str
    stderr: str
    db: Path
    before: str | None  # SQL dump before the run; None when there was no database
    after: str | None


REAL_RUNS: dict[str, tuple[bool, list[str]]] = {  # name: (demo database?, arguments)
    "bad-percent": (True, ["assess", "rag", "-c", "50", "--target=abc"]),
    "target-below": (True, ["assess", "rag", "-c", "90", "-t", "60"]),
    "no-args": (True, ["assess"]),
    "before-init": (False, ["assess", "rag", "-c", "50"]),
}


@pytest.fixture(scope="module")
def real(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Each of REAL_RUNS in its own process with stdin not a terminal, all started at once.

    Process start-up (imports) dominates, so running them side by side keeps the
    suite fast; each gets its own database.
    """
    base = tmp_path_factory.mktemp("real")
    started = {}
    for name, (with_demo, args) in REAL_RUNS.items():
        db = base / f"{name}.db"
        if with_demo:
            copy_db(demo_template, db)
        env = {**os.environ, "GAPCLI_DB": str(db), "NO_COLOR": "1", "COLUMNS": "200"}
        env.pop("GAPCLI_CATALOG", None)
        before = dump(db) if with_demo else None
        proc = subprocess.Popen(
            [sys.executable, "-m", "gapcli", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        started[name] = (proc, db, before)
    runs = {}
    for name, (proc, db, before) in started.items():
        stdout, stderr = proc.communicate(timeout=60)
        after = dump(db) if db.exists() else None
        runs[name] = Run(proc.returncode, stdout, stderr, db, before, after)
    return runs


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("gapcli: error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


# --- one domain by flags ------------------------------------------------------------


def test_assess_by_id_appends_and_never_updates(cli: Any, demo: Path) -> None:
    before = assessments(demo)
    assert len(before) == 9

    result = cli("assess", "rag", "--current", "85", "--target", "95")
    assert result.exit_code == 0, result.stderr
    assert "rag: 80%→90%  now 85%→95%" in result.stdout
    assert latest(demo, "rag") == (85, 95)

    again = cli("assess", "rag", "-c", "85", "-t", "95")
    assert again.exit_code == 0, again.stderr
    after = assessments(demo)
    assert len(after) == 11
    assert after[:9] == before  # old rows untouched
    assert [r[1:] for r in after[9:]] == [("rag", 85, 95), ("rag", 85, 95)]

    report = json.loads(cli("gaps", "--json").stdout)
    rag = next(d for d in report["domains"] if d["id"] == "rag")
    assert (rag["current"], rag["target"], rag["gap"]) == (85, 95, 10)


def test_assess_by_name_any_case_keeps_the_other_value(cli: Any, demo: Path) -> None:
    result = cli("assess", "mULTIMODAL ai", "--current", "50")
    assert result.exit_code == 0, result.stderr
    assert latest(demo, "multimodal") == (50, 75)  # target kept
    result = cli("assess", "  Rag systems ", "--target", "99%")
    assert result.exit_code == 0, result.stderr
    assert latest(demo, "rag") == (80, 99)  # current kept


def test_first_assessment_defaults_to_the_catalog_target(cli: Any, db_path: Path) -> None:
    assert cli("init").exit_code == 0
    result = cli("assess", "rag", "-c", "10")
    assert result.exit_code == 0, result.stderr
    assert "not assessed  now 10%→90%" in result.stdout
    assert latest(db_path, "rag") == (10, 90)


def test_unknown_domain_suggests_close_ids(cli: Any, demo: Path) -> None:
    before = dump(demo)
    result = cli("assess", "rga", "--current", "50")
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert "unknown domain 'rga'" in line
    assert "did you mean 'rag'?" in line
    assert dump(demo) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rag"], "nothing to set"),
        (["--current", "50"], "need a DOMAIN"),
        (["rag", "-c", "50", "--math-level", "hard"], "unknown math level 'hard'"),
        (["--math-level", "hard"], "unknown math level 'hard'"),
    ],
)
def test_refused_flag_combinations(cli: Any, demo: Path, args: list[str], message: str) -> None:
    before = dump(demo)
    result = cli("assess", *args)
    assert result.exit_code == 1
    assert message in one_error_line(result.stderr)
    assert dump(demo) == before


def test_math_level_by_id_or_name(cli: Any, demo: Path) -> None:
    result = cli("assess", "--math-level", "light")
    assert result.exit_code == 0, result.stderr
    assert rows(demo, "SELECT level FROM math_assessment ORDER BY id DESC LIMIT 1") == [("light",)]
    report = json.loads(cli("gaps", "--json").stdout)
    assert report["math_level"] == "light"
    rag = next(d for d in report["domains"] if d["id"] == "rag")
    assert rag["math_ok"] is True

    result = cli("assess", "--math-level", "MEDIUM MATH (APPLIED)")
    assert result.exit_code == 0, result.stderr
    assert json.loads(cli("gaps", "--json").stdout)["math_level"] == "medium"
    assert len(rows(demo, "SELECT id FROM math_assessment")) == 3  # demo's, light, medium


# --- percentages: refused whole, one line, exit 1 (real processes) ----------------


BAD_PERCENTAGES = [
    ("150", "must be from 0 to 100"),
    ("-5", "must be from 0 to 100"),
    ("abc", "must be a number"),
    ("72.5", "whole percentage"),
    ("nan", "must be from 0 to 100"),
    ("", "must be a number"),
]


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [("--current", *bad) for bad in BAD_PERCENTAGES] + [("--target", *BAD_PERCENTAGES[0])],
)
def test_bad_percentages_are_refused(
    cli: Any, demo: Path, flag: str, value: str, message: str
) -> None:
    before = dump(demo)
    other = ["-t", "60"] if flag == "--current" else ["-c", "50"]
    result = cli("assess", "rag", *other, f"{flag}={value}")
    assert result.exit_code == 1
    assert message in one_error_line(result.stderr)
    assert result.stdout == ""
    assert dump(demo) == before


def test_bad_percentage_exits_1_in_a_real_process(real: dict[str, Run]) -> None:
    run = real["bad-percent"]
    assert run.code == 1
    assert "target must be a number" in one_error_line(run.stderr)
    assert run.stdout == ""
    assert run.after == run.before


def test_target_below_current_is_allowed_with_a_notice(real: dict[str, Run]) -> None:
    run = real["target-below"]
    assert run.code == 0, run.stderr
    assert run.stderr.count("\n") == 1
    assert "below its current" in run.stderr and "no gap" in run.stderr
    assert "Traceback" not in run.stderr
    assert latest(run.db, "rag") == (90, 60)


def test_before_init_fails_cleanly(
    real: dict[str, Run], cli: Any, db_path: Path, tmp_path: Path
) -> None:
    run = real["before-init"]
    assert run.code == 1
    assert "gapcli init" in one_error_line(run.stderr)
    assert run.stdout == ""
    assert run.after is None  # no database was created
    valid = tmp_path / "ok.yaml"
    valid.write_text("rag: 50\n", encoding="utf-8")
    for args in (["assess"], ["assess", "-i"], ["assess", "-f", str(valid)], ["gaps", "--json"]):
        result = cli(*args)
        assert result.exit_code == 1, args
        assert "gapcli init" in one_error_line(result.stderr)
        assert result.stdout == ""
    assert not db_path.exists()


def test_no_arguments_without_a_terminal_prints_the_report(real: dict[str, Run]) -> None:
    run = real["no-args"]
    assert run.code == 0, run.stderr
    assert "Gaps on track" in run.stdout
    assert "Multimodal AI" in run.stdout
    assert "Assessing" not in run.stdout + run.stderr  # it asked nothing
    assert run.stderr == ""
    assert run.after == run.before


# --- --file -------------------------------------------------------------------------


def test_file_sets_many_at_once(cli: Any, demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "where-i-stand.yaml"
    path.write_text(
        "rag: {current: 85, target: 95}\n"
        "Multimodal AI: {current: 50}\n"
        "mlops: 60\n"
        "math_level: light\n",
        encoding="utf-8",
    )
    result = cli("assess", "--file", str(path))
    assert result.exit_code == 0, result.stderr
    assert "Saved 3 assessments" in result.stdout
    assert latest(demo, "rag") == (85, 95)
    assert latest(demo, "multimodal") == (50, 75)
    assert latest(demo, "mlops") == (60, 75)
    assert len(assessments(demo)) == 12
    assert json.loads(cli("gaps", "--json").stdout)["math_level"] == "light"
    # one change for the whole file
    assert rows(demo, "SELECT COUNT(DISTINCT change_id) FROM assessment WHERE id > 9") == [(1,)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rag: {current: 85}\nragg: {current: 50}\n", "unknown domain 'ragg'"),
        ("rag: {current: 85}\nmlops: {current: 150}\n", "must be from 0 to 100"),
        ("rag: {current: 85}\nmlops: {current: abc}\n", "must be a number"),
        ("rag: {current: 85}\nmlops: {current: 50, goal: 60}\n", "unknown keys"),
        ("rag: {current: 85}\nmlops: {}\n", "give current and/or target"),
        ("rag: {current: 85}\nmlops: [50, 60]\n", "expected {current: N, target: N}"),
        ("rag: {current: 85}\nRAG Systems: {current: 50}\n", "sets domain 'rag' again"),
        ("rag: {current: 85}\nmath_level: hard\n", "unknown math level 'hard'"),
        ("rag: {current: 85\n", "YAML syntax error"),
        ("- rag\n- mlops\n", "expected a mapping"),
        ("", "expected a mapping"),
    ],
    ids=[
        "unknown-domain",
        "out-of-range",
        "not-a-number",
        "unknown-key",
        "empty-pair",
        "list-value",
        "duplicate",
        "bad-level",
        "bad-yaml",
        "list",
        "empty",
    ],
)
def test_invalid_files_are_refused_whole(
    cli: Any, demo: Path, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    before = dump(demo)
    result = cli("assess", "--file", str(path))
    assert result.exit_code == 1
    assert message in one_error_line(result.stderr)
    assert result.stdout == ""
    assert dump(demo) == before


def test_file_refuses_other_arguments_and_missing_files(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("rag: 85\n", encoding="utf-8")
    before = dump(demo)
    for args in (
        ["rag", "--file", str(path)],
        ["--file", str(path), "--math-level", "light"],
        ["--file", str(tmp_path / "missing.yaml")],
    ):
        result = cli("assess", *args)
        assert result.exit_code == 1, args
        one_error_line(result.stderr)
    assert dump(demo) == before


# --- the prompt walk ----------------------------------------------------------------


def test_walk_saves_the_changed_answers_at_the_end(cli: Any, demo: Path) -> None:
    # first domain: a bad answer is asked again; then Enter keeps the rest; then math
    script = "abc\n50\n60\n" + "\n" * 16 + "light\n"
    result = cli("assess", "--interactive", input=script)
    assert result.exit_code == 0, result.stderr
    assert "Saved 1 assessment and math level light" in result.stdout
    assert "current %" not in result.stdout  # prompts go to stderr; stdout stays data
    assert "LLM Concepts & Internals: current % [80]" in result.stderr
    assert "must be a number" in result.stderr
    assert len(assessments(demo)) == 10  # the answers kept as shown are not stored again
    assert latest(demo, "llm-concepts") == (50, 60)
    assert latest(demo, "rag") == (80, 90)
    assert rows(demo, "SELECT level FROM math_assessment ORDER BY id DESC LIMIT 1") == [("light",)]
    assert rows(demo, "SELECT COUNT(DISTINCT change_id) FROM assessment WHERE id > 9") == [(1,)]


def test_walk_asks_for_a_known_math_level(cli: Any, demo: Path) -> None:
    result = cli("assess", "-i", input=ANSWERS_TO_KEEP + "hard\nmedium\n")
    assert result.exit_code == 0, result.stderr
    assert "unknown math level 'hard'" in result.stderr
    assert rows(demo, "SELECT level FROM math_assessment ORDER BY id DESC LIMIT 1") == [
        ("medium",)
    ]


@pytest.mark.parametrize(
    "script",
    ["", "50\n60\n70\n", ANSWERS_TO_KEEP],
    ids=["at-once", "part-way", "at-math-level"],
)
def test_interrupted_walk_stores_nothing(cli: Any, demo: Path, script: str) -> None:
    before = dump(demo)
    result = cli("assess", "--interactive", input=script)
    assert result.exit_code == 130
    assert "gapcli: error: assessment interrupted; nothing was saved" in result.stderr
    assert "Traceback" not in result.stderr
    assert dump(demo) == before


def test_walk_that_changes_nothing_stores_nothing(cli: Any, demo: Path) -> None:
    before = dump(demo)
    result = cli("assess", "-i", input=ANSWERS_TO_KEEP + "\n")
    assert result.exit_code == 0, result.stderr
    assert "Nothing changed; nothing saved" in result.stdout
    assert dump(demo) == before
