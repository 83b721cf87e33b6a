"""A contract's term as a chart: server-rendered SVG for pages and PDFs.

Self-contained (presentation attributes only, no CSS classes, no script) so that it
renders the same in a browser and in WeasyPrint. Every bar carries a text label, so
status is never told by colour alone (WCAG 1.4.1), and the rows stack so that labels
stay readable on a 390 px phone screen.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.html import escape

from contracts import rules
from contracts.figures import rule_modifications, rule_options

# Drawn at about the size of a phone screen, where text is then 12 to 13 px.
WIDTH = 360
LEFT, RIGHT = 6, 354
ROW_HEIGHT = 56
BAR_HEIGHT = 14
BAR_OFFSET = 32  # from the top of a row: name, dates, then the bar
TOP = 24
FONT = "Arial, Helvetica, sans-serif"

# Fill, stroke and dash per kind of bar. Contrast against white is at least 3:1.
STYLES = {
    "initial": ("#1d70b8", "#1d70b8", ""),
    "exercised": ("#00703c", "#00703c", ""),
    "pending": ("#ffffff", "#1d70b8", "5 3"),
    "declined": ("#f3f2f1", "#505a5f", "2 2"),
}
INK = "#0b0c0c"
TODAY_COLOUR = "#d4351c"
# The line's label: "Today" on the live pages; "As at" in a document, which shows the
# contract as it stood on its date and never says "Today".
TODAY = "Today"
AS_AT = "As at"


@dataclass(frozen=True)
class Bar:
    label: str
    kind: str
    start: date
    end: date
    notice: date | None = None


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _marker_text(marker: str, on: date) -> str:
    """ "Today, 1 Jun 2026" or "As at 2 Jul 2024"."""
    return f"{marker}, {_day(on)}" if marker == TODAY else f"{marker} {_day(on)}"


def bars_for(contract) -> list[Bar]:
    """The initial term and each option, placed where it runs (or would have run), after
    any term changes by the contract's modifications (rules.term_parts)."""
    options = sorted(contract.options.all(), key=lambda o: o.sequence)
    parts = {
        part.source: part
        for part in rules.term_parts(
            contract.start_date,
            contract.initial_end_date,
            rule_options(contract),
            rule_modifications(contract),
        )
    }
    core = parts[rules.CORE]
    bars = [Bar("Initial term", "initial", core.start, core.end)]
    end = core.end
    for number, option in enumerate(options, start=1):
        part = parts.get(f"option {number}")
        if part is not None:
            option_start, option_end = part.start, part.end
            end = option_end
        else:
            # A declined option never runs: drawn where it would have, after the last end.
            option_start, option_end = end + rules.ONE_DAY, rules.extend_end(end, option.months)
        bars.append(
            Bar(
                f"Option {option.sequence}: {option.months} months, {option.status}",
                option.status,
                option_start,
                option_end,
                option.notice_deadline,
            )
        )
    return bars


def timeline_svg(contract, figures, today: date, *, marker: str | None = TODAY) -> str:
    """The chart as an SVG string: initial term, options (exercised, pending or
    declined), notice deadlines and a line at ``today`` labelled ``marker`` ("Today"
    on the live pages, "As at" in a document of that date; None draws no line), with
    a title and a description."""
    bars = bars_for(contract)
    first = min(b.start for b in bars)
    last = max(b.end for b in bars)
    span = max((last - first).days, 1)

    def x(d: date) -> float:
        clipped = min(max(d, first), last)
        return round(LEFT + (RIGHT - LEFT) * (clipped - first).days / span, 1)

    height = TOP + ROW_HEIGHT * len(bars) + 20
    # Lines run through the bar bands only, so they never cross a label.
    bands = [
        (TOP + row * ROW_HEIGHT + BAR_OFFSET - 3, TOP + row * ROW_HEIGHT + BAR_OFFSET + 17)
        for row in range(len(bars))
    ]
    title = f"Term of contract {contract.reference}"
    sentences = [
        f"{b.label}: {_day(b.start)} to {_day(b.end)}"
        + (f", notice by {_day(b.notice)}" if b.notice else "")
        + "."
        for b in bars
    ]
    sentences.append(
        f"Current end {_day(figures.current_end)}; maximum end {_day(figures.maximum_end)}."
    )
    if marker == TODAY:
        sentences.append(f"Today is {_day(today)}.")
    elif marker:
        sentences.append(f"{_marker_text(marker, today)}.")
    description = " ".join(sentences)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" class="app-timeline" '
        f'aria-labelledby="timeline-title-{contract.pk} timeline-desc-{contract.pk}" '
        f'font-family="{FONT}">',
        f'<title id="timeline-title-{contract.pk}">{escape(title)}</title>',
        f'<desc id="timeline-desc-{contract.pk}">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    # Year marks along the top: 1 January of each year in the span.
    for year in range(first.year + 1, last.year + 1):
        tick = x(date(year, 1, 1))
        parts.append(
            f'<text x="{tick}" y="12" font-size="10" fill="#505a5f" '
            f'text-anchor="middle">{year}</text>'
        )
        parts += [
            f'<line x1="{tick}" y1="{y1}" x2="{tick}" y2="{y2}" stroke="#b1b4b6" '
            f'stroke-width="0.5"/>'
            for y1, y2 in [(15, 20), *bands]
        ]
    for row, bar in enumerate(bars):
        y = TOP + row * ROW_HEIGHT
        bar_y = y + BAR_OFFSET
        fill, stroke, dash = STYLES.get(bar.kind, STYLES["pending"])
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        x1, x2 = x(bar.start), x(bar.end)
        dates = f"{_day(bar.start)} – {_day(bar.end)}"
        if bar.notice:
            dates += f"; notice by {_day(bar.notice)}"
        parts.append(
            f'<text x="{LEFT}" y="{y + 12}" font-size="13" font-weight="bold" '
            f'fill="{INK}">{escape(bar.label)}</text>'
            f'<text x="{LEFT}" y="{y + 27}" font-size="12" fill="{INK}">{escape(dates)}</text>'
            f'<rect x="{x1}" y="{bar_y}" width="{max(x2 - x1, 2)}" height="{BAR_HEIGHT}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash_attr}/>'
        )
        if bar.kind == "declined":
            parts.append(
                f'<line x1="{x1}" y1="{bar_y + BAR_HEIGHT}" x2="{x2}" y2="{bar_y}" '
                f'stroke="#505a5f" stroke-width="1.5"/>'
            )
        if bar.notice:
            nx = x(bar.notice)
            parts.append(
                f'<path d="M {nx} {bar_y - 3} l 5 10 l -5 10 l -5 -10 z" fill="#ffdd00" '
                f'stroke="{INK}" stroke-width="1"/>'
            )
    if marker and first <= today <= last:
        tx = x(today)
        anchor = "end" if tx > WIDTH / 2 else "start"
        label_x = tx + 4 if anchor == "start" else tx - 4
        parts += [
            f'<line x1="{tx}" y1="{y1}" x2="{tx}" y2="{y2}" stroke="{TODAY_COLOUR}" '
            f'stroke-width="2"/>'
            for y1, y2 in [*bands, (height - 16, height - 2)]
        ]
        parts.append(
            f'<text x="{label_x}" y="{height - 5}" font-size="11" font-weight="bold" '
            f'fill="{TODAY_COLOUR}" text-anchor="{anchor}">'
            f"{escape(_marker_text(marker, today))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
