"""FSRS's answers kept between commands: the same output, fsrs left unloaded, never trusted.

The commands run as the console script does, in a child process, on the demo
profile with two topics finished weeks ago (so cards replay, one is overdue, and
plans project reviews), each test with its own cache folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gapcli.domain.reviews import NEW_CARD, Rating, Step, Steps
from gapcli.services import steps_cache

# The command, then whether fsrs was loaded, on stderr's last line.
PROBE = (
    "import sys\n"
    "from gapcli.cli import main\n"
    "sys.argv = ['gapcli', *sys.argv[1:]]\n"
    "code = main()\n"
    "print('fsrs' in sys.modules, file=sys.stderr)\n"
    "sys.exit(code)\n"
)
READS = (
    ["gaps", "--json"],
    ["plan", "--json"],
    ["today", "--json"],
    ["reviews", "--all", "--json"],
)


def gapcli(cache: Path, *args: str) -> tuple[str, bool]:
    """stdout, and whether the command imported fsrs."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "GAPCLI_CACHE_DIR": str(cache)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stderr.splitlines()[-1] == "True"


@pytest.fixture
def cache(demo: Path, tmp_path: Path, cli: Any) -> Path:
    for topic, day, recall in (("la-visual", "-6w", "hard"), ("ps-distributions", "-3w", "easy")):
        done = cli("log-progress", topic, "-H", "1", "--date", day, "--done", "--recall", recall)
        assert done.exit_code == 0, done.stderr
    return tmp_path / "cache"


def steps_file(cache: Path) -> Path:
    return cache / steps_cache.FILE_NAME


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a))
def test_the_next_command_uses_the_answers_and_prints_the_same(
    cache: Path, args: list[str]
) -> None:
    first, loaded = gapcli(cache, *args)
    assert loaded, "the first command asks fsrs"
    assert steps_file(cache).is_file()
    again, loaded_again = gapcli(cache, *args)
    assert again == first
    assert not loaded_again, "every answer was kept"


def test_a_review_logged_since_changes_nothing_but_speed(cache: Path, cli: Any) -> None:
    gapcli(cache, "gaps", "--json")
    reviewed = cli("review", "la-visual", "--rating", "hard")
    assert reviewed.exit_code == 0, reviewed.stderr
    after, _ = gapcli(cache, "gaps", "--json")
    assert after == gapcli(cache.with_name("fresh"), "gaps", "--json")[0]


def write_steps(path: Path, key: Any, decay: Any, rows: Any) -> None:
    """A steps file as gapcli writes one: the key and the CRC of what follows, then
    the curve's decay and the rows."""
    body = json.dumps({"decay": decay, "steps": rows}).encode()
    path.write_bytes(json.dumps({"key": key, "crc32": zlib.crc32(body)}).encode() + b"\n" + body)


def read_steps(path: Path) -> tuple[Any, float, list[list[Any]]]:
    """The key, the decay and the rows of a steps file."""
    head, _, body = path.read_bytes().partition(b"\n")
    kept = json.loads(body)
    return json.loads(head)["key"], kept["decay"], kept["steps"]


