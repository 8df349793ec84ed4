"""Finding incidents: by actor (with its aliases, and optionally the actors
affiliated with it), place, country, type and date range, or by the brief
that cites them, each listed with the briefs that cite it.

Reads the incidents index (incidents_index: rows kept in build/.cache, so
a query on 10,000 incidents does not load the project) or a loaded corpus;
`secbrief incidents` is its command line. A brief
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

from secbrief.core import countries
from secbrief.core.diagnostics import UsageError, safe_json, shown
from secbrief.authoring.incidents_index import IncidentIndex, from_corpus
from secbrief.model.documents import INCIDENT_TYPES
from secbrief.validate.corpus import Corpus

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
    revised: dt.date | None = None  # the date of its latest update, if any

    def as_dict(self) -> dict:
        return {"id": self.id, "date": self.date.isoformat(), "type": self.type, "title": self.title,
                "place": self.place, "country": self.country, "actors": self.actors, "cited_by": self.cited_by,
                "revised": self.revised.isoformat() if self.revised else None}


def citing_briefs(corpus: Corpus) -> dict[str, list[str]]:
    """Incident id -> the ids of the briefs that cite it, sorted."""
    return from_corpus(corpus).cited


def find(source: Corpus | IncidentIndex, query: Query) -> list[Found]:
    """The incidents that match every filter given, oldest first; from a
    loaded corpus or from the index (incidents_index.load_index)."""
    index = from_corpus(source) if isinstance(source, Corpus) else source
    actor_ids = _actor_ids(index, query) if query.actor else None
    place = _place(index, query.place) if query.place else None
    if query.type and query.type not in INCIDENT_TYPES:
        close = difflib.get_close_matches(query.type, INCIDENT_TYPES, n=1)
        raise UsageError(f"--type: unknown incident type '{query.type}'"
                         + (f" (did you mean '{close[0]}'?)" if close else f"; one of {', '.join(INCIDENT_TYPES)}"))
    if query.cited_by is not None and query.cited_by not in index.brief_ids:
        raise UsageError(f"--cited-by: no brief '{query.cited_by}' (a brief id, e.g. the file name in briefs/ "
                         "without .yaml)")
    country = countries.key(query.country) if query.country else None  # any of its names: Turkey, Türkiye
    places, actors = _memo(index.places.lookup), _memo(index.actors.lookup)
    found = []
    for row in index.rows:
        if query.since and row.date < query.since or query.until and row.date > query.until:
            continue
        if query.type and row.type != query.type:
            continue
        briefs = index.cited.get(row.id, [])
        if query.cited_by and query.cited_by not in briefs:
            continue
        spots = [(loc, places(loc["place"]) if "place" in loc else None) for loc in row.locations]
        if place is not None and not any(p is place for _, p in spots):
            continue
        names = list(dict.fromkeys(c for c in (loc.get("country") or (p.country if p else "")
                                               for loc, p in spots) if c))
        if country is not None and country not in {countries.key(c) for c in names}:
            continue
        row_actors = [actors(name) for name in row.actors]
        if actor_ids is not None and not any(a is not None and a.id in actor_ids for a in row_actors):
            continue
        found.append(Found(row.id, row.date, row.type, row.title,
                           "; ".join(p.name if p else (loc.get("site") or "")
                                     for loc, p in spots).strip("; "), " / ".join(names),
                           [a.name if a is not None else name for a, name in zip(row_actors, row.actors)],
                           briefs, row.revised))
    return sorted(found, key=lambda f: (f.date, f.id))


def _memo(lookup):
    known: dict = {}

    def look(name):
        if name not in known:
            known[name] = lookup(name)
        return known[name]
    return look


def _actor_ids(index: IncidentIndex, query: Query) -> set[str]:
    actor = index.actors.lookup(query.actor)
    if actor is None:
        raise UsageError(f"--actor: {index.actors.unknown_message(query.actor)}")
    ids = {actor.id}
    if query.with_affiliates:  # every actor whose chain of affiliations reaches this one
        for other in index.actors.by_id.values():
            seen, current = set(), other
            while current is not None and current.id not in seen:
                seen.add(current.id)
                if current.id == actor.id:
                    ids.add(other.id)
                    break
                current = index.actors.by_id.get(current.affiliation) if current.affiliation else None
    return ids


def _place(index: IncidentIndex, name: str):
    place = index.places.lookup(name)
    if place is None:
        raise UsageError(f"--place: {index.places.unknown_message(name)}")
    return place


def format_incidents(found: list[Found], fmt: str) -> str:
    """The incidents as JSON, CSV or text. Titles, places and names come
    from YAML: JSON escapes what could drive a terminal (safe_json, the data
    unchanged); CSV has no escapes, so its cells, like the text's lines, go
    through shown."""
    if fmt == "json":
        return safe_json(json.dumps([f.as_dict() for f in found], indent=2, ensure_ascii=False)) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "date", "type", "title", "place", "country", "actors", "cited_by", "revised"])
        for f in found:
            row = [f.id, f.date.isoformat(), f.type, f.title, f.place, f.country, "; ".join(f.actors),
                   " ".join(f.cited_by), f.revised.isoformat() if f.revised else ""]
            writer.writerow([shown(cell or "") for cell in row])
        return out.getvalue()
    lines = []
    for f in found:
        lines.append(f"{f.date.isoformat()}  {f.id}")
        lines.append(f"    {f.title} ({f.type}; {', '.join(p for p in (f.place, f.country) if p)})")
        lines.append(f"    actors: {'; '.join(f.actors) or '-'}")
        lines.append(f"    cited by: {', '.join(f.cited_by) or 'no brief'}")
        if f.revised:
            lines.append(f"    revised: {f.revised.isoformat()}")
    return "".join(f"{shown(line)}\n" for line in lines)
