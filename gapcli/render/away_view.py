"""``gapcli away list``: the live away ranges, as lines or JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gapcli.domain.away import AwayRange
from gapcli.domain.words import plural
from gapcli.render.terminal import line


def one_line_note(note: str | None, width: int = 60) -> str:
    """A note on one line, shortened: a list shows every range on its own line."""
    if not note:
        return ""
    flat = " ".join(note.split())
    return flat[:width] + ("…" if len(flat) > width else "")


def away_json(ranges: Sequence[AwayRange]) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "start": r.start.isoformat(),
            "end": r.end.isoformat(),
            "days": r.days,
            "note": r.note,
        }
        for r in ranges
    ]


def print_away(ranges: Sequence[AwayRange]) -> None:
    if not ranges:
        line("No away days. Add some with: gapcli away add START [END] --note TEXT")
        return
    line(f"{'ID':>4}  {'START':<10}  {'END':<10}  {'DAYS':>4}  NOTE")
    for r in ranges:
        note = one_line_note(r.note)
        line(f"{r.id:>4}  {r.start:%Y-%m-%d}  {r.end:%Y-%m-%d}  {r.days:>4}  {note}".rstrip())
    total = sum(r.days for r in ranges)
    line(f"{plural(len(ranges), 'range')}, {plural(total, 'day')} away.")
