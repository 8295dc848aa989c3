"""The HTML report in a real browser: headless Chromium renders it, prints it, measures it.

(1) Chromium's own command line takes a screenshot (not blank) and prints a
PDF (at least one page). (2) Driven through the DevTools protocol on a pipe
(tests/devtools_pipe.py), the page is loaded at an A4-ish width and at
1200 px, on screen and as print: every chart has a box, nothing is wider than
the window, and the console stays free of errors. The report has no script;
the test evaluates its expressions from outside.
"""

from __future__ import annotations

import base64
import json
import re
import struct
import subprocess
import zlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from devtools_pipe import FLAGS, DevTools

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="no /usr/bin/chromium (Debian's chromium package; .ci/run installs it)",
)
A4_PX = 794  # 210 mm at 96 px per inch
PAPERS = {"A4": (8.27, 11.69), "Letter": (8.5, 11.0)}


@pytest.fixture
def report(cli: Any, demo: Path, tmp_path: Path, today: date) -> Path:
    """The demo learner with some history and a note too long for any line, as a report."""
    back = f"{today - timedelta(days=70):%Y-%m-%d}"
    assert cli("assess", "multimodal", "-c", "20", "-t", "75", "--date", back).exit_code == 0
    for n in range(8):
        day = f"{today - timedelta(days=63 - 8 * n):%Y-%m-%d}"
        assert cli("log-progress", "la-visual", "--minutes", "50", "--date", day).exit_code == 0
    long_word = "https://example.org/" + "x" * 400  # no place to break: must still wrap
    assert cli("note", "la-visual", long_word, "--link", long_word).exit_code == 0
    path = tmp_path / "report.html"
    result = cli("export", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    return path


def chromium(tmp_path: Path, *args: str) -> None:
    subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        check=True,
        capture_output=True,
        timeout=120,
    )


def busy_rows(png: bytes) -> tuple[int, int]:
    """(rows with more than a few distinct byte values, all rows) of a non-interlaced PNG.

    A blank page's rows, whatever PNG filter encoded them, hold at most a
    pixel's bytes and zeros; a row crossing text or a chart holds many values.
    """
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8
            channels = {2: 3, 6: 4, 0: 1, 4: 2}[colour]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels + 1
    rows = [raw[i * stride + 1 : (i + 1) * stride] for i in range(height)]
    return sum(1 for r in rows if len(set(r)) > 8), height


def pdf_pages(pdf: bytes) -> int:
    assert pdf.startswith(b"%PDF-")
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b.*?/Count\s+(\d+)", pdf, re.S)]
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    return max([*counts, pages])


def test_screenshot_and_pdf_from_the_command_line(report: Path, tmp_path: Path) -> None:
    png, pdf = tmp_path / "shot.png", tmp_path / "print.pdf"
    chromium(
        tmp_path,
        f"--screenshot={png}",
        "--window-size=1200,2000",
        "--hide-scrollbars",
        report.as_uri(),
    )
    busy, height = busy_rows(png.read_bytes())
    assert height == 2000 and busy > height // 4, (busy, height)
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", report.as_uri())
    assert pdf_pages(pdf.read_bytes()) >= 1


MEASURE = """JSON.stringify({
  boxes: [...document.querySelectorAll('svg.chart')].map(s => {
    const r = s.getBoundingClientRect(); return [r.width, r.height]; }),
  scroll: document.documentElement.scrollWidth,
  inner: window.innerWidth,
  wide: [...document.querySelectorAll('body *')].filter(e =>
    e.getBoundingClientRect().right > window.innerWidth + 0.5).map(e => e.tagName).slice(0, 5),
})"""


def console_errors(events: list[dict[str, Any]]) -> list[str]:
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            found.append(str(params["exceptionDetails"].get("text")))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            found.append(str(params["entry"].get("text")))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append(str(params.get("args")))
    return found


def open_page(browser: DevTools) -> str:
    """Attach to the browser's first tab; its session id, with the events we read on."""
    targets = browser.send("Target.getTargets")["targetInfos"]
    page = next(t for t in targets if t["type"] == "page")
    session: str = browser.send("Target.attachToTarget", targetId=page["targetId"], flatten=True)[
        "sessionId"
    ]
    for domain in ("Page", "Runtime", "Log"):
        browser.send(f"{domain}.enable", session)
    return session


def measure(browser: DevTools, session: str, url: str, width: int, media: str) -> dict[str, Any]:
    """Load ``url`` at ``width`` px as ``media``: chart boxes, widths, console errors."""
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        session,
        width=width,
        height=1100,
        deviceScaleFactor=1,
        mobile=False,
    )
    browser.send("Emulation.setEmulatedMedia", session, media=media)
    browser.events.clear()
    browser.send("Page.navigate", session, url=url)
    browser.wait_for("Page.loadEventFired")
    found = browser.send("Runtime.evaluate", session, expression=MEASURE, returnByValue=True)
    measured: dict[str, Any] = json.loads(found["result"]["value"])
    measured["errors"] = console_errors(browser.events)
    return measured


def test_in_the_browser_every_chart_has_a_box_and_nothing_overflows(
    report: Path, tmp_path: Path
) -> None:
    with DevTools(str(CHROMIUM), tmp_path / "profile") as browser:
        session = open_page(browser)
        for width in (A4_PX, 1200):
            for media in ("screen", "print"):
                measured = measure(browser, session, report.as_uri(), width, media)
                where = f"{width} px, {media}"
                assert len(measured["boxes"]) == 4, where
                assert all(w > 100 and h > 50 for w, h in measured["boxes"]), (where, measured)
                assert measured["scroll"] <= measured["inner"], (where, measured)
                assert measured["wide"] == [], (where, measured)
                assert measured["errors"] == [], where
        for paper, (width_in, height_in) in PAPERS.items():
            printed = browser.send(
                "Page.printToPDF",
                session,
                paperWidth=width_in,
                paperHeight=height_in,
                printBackground=True,
                displayHeaderFooter=False,
            )
            pdf = base64.b64decode(printed["data"])
            assert pdf_pages(pdf) >= 2, paper  # charts, then the plan
        assert console_errors(browser.events) == []


def test_the_checks_catch_a_broken_page(tmp_path: Path) -> None:
    """A page that overflows, has an empty chart and logs errors fails every check above."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><body><div style="width:3000px">wide</div>'
        '<svg class="chart" width="0" height="0"></svg>'
        '<script>console.error("boom"); throw new Error("x")</script></body></html>'
    )
    with DevTools(str(CHROMIUM), tmp_path / "profile") as browser:
        measured = measure(browser, open_page(browser), bad.as_uri(), A4_PX, "screen")
    assert measured["boxes"] == [[0, 0]]
    assert measured["scroll"] > measured["inner"] and measured["wide"] == ["DIV"]
    assert len(measured["errors"]) == 2
