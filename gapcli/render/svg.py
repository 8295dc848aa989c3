"""Small helpers for the report's inline SVG charts: escaping, scales, axes, frames.

Standard library only: a plotting library would cost more start-up time than
the whole report takes to draw. Every string from the learner or a catalog
goes through :func:`esc` (text and attribute values alike).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

from gapcli.render.sanitize import clean

# Okabe-Ito: told apart by the common colour-vision deficiencies; every series also
# has its own marker shape or dash pattern, so grey print still separates them.
BLACK = "#000000"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
BLUE = "#0072B2"
VERMILION = "#D55E00"
PURPLE = "#CC79A7"
GRID = "#d9d9d9"
# A sequential scale light to dark: its order survives grey print and colour blindness.
SHADES = ("#eeeeee", "#c6dbef", "#6baed6", "#2171b5", "#08306b")


def esc(value: object) -> str:
    """Text safe in HTML/SVG content and in double-quoted attributes: controls replaced."""
    return html.escape(clean(str(value)), quote=True)


def fmt(value: float) -> str:
    """A coordinate: two decimals at most, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def scale(lo: float, hi: float, out_lo: float, out_hi: float) -> tuple[float, float]:
    """The (factor, offset) mapping [lo, hi] onto [out_lo, out_hi]; a flat range maps to out_lo."""
    if hi - lo <= 0:
        return 0.0, out_lo
    factor = (out_hi - out_lo) / (hi - lo)
    return factor, out_lo - lo * factor


def nice_ticks(hi: float, count: int = 5) -> list[float]:
    """0 and round steps up to at least ``hi`` (1, 2, 2.5 or 5 times a power of ten)."""
    if hi <= 0:
        return [0.0, 1.0]
    raw = hi / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] < hi - 1e-9:
        ticks.append(ticks[-1] + step)
    return ticks


def tick_label(value: float) -> str:
    return f"{value:g}"


def svg_open(width: int, height: int, ident: str, title: str, desc: str) -> str:
    """An SVG that scales to its container's width (viewBox) and names itself for readers."""
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{esc(title)}</title><desc id="{ident}-d">{esc(desc)}</desc>'
    )


def text(x: float, y: float, label: str, *, anchor: str = "start", cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<text x="{fmt(x)}" y="{fmt(y)}" text-anchor="{anchor}"{klass}>{esc(label)}</text>'


def line(x1: float, y1: float, x2: float, y2: float, *, cls: str = "axis") -> str:
    return f'<line x1="{fmt(x1)}" y1="{fmt(y1)}" x2="{fmt(x2)}" y2="{fmt(y2)}" class="{cls}"/>'


def polyline(points: Iterable[tuple[float, float]], *, colour: str, dash: str = "") -> str:
    coords = " ".join(f"{fmt(x)},{fmt(y)}" for x, y in points)
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.5"{dashes}/>'
    )


def marker(shape: str, x: float, y: float, colour: str, *, hollow: bool = False) -> str:
    """A circle, square, triangle or diamond centred on (x, y): shape tells series apart."""
    fill = "#ffffff" if hollow else colour
    paint = f'fill="{fill}" stroke="{colour}" stroke-width="2"'
    r = 4.5
    if shape == "circle":
        return f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{r}" {paint}/>'
    if shape == "square":
        return (
            f'<rect x="{fmt(x - r)}" y="{fmt(y - r)}" width="{2 * r}" height="{2 * r}" {paint}/>'
        )
    corners: Sequence[tuple[float, float]]
    if shape == "triangle":
        corners = ((x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r))
    else:  # diamond
        corners = ((x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y))
    coords = " ".join(f"{fmt(px)},{fmt(py)}" for px, py in corners)
    return f'<polygon points="{coords}" {paint}/>'


def data_table(caption: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A chart's numbers as a table, folded under a summary: its text alternative."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return (
        f'<details class="data"><summary>{esc(caption)}</summary>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>"
    )
