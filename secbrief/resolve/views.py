"""Resolve step: join a brief to its incidents, actors, places and sources.

The result is a plain view model. Templates read only this; they never open
files or look anything up.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass, field
from typing import Any

from secbrief.history.changes import WhatChanged
from secbrief.model.documents import Brief, Incident, Source
from secbrief.history.provenance import Provenance, unversioned
from secbrief.core.tlp import Tlp
from secbrief.validate.corpus import Corpus, Entry, Spot, incident_spots, umbrella_chain


class Citations:
    """Numbers sources in order of first use, while the brief is rendered.

    Numbering happens as the template reaches each citation, so the order is
    the reading order of whatever style renders the brief. Citing an
    incident cites every source of that incident that was published by the
    brief's ``issued`` date: an incident file keeps growing as later
    reporting comes in, and a brief (rebuilt years later, or a week's brief
    citing this week's incident) names only what its readers could have
    seen. When every source of the incident is later, all are listed.
    """

    def __init__(self, corpus: Corpus, issued=None):
        self._sources = corpus.sources
        # Looked up, never copied: a copy per brief costs incidents x briefs.
        self._incidents = corpus.incidents
        self._issued = issued
        self._numbers: dict[str, int] = {}
        self.notes: list[Note] = []

    def _incident_sources(self, ref: str) -> list[str]:
        incident = self._incidents[ref].model
        sources = (incident.sources_published_by(self._issued) if self._issued is not None else None) \
            or incident.sources
        return [s.id for s in sources]

    def cite(self, ids: list[str]) -> list[int]:
        numbers: list[int] = []
        for ref in ids:
            source_ids = self._incident_sources(ref) if ref in self._incidents else [ref]
            for source_id in source_ids:
                if source_id not in self._numbers:
                    self._numbers[source_id] = len(self.notes) + 1
                    self.notes.append(Note(len(self.notes) + 1, self._sources[source_id]))
                number = self._numbers[source_id]
                if number not in numbers:
                    numbers.append(number)
        return numbers

    def reset(self) -> None:
        self._numbers.clear()
        self.notes.clear()


@dataclass
class Note:
    number: int
    source: Source

    @property
    def before_title(self) -> str:
        """What the note says before the source's title: the author, or the
        publisher when no author is named. The template prints the title
        (a link on screen), then ``after_title`` and the date, in the brief's
        date format."""
        return self.source.author or self.source.publisher

    @property
    def after_title(self) -> str:
        """The publisher after the title, when the author came first."""
        return self.source.publisher if self.source.author else ""

@dataclass
class IncidentView:
    id: str
    model: Incident
    place: Any  # the registry place of its first location (None when it names none)
    actors: list[Any]  # registry Actor entries, in the incident's order
    spots: list[Spot] = field(default_factory=list)  # every location, resolved (corpus.incident_spots)
    map_number: int | None = None  # its marker's number on the brief's map (resolve.locator)

    def __getattr__(self, name):  # date, title, summary, ... straight from the model
        return getattr(self.model, name)

    @property
    def location_text(self) -> str:
        """"site, city, country" of each location, separated by semicolons."""
        return "; ".join(spot.text for spot in self.spots)

    @property
    def casualty_text(self) -> str:
        c = self.model.casualties
        if c is None or (c.killed is None and c.injured is None):
            return "not reported"
        # A figure the analyst left out is not known: it is left out here too
        # ("23 killed"), never printed as "unknown" or as 0.
        return ", ".join(f"{n} {what}" for n, what in ((c.killed, "killed"), (c.injured, "injured"))
                         if n is not None)

    @property
    def countries(self) -> list[str]:
        return list(dict.fromkeys(spot.country for spot in self.spots if spot.country))

    @property
    def country(self) -> str:
        """Its country, or its countries joined by " / " (Jordan / Syria)."""
        return " / ".join(self.countries)


@dataclass
class PartyGroup:
    name: str
    native_name: str | None
    members: list[Any] = field(default_factory=list)


@dataclass
class BriefView:
    id: str
    brief: Brief
    tlp: Tlp
    event: IncidentView | None
    incidents: list[IncidentView]
    parties: list[PartyGroup]
    timelines: dict[int, list[IncidentView]]
    judgements: list[dict]
    image: dict | None
    citations: Citations
    generator: str
    # Key judgements against the previous issue (or the superseded brief); None when there is none.
    changes: WhatChanged | None = None
    # Which commit the content comes from (secbrief.history.provenance); the build supplies it.
    provenance: Provenance = field(default_factory=unversioned)
    weekly: Any = None  # weekly_view.WeeklyView for weekly styles (table, chart, client branding)
    furniture: Any = None  # furniture.Furniture: every page's header and footer
    map: Any = None  # locator.LocatorMap: the generated map (secbrief.render.maps draws it), or None

    def __getattr__(self, name):  # title, series, outlook, ... straight from the brief
        return getattr(self.brief, name)

    @property
    def week_of(self):
        return self.brief.period.from_ if self.brief.period else self.brief.issued

    @property
    def parties_text(self) -> str:
        return "; ".join(
            f"{g.name} ({'; '.join(m.name for m in g.members)})" if g.members else g.name
            for g in self.parties)

    @property
    def event_markdown(self) -> str | None:
        if self.brief.event_text:
            return self.brief.event_text
        return self.event.summary if self.event else None


def incident_view(corpus: Corpus, incident_id: str) -> IncidentView:
    incident = corpus.incidents[incident_id].model
    spots = incident_spots(corpus, incident)
    actors = [corpus.actors.lookup(ref.name) for ref in incident.actors]
    return IncidentView(incident_id, incident, spots[0].place if spots else None, actors, spots)


def parties(corpus: Corpus, names: list[str]) -> list[PartyGroup]:
    """Canonical parties, members nested under their umbrella, in first-seen
    order. Nesting is shown once: an actor affiliated with an umbrella that
    is itself affiliated is listed under the top umbrella, with it."""
    groups: dict[str, PartyGroup] = {}
    for name in names:
        actor = corpus.actors.lookup(name)
        chain = umbrella_chain(corpus, actor)
        umbrella = chain[-1] if chain else None
        head = umbrella or actor
        group = groups.setdefault(head.id, PartyGroup(head.name, head.native_name))
        if umbrella is not None and actor not in group.members:
            group.members.append(actor)
    return list(groups.values())


def embed_image(corpus: Corpus, entry: Entry) -> dict | None:
    image = entry.model.image
    if image is None:
        return None
    return {"src": data_uri(entry.doc.path.parent / image.file), "caption": image.caption,
            "credit": image.credit, "alt": image.alt or image.caption}


def data_uri(path) -> str:
    """A file as a data: URI, so HTML and PDF carry it inside (no fetching)."""
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{mime};base64,{data}"

