"""Issue 17's simulated year with reviews, on a shorter span: the guarantees hold.

bench/review_year.py runs the demo learner day after day through the CLI: each
study day the plan's reviews (rated from the card's retrievability, seeded) and
then its new study. Here it runs 105 days with a fixed seed (a few seconds), and
once more with ``review-share 0`` as the control. The full year's figures are in
the README ("Reviews").
"""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "review_year.py"
DAYS = 105  # the demo learner's plan still has new study on its last day
SEED = 17


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("review_year", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return _bench()


@pytest.fixture(scope="module")
def year(bench: ModuleType) -> Any:
    return bench.simulate(DAYS, SEED)


@pytest.fixture(scope="module")
def control(bench: ModuleType) -> Any:
    return bench.simulate(DAYS, SEED, share=0)


def test_the_learner_reviews_from_the_plan(year: Any) -> None:
    """The span is inside the plan (new study goes on), so every review was planned."""
    assert len(year.reviews) > 20
    assert all(r.planned for r in year.reviews)
    assert year.last_study_day() > year.start + timedelta(days=DAYS - 14)


def test_review_minutes_never_exceed_the_share(year: Any) -> None:
    assert year.cap == 30  # the demo: 6 h over 3 study days, 25 %
    by_day = year.review_minutes_by_day()
    assert max(by_day.values()) <= year.cap
    assert all(r.day.weekday() in (0, 2, 5) for r in year.reviews)  # study days only


def test_the_backlog_does_not_grow(year: Any) -> None:
    """The last month's most due-but-unreviewed cards is no more than the first two
    months' plus 2.

    More cards are finished as the span goes on, so some growth of what falls due
    is expected; the plan answers it by slowing new study, not by leaving reviews
    undone. The margin of 2 is one study day's reviews at the cap (30 min: three
    of the shortest, or two of a usual 10 to 20 minutes) lagging a few days; a
    backlog that grew with the cards would exceed it.
    """
    counts = [year.due_count[year.start + timedelta(days=i)] for i in range(DAYS)]
    assert max(counts[-30:]) <= max(counts[:60]) + 2


def test_new_study_slows_instead(year: Any, control: Any) -> None:
    """Reviews take their time from new study: the learner with reviews has studied less."""
    assert not control.reviews
    assert sum(year.study_minutes.values()) < sum(control.study_minutes.values())


def test_every_rating_is_one_of_the_four(year: Any, bench: ModuleType) -> None:
    assert {r.rating for r in year.reviews} <= set(bench.RATINGS)
    assert all(0 < r.retrievability <= 1 for r in year.reviews)


def test_export_import_keeps_every_review(year: Any, bench: ModuleType, tmp_path: Path) -> None:
    last = year.start + timedelta(days=DAYS - 1)
    me = bench.Learner(year.folder, 0)
    backup = tmp_path / "backup.json"
    me.run(last, "export", "-o", str(backup))
    document = json.loads(backup.read_text(encoding="utf-8"))
    stored = [r for r in document["records"]["reviews"] if r["kind"] == "review"]
    assert len(stored) == len(year.reviews)
    assert {r["rating"] for r in stored} <= {1, 2, 3, 4}
    copy = bench.Learner(tmp_path / "copy", 0)
    copy.run(last, "--db", str(tmp_path / "copy.db"), "import", str(backup))
    before = me.run(last, "reviews", "--all", "--json")
    after = copy.run(last, "--db", str(tmp_path / "copy.db"), "reviews", "--all", "--json")
    assert json.loads(after) == json.loads(before)
    assert len(json.loads(before)) == len(year.finished)
