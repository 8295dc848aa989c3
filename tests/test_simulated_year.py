"""A learner's year, one simulated day after another, through the real CLI.

Hypothesis's stateful testing drives a learner (the built-in catalog, and the small
web-development example catalog) through 365 consecutive days with ``GAPCLI_TODAY``:
logs on topics and whole domains, in minutes, with notes, backfilled, with done marks;
assessments and math levels; edits, removals and undos; and long breaks, so the
measured pace falls toward zero and recovers. Every action is valid by construction
and must exit 0. At the end of every simulated day the plan must keep its five
guarantees (tests/plan_oracle.py) and the forecast is never a date in the past; the
other commands a learner reads (``gaps``, ``today``, ``history``, ``reviews``, every
export format, ``db check``) take turns, one a day, and must exit 0 with no traceback.

CI runs one year per catalog with a fixed seed; ``make test-slow`` runs more years
with fresh seeds (the ``slow`` hypothesis profile).
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import tempfile
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from plan_oracle import check_plan
from typer.testing import CliRunner

from gapcli.cli import app
from gapcli.resources import builtin_catalog_path
from gapcli.services.catalogs import load_catalog

YEAR = 365
FIRST_DAY = TODAY - timedelta(days=YEAR)
DAY_MINUTES = 24 * 60
WEBDEV = Path(__file__).resolve().parent.parent / "docs" / "examples" / "webdev.yaml"
# The reads take turns, one each simulated day: ten of them against a seven-day week,
# so each runs on every weekday and about 37 times a year. Running all of them every
# day made this test a third of CI's time. The first Sunday of each month adds the
# whole plan on screen and as a calendar (years long at half an hour a week, so the
# slowest reads); the turns show the next six weeks.
READS = (
    ("gaps",),
    ("today",),
    ("history",),
    ("reviews",),
    ("export", "-f", "markdown"),
    ("export", "-f", "json"),
    ("export", "-f", "csv"),
    ("db", "check"),
    ("plan", "--weeks", "6"),
    ("export", "-f", "ics", "--weeks", "6"),
)
MONTHLY_READS = (("plan",), ("export", "-f", "ics"))
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# What a learner does on a day, weighted: mostly logging.
ACTIONS = ["log"] * 5 + ["assess", "assess", "edit", "remove", "undo"]


class LearnerYear(RuleBasedStateMachine):
    """One learner, one database, one simulated year."""

    catalog_file: Path | None = None

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="gapcli-year-"))
        self.db = self.folder / "gapcli.db"
        self.day = FIRST_DAY
        self.runner = CliRunner()
        source = self.catalog_file or builtin_catalog_path()
        self.catalog = load_catalog(source).catalog
        self.days_checked = 0
        self.topics = sorted(self.catalog.topic_by_id)
        self.rng = random.Random(0)  # replaced by the drawn one in start()

    # -- running gapcli on the simulated day -----------------------------------------------

    def run(self, *args: str, on: date | None = None) -> Any:
        env = {
            "GAPCLI_DB": str(self.db),
            "GAPCLI_CATALOG": None,
            "GAPCLI_TODAY": (on or self.day).isoformat(),
            "NO_COLOR": "1",
            "COLUMNS": "120",
        }
        return self.runner.invoke(app, list(args), env=env)

    def ok(self, *args: str) -> Any:
        """A valid command: exit 0, no traceback, nothing from the last-resort handler."""
        result = self.run(*args)
        shown = f"{self.day} gapcli {' '.join(args)!r}: exit {result.exit_code}\n"
        shown += f"{result.stderr[-600:]}{result.exception!r}"
        assert result.exit_code == 0, shown
        assert result.exception is None or isinstance(result.exception, SystemExit), shown
        assert "Traceback" not in result.stdout + result.stderr, shown
        assert "unexpected" not in result.stderr, shown
        return result

    def query(self, sql: str, *args: object) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)) as conn:
            return conn.execute(sql, args).fetchall()

    def day_minutes(self, day: date) -> int:
        rows = self.query(
            "SELECT COALESCE(SUM(minutes), 0) FROM study_session"
            " WHERE day = ? AND removed_at IS NULL",
            day.isoformat(),
        )
        return int(rows[0][0])

    def live_sessions(self) -> list[tuple[int, date, int]]:
        rows = self.query("SELECT id, day, minutes FROM study_session WHERE removed_at IS NULL")
        return [(i, date.fromisoformat(d), m) for i, d, m in rows]

    # -- the learner's actions (each valid by construction) ----------------------------------

    @initialize(rng=st.randoms(use_true_random=True))
    def start(self, rng: random.Random) -> None:
        """A learner with their own week; ``rng`` then decides every day of their year.

        Hypothesis runs the simplest example first, and CI runs one year per catalog:
        with each choice drawn from hypothesis, that one year would be the simplest
        learner (nothing logged, ever). A seeded ``random.Random`` that hypothesis
        draws makes even the first example a varied year; its seed is in the report.
        """
        self.rng = rng
        days = rng.sample(WEEKDAYS, rng.randint(1, 7))
        weekly = rng.choice([0.5, 1, 2, 4, 6, 6, 10, 20])
        args = ["init", "--weekly-hours", f"{weekly:g}", "--study-days", ",".join(days)]
        if self.catalog.tracks:
            args += ["--track", rng.choice(self.catalog.tracks).id]
        if self.catalog_file is not None:
            args = ["--catalog", str(self.catalog_file), *args]
        self.ok(*args)

    def _target(self) -> tuple[str, bool]:
        """A topic or a whole domain of the catalog, named by id or by name."""
        if self.rng.random() < 0.25:
            domain = self.rng.choice(self.catalog.domains)
            return self.rng.choice([domain.id, domain.name]), False
        return self.rng.choice(self.topics), True

    def _note(self) -> str | None:
        if self.rng.random() < 0.6:
            return None
        if self.rng.random() < 0.5:
            return self.rng.choice(["chapter 3", "", "é | *bold* [x](y)", "\x1b[2J", "a\nb"])
        return "".join(chr(self.rng.randint(32, 0x2FFF)) for _ in range(self.rng.randint(1, 30)))

    def log(self) -> None:
        back = self.rng.choice([0] * 6 + [1, 2, 6, 13, 30])
        day = self.day - timedelta(days=back)
        room = DAY_MINUTES - self.day_minutes(day)
        if room < 5:
            return
        what, is_topic = self._target()
        minutes = self.rng.randint(5, min(room, 240))
        args = ["log-progress", what]
        if minutes % 15 == 0 and self.rng.random() < 0.5:
            args += ["--hours", f"{minutes / 60:g}"]
        else:
            args += ["--minutes", str(minutes)]
        if back:
            args += ["--date", day.isoformat()]
        note = self._note()
        if note is not None:
            args += ["--note", note]
        if is_topic and self.rng.random() < 0.2:
            args = (
                ["log-progress", what, "--done"] if self.rng.random() < 0.3 else [*args, "--done"]
            )
        self.ok(*args)

    def assess(self) -> None:
        if self.catalog.math_levels and self.rng.random() < 0.2:
            self.ok("assess", "--math-level", self.rng.choice(self.catalog.math_levels).id)
            return
        domain = self.rng.choice(self.catalog.domains)
        current = self.rng.randint(0, 100)
        target = self.rng.randint(current, 100)
        self.ok("assess", domain.id, "--current", str(current), "--target", str(target))

    def edit(self) -> None:
        sessions = self.live_sessions()
        if not sessions:
            return
        session_id, day, minutes = self.rng.choice(sessions)
        choice = self.rng.choice(["minutes", "date", "note"])
        if choice == "minutes":
            room = DAY_MINUTES - (self.day_minutes(day) - minutes)
            new = self.rng.randint(1, min(room, 300))
            self.ok("history", "edit", str(session_id), "--minutes", str(new))
        elif choice == "date":
            new_day = self.day - timedelta(days=self.rng.randint(0, 20))
            if new_day != day and self.day_minutes(new_day) + minutes <= DAY_MINUTES:
                self.ok("history", "edit", str(session_id), "--date", new_day.isoformat())
        else:
            self.ok("history", "edit", str(session_id), "--note", self._note() or "edited")

    def remove(self) -> None:
        sessions = self.live_sessions()
        if sessions:
            self.ok("history", "remove", str(self.rng.choice(sessions)[0]), "--yes")

    def undo(self) -> None:
        self.ok("undo", "--yes")

    @rule()
    def live_a_day(self) -> None:
        """A few things done today; the day ends, is checked, and the next study day comes.

        Mostly the next day, sometimes a few days off, now and then a break of weeks
        (the measured pace falls toward zero, then recovers).
        """
        for _ in range(self.rng.choice([0, 1, 1, 2, 2, 3, 4])):
            getattr(self, self.rng.choice(ACTIONS))()
        roll = self.rng.random()
        days_on = (
            1
            if roll < 0.75
            else 2
            if roll < 0.9
            else 3
            if roll < 0.975
            else 7 * self.rng.randint(2, 6)
        )
        for _ in range(days_on):
            if self.day >= TODAY:
                return
            self.check_day()
            self.day += timedelta(days=1)

    # -- what must hold every simulated day ----------------------------------------------------

    def check_day(self) -> None:
        self.ok(*READS[self.day.toordinal() % len(READS)])
        if self.day.weekday() == 6 and self.day.day <= 7:
            for args in MONTHLY_READS:
                self.ok(*args)
        plan = json.loads(self.ok("plan", "--json").stdout)
        assert plan["start"] == self.day.isoformat()
        for outlook in (
            plan["forecast"],
            json.loads(self.ok("gaps", "--json").stdout)["forecast"],
        ):
            if outlook["finish"] is not None:
                assert date.fromisoformat(outlook["finish"]) >= self.day, (self.day, outlook)
            else:
                assert outlook["reason"], outlook
        self.check_guarantees()
        self.days_checked += 1

    def check_guarantees(self) -> None:
        from gapcli.services.planning import PlanRequest, build_plan
        from gapcli.services.workspace import Workspace

        snap, plan = build_plan(
            Workspace(db_option=self.db), PlanRequest(start=self.day, today=self.day)
        )
        check_plan(snap.catalog, snap.state, plan.settings, plan)

    @invariant()
    def never_in_the_future(self) -> None:
        if self.db.exists():
            latest = self.query("SELECT MAX(day) FROM study_session WHERE removed_at IS NULL")
            assert latest[0][0] is None or date.fromisoformat(latest[0][0]) <= self.day

    def teardown(self) -> None:
        """However the steps fell, the learner lives every day of the year, quiet to the end."""
        try:
            if self.db.exists():
                while self.day <= TODAY:
                    self.check_day()
                    self.day += timedelta(days=1)
                assert self.days_checked >= YEAR
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


class WebDevYear(LearnerYear):
    catalog_file = WEBDEV


SLOW = settings.get_current_profile_name() == "slow"
YEAR_SETTINGS = settings(
    max_examples=5 if SLOW else 1,
    derandomize=not SLOW,
    stateful_step_count=250,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize("machine", [LearnerYear, WebDevYear], ids=["builtin", "webdev"])
def test_a_year_of_simulated_days(machine: type[LearnerYear]) -> None:
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(machine, settings=YEAR_SETTINGS)
