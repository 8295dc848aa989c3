"""Catalog files built to hurt: huge strings, huge counts, nesting, aliases, odd unicode.

Each one is either refused (exit 1, one ``gapcli: error:`` line per problem, no
traceback, no "unexpected" from the CLI's last-resort handler) or handled, in bounded
time and memory. The big ones run gapcli as a subprocess with a timeout and read its
peak RSS from ``os.wait4``. test_catalog_loader.py already covers the billion-laughs
file, an alias in a valid catalog, 10,000-deep flow/block nesting, 2 MB of brackets,
a file over the size cap, python tags, non-UTF-8 bytes, a directory and a missing
file; this file does not repeat them.
"""

from __future__ import annotations

import copy
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gapcli.services.catalogs import MAX_CATALOG_BYTES

MiB = 1024 * 1024
GiB = 1024 * MiB
MAX_RSS = 1 * GiB
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

BASE = """\
catalog: 1
id: webdev
name: Web
domains:
  - id: html
    name: HTML
    topics:
      - {id: html-tags, name: Tags, hours: 2}
"""


def small() -> dict[str, Any]:
    return {
        "catalog": 1,
        "id": "webdev",
        "name": "Web",
        "domains": [
            {
                "id": "html",
                "name": "HTML",
                "topics": [{"id": "html-tags", "name": "T", "hours": 2}],
            }
        ],
    }


def write(tmp_path: Path, content: str | bytes, name: str = "cat.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def assert_refusal(code: int, stdout: str, stderr: str, *needles: str) -> list[str]:
    """Exit 1, nothing on stdout, only clean one-line ``gapcli: error:`` lines on stderr."""
    assert code == 1, (code, stderr[-500:])
    assert stdout == ""
    assert "Traceback" not in stderr
    assert "gapcli: error: unexpected" not in stderr, stderr[-500:]
    lines = stderr.splitlines()
    assert lines
    for line in lines:
        assert line.startswith("gapcli: error: "), line[:300]
        assert not CONTROL.search(line), line[:300]
    for needle in needles:
        assert needle in stderr, (needle, stderr[-500:])
    return lines


def refused(cli: Any, path: Path, *needles: str) -> list[str]:
    result = cli("catalog", "validate", str(path))
    return assert_refusal(result.exit_code, result.stdout, result.stderr, *needles)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss: int  # bytes


# A forked child's peak RSS starts at its parent's RSS (Linux keeps the high-water mark
# across exec), so measuring gapcli as a direct child of pytest would count pytest's own
# memory. A small launcher forks and execs gapcli, and reports the child's wait4 rusage.
LAUNCHER = """
import os, resource, sys
limit = os.environ.pop("GAPCLI_TEST_AS_LIMIT", "")
report = os.environ.pop("GAPCLI_TEST_RUSAGE")
pid = os.fork()
if pid == 0:
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))
    os.execv(sys.executable, [sys.executable, "-m", "gapcli", *sys.argv[1:]])
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as fh:
    fh.write(str(usage.ru_maxrss))
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
"""


def run_bounded(
    tmp_path: Path,
    *args: str,
    timeout: float = 60.0,
    memory_limit: int | None = None,
) -> Run:
    """gapcli in a subprocess; fails the test past ``timeout``; peak RSS from wait4."""
    out_path, err_path = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    usage_path = tmp_path / "rusage.txt"
    usage_path.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "GAPCLI_CATALOG"}
    env |= {"GAPCLI_DB": str(tmp_path / "gapcli.db"), "NO_COLOR": "1", "COLUMNS": "120"}
    env |= {"GAPCLI_TEST_RUSAGE": str(usage_path)}
    if memory_limit is not None:
        env["GAPCLI_TEST_AS_LIMIT"] = str(memory_limit)
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, *args],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
            start_new_session=True,  # the launcher and gapcli: killed together
        )
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            pytest.fail(f"gapcli {' '.join(args)[:200]} still running after {timeout:g} s")
        seconds = time.perf_counter() - started
    return Run(
        code,
        out_path.read_text("utf-8", errors="replace"),
        err_path.read_text("utf-8", errors="replace"),
        seconds,
        int(usage_path.read_text()) * 1024,  # kilobytes on Linux
    )


def bounded_refusal(run: Run, *needles: str) -> list[str]:
    assert run.max_rss < MAX_RSS, f"peak RSS {run.max_rss / MiB:.0f} MiB"
    return assert_refusal(run.code, run.stdout, run.stderr, *needles)


