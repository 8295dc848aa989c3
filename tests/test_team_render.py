"""The team views rendered from constructed view models: terminal, JSON and HTML.

Terminal: at 40, 80 and 120 columns no line is wider than the terminal and no
learner or domain name is cut. JSON: the pinned shapes. HTML: well-formed
(read back with html.parser as the learner's report is), no script, every
hostile name kept as text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from gapcli.domain.team import MemberDomain, MemberSeries, MemberStanding, TopicRef
from gapcli.render.html_team import render_team_html
from gapcli.render.team_json import (
    team_coverage_json,
    team_gaps_json,
    team_matrix_json,
    team_trend_json,
)
from gapcli.render.team_view import (
    print_team_coverage,
    print_team_gaps,
    print_team_matrix,
    print_team_trend,
)
from gapcli.render.terminal import err, out
from gapcli.views.team import (
    TeamReportView,
    coverage_view,
    gaps_view,
    matrix_view,
    report_view,
    trend_view,
)
from tests.test_report_html import EVIL, read_page

TODAY = date(2026, 11, 30)
HOSTILE = "Mallory \x1b]52;c;aGk=\x07 [/bold] \u202eevil"
DOMAINS = {
    "rag": "Retrieval-augmented generation",
    "py": "Python",
    "ml": "Machine learning foundations",
    "evil": EVIL,
}


def _dom(d: str, current: float, target: int, hours: float, **kw: Any) -> MemberDomain:
    topics = tuple(TopicRef(f"{d}-{n}", f"{DOMAINS[d]} part {n}") for n in range(2))
    return MemberDomain(
        d, DOMAINS[d], current, target, hours, current >= target, topics=topics, **kw
    )


def team() -> list[MemberStanding]:
    return [
        MemberStanding(
            "Alexandra Konstantinopoulou",
            (_dom("rag", 40, 80, 30.5), _dom("py", 90, 80, 0), _dom("evil", 10, 50, 12)),
            frozenset({"py-0", "py-1"}),
            "builtin",
        ),
        MemberStanding(
            "bo",
            (
                _dom("rag", 85, 80, 0),
                _dom("py", 30, 80, 12.25),
                _dom("ml", 0, 100, 80, assessed=False),
            ),
            frozenset({"rag-0", "rag-1", "py-0"}),
            "bootcamp",
        ),
        MemberStanding(HOSTILE, (_dom("py", 100, 90, 0),), frozenset({"py-0"}), "builtin"),
        MemberStanding("newcomer", (), frozenset(), "builtin"),
    ]


def series() -> list[MemberSeries]:
    return [
        MemberSeries("bo", ((date(2026, 8, 3), 120.0), (date(2026, 10, 4), 95.0), (TODAY, 92.25))),
        MemberSeries(HOSTILE, ((date(2026, 10, 20), 10.0), (TODAY, 0.0))),
    ]


def report() -> TeamReportView:
    return report_view(team(), series(), TODAY)


@pytest.fixture
def at_width(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    def set_width(width: int) -> None:
        monkeypatch.setenv("COLUMNS", str(width))
        out.cache_clear()
        err.cache_clear()

    yield set_width
    out.cache_clear()
    err.cache_clear()


def printed(capsys: pytest.CaptureFixture[str], show: Any, view: Any) -> str:
    show(view)
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def whole(word: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


SHOWS = (
    (print_team_gaps, lambda: gaps_view(team())),
    (print_team_matrix, lambda: matrix_view(team())),
    (print_team_coverage, lambda: coverage_view(team())),
    (print_team_trend, lambda: trend_view(series(), team())),
)


@pytest.mark.parametrize("width", (40, 80, 120))
@pytest.mark.parametrize(("show", "build"), SHOWS, ids=lambda f: getattr(f, "__name__", ""))
def test_terminal_fits_and_keeps_names(
    capsys: pytest.CaptureFixture[str], at_width: Any, width: int, show: Any, build: Any
) -> None:
    at_width(width)
    text = printed(capsys, show, build())
    assert text.strip()
    assert "\x1b" not in text and "\u202e" not in text  # the hostile name is defused
    for ln in text.splitlines():
        assert len(ln) <= width or len(ln.split()) == 1, (width, ln)
    if show is print_team_trend:
        return
    names = ["Retrieval-augmented", "generation", "Machine", "foundations"]
    if show is not print_team_gaps:  # gaps names no learner
        names.append("Konstantinopoulou")
    if show is print_team_matrix:  # coverage leaves Python out: two hold it
        names += ["Alexandra", "Python", "newcomer"]
    for word in names:
        assert whole(word, text), (word, width)


def test_gaps_terminal_says_what_it_counts(
    capsys: pytest.CaptureFixture[str], at_width: Any
) -> None:
    at_width(120)
    text = printed(capsys, print_team_gaps, gaps_view(team()))
    assert "Total: 134.8 h" in text  # 30.5 + 12 + 12.25 + 80
    assert "count from 0 %" in text  # bo never assessed machine learning
    assert "2 catalogs (bootcamp, builtin)" in text
    assert "4 learners" in text


def test_matrix_cells_say_met_in_text(capsys: pytest.CaptureFixture[str], at_width: Any) -> None:
    at_width(120)
    text = printed(capsys, print_team_matrix, matrix_view(team()))
    assert "90/80 ✓" in text and "40/80" in text and "40/80 ✓" not in text
    newcomer = next(ln for ln in text.splitlines() if ln.startswith("newcomer"))
    assert newcomer.split()[1:] == ["-", "-", "-", "-"]


def test_coverage_groups_topics_by_holder(
    capsys: pytest.CaptureFixture[str], at_width: Any
) -> None:
    at_width(120)
    text = printed(capsys, print_team_coverage, coverage_view(team()))
    assert "Only bo knows (2): Retrieval-augmented generation part 0" in text
    assert "No one knows" in text


@pytest.mark.parametrize(("show", "build"), SHOWS, ids=lambda f: getattr(f, "__name__", ""))
def test_empty_team_says_so(capsys: pytest.CaptureFixture[str], show: Any, build: Any) -> None:
    views = {
        print_team_gaps: gaps_view([]),
        print_team_matrix: matrix_view([]),
        print_team_coverage: coverage_view([]),
        print_team_trend: trend_view([]),
    }
    assert "No learners" in printed(capsys, show, views[show])


def test_json_shapes() -> None:
    gaps = json.loads(json.dumps(team_gaps_json(gaps_view(team()))))
    assert set(gaps) == {"members", "catalogs", "track", "domains", "total_hours"}
    assert gaps["total_hours"] == 134.8
    first = gaps["domains"][0]
    assert first == {
        "id": "ml",
        "name": "Machine learning foundations",
        "learners": 1,
        "assessed": 0,
        "mean_current": 0,
        "median_current": 0,
        "total_gap_hours": 80,
        "at_target": 0,
        "without": 3,
    }
    matrix = team_matrix_json(matrix_view(team()))
    assert [d["id"] for d in matrix["domains"]] == ["rag", "py", "evil", "ml"]
    newcomer = matrix["learners"][-1]
    assert newcomer == {"name": "newcomer", "cells": dict.fromkeys(["rag", "py", "evil", "ml"])}
    assert matrix["learners"][0]["cells"]["py"] == {"current": 90, "target": 80, "at_target": True}
    coverage = team_coverage_json(coverage_view(team()))
    assert coverage["minimum"] == 2
    assert {d["id"] for d in coverage["domains"]} == {"rag", "evil", "ml"}
    assert set(coverage["topics"][0]) == {"id", "name", "domain", "learners", "holders"}
    trend = team_trend_json(trend_view(series(), team()))
    assert trend["points"][-1] == {"date": "2026-11-30", "hours": 92.3, "members": 2}


def test_html_is_well_formed_and_escaped() -> None:
    html = render_team_html(report())
    page = read_page(html)
    assert page.errors == []
    assert "script" not in page.tags
    assert page.handlers == [] and page.urls == [] and page.hrefs == []
    assert {svg["labelledby"] for svg in page.svgs} == {"tgaps-t tgaps-d", "ttrend-t ttrend-d"}
    for svg in page.svgs:
        assert svg.get("title") and svg.get("desc")
    assert "<script" not in html and "\x1b" not in html and "\u202e" not in html
    text = " ".join(page.texts)
    assert EVIL in text  # a hostile domain name stays text
    assert "Mallory" in text
    assert "default-src 'none'" in html


def test_html_matrix_says_met_in_text() -> None:
    html = render_team_html(report())
    assert '<td class="met">90/80% met</td>' in html
    assert '<td class="below">40/80% below</td>' in html
    assert '<th scope="row">newcomer</th>' in html


@pytest.mark.parametrize(
    "members", [[], team()[3:], team()[:1]], ids=["empty", "no-domains", "one"]
)
def test_html_corners(members: list[MemberStanding]) -> None:
    page = read_page(render_team_html(report_view(members, [], TODAY)))
    assert page.errors == []
    assert "script" not in page.tags


def test_html_trend_of_one_point() -> None:
    view = report_view(team(), [MemberSeries("bo", ((TODAY, 5.0),))], TODAY)
    page = read_page(render_team_html(view))
    assert page.errors == []
    assert any(svg["labelledby"] == "ttrend-t ttrend-d" for svg in page.svgs)
