"""``gapcli export -f html``: one self-contained page, read back with ``html.parser``.

The page must be well-formed (every tag closed in order), carry one SVG per
chart each naming itself (``<title>``, ``<desc>``), hold no script and no URL
the catalog did not give, and keep hostile names and notes as text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gapcli.render.sanitize import clean

VOID = {"meta", "link", "br", "hr", "img", "input", "col", "wbr", "source", "area", "base"}
CHARTS = {"burn", "heat", "dom", "weeks"}
SVG_NS = "http://www.w3.org/2000/svg"
EVIL = "Evil </svg><script>alert(\"x\")</script> & 'q' <b>"


@dataclass
class Page:
    """What a reader's browser would build from the page, gathered as it parses."""

    errors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    svgs: list[dict[str, str]] = field(default_factory=list)
    hrefs: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)  # every URL-like attribute or CSS url()
    texts: list[str] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)  # on* attributes


class Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[str] = []
        self.in_svg: dict[str, str] | None = None
        self.svg_child: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attrs(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "svg":
            self.in_svg = {"labelledby": dict(attrs).get("aria-labelledby") or ""}
            self.page.svgs.append(self.in_svg)
        elif self.in_svg is not None and tag in ("title", "desc") and tag not in self.in_svg:
            self.svg_child = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attrs(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.page.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            return
        self.stack.pop()
        if tag == "svg":
            self.in_svg = None
        if tag == self.svg_child:
            self.svg_child = None

    def handle_data(self, data: str) -> None:
        if self.svg_child and self.in_svg is not None:
            self.in_svg[self.svg_child] = self.in_svg.get(self.svg_child, "") + data
        if self.stack and self.stack[-1] == "style":
            self.page.urls += re.findall(r"url\(([^)]*)\)", data)
            self.page.urls += re.findall(r"@import", data)
        elif data.strip():
            self.page.texts.append(data)

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.page.handlers.append(name)
            if name in ("href", "src", "xlink:href", "action", "srcset", "poster", "data"):
                self.page.urls.append(value or "")
            if name == "href" and tag == "a":
                self.page.hrefs.append(value or "")
            if value and "url(" in value:
                self.page.urls += re.findall(r"url\(([^)]*)\)", value)


def read_page(text: str) -> Page:
    reader = Reader()
    reader.feed(text)
    reader.close()
    if reader.stack:
        reader.page.errors.append(f"left open: {reader.stack}")
    return reader.page


def export_html(cli: Any, path: Path, *args: str) -> str:
    result = cli("export", "-o", str(path), *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"Wrote html export to {path}")
    return path.read_text(encoding="utf-8")


def catalog_urls(path: Path | None = None) -> set[str]:
    if path is None:
        from gapcli.resources import builtin_catalog_path

        path = builtin_catalog_path()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        e["url"].strip()
        for key in ("resources", "papers")
        for e in data.get(key, [])
        if e.get("url")
    }


def assert_sound(page: Page, allowed: set[str]) -> None:
    """Well-formed, four named charts, no script or handler, no URL from elsewhere."""
    assert page.errors == []
    assert "script" not in page.tags and page.handlers == []
    assert "iframe" not in page.tags and "img" not in page.tags and "link" not in page.tags
    charts = {s["labelledby"].split("-")[0] for s in page.svgs}
    assert charts == CHARTS and len(page.svgs) == len(CHARTS)
    for svg in page.svgs:
        assert svg.get("title", "").strip() and svg.get("desc", "").strip(), svg
    external = [u for u in page.urls if not u.startswith("#") and u not in allowed]
    assert external == []
    assert set(page.hrefs) <= allowed


@pytest.fixture
def studied(cli: Any, demo: Path, today: date) -> Path:
    """The demo learner with weeks of history, a done topic, an away week, a note."""
    back = f"{today - timedelta(days=70):%Y-%m-%d}"
    assert cli("assess", "multimodal", "-c", "20", "-t", "75", "--date", back).exit_code == 0
    for n, topic in enumerate(("la-visual", "ps-distributions", "la-visual", "ft-lora-mechanics")):
        day = today - timedelta(days=60 - 14 * n)
        result = cli("log-progress", topic, "--minutes", "95", "--date", f"{day:%Y-%m-%d}")
        assert result.exit_code == 0, result.stderr
    done = cli("log-progress", "ps-distributions", "--minutes", "30", "--done")
    assert done.exit_code == 0, done.stderr
    away = cli(
        "away",
        "add",
        f"{today - timedelta(days=20):%Y-%m-%d}",
        f"{today - timedelta(days=15):%Y-%m-%d}",
    )
    assert away.exit_code == 0, away.stderr
    assert cli("note", "la-visual", "chapter 3 & <eigen>").exit_code == 0
    return demo


def test_the_demo_report_is_one_sound_page(cli: Any, studied: Path, tmp_path: Path) -> None:
    text = export_html(cli, tmp_path / "report.html")
    assert text.startswith("<!DOCTYPE html>")
    page = read_page(text)
    assert_sound(page, catalog_urls() | {SVG_NS})
    assert page.hrefs, "the plan links the catalog's resources"
    joined = "\n".join(page.texts)
    for heading in ("Hours still needed", "Study days", "Where you stand", "Weekly hours"):
        assert heading in joined
    assert "Plan by week" in joined and "Reading list" in joined and "Notes" in joined
    assert "chapter 3 & <eigen>" in joined  # a note, as text
    assert "review" in joined  # the done topic comes back for review
    assert "Away days" in joined


def test_the_burn_down_is_replayed_from_history(cli: Any, studied: Path, tmp_path: Path) -> None:
    """Its table starts at the first assessment's week, ends today on what gaps says."""
    import json

    text = export_html(cli, tmp_path / "r.html")
    gaps = json.loads(cli("gaps", "--json").stdout)
    table = text.split("The burn-down&#x27;s numbers")[1].split("</table>")[0]
    logged = re.findall(r"<td>(\d{4}-\d\d-\d\d)</td><td>logged</td><td>([\d.]+)</td>", table)
    assert logged[-1][0] == "2026-11-30"
    assert abs(float(logged[-1][1]) - gaps["total_hours"]) < 0.05
    days = [date.fromisoformat(d) for d, _ in logged]
    assert days[0] == date(2026, 9, 27)  # the Sunday of the back-dated assessment's week
    assert all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(days[:-1]))
    hours = [float(h) for _, h in logged]
    # Only multimodal was assessed then (at 20 %): every other domain counted from 0 %,
    # as gaps counted it that week, so the past stands above today's total (the demo's
    # assessments today); the time logged meanwhile only lowered it.
    assert hours[0] > hours[-2] > hours[-1]
    assert all(b <= a for a, b in itertools.pairwise(hours[:-1]))


