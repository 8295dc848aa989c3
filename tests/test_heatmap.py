"""The heatmap's buckets and the sparkline's blocks, tested without the CLI."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from gapcli.domain.heatmap import LEVELS, DayKind, heatmap, level_bounds, level_of
from gapcli.render.sparkline import BLOCKS, sparkline

DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
LOG = st.dictionaries(
    st.integers(0, 400).map(lambda n: date(2026, 1, 1) + timedelta(days=n)),
    st.integers(1, 600),
    max_size=60,
)


@given(LOG, DAYS, st.integers(1, 60), st.frozensets(DAYS, max_size=10))
def test_every_day_once_monday_first_today_last_column(
    log: dict[date, int], today: date, weeks: int, away: frozenset[date]
) -> None:
    grid = heatmap(log, away, today, weeks)
    days = [cell.day for column in grid.columns for cell in column]
    assert len(grid.columns) == weeks
    assert days == [grid.first + timedelta(days=n) for n in range(7 * weeks)]
    assert grid.first.weekday() == 0 and grid.first <= today <= grid.last
    assert grid.last - today < timedelta(days=7)
    for column in grid.columns:
        for cell in column:
            if cell.day > today:
                assert cell.kind is DayKind.FUTURE and cell.minutes == 0
            elif log.get(cell.day, 0) > 0:
                assert cell.kind is DayKind.STUDY and 1 <= cell.level <= LEVELS
            else:
                assert cell.level == 0
                assert cell.kind is (DayKind.AWAY if cell.day in away else DayKind.NONE)


@given(st.lists(st.integers(0, 600), max_size=200), st.integers(0, 600), st.integers(0, 600))
def test_more_minutes_never_a_lighter_shade(minutes: list[int], a: int, b: int) -> None:
    bounds = level_bounds(minutes)
    low, high = sorted((a, b))
    assert level_of(low, bounds) <= level_of(high, bounds)
    assert (level_of(low, bounds) == 0) == (low == 0)


def test_a_lone_long_day_does_not_wash_out_the_others() -> None:
    """Quartiles, not a share of the maximum: one 10-hour day leaves contrast for the rest."""
    minutes = [20, 30, 40, 60, 600]
    bounds = level_bounds(minutes)
    assert len({level_of(m, bounds) for m in minutes}) >= 3


@given(st.lists(st.floats(0, 10_000, allow_nan=False), max_size=40))
def test_sparkline_one_block_per_value_in_order(values: list[float]) -> None:
    line = sparkline(values)
    assert len(line) == len(values) and set(line) <= set(BLOCKS)
    ranked = sorted(zip(values, (BLOCKS.index(c) for c in line), strict=True))
    assert [rank for _, rank in ranked] == sorted(rank for _, rank in ranked)  # never lower
    if values and max(values) > min(values) + 1e-6:
        assert BLOCKS[0] in line and BLOCKS[-1] in line