# -- huge strings ---------------------------------------------------------------------------

FOUR_MB = 4 * MiB


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (BASE.replace("name: Web", "name: " + "x" * FOUR_MB), "name: String should have at most"),
        (
            BASE.replace("name: Web", 'name: "' + "\\e" * (FOUR_MB // 2) + '"'),
            "name: String should have at most",
        ),
        (
            BASE.replace("name: Web", "name: Web\ndescription: " + "é" * (FOUR_MB // 2)),
            "description: String should have at most 4000",
        ),
        (BASE.replace("id: html\n", "id: " + "a" * FOUR_MB + "\n"), "domains[0].id"),
        (
            BASE.replace("hours: 2}", "hours: 2, requires: [" + "a" * FOUR_MB + "]}"),
            "requires[0]",
        ),
        (BASE + "k" * FOUR_MB + ": 1\n", "YAML syntax error"),  # implicit keys: <= 1024 chars
        (BASE + '"' + "k" * FOUR_MB + '": 1\n', "YAML syntax error"),
    ],
    ids=["name", "name-escapes", "description-unicode", "id", "requires", "key", "quoted-key"],
)
def test_four_megabyte_strings_are_refused_briefly(tmp_path: Path, text: str, needle: str) -> None:
    path = write(tmp_path, text)
    assert MAX_CATALOG_BYTES > path.stat().st_size > FOUR_MB
    run = run_bounded(tmp_path, "catalog", "validate", str(path), timeout=30)
    lines = bounded_refusal(run, needle)
    assert run.seconds < 10
    assert len(lines) == 1, lines
    # the 4 MB value is not echoed back
    assert len(lines[0]) < 2 * 1024 + len(str(path)), len(lines[0])


def test_a_four_megabyte_explicit_key_is_one_line(tmp_path: Path) -> None:
    """An explicit key ('? KEY') may be that long; the unknown-key line repeats it whole."""
    path = write(tmp_path, BASE + "? " + "k" * FOUR_MB + "\n: 1\n")
    run = run_bounded(tmp_path, "catalog", "validate", str(path), timeout=30)
    lines = bounded_refusal(run, "unknown key")
    assert run.seconds < 10
    assert len(lines) == 1


def test_a_file_of_exactly_the_cap_is_read(cli: Any, tmp_path: Path) -> None:
    padding = MAX_CATALOG_BYTES - len(BASE) - 2
    path = write(tmp_path, BASE + "#" + "x" * padding + "\n")
    assert path.stat().st_size == MAX_CATALOG_BYTES
    result = cli("catalog", "validate", str(path))
    assert result.exit_code == 0, result.stderr


def test_one_byte_over_the_cap_is_refused_before_parsing(cli: Any, tmp_path: Path) -> None:
    padding = MAX_CATALOG_BYTES - len(BASE) - 1
    path = write(tmp_path, BASE + "#" + "x" * padding + "\n")
    assert path.stat().st_size == MAX_CATALOG_BYTES + 1
    lines = refused(cli, path, f"{MAX_CATALOG_BYTES:,}")
    assert len(lines) == 1


def test_a_sparse_ten_gigabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "sparse.yaml"
    try:
        with path.open("wb") as fh:
            fh.truncate(10 * GiB)
    except OSError as exc:
        pytest.skip(f"cannot make a sparse 10 GiB file here: {exc}")
    run = run_bounded(tmp_path, "--catalog", str(path), "catalog", "list", timeout=30)
    lines = bounded_refusal(run, "10,737,418,240 bytes")
    assert len(lines) == 1
    assert run.max_rss < 200 * MiB
    assert run.seconds < 10


def test_an_endless_device_is_refused_within_the_cap(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    run = run_bounded(
        tmp_path, "catalog", "validate", "/dev/zero", timeout=30, memory_limit=MAX_RSS
    )
    bounded_refusal(run)


# -- deep nesting (beyond test_catalog_loader's flow and block sequences) --------------------


def test_nesting_up_to_the_limit_is_parsed_and_one_more_level_is_refused(
    cli: Any, tmp_path: Path
) -> None:
    at_limit = write(tmp_path, BASE + "extra: " + "[" * 31 + "]" * 31 + "\n", "ok.yaml")
    refused(cli, at_limit, "extra: unknown key")  # parsed: the schema refuses the key
    over = write(tmp_path, BASE + "extra: " + "[" * 32 + "]" * 32 + "\n", "deep.yaml")
    lines = refused(cli, over)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"gapcli: error: {over}: line 9: "), lines[0]
    assert "unknown key" not in lines[0], "refused while reading, before the schema"


DEEP_BLOCK_MAPPINGS = (
    "catalog: 1\n" + "".join(" " * i + f"k{i}:\n" for i in range(2_900)) + " " * 2_900 + "x\n"
)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (DEEP_BLOCK_MAPPINGS, r"\d+"),  # the line depends on which check stops it first
        (BASE.replace("name: Tags", "name: " + "[{a: " * 400_000 + "1" + "}]" * 400_000), "8"),
        ("catalog: " + "[" * 1_000_000 + "\n", "1"),
        ("catalog: " + "{" * 1_000_000 + "\n", "1"),
    ],
    ids=["block-mappings-4MB", "alternating-in-a-name", "unclosed-seq", "unclosed-map"],
)
def test_deep_nesting_is_refused_in_bounded_time(tmp_path: Path, text: str, line: str) -> None:
    """One line naming the file and the line, by whichever check stops the file first.

    gapcli's depth check and libyaml's own word it differently; neither wording is asserted.
    """
    path = write(tmp_path, text)
    run = run_bounded(tmp_path, "catalog", "validate", str(path), timeout=30)
    lines = bounded_refusal(run)
    assert len(lines) == 1, lines[:3]
    assert re.match(re.escape(f"gapcli: error: {path}: line ") + line + ": ", lines[0]), lines[0]
    assert run.seconds < 10


