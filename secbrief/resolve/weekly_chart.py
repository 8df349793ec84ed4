"""Incidents per week by type, for the 12-week chart of weekly briefs: the
numbers, each type's label and colour. secbrief.render.chart draws it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from secbrief.core.dates import MONTHS, iso_week
from secbrief.model.documents import INCIDENT_TYPES

WEEKS = 12
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
        return f"{self.start.day} {MONTHS[self.start.month - 1][:3]}"


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
