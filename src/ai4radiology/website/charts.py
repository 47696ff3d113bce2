"""The home page's charts as inline SVG, drawn at build time: no chart library, nothing from a CDN.

Colours are CSS classes (`series-N`, defined in the site stylesheet for light and dark mode) and
text is `currentColor`, so the charts follow mkdocs-material's palette toggle.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

FONT_SIZE = 13
PLOT_HEIGHT = 220
BAR_STEP = 56
BAR_WIDTH = 36
AXIS_LEFT = 40
LABEL_WIDTH = 70
SERIES_COLOURS = 8  # the stylesheet defines series-0 … series-7; further series reuse them


@dataclass(frozen=True)
class Series:
    id: str
    label: str


def nice_ticks(maximum: int, count: int = 4) -> list[int]:
    """Whole-number axis ticks from 0 to at least `maximum`, at steps of 1, 2 or 5 × 10^k."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return list(range(0, math.ceil(maximum / step) * step + 1, step))


def _svg(width: int, height: int, label: str, body: list[str], linked: bool = False) -> str:
    role = "group" if linked else "img"  # an image's children are hidden from assistive technology; links must not be
    return (
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="{role}" '
        f'aria-label="{escape(label)}" '
        f'font-size="{FONT_SIZE}" fill="currentColor" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _linked(shape: str, url: str | None, label: str) -> str:
    """A chart shape that opens `url` (the explorer, filtered to what the shape counts)."""
    return f'<a href="{escape(url)}" aria-label="{escape(label)}">{shape}</a>' if url else shape


def data_table(caption: str, columns: list[str], rows: Sequence[Sequence[object]]) -> str:
    """A chart's numbers as a table, folded away under the chart: screen readers and keyboards get the data."""
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
    body = "".join(
        "<tr>" + f'<th scope="row">{escape(str(row[0]))}</th>' + "".join(f"<td>{v}</td>" for v in row[1:]) + "</tr>"
        for row in rows
    )
    return (
        f'<details class="chart-data"><summary>{escape(caption)} as a table</summary>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>"
    )


def _legend(series: list[Series]) -> str:
    items = "".join(
        f'<li><span class="swatch series-{i % SERIES_COLOURS}"></span>{escape(s.label)}</li>'
        for i, s in enumerate(series)
    )
    return f'<ul class="chart-legend">{items}</ul>'


def stacked_years(
    per_year: dict[int, Counter[str]], series: list[Series], label: str, link: Callable[[int, str], str] | None = None
) -> str:
    """Columns per year (every year between the first and last, gaps shown as empty), stacked by series.

    `link(year, series id)` gives each segment a URL."""
    years = list(range(min(per_year), max(per_year) + 1)) if per_year else []
    totals = {y: sum(per_year.get(y, Counter())[s.id] for s in series) for y in years}
    ticks = nice_ticks(max(totals.values(), default=0))
    scale = PLOT_HEIGHT / ticks[-1]
    top, width = FONT_SIZE + 6, AXIS_LEFT + BAR_STEP * len(years) + 8
    baseline, height = top + PLOT_HEIGHT, top + PLOT_HEIGHT + FONT_SIZE + 10
    body = []
    for tick in ticks:
        y = baseline - tick * scale
        body.append(
            f'<line class="grid" x1="{AXIS_LEFT}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text x="{AXIS_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    for column, year in enumerate(years):
        x = AXIS_LEFT + column * BAR_STEP + (BAR_STEP - BAR_WIDTH) / 2
        stacked = 0
        for index, item in enumerate(series):
            value = per_year.get(year, Counter())[item.id]
            if not value:
                continue
            y = baseline - (stacked + value) * scale
            rect = (
                f'<rect class="series-{index % SERIES_COLOURS}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{BAR_WIDTH}" height="{value * scale:.1f}">'
                f"<title>{year} · {escape(item.label)}: {value}</title></rect>"
            )
            body.append(_linked(rect, link(year, item.id) if link else None, f"{year}, {item.label}: {value} papers"))
            stacked += value
        centre = x + BAR_WIDTH / 2
        if stacked:
            body.append(
                f'<text x="{centre:.1f}" y="{baseline - stacked * scale - 4:.1f}" text-anchor="middle">{stacked}</text>'
            )
        body.append(f'<text x="{centre:.1f}" y="{baseline + FONT_SIZE + 4}" text-anchor="middle">{year}</text>')
    rows = [[year, *(per_year.get(year, Counter())[s.id] for s in series), totals[year]] for year in years]
    table = data_table(label, ["Year", *(s.label for s in series), "Total"], rows)
    return _svg(width, height, label, body, linked=link is not None) + _legend(series) + table


def horizontal_bars(values: list[tuple[str, int]], label: str, link: Callable[[str], str] | None = None) -> str:
    """One labelled bar per (name, value), in the given order, with the value at the bar's end;
    `link(name)` gives each bar a URL."""
    row, bar_height, plot_width = 28, 18, 400
    longest = max((v for _, v in values), default=0) or 1
    width, height = LABEL_WIDTH + plot_width + 40, row * len(values) + 4
    body = []
    for index, (name, value) in enumerate(values):
        y = index * row + 4
        length = plot_width * value / longest
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + bar_height - 4}" text-anchor="end">{escape(name)}</text>'
            + _linked(
                f'<rect class="series-0" x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{bar_height}">'
                f"<title>{escape(name)}: {value}</title></rect>",
                link(name) if link else None,
                f"{name}: {value} papers",
            )
            + f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + bar_height - 4}">{value}</text>'
        )
    return _svg(width, height, label, body, linked=link is not None) + data_table(
        label, ["Name", "Papers"], [[n, v] for n, v in values]
    )
