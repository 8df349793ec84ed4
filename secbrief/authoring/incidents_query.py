"""Finding incidents: by actor (with its aliases, and optionally the actors
affiliated with it), place, country, type and date range, or by the brief
that cites them, each listed with the briefs that cite it.

Reads the loaded corpus; `secbrief incidents` is its command line. A brief
"cites" an incident when it names it as its event, in its incident list, in
an implication's timeline, as a key judgement's evidence, or in a [@id]
citation in any of its texts.
"""

from __future__ import annotations

import csv
import difflib
import datetime as dt
import io
import json
from dataclasses import dataclass, field

from secbrief.core.diagnostics import UsageError, safe_json, shown
from secbrief.core.textgrammar import citation_ids
from secbrief.model.documents import INCIDENT_TYPES
from secbrief.model.registry import name_key
from secbrief.model.documents import markdown_fields
from secbrief.validate.corpus import Corpus, incident_spots

FORMATS = ("table", "json", "csv")


@dataclass
class Query:
    actor: str | None = None
    with_affiliates: bool = False
    place: str | None = None
    country: str | None = None
    type: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    cited_by: str | None = None


@dataclass
class Found:
    id: str
    date: dt.date
    type: str
    title: str
    place: str
    country: str
    actors: list[str]
    cited_by: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"id": self.id, "date": self.date.isoformat(), "type": self.type, "title": self.title,
                "place": self.place, "country": self.country, "actors": self.actors, "cited_by": self.cited_by}


def citing_briefs(corpus: Corpus) -> dict[str, list[str]]:
    """Incident id -> the ids of the briefs that cite it, sorted."""
    cited: dict[str, set[str]] = {}
    for brief_id, entry in corpus.briefs.items():
        brief = entry.model
        ids = list(brief.incidents) + ([brief.event] if brief.event else [])
        ids += [i for item in brief.implications for i in item.timeline]
        ids += [i for judgement in brief.key_judgements for i in judgement.evidence]
        ids += [i for _, text in markdown_fields(brief) for i, _ in citation_ids(text or "")]
        for incident_id in ids:
            if incident_id in corpus.incidents:
                cited.setdefault(incident_id, set()).add(brief_id)
    return {incident_id: sorted(briefs) for incident_id, briefs in cited.items()}


def find(corpus: Corpus, query: Query) -> list[Found]:
    """The incidents that match every filter given, oldest first."""
    actor_ids = _actor_ids(corpus, query) if query.actor else None
    place = _place(corpus, query.place) if query.place else None
    if query.type and query.type not in INCIDENT_TYPES:
        close = difflib.get_close_matches(query.type, INCIDENT_TYPES, n=1)
        raise UsageError(f"--type: unknown incident type '{query.type}'"
                         + (f" (did you mean '{close[0]}'?)" if close else f"; one of {', '.join(INCIDENT_TYPES)}"))
    cited = citing_briefs(corpus)
    if query.cited_by is not None and query.cited_by not in corpus.briefs:
        raise UsageError(f"--cited-by: no brief '{query.cited_by}' (a brief id, e.g. the file name in briefs/ "
                         "without .yaml)")
    found = []
    for incident_id, entry in corpus.incidents.items():
        incident = entry.model
        spots = incident_spots(corpus, incident)
        countries = list(dict.fromkeys(spot.country for spot in spots if spot.country))
        actors = [corpus.actors.lookup(ref.name) for ref in incident.actors]
        if query.since and incident.date < query.since or query.until and incident.date > query.until:
            continue
        if query.type and incident.type != query.type:
            continue
        if query.country and name_key(query.country) not in {name_key(c) for c in countries}:
            continue
        if place is not None and not any(spot.place is place for spot in spots):
            continue
        if actor_ids is not None and not any(a is not None and a.id in actor_ids for a in actors):
            continue
        briefs = cited.get(incident_id, [])
        if query.cited_by and query.cited_by not in briefs:
            continue
        found.append(Found(incident_id, incident.date, incident.type, incident.title,
                           "; ".join(spot.place.name if spot.place else (spot.site or spot.city or "")
                                     for spot in spots).strip("; "), " / ".join(countries),
                           [a.name if a is not None else ref.name for a, ref in zip(actors, incident.actors)],
                           briefs))
    return sorted(found, key=lambda f: (f.date, f.id))


def _actor_ids(corpus: Corpus, query: Query) -> set[str]:
    actor = corpus.actors.lookup(query.actor)
    if actor is None:
        raise UsageError(f"--actor: {corpus.actors.unknown_message(query.actor)}")
    ids = {actor.id}
    if query.with_affiliates:  # every actor whose chain of affiliations reaches this one
        for other in corpus.actors.by_id.values():
            seen, current = set(), other
            while current is not None and current.id not in seen:
                seen.add(current.id)
                if current.id == actor.id:
                    ids.add(other.id)
                    break
                current = corpus.actors.by_id.get(current.affiliation) if current.affiliation else None
    return ids


def _place(corpus: Corpus, name: str):
    place = corpus.places.lookup(name)
    if place is None:
        raise UsageError(f"--place: {corpus.places.unknown_message(name)}")
    return place


def render(found: list[Found], fmt: str) -> str:
    """The incidents as JSON, CSV or text. Titles, places and names come
    from YAML: JSON escapes what could drive a terminal (safe_json, the data
    unchanged); CSV has no escapes, so its cells, like the text's lines, go
    through shown."""
    if fmt == "json":
        return safe_json(json.dumps([f.as_dict() for f in found], indent=2, ensure_ascii=False)) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "date", "type", "title", "place", "country", "actors", "cited_by"])
        for f in found:
            row = [f.id, f.date.isoformat(), f.type, f.title, f.place, f.country, "; ".join(f.actors),
                   " ".join(f.cited_by)]
            writer.writerow([shown(cell or "") for cell in row])
        return out.getvalue()
    lines = []
    for f in found:
        lines.append(f"{f.date.isoformat()}  {f.id}")
        lines.append(f"    {f.title} ({f.type}; {', '.join(p for p in (f.place, f.country) if p)})")
        lines.append(f"    actors: {'; '.join(f.actors) or '-'}")
        lines.append(f"    cited by: {', '.join(f.cited_by) or 'no brief'}")
    return "".join(f"{shown(line)}\n" for line in lines)
