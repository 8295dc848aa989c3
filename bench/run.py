"""gapcli's benchmark suite: whole-process start-up and command costs against their floors.

How to run (from the checkout; not part of the tests)::

    make bench                          # = .venv/bin/python bench/run.py --venv .venv
    make bench BENCH_ARGS=--quick
    .venv/bin/python bench/run.py --runs 15
    .venv/bin/python bench/run.py --quick          # 5 runs, planner once per size: a smoke test
    .venv/bin/python bench/run.py --no-planner --json-out /tmp/r.json
    make bench BENCH_ARGS="--peers-venv /tmp/peers"   # with Watson and jrnl (bench/peers.py)

What it does:

1. Builds a heavy profile in a fresh temporary folder (``bench/heavy.py``: the
   built-in catalog, two years of daily study, about 1,000 sessions and 200
   assessments) and a copy of it for ``log-progress``, which writes: that copy
   simply accumulates one session per run (about 25 rows on top of 1,000, which
   does not move the figures); the read commands use the untouched profile.
   Nothing is cached between runs of this script.
2. Runs every command and every floor as a whole process, with the venv's entry
   points (``.venv/bin/gapcli``, ``.venv/bin/python``; never a shim or the
   system python), ``GAPCLI_DB`` set to the temporary profile and ``NO_COLOR=1``,
   stdin, stdout and stderr on /dev/null (each command's output is checked once
   beforehand: exit 0, and ``--json`` output parses). hyperfine is not used (it
   is not installed here and reports no memory): a minimal spawner process
   (``python -I -S``, about 8.5 MiB) starts each child with ``posix_spawn`` and
   reaps it with ``os.wait4``, which gives the child's wall time
   (``time.perf_counter`` around spawn and reap) and its own peak memory
   (``ru_maxrss``; a child's figure starts at its spawner's peak, hence a
   minimal spawner rather than this script). Every round runs each case and
   each floor once, in a shuffled order, so load from other processes hits
   floors and cases alike; two warm-up rounds are dropped.
3. Times the planner alone on 1,000 / 10,000 / 100,000 generated topics with
   ``bench/planner.py``'s ``run()``.
4. Times the peers it finds (``bench/peers.py``: Watson's ``report -a`` and
   ``jrnl -n 10`` on 1,000 records of their own, in the same rounds), when their
   executables are in ``--peers-venv``'s bin or on PATH; ``--no-peers`` skips them.
5. Prints ``bench/plan_quality.py``'s table: what the built-in catalog's plans
   look like to a learner (hours, maths, crumbs; stored as ``plan_quality``).

How to read it: ``median ms`` and ``peak MiB`` are medians over the runs;
``x typer`` is the median over ``python -c "import typer"``'s (every row, peers
included, so they compare at a glance); ``floor`` names the yardstick of the row's
target, measured in the same rounds, and ``ratio`` is the case's median over the
floor's median; ``target`` is the most the ratio may be and ``MiB max`` the most
the peak memory may be (every read command: 30 MiB). ``result`` is PASS when
both hold, else says which failed; a peer has no target. The targets are issue
16's: the ``--json`` reads 1.5x ``import typer``, the rich tables 2.0x,
``log-progress`` 1.0x ``import typer, sqlmodel``, ``--help`` (and ``plan --help``)
1.3x, a Tab 2.5x ``import typer``, the planner 15x per 10x topics. The two
``gc on`` rows run ``gaps --json`` and ``history`` through the same entry point
with ``gapcli.cli.main``'s ``gc.disable()`` made a no-op: their ratio is what
that one pause saves (it stays only while this shows a gain). The two ``no fsrs
steps`` rows run ``gaps --json`` and ``today --json`` with a cache folder that
cannot keep FSRS's answers (``gapcli/services/steps_cache.py``): every run imports
``fsrs`` and asks it again, as a read does on a day whose plan asks a step no
earlier command asked; their floor is the same command with the answers kept.
The machine is noisy, so trust ratios more than absolute times, and look at
``spread`` (interquartile range over median, in ``results.json``) and the load
average printed at the end before believing a 5 % difference; ``paired_ratio`` in
``results.json`` (the median of the per-round ratios) is a second opinion. For the
planner rows, ``median ms`` is the best of ``make_plan`` at the larger size and
``floor`` the one at the size before, both with the collector paused as every gapcli
command runs it (the result cell gives the growth with it on too), so the ratio is
the growth per 10x topics
(its own table also shows a linear pass over the same data: the machine's own
growth for a 10x larger working set). The planner runs inside this process, so
its rows have no peak memory.

The results, with machine information and every case's sample summary, go to
``bench/results.json`` (``--json-out`` to change). The exit status is 0 even when
a target is missed: this is a measurement, not a test (``--strict`` exits 1).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

# The profile is built in a child (bench/heavy.py) and the planner (pydantic) is
# imported after the timings, so this script stays small while it waits.
BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent

WARMUP = 2
DEFAULT_RUNS = 21
QUICK_RUNS = 5
LOG_TOPIC = "rag-chunking-loaders"  # a topic on the heavy profile's track
PLANNER_TARGET = 15.0
# Issue 16's targets: ratios to floors measured in the same rounds, and peak memory.
JSON_TARGET = 1.5  # gaps/plan/history/today --json, x import typer
RICH_TARGET = 2.0  # gaps, plan --weeks 4, history (rich tables), x import typer
LOG_TARGET = 1.0  # log-progress, x import typer, sqlmodel
HELP_TARGET = 1.3  # --help and plan --help, x import typer
COMPLETION_TARGET = 2.5  # a Tab, x import typer
READ_MIB = 30.0  # peak memory of every read command
FLOOR_TYPER = "floor: import typer"
FLOOR_SQLMODEL = "floor: import typer, sqlmodel"


class Kind(Enum):
    """What a row is: a floor (the yardstick), a gapcli command, or a peer."""

    FLOOR = "floor"
    GAPCLI = "gapcli"
    PEER = "peer"
    GC = "gc"  # a gapcli command with the collector left on: what gapcli.cli.main's pause saves
    COLD = "cold"  # a gapcli command that must ask fsrs every time: what the steps cache saves


@dataclass
class Case:
    name: str
    argv: list[str]
    env: dict[str, str]
    floor: str | None = None
    target: float | None = None  # the most median / floor median may be
    mem_target: float | None = None  # the most the median peak (MiB) may be
    kind: Kind = Kind.GAPCLI
    times: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        ms = [t * 1000 for t in self.times]
        mib = [r / 1024 for r in self.rss_kib]
        q1, _, q3 = statistics.quantiles(ms, n=4) if len(ms) > 1 else (ms[0], 0, ms[0])
        med = statistics.median(ms)
        return {
            "argv": self.argv,
            "runs": len(ms),
            "median_ms": round(med, 2),
            "mean_ms": round(statistics.fmean(ms), 2),
            "min_ms": round(min(ms), 2),
            "max_ms": round(max(ms), 2),
            "q1_ms": round(q1, 2),
            "q3_ms": round(q3, 2),
            "stdev_ms": round(statistics.stdev(ms), 2) if len(ms) > 1 else 0.0,
            "spread": round((q3 - q1) / med, 3),
            "peak_mib_median": round(statistics.median(mib), 2),
            "peak_mib_max": round(max(mib), 2),
            "samples_ms": [round(x, 2) for x in ms],
        }


# The process that starts and reaps every timed child. A child's ru_maxrss starts at
# the high-water mark of the memory it was spawned from (posix_spawn shares the
# spawner's memory until exec, fork copies it), so the spawner is a separate,
# minimal interpreter (python -I -S, builtin modules only: about 8.5 MiB) instead of
# this script, which grows to tens of MiB. It reads the cases and the run order
# (marshal) on stdin and writes one line per run: index, seconds, peak KiB, exit code;
# then "end" and its own peak, the least any child can show.
SPAWNER = """
import marshal, os, sys, time
job = marshal.loads(sys.stdin.buffer.read())
null = os.devnull
acts = [(os.POSIX_SPAWN_OPEN, fd, null, os.O_RDONLY if fd == 0 else os.O_WRONLY, 0)
        for fd in (0, 1, 2)]
