"""History as a terminal view: sessions, a study-day heatmap and weekly hours.

Its JSON is in ``json_data``. Everything here fits the terminal's width: the
session table drops its notes before it would cut a date or an id, and turns
into lines (wrapped between words) when even that is too wide.
"""

from __future__ import annotations

from collections.abc import Sequence

from gapcli.domain.words import plural
from gapcli.render.grid import Grid, Justify, fitting
from gapcli.render.heatmap_view import heatmap_lines
from gapcli.render.numbers import num
from gapcli.render.shared import pace_sentence
from gapcli.render.styled import Styled, print_lines, say, width, wrap
from gapcli.render.terminal import line
from gapcli.views.history import History, SessionRow

BAR = 24
SHOWN = 50


def print_history(view: History) -> None:
    room = width()
    start, end = view.range
    scope = f" in {view.domain}" if view.domain else ""
    if start is None:
        say(f"No sessions logged{scope} up to {end.isoformat()}.")
    else:
        count = len(view.sessions)
        # isoformat, not %Y: year 1 (history --since 0001-01-01) prints as 0001.
        span_ = f"from {start.isoformat()} to {end.isoformat()}"
        say(f"Sessions{scope} {span_}: {count}")
    if view.sessions:
        shown = view.sessions[-SHOWN:]
        if len(view.sessions) > SHOWN:
            say(f"(the last {SHOWN} of {len(view.sessions)} sessions; use --json for all)")
        grid = fitting(lambda dropped: _sessions(shown, dropped), ["note"], room)
        if grid is not None:
            print_lines(grid.lines(room))
        else:
            _session_lines(shown)
    for text in heatmap_lines(view.minutes_by_day, view.away, view.today, room, scope):
        say(text, room)
    _weekly(view, room)
    say(f"Streak: {plural(view.streak, 'study day')}.")
    say(pace_sentence(view.pace, view.pace_weeks, view.pace_not_yet))
    if view.progress:
        say("% over time:")
    for domain, points in view.progress.items():
        line(f"  {domain}: " + " -> ".join(f"{num(c)}% ({d:%m-%d})" for d, c in points[-6:]))


def _sessions(rows: Sequence[SessionRow], dropped: frozenset[str]) -> Grid:
    grid = Grid()
    grid.add_column("id", justify=Justify.RIGHT)
    grid.add_column("date")
    grid.add_column("topic / domain", wraps=True)
    grid.add_column("h", justify=Justify.RIGHT)
    note = "note" not in dropped
    if note:
        grid.add_column("note", wraps=True, min_width=12)
    for s in rows:
        grid.add_row(
            str(s.id),
            f"{s.day:%Y-%m-%d}",
            s.topic or s.domain + " (domain)",
            f"{num(s.hours, 2)}",
            *([s.note or ""] if note else []),
        )
    return grid


def _session_lines(rows: Sequence[SessionRow]) -> None:
    """Each session on its own lines: for terminals too narrow for the table."""
    for s in rows:
        what = s.topic or s.domain + " (domain)"
        line(f"#{s.id} {s.day:%Y-%m-%d} {num(s.hours, 2)} h {what}")
        if s.note:
            line(f"    {s.note}")


def _weekly(view: History, room: int) -> None:
    """Hours per week as bars, as long as the terminal leaves room for."""
    peak = max((h for _, h in view.weekly), default=0.0) or 1.0
    labels = [f"{num(h)}" for _, h in view.weekly]
    wide = room >= 2 + 10 + 2 + BAR + 1 + max(map(len, labels), default=1) + 20
    bar = BAR if wide else max(4, min(BAR, room - 2 - 10 - 2 - 1 - 6 - 2))
    lines = [Styled("Hours per week:")]
    for (week, hours), label in zip(view.weekly, labels, strict=True):
        partial = week > view.pace_weeks[1]
        note = ("  (this week, so far)" if wide else " *") if partial else ""
        lines.append(
            Styled(f"  {week:%Y-%m-%d}  {'█' * round(hours / peak * bar):<{bar}} {label}{note}")
        )
    if view.weekly and view.weekly[-1][0] > view.pace_weeks[1] and not wide:
        lines.append(Styled("  * this week, so far"))
    print_lines([piece for one in lines for piece in wrap(one, room)])
