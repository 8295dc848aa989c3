"""The team commands in the terminal: gaps, matrix, coverage and trend.

Tables fit the terminal as ``gaps``' does (:func:`gapcli.render.fit.fitting`
drops the least needed columns; a matrix too wide for any table becomes one
line per learner, wrapped between words). Every learner, domain and topic
name goes through :func:`gapcli.render.terminal.safe` or ``line``: a profile
name is whatever a team lead typed or imported.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from gapcli.domain.team import Holding, MatrixCell
from gapcli.domain.words import plural
from gapcli.render.fit import fitting, width
from gapcli.render.numbers import num
from gapcli.render.sparkline import sparkline
from gapcli.render.terminal import line, out, safe
from gapcli.views.team import (
    TeamCoverageView,
    TeamGapsView,
    TeamMatrixView,
    TeamScope,
    TeamTrendView,
)

MET = "✓"  # a cell at target says so in text, not only in green


def scope_lines(scope: TeamScope) -> list[str]:
    """What the reader must know to read the numbers: mixed catalogs are matched by id."""
    if not scope.mixed:
        return []
    names = ", ".join(scope.catalogs)
    return [
        f"Members use {len(scope.catalogs)} catalogs ({names}): domains and topics are "
        "matched by id, and a learner counts only in the domains their own catalog has."
    ]


def _empty(scope: TeamScope) -> bool:
    if scope.members:
        return False
    line("No learners in this store yet: add profiles to see the team.")
    return True


def _table(title: str) -> Table:
    return Table(
        title=safe(title),
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )


def _on(scope: TeamScope) -> str:
    return f" on track {scope.track}" if scope.track else ""


# --- gaps ---------------------------------------------------------------------------

_GAP_COLUMNS = ("domain", "met", "mean", "median", "hours")


def print_team_gaps(view: TeamGapsView) -> None:
    """Per domain, largest total gap first: learners at target of all, mean, median, hours."""
    scope = view.scope
    if _empty(scope):
        return
    if not view.rows:
        line(f"No domains to show{_on(scope)}: no learner has any of its domains.")
        return
    title = f"Team gaps{_on(scope)}, {plural(scope.members, 'learner')}, largest first"
    table = fitting(lambda dropped: _gap_table(view, title, dropped), ["median", "mean"])
    if isinstance(table, Table):
        out().print(table)
    else:
        for r in view.rows:
            line(
                f"{r.name}: {r.at_target} of {plural(r.learners, 'learner')} at target, "
                f"median {num(r.median_current)}%, {num(r.total_gap_hours)} h"
            )
    line(
        "met: learners at their target of those who have the domain; mean and median: "
        "their current %; hours: the whole team's hours to close the gaps."
    )
    line(f"Total: {num(view.total_hours)} h of study for the team to close every gap.")
    if any(r.assessed < r.learners for r in view.rows):
        line("Learners who never assessed a domain count from 0 %, as gaps counts them.")
    for text in scope_lines(scope):
        line(text)


def _gap_table(view: TeamGapsView, title: str, dropped: Collection[str]) -> Table:
    table = _table(title)
    shown = [c for c in _GAP_COLUMNS if c not in dropped]
    for column in shown:
        if column == "domain":
            table.add_column(column, overflow="fold", min_width=12)
        else:
            table.add_column(column, justify="right", no_wrap=True)
    for r in view.rows:
        cells: dict[str, Text | str] = {
            "domain": safe(r.name),
            "met": f"{r.at_target}/{r.learners}",
            "mean": f"{num(r.mean_current)}%",
            "median": f"{num(r.median_current)}%",
            "hours": f"{num(r.total_gap_hours)}",
        }
        table.add_row(*(cells[c] for c in shown))
    return table


# --- matrix -------------------------------------------------------------------------


def cell_text(cell: MatrixCell | None) -> str:
    """A cell in words: current/target %, ✓ at target, - when the learner lacks the domain."""
    if cell is None:
        return "-"
    mark = f" {MET}" if cell.at_target else ""
    return f"{num(cell.current)}/{cell.target}{mark}"


def print_team_matrix(view: TeamMatrixView) -> None:
    """Learners × domains; one line per learner where even a bare table is too wide."""
    scope = view.scope
    if _empty(scope):
        return
    matrix = view.matrix
    if not matrix.domains:
        line(f"No domains to show{_on(scope)}: no learner has any of its domains.")
        return
    title = f"Team matrix{_on(scope)}: current/target % by learner"
    table = fitting(lambda _: _matrix_table(view, title), [])
    if isinstance(table, Table):
        out().print(shared_out(table, width()))
    else:
        line(title.replace(": ", ", ", 1) + ":")
        for row in matrix.rows:
            cells = "; ".join(  # "85/80✓": a wrapped line never parts a cell from its mark
                f"{d.name} {cell_text(c).replace(' ', '')}"
                for d, c in zip(matrix.domains, row.cells, strict=True)
            )
            line(f"{row.name}: {cells}")
    line(f"Each cell: current/target %; {MET} at target; - not in their catalog or track.")
    for text in scope_lines(scope):
        line(text)


def _matrix_table(view: TeamMatrixView, title: str) -> Table:
    table = _table(title)
    table.add_column("learner", overflow="fold", min_width=8)
    for n, d in enumerate(view.matrix.domains):  # a cell never wraps: its ✓ stays beside it
        widest = max((len(cell_text(row.cells[n])) for row in view.matrix.rows), default=1)
        table.add_column(safe(d.name), justify="right", overflow="fold", min_width=widest)
    for row in view.matrix.rows:
        cells: list[Text] = [safe(row.name)]
        for c in row.cells:
            style = "dim" if c is None else "green" if c.at_target else "yellow"
            cells.append(Text(cell_text(c), style=style, no_wrap=True))
        table.add_row(*cells)
    return table


def shared_out(table: Table, room: int) -> Table:
    """``table`` with each column's width fixed so that all fit ``room`` whole.

    With several wrapping columns rich shrinks them evenly, below the longest
    word of some, then widens those back past the room and cuts the last
    column ("fou" for "foundations"). Here every column gets its least whole
    width (set by :func:`gapcli.render.fit.fitting`) and the room left is
    shared in proportion to what each would take beyond it.
    """
    from rich.measure import Measurement

    console = out()
    options = console.options.update_width(10_000)
    least = [c.min_width or 0 for c in table.columns]
    most = [
        max(
            least[n], *(Measurement.get(console, options, x).maximum for x in [c.header, *c.cells])
        )
        for n, c in enumerate(table.columns)
    ]
    overhead = Measurement.get(console, options, table).minimum - sum(least)
    spare = room - overhead - sum(least)
    want = sum(most) - sum(least)
    if spare >= want or want <= 0:
        return table
    for n, column in enumerate(table.columns):
        column.width = least[n] + (most[n] - least[n]) * max(0, spare) // want
    return table


# --- coverage -----------------------------------------------------------------------


def holders_text(holding: Holding) -> str:
    return ", ".join(holding.holders) if holding.holders else "no one"


def print_team_coverage(view: TeamCoverageView) -> None:
    """The bus factor: domains and topics fewer than two learners hold, and who holds them."""
    scope = view.scope
    if _empty(scope):
        return
    coverage = view.coverage
    least = coverage.minimum
    if not coverage.domains and not coverage.topics:
        line(
            f"Every domain{_on(scope)} has at least {plural(least, 'learner')} at target, "
            f"and every topic {least} who know it."
        )
        return
    if coverage.domains:
        title = f"Domains{_on(scope)} fewer than {least} learners have at target"
        table = fitting(lambda dropped: _holding_table(coverage.domains, title, dropped), ["of"])
        if isinstance(table, Table):
            out().print(table)
        else:
            line(f"{title}:")
            for h in coverage.domains:
                line(f"- {h.name} ({plural(h.learners, 'learner')}): {holders_text(h)}")
    else:
        line(f"Every domain{_on(scope)} has at least {plural(least, 'learner')} at target.")
    if coverage.topics:
        line(f"Topics fewer than {least} learners know, by who knows them (mentors):")
        for holders, topics in _by_holders(coverage.topics):
            who = "No one knows" if not holders else f"Only {', '.join(holders)} know"
            who += "s" if len(holders) == 1 else ""
            names = ", ".join(t.name for t in topics)
            line(f"- {who} ({len(topics)}): {names}")
    else:
        line(f"Every topic{_on(scope)} has at least {least} learners who know it.")
    for text in scope_lines(scope):
        line(text)


def _by_holders(topics: Sequence[Holding]) -> list[tuple[tuple[str, ...], list[Holding]]]:
    """The topics grouped by who holds them, in the order the groups first appear."""
    groups: dict[tuple[str, ...], list[Holding]] = {}
    for h in topics:
        groups.setdefault(h.holders, []).append(h)
    return list(groups.items())


def _holding_table(rows: Sequence[Holding], title: str, dropped: Collection[str]) -> Table:
    table = _table(title)
    table.add_column("domain", overflow="fold", min_width=10)
    if "of" not in dropped:
        table.add_column("of", justify="right", no_wrap=True)
    table.add_column("held by", overflow="fold", min_width=8)
    for h in rows:
        cells: list[Text | str] = [safe(h.name)]
        if "of" not in dropped:
            cells.append(str(h.learners))
        cells.append(safe(holders_text(h)))
        table.add_row(*cells)
    return table


# --- trend --------------------------------------------------------------------------


def print_team_trend(view: TeamTrendView) -> None:
    """The team's hours left at each month's end, then on the latest day, with a sparkline."""
    scope = view.scope
    if _empty(scope):
        return
    points = view.points
    if not points:
        line("No trend yet: no learner has assessed anything.")
        return
    table = _table("Team hours left at each month's end, then today")
    table.add_column("month end", no_wrap=True)
    table.add_column("hours left", justify="right", no_wrap=True)
    table.add_column("learners", justify="right", no_wrap=True)
    for p in points:
        table.add_row(f"{p.day:%Y-%m-%d}", f"{num(p.hours)}", str(p.members))
    out().print(table)
    if len(points) > 1:
        hours = [p.hours for p in points]
        shown = hours[-max(2, min(len(hours), out().width - 4)) :]
        spark = Text("  ")
        spark.append(sparkline(shown), "cyan")
        out().print(spark)
    line("A learner counts from their first assessment on; learners: how many counted then.")
    for text in scope_lines(scope):
        line(text)
