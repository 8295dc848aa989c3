"""The study-day heatmap of ``gapcli history``: seven rows, a column per week."""

from __future__ import annotations

from datetime import date

from gapcli.domain.calendar import span
from gapcli.domain.heatmap import DayKind, HeatDay, Heatmap, heatmap
from gapcli.domain.pace import week_start
from gapcli.render.styled import Styled

WEEKS = 26  # half a year, when the terminal is wide enough
MIN_WEEKS = 4  # a new learner's grid still looks like one
LABEL = 4  # "Mon "
SHADES = ("·", "░", "▒", "▓", "█")  # no study, then levels 1..4
STYLES = ("dim", "green", "green", "bold green", "bold green")
AWAY = "×"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# English month names, whatever the locale (strftime's %b follows it).
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def layout(room: int, wanted: int = WEEKS) -> tuple[int, int]:
    """Weeks shown and columns per week for ``room`` columns: a spaced grid when it fits."""
    wanted = max(MIN_WEEKS, min(WEEKS, wanted))
    if room >= LABEL + 2 * wanted:
        return wanted, 2
    return max(MIN_WEEKS, min(wanted, room - LABEL)), 1


def heatmap_lines(
    minutes_by_day: dict[date, int],
    away: frozenset[date],
    today: date,
    room: int,
    scope: str = "",
) -> list[Styled]:
    """The heatmap for ``room`` columns: title, months, seven day rows, legend.

    It starts at the week of the first study day when that is less than half a
    year ago (a learner of six weeks sees six columns, not twenty empty ones),
    and is not drawn before any study at all.
    """
    studied = [d for d, m in minutes_by_day.items() if m > 0 and d <= today]
    if not studied:
        return []
    since = (week_start(today) - week_start(min(studied))).days // 7 + 1
    weeks, step = layout(room, since)
    grid = heatmap(minutes_by_day, away, today, weeks)
    lines = [Styled(f"Study days{scope}, {grid.first:%Y-%m-%d} to {today:%Y-%m-%d}:")]
    lines.append(Styled(_months(grid, step)))
    for row, name in enumerate(DAYS):
        text = Styled(f"{name} ")
        for column in grid.columns:
            text.append(*_cell(column[row]))
            if step == 2:
                text.append(" ")
        lines.append(text.slice(0, len(text.plain.rstrip())))
    lines.extend(_legend(grid))
    return lines


def _cell(day: HeatDay) -> tuple[str, str]:
    if day.kind is DayKind.FUTURE:
        return " ", ""
    if day.kind is DayKind.AWAY:
        return AWAY, "yellow"
    return SHADES[day.level], STYLES[day.level]


def _months(grid: Heatmap, step: int) -> str:
    """Month names over the week their first day falls in, where they do not collide."""
    row = [" "] * (LABEL + step * len(grid.columns))
    free = LABEL
    for n, column in enumerate(grid.columns):
        first = next((d.day for d in column if d.day.day == 1), None)
        at = LABEL + step * n
        if n == 0:
            first = column[0].day  # the grid starts mid-month: name that month too
        if first is None or at < free or at + 3 > len(row):
            continue
        row[at : at + 3] = MONTHS[first.month - 1]
        free = at + 4
    return "".join(row).rstrip()


def _legend(grid: Heatmap) -> list[Styled]:
    key = Styled("less ")
    for level, shade in enumerate(SHADES):
        key.append(shade, STYLES[level])
        key.append(" ")
    key.append("more, ")
    key.append(AWAY, "yellow")
    key.append(" away")
    lines = [key]
    if grid.bounds:
        lines.append(Styled(f"{SHADES[-1]} is {span(grid.bounds[-1])} or more in a day"))
    return lines