out = sys.stdout
for i in job["order"]:
    argv, env = job["cases"][i]
    began = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=acts)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - began
    out.write(f"{i} {elapsed!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\\n")
    out.flush()
# Its own high-water mark (what a child starts from). Not RUSAGE_SELF: that one
# kept the peak of the process that spawned this one.
peak = 0
try:
    with open("/proc/self/status") as fh:
        peak = int(next(x for x in fh if x.startswith("VmHWM:")).split()[1])
except (OSError, StopIteration, ValueError):
    pass
out.write(f"end {peak}\\n")
"""


def check_output(case: Case) -> None:
    """Run a case once with its output captured: it must succeed, and --json must parse."""
    done = subprocess.run(case.argv, env=case.env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{case.name}: exit {done.returncode}\n{done.stderr.strip()}")
    if "--json" in case.argv:
        json.loads(done.stdout)


def child_env(db: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GAPCLI_", "PYTHON")) and k not in ("COLUMNS", "LINES")
    }
    env["GAPCLI_DB"] = str(db)
    # The catalog cache beside the profile: warm after the checks, and never the
    # user's own cache folder.
    env["GAPCLI_CACHE_DIR"] = str(db.parent / "cache")
    env["NO_COLOR"] = "1"
    return env


# What bash's completion script sets for "gapcli log-progress la-<Tab>" (typer's mechanism).
COMPLETE_ENV = {
    "_GAPCLI_COMPLETE": "complete_bash",
    "COMP_WORDS": "gapcli log-progress la-",
    "COMP_CWORD": "2",
}


def make_cases(bin_dir: Path, heavy_db: Path, write_db: Path, log_target: str) -> list[Case]:
    py, gapcli = str(bin_dir / "python"), str(bin_dir / "gapcli")
    read_env, write_env = child_env(heavy_db), child_env(write_db)

    def read(name: str, args: list[str], target: float | None) -> Case:
        return Case(f"gapcli {name}", [gapcli, *args], read_env, FLOOR_TYPER, target, READ_MIB)

    return [
        Case("floor: python -c pass", [py, "-c", "pass"], read_env, kind=Kind.FLOOR),
        Case(FLOOR_TYPER, [py, "-c", "import typer"], read_env, kind=Kind.FLOOR),
        Case(FLOOR_SQLMODEL, [py, "-c", "import typer, sqlmodel"], read_env, kind=Kind.FLOOR),
        Case("gapcli --help", [gapcli, "--help"], read_env, FLOOR_TYPER, HELP_TARGET),
        Case("gapcli plan --help", [gapcli, "plan", "--help"], read_env, FLOOR_TYPER, HELP_TARGET),
        read("gaps --json", ["gaps", "--json"], JSON_TARGET),
        read("plan --json", ["plan", "--json"], JSON_TARGET),
        read("history --json", ["history", "--json"], JSON_TARGET),
        read("today --json", ["today", "--json"], JSON_TARGET),
        read("gaps", ["gaps"], RICH_TARGET),
        read("plan --weeks 4", ["plan", "--weeks", "4"], RICH_TARGET),
        read("history", ["history"], RICH_TARGET),
        read("roadmap --json", ["roadmap", "--json"], None),  # no time target: memory only
        Case(
            "gapcli log-progress",
            [gapcli, "log-progress", log_target, "--minutes", "30", "--note", "bench"],
            write_env,
            FLOOR_SQLMODEL,
            LOG_TARGET,
        ),
        # A shell asking for the ids after "gapcli log-progress la-" (Tab): the catalog is
        # loaded but no database is read.
        Case(
            "gapcli completion (Tab)",
            [gapcli],
            {**read_env, **COMPLETE_ENV},
            FLOOR_TYPER,
            COMPLETION_TARGET,
        ),
    ]


# gapcli's console script with gapcli.cli.main's gc.disable() made a no-op.
COLLECTING = (
    "import gc, sys; gc.disable = lambda: None; from gapcli.cli import main; "
    "sys.argv = ['gapcli', *sys.argv[1:]]; sys.exit(main())"
)


def gc_cases(bin_dir: Path, cases: list[Case]) -> list[Case]:
    """Two heavy reads again with the collector on; their floor is the same command paused."""
    py = str(bin_dir / "python")
    by_name = {c.name: c for c in cases}
    rows = []
    for name in ("gapcli gaps --json", "gapcli history"):
        paused = by_name[name]
        argv = [py, "-c", COLLECTING, *paused.argv[1:]]
        rows.append(Case(f"{name}, gc on", argv, paused.env, name, kind=Kind.GC))
    return rows


def cold_cases(cases: list[Case], folder: Path) -> list[Case]:
    """Two reads again with no FSRS answers kept; their floor is the same command with them.

    The cold cache folder has the catalog's cache file (copied from the warm one, so
    only the steps differ) and a folder where the steps file would go: it is never
    written, and every run asks fsrs afresh.
    """
    by_name = {c.name: c for c in cases}
    rows = []
    for name in ("gapcli gaps --json", "gapcli today --json"):
        warm = by_name[name]
        warm_dir = Path(warm.env["GAPCLI_CACHE_DIR"])
        cold_dir = folder / "cache-cold"
        if not cold_dir.exists():
            cold_dir.mkdir()
            for cached in warm_dir.glob("catalog-*.json"):
                shutil.copy2(cached, cold_dir / cached.name)
            (cold_dir / "fsrs-steps.json").mkdir()
        env = {**warm.env, "GAPCLI_CACHE_DIR": str(cold_dir)}
        rows.append(Case(f"{name}, no fsrs steps", warm.argv, env, name, kind=Kind.COLD))
    return rows


def peer_cases(folder: Path, venv: Path | None) -> list[Case]:
    """Watson and jrnl on their own copies of comparable data, if found (bench/peers.py)."""
    sys.path.insert(0, str(BENCH))
    import peers  # bench/peers.py

    base = child_env(folder / "none.db")
    del base["GAPCLI_DB"]
    return [
        Case(p.name, p.argv, p.env, FLOOR_TYPER, kind=Kind.PEER)
        for p in peers.build(folder, base, venv)
    ]


def measure(cases: list[Case], runs: int, seed: int, python: Path) -> float:
    """Run WARMUP + runs rounds, each case once per round in a shuffled order.

    Returns the spawner's own peak in MiB (no child's peak can read lower; 0 if unknown).
    """
    import marshal

    rng = random.Random(seed)
    order: list[int] = []
    for _ in range(WARMUP + runs):
        indices = list(range(len(cases)))
        rng.shuffle(indices)
        order += indices
    job = {"cases": [(c.argv, c.env) for c in cases], "order": order}
    proc = subprocess.Popen(
        [str(python), "-I", "-S", "-c", SPAWNER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=False,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(marshal.dumps(job))
    proc.stdin.close()
    spawner_kib = 0
    for n, line in enumerate(proc.stdout, start=1):
        fields = line.decode().split()
        if fields[0] == "end":
            spawner_kib = int(fields[1])
            break
        case = cases[int(fields[0])]
        if fields[3] != "0":
            proc.kill()
            raise SystemExit(f"{case.name}: {' '.join(case.argv)} exited with {fields[3]}")
        if n > WARMUP * len(cases):
            case.times.append(float(fields[1]))
            case.rss_kib.append(int(fields[2]))
        if n % (5 * len(cases)) == 0 or n == len(order):
            print(f"  {n // len(cases)}/{WARMUP + runs} rounds", file=sys.stderr, flush=True)
    if proc.wait() != 0:
        raise SystemExit(f"the spawner failed (exit {proc.returncode})")
    return spawner_kib / 1024


def copy_db(src: Path, dst: Path) -> None:
    """A consistent copy through SQLite's backup API (the header keeps WAL mode)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()
    dst.chmod(0o600)


