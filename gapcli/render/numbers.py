"""Numbers as people read them: 80 not 80.0, 6.5 not 6.499999."""

from __future__ import annotations


def num(value: float, digits: int = 1) -> float | int:
    rounded = round(value, digits)
    return int(rounded) if rounded == int(rounded) else rounded


def hours(value: float) -> str:
    return f"{num(value)} h"
