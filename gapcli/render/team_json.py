"""The team commands' ``--json`` data (no rich): one shape per view, plain values.

Counts are integers, percentages and hours rounded as the terminal prints
them (:func:`gapcli.render.numbers.num`); a matrix cell a learner does not
have (another catalog, off their track) is ``null``, never a made-up 0.
"""

from __future__ import annotations

from typing import Any

from gapcli.domain.team import Holding, MatrixCell
from gapcli.render.numbers import num
from gapcli.views.team import (
    TeamCoverageView,
    TeamGapsView,
    TeamMatrixView,
    TeamScope,
    TeamTrendView,
)


def _scope(scope: TeamScope) -> dict[str, Any]:
    return {"members": scope.members, "catalogs": list(scope.catalogs), "track": scope.track}


def team_gaps_json(view: TeamGapsView) -> dict[str, Any]:
    return {
        **_scope(view.scope),
        "domains": [
            {
                "id": r.domain_id,
                "name": r.name,
                "learners": r.learners,
                "assessed": r.assessed,
                "mean_current": num(r.mean_current),
                "median_current": num(r.median_current),
                "total_gap_hours": num(r.total_gap_hours),
                "at_target": r.at_target,
                "without": r.without,
            }
            for r in view.rows
        ],
        "total_hours": num(view.total_hours),
    }


def _cell(cell: MatrixCell | None) -> dict[str, Any] | None:
    if cell is None:
        return None
    return {"current": num(cell.current), "target": cell.target, "at_target": cell.at_target}


def team_matrix_json(view: TeamMatrixView) -> dict[str, Any]:
    domains = view.matrix.domains
    return {
        **_scope(view.scope),
        "domains": [{"id": d.id, "name": d.name} for d in domains],
        "learners": [
            {
                "name": row.name,
                "cells": {d.id: _cell(c) for d, c in zip(domains, row.cells, strict=True)},
            }
            for row in view.matrix.rows
        ],
    }


def _holding(h: Holding) -> dict[str, Any]:
    return {
        "id": h.id,
        "name": h.name,
        "domain": h.domain_id,
        "learners": h.learners,
        "holders": list(h.holders),
    }


def team_coverage_json(view: TeamCoverageView) -> dict[str, Any]:
    coverage = view.coverage
    return {
        **_scope(view.scope),
        "minimum": coverage.minimum,
        "domains": [_holding(h) for h in coverage.domains],
        "topics": [_holding(h) for h in coverage.topics],
    }


def team_trend_json(view: TeamTrendView) -> dict[str, Any]:
    return {
        **_scope(view.scope),
        "points": [
            {"date": p.day.isoformat(), "hours": num(p.hours), "members": p.members}
            for p in view.points
        ],
    }