def paired_ratio(case: Case, floor: Case) -> float:
    """Median over rounds of case/floor in the same round (a check on the ratio of medians)."""
    return statistics.median(c / f for c, f in zip(case.times, floor.times, strict=True))


def planner_rows(quick: bool) -> tuple[dict[int, Any], list[dict[str, Any]], int]:
    """bench/planner.py's figures, and its growth per 10x topics as table rows."""
    sys.path.insert(0, str(BENCH))
    import planner  # bench/planner.py (imports the catalog format, hence pydantic)

    repeats = 1 if quick else planner.REPEATS
    data = planner.run(planner.SIZES, repeats)
    rows = []
    # The growth is taken with the collector paused, as every gapcli command runs the
    # planner (gapcli.cli.main pauses it); with it on, the 10,000-topic plan measured
    # anywhere from the same time to twice as long from one run to the next, as the
    # collector's passes fell. That ratio is kept beside it ("gc_ratio").
    for small, big in itertools.pairwise(planner.SIZES):
        growth = data[big]["plan_nogc_s"] / data[small]["plan_nogc_s"]
        rows.append(
            {
                "case": f"planner {big:,} / {small:,} topics",
                "median_ms": round(data[big]["plan_nogc_s"] * 1000, 2),
                "floor_ms": round(data[small]["plan_nogc_s"] * 1000, 2),
                "ratio": round(growth, 2),
                "gc_ratio": round(data[big]["plan_s"] / data[small]["plan_s"], 2),
                "linear_ratio": round(data[big]["linear_s"] / data[small]["linear_s"], 2),
                "target": PLANNER_TARGET,
                "ok": growth <= PLANNER_TARGET,
                "measure": (
                    f"best of {repeats} make_plan calls in-process with the collector paused "
                    "(bench/planner.py)"
                ),
            }
        )
    return data, rows, repeats


