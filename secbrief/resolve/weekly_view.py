"""What a weekly style shows beyond the common view: the week's incidents
grouped by country, the parties of all of them, the 12-week chart of the
client's scope, and the client's branding.

Styles whose folder name starts with ``weekly`` get it as ``b.weekly``;
``weekly_inputs`` names the same data for the incremental build, so a
brief is rebuilt exactly when something it shows changed.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from secbrief.core import fingerprint
from secbrief.core.dates import MONTHS, iso_week, week_bounds
from secbrief.resolve.weekly_chart import WEEKS, WeeklyChart, type_label, weekly_chart
from secbrief.model.clients import Client
from secbrief.validate.clients import in_scope
from secbrief.resolve.views import BriefView, IncidentView, PartyGroup, data_uri, parties
from secbrief.model.documents import is_weekly_style
from secbrief.validate.corpus import Corpus


@dataclass
class Brand:
    id: str
    name: str
    display_name: str
    accent: str
    logo: str | None  # a data: URI


@dataclass
class Row:
    """One line of the week's table."""

    incident: IncidentView

    @property
    def type_label(self) -> str:
        return type_label(self.incident.type)

    @property
    def actors_text(self) -> str:
        refs = self.incident.model.actors
        return "; ".join(f"{actor.name} ({ref.role})" if ref.role != "other" else actor.name
                         for actor, ref in zip(self.incident.actors, refs)) or "not known"

    @property
    def killed(self) -> str:
        c = self.incident.model.casualties
        return "–" if c is None or c.killed is None else str(c.killed)

    @property
    def injured(self) -> str:
        c = self.incident.model.casualties
        return "–" if c is None or c.injured is None else str(c.injured)


@dataclass
class CountryGroup:
    country: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class WeeklyView:
    start: dt.date
    end: dt.date
    brand: Brand | None
    incidents: list[IncidentView]          # the week's, oldest first
    groups: list[CountryGroup]             # by country, alphabetical
    parties: list[PartyGroup]
    chart: WeeklyChart                     # drawn by secbrief.render.chart

    @property
    def week(self) -> str:
        return iso_week(self.start)

    @property
    def week_number(self) -> int:
        return self.start.isocalendar()[1]

    @property
    def range_text(self) -> str:
        return range_text(self.start, self.end)


def range_text(start: dt.date, end: dt.date) -> str:
    """16–22 October 2023; 30 October – 5 November 2023; 25 December 2023 –
    2 January 2024: an en dash, spaced when either side has a space."""
    if start.year != end.year:
        return f"{start.day} {MONTHS[start.month - 1]} {start.year} \u2013 {end.day} {MONTHS[end.month - 1]} {end.year}"
    if start.month != end.month:
        return f"{start.day} {MONTHS[start.month - 1]} \u2013 {end.day} {MONTHS[end.month - 1]} {end.year}"
    return f"{start.day}\u2013{end.day} {MONTHS[end.month - 1]} {end.year}"


def client_of(corpus: Corpus, brief) -> Client | None:
    return corpus.clients.get(brief.client) if brief.client else None


def chart_for(corpus: Corpus, brief) -> WeeklyChart:
    """Incidents per week by type, in the client's scope (every incident when
    the brief has no client), for the 12 weeks ending with the brief's week."""
    client = client_of(corpus, brief)
    _, end = week_bounds(brief)
    last_monday = end - dt.timedelta(days=end.weekday())
    # Every weekly brief of a client charts the same incidents: they are
    # found and sorted once per load, and each chart takes its twelve weeks
    # by bisection, not by a pass over the whole archive.
    pairs = corpus.derived(("weekly chart incidents", client.id if client else None), lambda: sorted(
        (entry.model.date, entry.model.type) for entry in corpus.incidents.values()
        if client is None or in_scope(corpus, client.profile.scope, entry.model)))
    first = last_monday - dt.timedelta(weeks=WEEKS - 1)
    after = last_monday + dt.timedelta(weeks=1)
    window = pairs[bisect.bisect_left(pairs, (first,)):bisect.bisect_left(pairs, (after,))]
    return weekly_chart(window, last_monday)


def weekly_view(corpus: Corpus, view: BriefView) -> WeeklyView | None:
    brief = view.brief
    if not is_weekly_style(brief.style):
        return None
    start, end = week_bounds(brief)
    incidents = sorted(([view.event] if view.event else []) + view.incidents, key=lambda i: (i.date, i.id))
    groups: dict[str, CountryGroup] = {}
    for incident in incidents:
        groups.setdefault(incident.country, CountryGroup(incident.country)).rows.append(Row(incident))
    names = list(brief.parties) + [ref.name for i in incidents for ref in i.model.actors]
    client = client_of(corpus, brief)
    brand = None
    if client is not None:
        b = client.profile.branding
        brand = Brand(client.id, client.profile.name, b.display_name, b.accent.upper(),
                      data_uri(client.logo_path) if client.logo_path else None)
    chart = chart_for(corpus, brief)
    return WeeklyView(start, end, brand, incidents, [groups[k] for k in sorted(groups)],
                      parties(corpus, names), chart)


def weekly_inputs(corpus: Corpus, brief_id: str) -> dict[str, str]:
    """Inputs of a brief beyond the common ones: its client profile (and
    logo) and, for weekly styles, the numbers its chart shows."""
    brief = corpus.briefs[brief_id].model
    inputs: dict[str, str] = {}
    client = client_of(corpus, brief)
    if client is not None:
        files = [client.doc.path] + ([client.logo_path] if client.logo_path else [])
        inputs[f"client {client.id}"] = fingerprint.sha(b"\0".join(p.read_bytes() for p in files))
    if is_weekly_style(brief.style):
        inputs["12-week chart"] = fingerprint.sha(chart_for(corpus, brief).key().encode())
    return inputs

