"""The 12-week chart of weekly briefs as a stacked bar chart in SVG.

The SVG is written by hand rather than with a plotting library: it is one
kind of chart, a few dozen elements, and writing it here keeps it
byte-identical on every machine (no library version, font metrics or
random ids leaking in), costs no import time, and needs no new dependency.
Coordinates are rounded to two decimals so float noise never changes a byte.
"""

from __future__ import annotations

from html import escape

from secbrief.resolve.weekly_chart import TYPE_COLOURS, WeeklyChart, type_label

# The frame of the brief's own week when the client has no colour of its own.
DEFAULT_ACCENT = "#0B3D63"

# A compact bar row, drawn at its own size (1 SVG unit = 1 CSS px): 340 units
# fit a 390 px phone screen with its margins unscaled, so the 11-unit labels
# stay 11 px there, and the chart takes about a tenth of an A4 page instead
# of 40 %. Its height follows the data: the tallest bar is 10 units an
# incident, between 24 and 80, so a quiet quarter gets a low row.
WIDTH = 340
SIDE = 4                      # left and right margin
TOTALS = 15                   # band above the bars for each week's total
BAR_UNIT, BAR_MIN, BAR_MAX = 10, 24, 80
LABELS = 34                   # band below: week labels, then two dates
FONT_SIZE = 11                # the smallest text in the chart
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
INK, MUTED = "#1a1d21", "#59626e"


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def bar_height(peak: int) -> int:
    """Height of the plot for a tallest week of ``peak`` incidents."""
    return min(BAR_MAX, max(BAR_MIN, BAR_UNIT * peak))


def svg(chart: WeeklyChart, brand=None) -> str:
    """The chart, its current week framed in ``brand``'s accent colour."""
    accent = brand.accent if brand else DEFAULT_ACCENT
    peak = max((bar.total for bar in chart.bars), default=0)
    plot = bar_height(peak)
    base = TOTALS + plot                      # y of the baseline
    height = base + LABELS
    scale = plot / max(peak, 1)
    slot = (WIDTH - 2 * SIDE) / len(chart.bars)
    width = round(slot * 0.62, 2)
    desc = "; ".join(f"{b.week}: {b.total}" for b in chart.bars)
    # Text colours are classes too, so a dark page can restyle them (a
    # presentation attribute loses to any CSS rule); PDFs use the attribute.
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="weekly-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" font-family="{FONT}" font-size="{FONT_SIZE}">',
        f"<title>{escape(chart.title)}</title>",
        f"<desc>Incidents per week: {escape(desc)}.</desc>",
    ]
    for index, bar in enumerate(chart.bars):
        x = SIDE + slot * index + (slot - width) / 2
        centre = SIDE + slot * index + slot / 2
        current = index == len(chart.bars) - 1
        if current:  # the brief's own week, framed in the client's colour
            out.append(f'<rect class="frame" x="{_n(x - 3)}" y="1" width="{_n(width + 6)}" '
                       f'height="{_n(base + 18)}" fill="none" stroke="{escape(accent)}" '
                       'stroke-width="1.5" stroke-dasharray="3 2"/>')
        y = base
        for kind, count in bar.counts:
            h = count * scale
            y -= h
            out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(h)}" '
                       f'fill="{TYPE_COLOURS[kind]}" stroke="#ffffff" stroke-width="0.75">'
                       f"<title>{bar.week}: {count} {escape(type_label(kind).lower())}</title></rect>")
        if bar.total:
            out.append(f'<text class="ink" x="{_n(centre)}" y="{_n(y - 4)}" text-anchor="middle" '
                       f'fill="{INK}">{bar.total}</text>')
        weight = ' font-weight="700"' if current else ""
        colour = escape(accent) if current else INK
        out.append(f'<text class="{"current" if current else "ink"}" x="{_n(centre)}" y="{base + 13}" '
                   f'text-anchor="middle" fill="{colour}"{weight}>{bar.label}</text>')
    out.append(f'<line class="axis" x1="{SIDE}" y1="{base}" x2="{WIDTH - SIDE}" y2="{base}" '
               f'stroke="{MUTED}" stroke-width="1"/>')
    # Only the first and last weeks' dates: twelve would not fit a phone's width.
    out.append(f'<text class="muted" x="{SIDE}" y="{base + 31}" fill="{MUTED}">'
               f"from {chart.first.day_label}</text>")
    out.append(f'<text class="muted" x="{WIDTH - SIDE}" y="{base + 31}" text-anchor="end" fill="{MUTED}">'
               f"week of {chart.last.day_label}</text>")
    out.append("</svg>")
    return "\n".join(out)