def print_planner(data: dict[int, Any]) -> None:
    sys.path.insert(0, str(BENCH))
    import planner

    planner.print_table(data)


def fmt_row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        c.ljust(w) if i == 0 else c.rjust(w)
        for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    )


HEAD = [
    "case",
    "median ms",
    "x typer",
    "floor",
    "ratio",
    "target",
    "peak MiB",
    "MiB max",
    "result",
]


def print_table(rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [HEAD, *rows]) for i in range(len(HEAD))]
    print(fmt_row(HEAD, widths))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(fmt_row(r, widths))


def verdict(ratio: float | None, target: float | None, mib: float, mem: float | None) -> str:
    """PASS when every target the row has holds; else which one failed."""
    missed = []
    if target is not None and ratio is not None and ratio > target:
        missed.append("time")
    if mem is not None and mib > mem:
        missed.append("memory")
    return "FAIL " + "+".join(missed) if missed else "PASS"


def case_row(
    case: Case, by_name: dict[str, Case], harness_mib: float
) -> tuple[list[str], dict[str, Any]]:
    """One case's table cells and its entry in results.json."""
    s = case.summary()
    typer_ms = by_name[FLOOR_TYPER].summary()["median_ms"]
    entry: dict[str, Any] = {"case": case.name, "kind": case.kind.value, **s}
    entry["floor"] = case.floor
    entry["x_typer"] = round(s["median_ms"] / typer_ms, 3)
    mib = s["peak_mib_median"]
    peak = f"{mib:.1f}"
    if mib <= harness_mib + 0.25:
        entry["peak_note"] = f"at most the spawner's own peak ({harness_mib:.1f} MiB)"
        peak += "*"
    cells = [case.name, f"{s['median_ms']:.1f}", f"{entry['x_typer']:.2f}x"]
    if case.floor is None:
        return [*cells, "", "", "", peak, "", ""], entry
    floor = by_name[case.floor]
    fmed = floor.summary()["median_ms"]
    ratio = s["median_ms"] / fmed
    entry |= {
        "floor_median_ms": fmed,
        "ratio": round(ratio, 3),
        "paired_ratio": round(paired_ratio(case, floor), 3),
        "extra_ms": round(s["median_ms"] - fmed, 1),
        "peak_mib_over_floor": round(mib - floor.summary()["peak_mib_median"], 2),
        "target": case.target,
        "mem_target_mib": case.mem_target,
    }
    short = case.floor.removeprefix("floor: ")
    if case.kind is Kind.GC:
        short = "the same, gc paused"
    elif case.kind is Kind.COLD:
        short = "the same, steps kept"
    cells += [short, f"{ratio:.2f}x", f"<= {case.target}x" if case.target else "-"]
    cells += [peak, f"<= {case.mem_target:g}" if case.mem_target else "-"]
    if case.kind is Kind.PEER:
        cells.append("peer")
    elif case.kind is Kind.GC:
        cells.append("gc pause")
    elif case.kind is Kind.COLD:
        cells.append("steps kept")
    else:
        result = verdict(ratio, case.target, mib, case.mem_target)
        entry["ok"] = result == "PASS"
        cells.append(result)
    return cells, entry


