"""Inline SVG charts for the review site, drawn here so the site needs no script library or CDN.

Every label comes from a document (unit names, item numbers, period labels), so every one is
escaped with html.escape before it goes into the markup; the result is a `Markup` the templates
insert as is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

from markupsafe import Markup

# Colours that stay apart for the colour-blind (Okabe–Ito), for up to eight lines per chart.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
# More lines than this make a score chart unreadable; the table below the chart lists all units.
DEFAULT_MAX_LINES = 8
# Heatmap axes beyond this are cut to the units and items with the most points deducted.
DEFAULT_MAX_HEATMAP_UNITS = 30
DEFAULT_MAX_HEATMAP_ITEMS = 40


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _svg(width: int, height: int, body: list[str], label: str) -> Markup:
    return Markup(
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}">'
        + "".join(body)
        + "</svg>"
    )


def histogram_svg(values: Sequence[float], label: str, *, bins: int = 20) -> Markup:
    """Bars counting `values` in equal bins between their minimum and maximum."""
    width, height, pad = 560, 220, 36
    if not values:
        return Markup("")
    low, high = min(values), max(values)
    if math.isclose(low, high):
        low, high = low - 0.5, high + 0.5
    step = (high - low) / bins
    counts = [0] * bins
    for v in values:
        counts[min(int((v - low) / step), bins - 1)] += 1
    top = max(counts)
    bar = (width - 2 * pad) / bins
    body = [f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" class="axis"/>']
    for i, n in enumerate(counts):
        if not n:
            continue
        h = (height - 2 * pad) * n / top
        x = pad + i * bar
        a, b = low + i * step, low + (i + 1) * step
        body.append(
            f'<rect x="{x:.1f}" y="{height - pad - h:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" class="bar">'
            f"<title>{escape(_num(a))} … {escape(_num(b))}: {n}</title></rect>"
        )
    for value, anchor in ((low, "start"), (high, "end")):
        x = pad if anchor == "start" else width - pad
        body.append(
            f'<text x="{x}" y="{height - pad + 16}" text-anchor="{anchor}">{escape(_num(value))}</text>'
        )
    body.append(f'<text x="{pad - 4}" y="{pad}" text-anchor="end">{top}</text>')
    return _svg(width, height, body, label)


def line_chart_svg(periods: Sequence[str], lines: Mapping[str, Sequence[float | None]], label: str) -> Markup:
    """One polyline per name over the periods (x) with its values (y); gaps where a value is None."""
    width, height, pad, legend = 820, 260, 40, 130
    values = [v for seq in lines.values() for v in seq if v is not None]
    if not values or not periods:
        return Markup("")
    low, high = min(values), max(values)
    if math.isclose(low, high):
        low, high = low - 1, high + 1
    plot_w, plot_h = width - legend - 2 * pad, height - 2 * pad

    def x_of(i: int) -> float:
        return pad + (plot_w * i / (len(periods) - 1) if len(periods) > 1 else plot_w / 2)

    def y_of(v: float) -> float:
        return pad + plot_h * (high - v) / (high - low)

    body = [
        f'<line x1="{pad}" y1="{height - pad}" x2="{pad + plot_w}" y2="{height - pad}" class="axis"/>',
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" class="axis"/>',
        f'<text x="{pad - 4}" y="{pad + 4}" text-anchor="end">{escape(_num(high))}</text>',
        f'<text x="{pad - 4}" y="{height - pad}" text-anchor="end">{escape(_num(low))}</text>',
    ]
    # A label like 2024年12月份 takes ~100 px: label every k-th period; each point's title has its own.
    every = max(1, math.ceil(len(periods) / max(1, plot_w // 100)))
    for i, period in enumerate(periods):
        if i % every:
            continue
        body.append(
            f'<text x="{x_of(i):.1f}" y="{height - pad + 16}" text-anchor="middle" class="tick">'
            f"{escape(period)}</text>"
        )
    for n, (name, seq) in enumerate(lines.items()):
        colour = PALETTE[n % len(PALETTE)]
        segment: list[str] = []
        segments = []
        for i, v in enumerate(seq):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x_of(i):.1f},{y_of(v):.1f}")
            body.append(
                f'<circle cx="{x_of(i):.1f}" cy="{y_of(v):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)} {escape(periods[i])}: {escape(_num(v))}</title></circle>"
            )
        if segment:
            segments.append(segment)
        for points in segments:
            body.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        y = pad + 16 * n
        body.append(
            f'<rect x="{width - legend + 4}" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{width - legend + 18}" y="{y}">{escape(name)}</text>'
        )
    return _svg(width, height, body, label)


def heatmap_svg(
    units: Sequence[str], items: Sequence[int], points: Mapping[tuple[str, int], float], label: str
) -> Markup:
    """A unit × item grid shaded by the points deducted; each cell's title gives the figure."""
    if not units or not items:
        return Markup("")
    cell, left, top = 18, 110, 40
    width, height = left + cell * len(items) + 10, top + cell * len(units) + 10
    peak = max(points.values()) if points else 1.0
    body = []
    for j, item in enumerate(items):
        x = left + j * cell + cell / 2
        body.append(f'<text x="{x:.0f}" y="{top - 6}" text-anchor="middle" class="tick">{int(item)}</text>')
    for i, unit in enumerate(units):
        y = top + i * cell
        body.append(f'<text x="{left - 6}" y="{y + cell - 5}" text-anchor="end">{escape(unit)}</text>')
        for j, item in enumerate(items):
            value = points.get((unit, item))
            if not value:
                continue
            shade = 0.15 + 0.85 * value / peak
            body.append(
                f'<rect x="{left + j * cell}" y="{y}" width="{cell - 1}" height="{cell - 1}" '
                f'fill="#D55E00" fill-opacity="{shade:.2f}"><title>{escape(unit)} · {int(item)}: '
                f"{escape(_num(value))}</title></rect>"
            )
    return _svg(width, height, body, label)