# -- anchors and aliases (beyond the billion-laughs file) ---------------------------------


@pytest.mark.parametrize(
    "text",
    [
        BASE + "x: &a {k: v}\ny:\n  <<: *a\n",  # merge key
        BASE.replace("name: Web", "name: &n Web"),  # an anchor alone
        BASE + "&k key: 1\n",  # an anchored key
        BASE + "x: &a 1\n*a : 2\n",  # an alias as a key
        BASE.replace("name: Web", "name: &n !!str Web"),  # anchor plus tag
        "a: &a [" + ",".join(["x"] * 10) + "]\n" + "".join(f"k{i}: *a\n" for i in range(200_000)),
        "".join(
            f"m{i}: &m{i} {{" + ", ".join(f"k{j}: *m{i - 1}" for j in range(9)) + "}\n"
            if i
            else "m0: &m0 {k: lol}\n"
            for i in range(10)
        ),  # the bomb again, built from mappings
    ],
    ids=["merge", "anchor", "anchored-key", "alias-key", "tagged-anchor", "200k-aliases", "maps"],
)
def test_every_form_of_anchor_or_alias_is_refused_fast(
    cli: Any, tmp_path: Path, text: str
) -> None:
    path = write(tmp_path, text)
    started = time.perf_counter()
    lines = refused(cli, path, "anchors and aliases are not allowed")
    assert time.perf_counter() - started < 2.0
    assert len(lines) == 1


# -- huge counts ---------------------------------------------------------------------------


def big_catalog(kind: str, n: int) -> str:
    """A catalog with n topics in one domain (flat, a chain or a cycle) or n domains."""
    out = ["catalog: 1", "id: big", "name: Big", "domains:"]
    if kind == "domains":
        for i in range(n):
            req = f", requires: [d{i - 1}]" if i else ""
            out.append(f"- {{id: d{i}, name: x{req}, topics: [{{id: t{i}, name: x, hours: 1}}]}}")
    else:
        out += ["- id: d0", "  name: D", "  topics:"]
        for i in range(n):
            req = ""
            if kind == "chain" and i:
                req = f", requires: [t{i - 1}]"
            elif kind == "cycle":
                req = f", requires: [t{(i - 1) % n}]"
            out.append(f"  - {{id: t{i}, name: x, hours: 1{req}}}")
    return "\n".join(out) + "\n"


def handled(run: Run) -> None:
    assert run.code == 0, run.stderr[-500:]
    assert run.max_rss < MAX_RSS, f"peak RSS {run.max_rss / MiB:.0f} MiB"
    assert "Traceback" not in run.stderr


