"""Numbers as people read them: 80 not 80.0, 6.5 not 6.499999."""

from __future__ import annotations


def num(value: float, digits: int = 1) -> float | int:
    """``value`` rounded for reading, a tie going away from zero.

    64.65 h is held as 64.64999999999999 when it is a sum of minutes; rounded
    plainly it prints 64.6 beside a 64.7 of the same hours summed otherwise.
    The nudge is far below any figure gapcli shows.
    """
    nudge = 1e-9 if value >= 0 else -1e-9
    rounded = round(value + nudge, digits)
    return int(rounded) if rounded == int(rounded) else rounded
