"""Incidents per week by type: the data, and a stacked bar chart as SVG.

The SVG is written by hand rather than with a plotting library: it is one
kind of chart, a few dozen elements, and writing it here keeps it
byte-identical on every machine (no library version, font metrics or
random ids leaking in), costs no import time, and needs no new dependency.
Coordinates are rounded to two decimals so float noise never changes a byte.
"""

from __future__ import annotations

import datetime as dt
import math
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

WIDTH, HEIGHT = 640, 250
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 34, 478, 14, 206
LEGEND_X = 496
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _step(top: int) -> int:
    """A tick step giving at most about five gridlines: 1, 2, 5, 10, 20, 50..."""
    if top <= 5:
        return 1
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _svg(chart: WeeklyChart, accent: str) -> str:
    peak = max((bar.total for bar in chart.bars), default=0)
    step = _step(max(peak, 1))
    top = max(step * math.ceil(max(peak, 1) / step), step)
    scale = (PLOT_BOTTOM - PLOT_TOP) / top
    slot = (PLOT_RIGHT - PLOT_LEFT) / len(chart.bars)
    width = slot * 0.62
    desc = "; ".join(f"{b.week}: {b.total}" for b in chart.bars)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="weekly-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" font-family="{FONT}" font-size="11">',
        f"<title>{escape(chart.title)}</title>",
        f"<desc>Incidents per week: {escape(desc)}.</desc>",
    ]
    for tick in range(0, top + 1, step):
        y = PLOT_BOTTOM - tick * scale
        out.append(f'<line x1="{PLOT_LEFT}" y1="{_n(y)}" x2="{PLOT_RIGHT}" y2="{_n(y)}" '
                   f'stroke="{"#5b6470" if tick == 0 else "#dde1e6"}" stroke-width="1"/>')
        out.append(f'<text x="{PLOT_LEFT - 6}" y="{_n(y + 4)}" text-anchor="end" fill="#5b6470">{tick}</text>')
    for index, bar in enumerate(chart.bars):
        x = PLOT_LEFT + slot * index + (slot - width) / 2
        centre = PLOT_LEFT + slot * index + slot / 2
        current = index == len(chart.bars) - 1
        if current:  # the brief's own week, framed in the client's colour
            out.append(f'<rect x="{_n(x - 3)}" y="{PLOT_TOP}" width="{_n(width + 6)}" '
                       f'height="{PLOT_BOTTOM - PLOT_TOP}" fill="none" stroke="{escape(accent)}" '
                       'stroke-width="1.5" stroke-dasharray="3 2"/>')
        y = PLOT_BOTTOM
        for kind, count in bar.counts:
            height = count * scale
            y -= height
            out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" '
                       f'fill="{TYPE_COLOURS[kind]}" stroke="#ffffff" stroke-width="0.75">'
                       f"<title>{bar.week}: {count} {escape(type_label(kind).lower())}</title></rect>")
        if bar.total:
            out.append(f'<text x="{_n(centre)}" y="{_n(y - 4)}" text-anchor="middle" fill="#1a1d21">'
                       f"{bar.total}</text>")
        weight = ' font-weight="700"' if current else ""
        colour = escape(accent) if current else "#1a1d21"
        out.append(f'<text x="{_n(centre)}" y="{PLOT_BOTTOM + 15}" text-anchor="middle" fill="{colour}"'
                   f"{weight}>{bar.label}</text>")
        out.append(f'<text x="{_n(centre)}" y="{PLOT_BOTTOM + 28}" text-anchor="middle" fill="#5b6470" '
                   f'font-size="9">{bar.day_label}</text>')
    types = chart.types
    if not types:
        out.append(f'<text x="{LEGEND_X}" y="{PLOT_TOP + 12}" fill="#5b6470">No incidents in scope</text>')
    for row, kind in enumerate(types):
        y = PLOT_TOP + 4 + row * 18
        out.append(f'<rect x="{LEGEND_X}" y="{y}" width="11" height="11" fill="{TYPE_COLOURS[kind]}"/>')
        out.append(f'<text x="{LEGEND_X + 17}" y="{y + 10}" fill="#1a1d21">{escape(type_label(kind))}</text>')
    out.append("</svg>")
    return "\n".join(out)