@pytest.mark.slow
def test_a_hundred_thousand_topics(tmp_path: Path) -> None:
    """About 15 s per command here: each run parses and validates the whole file."""
    path = write(tmp_path, big_catalog("topics", 100_000))
    assert path.stat().st_size < MAX_CATALOG_BYTES
    run = run_bounded(tmp_path, "catalog", "validate", str(path))
    handled(run)
    assert "100000 topics" in run.stdout
    week = ("--weekly-hours", "168", "--study-days", "mon,tue,wed,thu,fri,sat,sun")  # 24 h a day
    handled(run_bounded(tmp_path, "--catalog", str(path), "init", *week))
    handled(run_bounded(tmp_path, "plan", "--weeks", "1"))


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "n"), [("chain", 80_000), ("domains", 50_000)])
def test_long_prerequisite_chains_validate(tmp_path: Path, kind: str, n: int) -> None:
    path = write(tmp_path, big_catalog(kind, n))
    assert path.stat().st_size < MAX_CATALOG_BYTES
    run = run_bounded(tmp_path, "catalog", "validate", str(path))
    handled(run)
    assert "valid catalog 'big'" in run.stdout


@pytest.mark.slow
def test_an_eighty_thousand_topic_cycle_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, big_catalog("cycle", 80_000))
    run = run_bounded(tmp_path, "catalog", "validate", str(path))
    lines = bounded_refusal(run, "cycle in topic prerequisites")
    assert len(lines) == 1  # one line, though it spells out all 80,000 ids


@pytest.mark.slow
def test_a_hundred_thousand_problems_print_fifty_lines(tmp_path: Path) -> None:
    topics = "".join(f"      - {{id: T{i}, name: '', hours: -1}}\n" for i in range(50_000))
    path = write(tmp_path, BASE.replace("    topics:\n", "    topics:\n" + topics))
    run = run_bounded(tmp_path, "catalog", "validate", str(path))
    lines = bounded_refusal(run, "more problems")
    assert len(lines) == 51, len(lines)
    assert lines[-1].startswith("gapcli: error: ... and ")


@pytest.mark.slow
def test_many_unknown_keys_are_refused_in_bounded_time(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "".join(f"k{i}: 1\n" for i in range(40_000)))
    run = run_bounded(tmp_path, "catalog", "validate", str(path), timeout=20)
    bounded_refusal(run, "unknown key")


# -- odd YAML values and types ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (BASE.replace("id: webdev", "id: 2026-01-01"), "id: Input should be a valid string"),
        (BASE.replace("name: Web", "name: 2001-12-14t21:59:43.10-05:00"), "name:"),
        (BASE.replace("name: Web", "name: !!set {a, b}"), "name:"),
        (BASE + "? [a, b]\n: c\n", "unhashable key"),
        (BASE + "1.5: x\n", "Keys should be strings"),
        (BASE + "~: x\n", "Keys should be strings"),
        (BASE.replace("hours: 2", "hours: 1e400"), "hours"),
        (BASE.replace("hours: 2", "hours: .NaN"), "hours"),
        (BASE.replace("name: Web", 'name: "\\ud800"'), "YAML syntax error"),
        (BASE.replace("name: Web", "name: W\x00eb"), "not allowed"),
        (BASE.replace("name: Web", "name: W\x1beb"), "not allowed"),
        (BASE.replace("name: Web", "name: W\x9beb"), "not allowed"),
        (BASE + '"\\e]0;pwned\\a\\u202e": x\n', "unknown key"),
        (BASE.replace("id: webdev", "id: !!python/name:os.system"), "YAML"),
    ],
    ids=[
        "date-id",
        "timestamp-name",
        "set-name",
        "unhashable-key",
        "float-key",
        "null-key",
        "overflowing-float",
        "nan-hours",
        "lone-surrogate",
        "raw-nul",
        "raw-esc",
        "raw-c1",
        "escapes-in-a-key",
        "python-name-tag",
    ],
)
def test_odd_yaml_is_refused_with_clean_lines(
    cli: Any, tmp_path: Path, text: str, needle: str
) -> None:
    refused(cli, write(tmp_path, text), needle)


@pytest.mark.parametrize(
    "raw",
    [
        ("\ufeff" + BASE).encode("utf-8"),  # a byte-order mark
        BASE.replace("\n", "\r\n").encode("utf-8"),  # Windows line ends
        BASE.replace("name: Web", "name: !!binary V2Vi").encode("utf-8"),  # bytes "Web"
    ],
    ids=["bom", "crlf", "binary-name"],
)
def test_harmless_oddities_are_accepted(cli: Any, tmp_path: Path, raw: bytes) -> None:
    result = cli("catalog", "validate", str(write(tmp_path, raw)))
    assert result.exit_code == 0, result.stderr


def test_utf16_is_refused_as_not_utf8(cli: Any, tmp_path: Path) -> None:
    refused(cli, write(tmp_path, BASE.encode("utf-16")), "not UTF-8")


