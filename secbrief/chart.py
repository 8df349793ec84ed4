"""Incidents per week by type: the data, and a stacked bar chart as SVG.

The SVG is written by hand rather than with a plotting library: it is one
kind of chart, a few dozen elements, and writing it here keeps it
byte-identical on every machine (no library version, font metrics or
random ids leaking in), costs no import time, and needs no new dependency.
Coordinates are rounded to two decimals so float noise never changes a byte.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from secbrief.models import INCIDENT_TYPES

WEEKS = 12
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# One fixed colour per type (Okabe-Ito first: readable with colour-blindness),
# so a type keeps its colour from week to week and from client to client.
TYPE_COLOURS = {
    "rocket-attack": "#D55E00", "missile-attack": "#CC79A7", "drone-attack": "#0072B2",
    "airstrike": "#56B4E9", "ied-attack": "#E69F00", "armed-clash": "#009E73", "attack": "#882255",
    "abduction": "#332288", "violent-demonstration": "#B8A100", "protest": "#8C8C8C",
    "strategic-development": "#C8C8C8",
}
_LABEL_EXCEPTIONS = {"ied-attack": "IED attack"}


def type_label(kind: str) -> str:
    """drone-attack -> Drone attack."""
    return _LABEL_EXCEPTIONS.get(kind) or kind.replace("-", " ").capitalize()


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class WeekBar:
    week: str            # 2023-W42
    start: dt.date       # its Monday
    counts: tuple        # (type, count) for every type with a count, taxonomy order

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    def count(self, kind: str) -> int:
        return dict(self.counts).get(kind, 0)

    @property
    def label(self) -> str:
        return "W" + self.week.split("-W")[1]

    @property
    def day_label(self) -> str:
        return f"{self.start.day} {MONTHS_SHORT[self.start.month - 1]}"


@dataclass(frozen=True)
class WeeklyChart:
    bars: tuple          # WeekBar, oldest first; the last is the brief's week

    @property
    def types(self) -> list[str]:
        """Types that occur at least once, in taxonomy order."""
        seen = {kind for bar in self.bars for kind, _ in bar.counts}
        return [kind for kind in INCIDENT_TYPES if kind in seen]

    @staticmethod
    def label(kind: str) -> str:
        return type_label(kind)

    @staticmethod
    def colour(kind: str) -> str:
        return TYPE_COLOURS[kind]

    @property
    def first(self) -> WeekBar:
        return self.bars[0]

    @property
    def last(self) -> WeekBar:
        return self.bars[-1]

    @property
    def title(self) -> str:
        return f"Incidents per week by type, {self.first.week} to {self.last.week}"

    def key(self) -> str:
        """Everything the chart shows, as text: an input of the brief's build."""
        return ";".join(f"{b.week}:" + ",".join(f"{k}={n}" for k, n in b.counts) for b in self.bars)

    def svg(self, accent: str = "#0B3D63") -> str:
        return _svg(self, accent)


def weekly_chart(incidents: list[tuple[dt.date, str]], last_monday: dt.date, weeks: int = WEEKS) -> WeeklyChart:
    """Count (date, type) pairs per ISO week for the ``weeks`` weeks that end
    with the week starting ``last_monday``."""
    starts = [last_monday - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    counts: dict[dt.date, dict[str, int]] = {start: {} for start in starts}
    for day, kind in incidents:
        monday = day - dt.timedelta(days=day.weekday())
        if monday in counts:
            counts[monday][kind] = counts[monday].get(kind, 0) + 1
    bars = tuple(WeekBar(iso_week(start), start,
                         tuple((k, counts[start][k]) for k in INCIDENT_TYPES if k in counts[start]))
                 for start in starts)
    return WeeklyChart(bars)


# --- SVG ------------------------------------------------------------------------

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


def _svg(chart: WeeklyChart, accent: str) -> str:
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
