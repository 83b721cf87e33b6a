"""Stacked-bar charts drawn on the server as SVG (no JavaScript, no CDN).

This module only lays out shapes; the figures come from grants.summaries. Each series
has a colour and a pattern, so the chart does not rely on colour alone, and the
template puts a legend and a data table beside it (WCAG 2.2 1.4.1 and 1.1.1).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

WIDTH = 640
HEIGHT = 320
LEFT = 72
RIGHT = 12
TOP = 16
BOTTOM = 40
TICKS = 4

# GOV.UK colour palette, each with its own pattern: (colour, pattern name).
STYLES = (
    ("#1d70b8", "solid"),
    ("#f47738", "diagonal"),
    ("#00703c", "dots"),
    ("#912b88", "cross"),
    ("#505a5f", "horizontal"),
    ("#d4351c", "vertical"),
    ("#28a197", "diagonal-reverse"),
    ("#6f72af", "grid"),
)


@dataclass(frozen=True)
class Segment:
    series: str
    category: str
    amount: Decimal
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Category:
    label: str
    x: float
    total: Decimal


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str
    pattern: str
    fill: str


@dataclass
class StackedBarChart:
    chart_id: str
    title: str
    description: str
    categories: list[Category] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    rows: list[tuple[str, list[Decimal], Decimal]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom_axis: int = HEIGHT - BOTTOM

    @property
    def is_empty(self) -> bool:
        return not self.segments


def short_money(amount: Decimal) -> str:
    """£1.2m, £450k, £900: axis labels short enough to fit."""
    if amount >= 1_000_000:
        return f"£{amount / 1_000_000:,.1f}m".replace(".0m", "m")
    if amount >= 1_000:
        return f"£{amount / 1_000:,.0f}k"
    return f"£{amount:,.0f}"


def nice_maximum(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5 or 5 × a power of ten that is at least ``value``."""
    if value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def stacked_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Mapping[str, Mapping[str, Decimal]],
) -> StackedBarChart:
    """Lay out a stacked bar per category (financial year), one segment per series.

    ``series`` maps a series label (a source or funder) to its amount per category;
    negative and zero amounts draw nothing.
    """
    chart = StackedBarChart(chart_id=chart_id, title=title, description=description)
    names = list(series)
    for index, name in enumerate(names):
        colour, pattern = STYLES[index % len(STYLES)]
        chart.legend.append(
            LegendItem(name, colour, pattern, f"url(#{chart_id}-p{index % len(STYLES)})")
        )
    totals = {
        category: sum(
            (max(series[n].get(category, Decimal(0)), Decimal(0)) for n in names), Decimal(0)
        )
        for category in categories
    }
    chart.rows = [
        (category, [series[n].get(category, Decimal(0)) for n in names], totals[category])
        for category in categories
    ]
    if not categories or not any(totals.values()):
        return chart
    top = nice_maximum(max(totals.values()))
    plot_height = HEIGHT - TOP - BOTTOM
    band = (WIDTH - LEFT - RIGHT) / len(categories)
    bar = min(band * 0.6, 90)
    scale = plot_height / float(top)
    for step in range(TICKS + 1):
        value = top * step / TICKS
        chart.ticks.append(Tick(HEIGHT - BOTTOM - float(value) * scale, short_money(value)))
    for position, category in enumerate(categories):
        x = LEFT + band * position + (band - bar) / 2
        chart.categories.append(
            Category(category, LEFT + band * (position + 0.5), totals[category])
        )
        base = HEIGHT - BOTTOM
        for index, name in enumerate(names):
            amount = series[name].get(category, Decimal(0))
            if amount <= 0:
                continue
            height = float(amount) * scale
            base -= height
            chart.segments.append(
                Segment(name, category, amount, x, base, bar, height, chart.legend[index].fill)
            )
    return chart