@pytest.mark.parametrize(
    "text",
    [
        BASE.replace("hours: 2", "hours: " + "9" * 5_000),
        BASE + "papers:\n  - {id: p, title: P, year: " + "9" * 100_000 + "}\n",
    ],
    ids=["hours", "year"],
)
def test_giant_integer_literals_are_refused(cli: Any, tmp_path: Path, text: str) -> None:
    refused(cli, write(tmp_path, text))


# -- unicode and control characters in ids and names ----------------------------------------


@pytest.mark.parametrize(
    "ident",
    [
        "html\n",
        "html\r",
        "ht\u200bml",  # zero-width space
        "r\u0430g",  # Cyrillic a
        "ｈｔｍｌ",  # fullwidth
        "\u0130",  # dotted capital I (lowercases to two characters)
        "\u212a",  # Kelvin sign (lowercases to ASCII k)
        "html\x00",
        "\x1b]0;x\x07html",
        "html\u202e",
        "-html",
        "a" * 81,
    ],
)
def test_ids_are_plain_ascii(cli: Any, tmp_path: Path, ident: str) -> None:
    data = small()
    data["domains"][0]["id"] = ident
    lines = refused(cli, write(tmp_path, yaml.safe_dump(data)), "domains[0].id")
    assert len(lines) == 1


@pytest.mark.parametrize(
    "name",
    [
        " ",
        "\n",
        "\x00",
        "\ufeff",
        "\u00ad",
        "a\u0301" * 100,  # 200 code points of combining marks
        "\U0001f468\u200d\U0001f469\u200d\U0001f467" * 40,
        "\u202eevil\u2066",
        "\x1b]52;c;aGk=\x07\x9b2J[/x][bold",
    ],
    ids=["space", "newline", "nul", "bom", "soft-hyphen", "combining", "zwj", "bidi", "esc"],
)
def test_odd_names_are_accepted_and_shown(cli: Any, tmp_path: Path, name: str) -> None:
    data = small()
    data["name"] = name
    data["domains"][0]["name"] = name
    data["domains"][0]["topics"][0]["name"] = name
    path = write(tmp_path, yaml.safe_dump(data))
    for args in (
        ["catalog", "validate", str(path)],
        ["--catalog", str(path), "catalog", "list"],
        ["--catalog", str(path), "catalog", "list", "--kind", "topics"],
        ["--catalog", str(path), "catalog", "show", "html"],
        ["--catalog", str(path), "catalog", "show", "html-tags", "--json"],
    ):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert not CONTROL.search(result.stdout.replace("\n", "")) or "--json" in args
        assert "\x1b" not in result.stdout + result.stderr


_ANY = st.characters(exclude_categories=("Cs",))
IDS = st.one_of(
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True),
    st.text(_ANY, max_size=12),
)
NAMES = st.one_of(st.text(_ANY, min_size=1, max_size=40), st.text(_ANY, max_size=3))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    domain_id=IDS,
    topic_id=IDS,
    catalog_name=NAMES,
    domain_name=NAMES,
    topic_name=NAMES,
)
def test_arbitrary_ids_and_names_are_refused_cleanly_or_shown(
    cli: Any,
    tmp_path: Path,
    domain_id: str,
    topic_id: str,
    catalog_name: str,
    domain_name: str,
    topic_name: str,
) -> None:
    data = copy.deepcopy(small())
    data["name"] = catalog_name
    data["domains"][0].update(id=domain_id, name=domain_name)
    data["domains"][0]["topics"][0].update(id=topic_id, name=topic_name)
    path = write(tmp_path, yaml.safe_dump(data))
    result = cli("catalog", "validate", str(path))
    if result.exit_code != 0:
        assert_refusal(result.exit_code, result.stdout, result.stderr)
        return
    assert not CONTROL.search(result.stdout.replace("\n", "")), result.stdout
    for args in (["catalog", "list", "--kind", "topics"], ["catalog", "show", topic_id]):
        shown = cli("--catalog", str(path), *args)
        assert shown.exit_code == 0, (args, shown.stderr)
        assert not CONTROL.search(shown.stdout.replace("\n", "")), shown.stdout


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """Reading a FIFO would wait for a writer forever."""
    import os

    fifo = tmp_path / "catalog.yaml"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "gapcli", "catalog", "validate", str(fifo)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == f"gapcli: error: {fifo}: is not a regular file\n"