DAMAGE = {
    "not json": b"{",
    "empty": b"",
    "a list": b"[]",
    "another gapcli": None,  # the real file with another key
    "a bad interval": None,  # the real file with an impossible interval (CRC made anew)
    "a stability of 0": None,  # a memory FSRS never leaves a card with (CRC made anew)
    "a changed row": None,  # a plausible value, but the CRC is the old one
    "a changed decay": None,  # a decay FSRS allows, but the CRC is the old one
    "a decay out of FSRS's range": None,  # (CRC made anew)
    "a huge file": b" " * (steps_cache.MAX_BYTES + 1),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_or_foreign_file_is_ignored_and_rewritten(cache: Path, damage: str) -> None:
    expected, _ = gapcli(cache, "plan", "--json")
    path = steps_file(cache)
    key, decay, rows = read_steps(path)
    head, _, _ = path.read_bytes().partition(b"\n")
    if damage == "another gapcli":
        write_steps(path, {**key, "gapcli": "0.0.1"}, decay, rows)
    elif damage == "a bad interval":
        rows[0][6] = 0  # no FSRS interval is under a day
        write_steps(path, key, decay, rows)
    elif damage == "a stability of 0":
        rows[0][4] = 0.0
        write_steps(path, key, decay, rows)
    elif damage == "a changed row":
        rows[0][4] += 1.0
        path.write_bytes(head + b"\n" + json.dumps({"decay": decay, "steps": rows}).encode())
    elif damage == "a changed decay":
        changed = {"decay": -0.6, "steps": rows}
        path.write_bytes(head + b"\n" + json.dumps(changed).encode())
    elif damage == "a decay out of FSRS's range":
        write_steps(path, key, -0.0001, rows)
    else:
        path.write_bytes(DAMAGE[damage] or b"")
    output, loaded = gapcli(cache, "plan", "--json")
    assert output == expected
    assert loaded, "the file was not trusted"
    assert gapcli(cache, "plan", "--json") == (expected, False), "rewritten whole"


def test_a_folder_in_the_way_is_skipped(cache: Path) -> None:
    steps_file(cache).mkdir(parents=True)
    expected, _ = gapcli(cache.with_name("other"), "gaps", "--json")
    assert gapcli(cache, "gaps", "--json")[0] == expected


# In-process: the file's round trip and its checks, on Steps of the test's own.

keys = st.tuples(
    st.sampled_from([NEW_CARD, (2.3065, 5.28), (12.5, 7.0), (300.0, 1.0), (0.5, 9.9)]),
    st.integers(0, 400),
    st.sampled_from(list(Rating)),
)


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GAPCLI_CACHE_DIR", str(tmp_path))
    return tmp_path


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(keys, min_size=1, max_size=30))
def test_what_is_saved_reads_back_exactly(own_cache: Path, asked: list[Any]) -> None:
    steps = Steps()
    for (stability, difficulty), elapsed, rating in asked:
        steps.answer(stability, difficulty, 0 if stability == 0.0 else elapsed, rating)
    known = dict(steps.known)
    steps_cache.save(steps)
    assert not steps.learned
    found = steps_cache.read()
    assert found is not None
    assert found == (known, steps.curve()[0])


def test_the_file_keeps_every_step_used_last_then_older_ones(
    own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(steps_cache, "MAX_STEPS", 5)
    old = Steps()
    for elapsed in range(10):
        old.answer(2.3065, 5.28, elapsed, Rating.GOOD)
    used_then = list(old.used)
    steps_cache.save(old)
    found = steps_cache.read()
    assert found is not None
    assert list(found[0]) == used_then, "all ten: every step the command used"
    newer = Steps()
    newer.source = steps_cache.read
    newer.answer(2.3065, 5.28, 0, Rating.GOOD)  # kept: no question to fsrs
    assert not newer.learned
    newer.answer(2.3065, 5.28, 50, Rating.EASY)  # new
    steps_cache.save(newer)
    found = steps_cache.read()
    assert found is not None
    used_now = [(2.3065, 5.28, 0, 3), (2.3065, 5.28, 50, 4)]
    assert list(found[0]) == [*used_now, *used_then[1:4]], "then older ones, to five"


rows = st.lists(
    st.one_of(
        st.lists(st.one_of(st.floats(), st.integers(-5, 500), st.none(), st.text(max_size=2))),
        st.none(),
        st.integers(),
    ),
    max_size=4,
)


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows,
    st.one_of(st.floats(-0.8, -0.1), st.floats(allow_nan=False), st.text(max_size=3), st.none()),
)
def test_a_file_of_anything_is_never_trusted_beyond_its_checks(
    own_cache: Path, steps_rows: list[Any], decay: Any
) -> None:
    write_steps(own_cache / steps_cache.FILE_NAME, steps_cache.cache_key(), decay, steps_rows)
    found = steps_cache.read()
    if found is not None:
        known, read_decay = found
        assert -0.8 <= read_decay <= -0.1
        for (stability, difficulty, elapsed, rating), step in known.items():
            assert isinstance(step, Step) and 1 <= step.interval <= 365
            assert elapsed >= 0 and rating in (1, 2, 3, 4)
            assert (stability, difficulty) == NEW_CARD or (
                stability >= 0.001 and 1.0 <= difficulty <= 10.0
            )
            assert step.stability >= 0.001 and 1.0 <= step.difficulty <= 10.0