def test_html_suffixes_and_format_flag(cli: Any, demo: Path, tmp_path: Path) -> None:
    for name in ("a.html", "b.HTM"):
        assert "<svg" in export_html(cli, tmp_path / name)
    out = cli("export", "-f", "html")
    assert out.exit_code == 0 and out.stdout.startswith("<!DOCTYPE html>")


def test_weeks_limits_the_plan_and_the_clock_is_frozen(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    whole = export_html(cli, tmp_path / "whole.html")
    short = export_html(cli, tmp_path / "short.html", "--weeks", "1")
    assert whole.count("<h3>Week of") > 1 and short.count("<h3>Week of") == 1
    assert "export without --weeks" in short
    again = export_html(cli, tmp_path / "again.html")
    assert again == whole  # same day, same data: same bytes
    assert "2026-11-30" in whole


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--at", "19:00"], "--at is for --format ics"),
        (["--weeks", "0"], "--weeks"),
        (["--start", "someday"], "--start"),
    ],
)
def test_bad_input_is_one_line(
    cli: Any, demo: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    target = tmp_path / "r.html"
    result = cli("export", "-o", str(target), *args)
    assert result.exit_code in (1, 2)
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not target.exists()


def test_written_atomically_and_not_over_a_file(cli: Any, demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("mine")
    refused = cli("export", "-o", str(target))
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert target.read_text() == "mine"
    precious = tmp_path / "precious.txt"
    precious.write_text("keep")
    link = tmp_path / "link.html"
    link.symlink_to(precious)
    assert cli("export", "-o", str(link), "--force").exit_code == 0
    assert precious.read_text() == "keep" and not link.is_symlink()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert link.stat().st_mode & 0o077 == 0  # private, like every export


def hostile_catalog(tmp_path: Path) -> Path:
    topic = {"id": "t1", "name": EVIL, "hours": 2, "resources": ["evil", "good"]}
    data = {
        "catalog": 1,
        "id": "hostile",
        "name": "Hostile <b>catalog</b>",
        "math_levels": [{"id": "none", "name": "None"}],
        "domains": [
            {
                "id": "d1",
                "name": 'Dom "ain" </svg> & <x>',
                "topics": [
                    topic,
                    {"id": "t2", "name": "<i>x</i>", "hours": 1, "resources": ["good"]},
                ],
            }
        ],
        "resources": [
            {"id": "evil", "title": "click </a>", "url": 'https://x.org/"><script>'},
            {"id": "good", "title": "a) b", "url": "https://example.org/a(b)<c>"},
        ],
        "papers": [
            {"id": "p", "title": "P </td> <i>", "year": 2020, "url": "https://p.org/?a=1&b=<2>"}
        ],
        "tracks": [{"id": "tr", "name": "Track </title>", "domains": ["d1"]}],
    }
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_hostile_catalog_text_stays_text(cli: Any, tmp_path: Path) -> None:
    catalog = hostile_catalog(tmp_path)
    assert cli("--catalog", str(catalog), "init").exit_code == 0
    assert cli("assess", "d1", "-c", "10", "-t", "90").exit_code == 0
    logged = cli("log-progress", "t2", "--minutes", "30", "--note", EVIL)
    assert logged.exit_code == 0, logged.stderr
    page = read_page(export_html(cli, tmp_path / "r.html"))
    assert_sound(page, catalog_urls(catalog) | {SVG_NS})
    assert set(page.hrefs) == {
        'https://x.org/"><script>',
        "https://example.org/a(b)<c>",
        "https://p.org/?a=1&b=<2>",
    }
    joined = "\n".join(page.texts)
    for name in (EVIL, 'Dom "ain" </svg> & <x>', "<i>x</i>", "P </td> <i>", "click </a>"):
        assert name in joined
    assert {s["title"] for s in page.svgs} >= {"Where you stand, by domain"}
    assert "b" not in page.tags and "i" not in page.tags and "x" not in page.tags


PIECES = [*"<>&\"' /abc\x07\x1b\x7f\x85\u202e\t", "</svg>", "</title>", "&amp;", "<script>"]
NOTE_TEXT = (
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=12)
    .map("".join)
    .filter(lambda t: bool(t.strip()))
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(note=NOTE_TEXT)
def test_hostile_notes_stay_text(cli: Any, demo: Path, tmp_path: Path, note: str) -> None:
    """Whatever a note holds comes back as that text (controls shown as U+FFFD)."""
    added = cli("note", "la-visual", note)
    if added.exit_code != 0:  # refused with a message: nothing to show
        assert "Traceback" not in added.stderr
        return
    target = tmp_path / "r.html"
    page = read_page(export_html(cli, target, "--force"))
    assert_sound(page, catalog_urls() | {SVG_NS})
    shown = clean(" ".join(note.split()))
    assert any(shown in t for t in page.texts), (shown, page.texts[-20:])


def test_a_learner_with_every_target_met(cli: Any, demo: Path, tmp_path: Path) -> None:
    """No gap, no plan of new study, no pace line: the page still holds its four charts."""
    from conftest import meet_every_target

    meet_every_target(cli, tmp_path)
    text = export_html(cli, tmp_path / "met.html")
    page = read_page(text)
    assert_sound(page, catalog_urls() | {SVG_NS})
    joined = "\n".join(page.texts)
    assert "0 h of study to close every gap" in joined
    assert "no forecast: every target is met" in joined


def test_a_new_profile_without_sessions(cli: Any, tmp_path: Path) -> None:
    assert cli("init").exit_code == 0
    page = read_page(export_html(cli, tmp_path / "new.html"))
    assert_sound(page, catalog_urls() | {SVG_NS})
    heat = next(s for s in page.svgs if s["labelledby"].startswith("heat"))
    assert "0 study days" in heat["desc"]


def test_the_heatmap_covers_a_year(cli: Any, studied: Path, tmp_path: Path) -> None:
    text = export_html(cli, tmp_path / "r.html")
    heat = text.split('aria-labelledby="heat-t heat-d"')[1].split("</svg>")[0]
    days = re.findall(r"<title>(\d{4}-\d\d-\d\d): ([^<]*)</title>", heat)
    assert days[0][0] == "2025-12-01" and days[-1][0] == "2026-11-30"  # 52 weeks and today
    assert len(days) == 52 * 7 + 1
    away = [d for d, what in days if what.endswith(", away")]
    assert away == [f"2026-11-{n:02d}" for n in range(10, 16)]
