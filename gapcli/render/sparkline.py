"""A sparkline: one Unicode block per value, drawn with rich only."""

from __future__ import annotations

from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float]) -> str:
    """One block per value, the lowest value lowest and the highest highest.

    Scaled from the smallest value to the largest, as sparklines are: a line
    of weeks between 202 h and 210 h scaled from zero would be a flat row of
    full blocks. The caller prints the numbers beside it, so the scale is never
    mistaken for one from zero. Equal values draw a flat middle line.
    """
    if not values:
        return ""
    low, high = min(values), max(values)
    top = len(BLOCKS) - 1
    if high - low <= 1e-9:
        return BLOCKS[top // 2] * len(values)
    return "".join(BLOCKS[round((v - low) / (high - low) * top)] for v in values)