TEAM_CACHE = BENCH / ".cache"  # the team store, built once (minutes) and reused


def team_scale(bin_dir: Path, runs: int) -> dict[str, Any]:
    """``bench/team_scale.py`` at issue 19's size: 5,000 learners x 200 sessions."""
    print(
        f"timing team gaps on 5,000 learners (bench/team_scale.py; the store is kept in "
        f"{TEAM_CACHE}, built on the first run)...",
        file=sys.stderr,
        flush=True,
    )
    done = subprocess.run(
        [
            str(bin_dir / "python"),
            str(BENCH / "team_scale.py"),
            "--venv",
            str(bin_dir.parent),
            "--runs",
            str(runs),
            "--store",
            str(TEAM_CACHE),
        ],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit("bench/team_scale.py failed")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def team_line(team: dict[str, Any]) -> str:
    """The team row: no PASS target but "a few seconds" (issue 19)."""
    store = team["store"]
    built = "reused" if team["reused"] else f"built in {team['build_s']:.0f} s"
    timings = "; ".join(
        f"{t['command']}: median {t['median_s']:.2f} s (min {t['min_s']:.2f}, "
        f"max {t['max_s']:.2f}, {t['runs']} runs)"
        for t in team["timings"]
    )
    return (
        f"team of {store['profiles']:,} learners x {team['sessions_each']} sessions "
        f"({store['sessions']:,} sessions, {store['mib']} MiB, {built}): {timings}; "
        f"peak {team['peak_mib']:.0f} MiB (target: a few seconds)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=None, help=f"rounds (default {DEFAULT_RUNS})")
    parser.add_argument("--quick", action="store_true", help="5 rounds, planner once per size")
    parser.add_argument("--no-planner", action="store_true", help="skip the planner sizes")
    parser.add_argument("--venv", type=Path, default=REPO / ".venv", help="venv to time")
    parser.add_argument("--json-out", type=Path, default=BENCH / "results.json")
    parser.add_argument("--seed", type=int, default=1, help="seed of the run order")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--peers-venv",
        type=Path,
        default=None,
        help="a venv holding td-watson and jrnl (else they are looked for on PATH)",
    )
    parser.add_argument("--no-peers", action="store_true", help="skip Watson and jrnl")
    parser.add_argument(
        "--no-team", action="store_true", help="skip the team of 5,000 (bench/team_scale.py)"
    )
    args = parser.parse_args()
    runs = args.runs or (QUICK_RUNS if args.quick else DEFAULT_RUNS)
    venv = args.venv.absolute()  # not resolve(): the venv's python is a symlink out of it
    bin_dir = venv / "bin"
    for exe in ("python", "gapcli"):
        if not (bin_dir / exe).exists():
            raise SystemExit(f"{bin_dir / exe} is missing; run 'make bench' (it installs it)")

    began = time.perf_counter()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="gapcli-bench-") as tmp:
        heavy_db, write_db = Path(tmp) / "heavy.db", Path(tmp) / "write.db"
        t0 = time.perf_counter()
        built = subprocess.run(
            [str(bin_dir / "python"), str(BENCH / "heavy.py"), str(heavy_db)],
            env=child_env(heavy_db),
            capture_output=True,
            text=True,
            check=False,
        )
        if built.returncode != 0:
            raise SystemExit(f"building the heavy profile failed:\n{built.stderr.strip()}")
        profile = json.loads(built.stdout)
        copy_db(heavy_db, write_db)
        build_s = time.perf_counter() - t0
        print(f"heavy profile: {profile} in {build_s:.1f} s", file=sys.stderr)

        cases = make_cases(bin_dir, heavy_db, write_db, LOG_TOPIC)
        cases += gc_cases(bin_dir, cases)
        if not args.no_peers:
            found = peer_cases(Path(tmp) / "peers", args.peers_venv)
            names = ", ".join(c.name.removeprefix("peer: ") for c in found) or "none found"
            print(f"peers: {names}", file=sys.stderr)
            cases += found
        for case in cases:
            check_output(case)  # also fills the warm cache folder: catalog and FSRS steps
        cold = cold_cases(cases, Path(tmp))
        for case in cold:
            check_output(case)
        cases += cold
        print(f"timing {len(cases)} commands, {runs} rounds (+{WARMUP} warm-up)", file=sys.stderr)
        harness_mib = measure(cases, runs, args.seed, bin_dir / "python")
        conn = sqlite3.connect(f"file:{write_db}?mode=ro", uri=True)
        try:
            write_sessions = conn.execute("SELECT count(*) FROM study_session").fetchone()[0]
        finally:
            conn.close()
    load_after = os.getloadavg()

    by_name = {c.name: c for c in cases}
    table: list[list[str]] = []
    results: list[dict[str, Any]] = []
    for case in cases:
        cells, entry = case_row(case, by_name, harness_mib)
        table.append(cells)
        results.append(entry)

    planner_data: dict[int, Any] = {}
    planner_repeats = 0
    if not args.no_planner:
        print("timing the planner (bench/planner.py)...", file=sys.stderr, flush=True)
        planner_data, prows, planner_repeats = planner_rows(args.quick)
        for row in prows:
            results.append(row)
            table.append(
                [
                    row["case"],
                    f"{row['median_ms']:.1f}",
                    "",
                    f"{row['floor_ms']:.1f} ms",
                    f"{row['ratio']:.1f}x",
                    f"<= {row['target']:g}x",
                    "-",
                    "-",
                    ("PASS" if row["ok"] else "FAIL time") + f" (gc on: {row['gc_ratio']:.1f}x)",
                ]
            )

    team: dict[str, Any] | None = None
    if not args.no_team:
        team = team_scale(bin_dir, runs=3 if args.quick else 5)

    print("measuring plan quality (bench/plan_quality.py)...", file=sys.stderr, flush=True)
    sys.path.insert(0, str(BENCH))
    import plan_quality  # bench/plan_quality.py: the built-in catalog's plans

    quality = plan_quality.run()

    spreads = [c.summary()["spread"] for c in cases]
    print()
    print_table(table)
    checked = [r for r in results if "ok" in r]
    passed = sum(r["ok"] for r in checked)
    failed = [r["case"] for r in checked if not r["ok"]]
    print(
        f"\n{passed} of {len(checked)} targets PASS"
        + (f"; FAIL: {', '.join(failed)}" if failed else "")
    )
    if not any(c.kind is Kind.PEER for c in cases) and not args.no_peers:
        print("peers: Watson and jrnl not found (--peers-venv PATH, or put them on PATH)")
    if planner_data:
        print("\nplanner alone (best of runs; x10 = growth per 10x topics):")
        print_planner(planner_data)
    if team is not None:
        print("\n" + team_line(team))
    print()
    plan_quality.print_table(quality)
    if any("peak_note" in r for r in results):
        print(f"* no more than the spawner's own peak ({harness_mib:.1f} MiB): an upper bound")
    noise = statistics.median(spreads)
    print(
        f"\nnoise: median spread (IQR/median) {noise:.1%}, worst {max(spreads):.1%}; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
        f"total {time.perf_counter() - began:.0f} s"
    )

    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "python": sys.version.split()[0],
            "venv": str(venv),
            "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in load_after],
        },
        "method": {
            "runs": runs,
            "warmup_rounds": WARMUP,
            "order": f"every round runs each case and floor once, shuffled (seed {args.seed})",
            "timer": "a minimal spawner (python -I -S): perf_counter around posix_spawn + "
            "os.wait4; peak = the child's ru_maxrss",
            "env": {"GAPCLI_DB": "<tmp>/heavy.db (log-progress: <tmp>/write.db)", "NO_COLOR": "1"},
            "peers": "bench/peers.py: 1,000 Watson frames / jrnl entries over two years, "
            "timed in the same rounds when found",
            "log_progress": "a copy of the heavy profile that accumulates one session per run "
            f"({write_sessions} sessions at the end)",
            "planner_repeats": planner_repeats,
            "spawner_peak_mib": round(harness_mib, 2),
        },
        "profile": {**profile, "build_s": round(build_s, 2)},
        "noise": {"median_spread": round(noise, 3), "worst_spread": round(max(spreads), 3)},
        "cases": results,
        "planner": {
            str(n): {k: round(v, 5) for k, v in row.items()} for n, row in planner_data.items()
        },
        "plan_quality": quality,
        "team_scale": team,
        "all_ok": all(r.get("ok", True) for r in results),
    }
    args.json_out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.json_out}")
    return 1 if args.strict and not report["all_ok"] else 0


if __name__ == "__main__":
    sys.exit(main())
