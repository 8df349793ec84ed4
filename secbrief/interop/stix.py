"""``secbrief export stix``: a brief as a STIX 2.1 bundle, for OpenCTI, MISP
and other threat-intelligence platforms.

Plain JSON built from the validated corpus; the stix2 library is used only
by the tests, to prove the bundle parses. Ids are uuid5 of secbrief ids and
every timestamp comes from the data (dates of incidents, sources and the
brief), so exporting the same brief twice gives the same bytes. Every
object carries the brief's TLP as the official TLP 2.0 marking definition.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

from secbrief.core import textgrammar
from secbrief.core.diagnostics import Report, UsageError, safe_json
from secbrief.core.project import Project
from secbrief.resolve.views import Citations, incident_view
from secbrief.interop.stix_vocab import (CONFIDENCE, IDENTITY_CLASS, NAMESPACE, PRECISION_METRES,
                                 ROLE_RELATIONSHIP, THREAT_ACTOR_KINDS, country_code, tlp_marking)
from secbrief.core.yardstick import active
from secbrief.model.documents import markdown_fields
from secbrief.validate.corpus import Corpus
from secbrief.validate.load_corpus import load_corpus


def stix_id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00.000Z"


def brief_id_from(selection: str) -> str:
    return Path(selection).stem if selection.endswith((".yaml", ".yml")) else selection


def export_stix(project: Project, selection: str) -> str:
    """The bundle as JSON text (UTF-8, sorted nowhere: order is the data's)."""
    corpus, brief_id = load_for_export(project, selection)
    return bundle_text(BundleBuilder(corpus, brief_id).bundle())


def load_for_export(project: Project, selection: str) -> tuple[Corpus, str]:
    """The validated corpus (errors stop the export) and the id of the brief
    ``selection`` names, by id or by file."""
    report = Report()
    corpus = load_corpus(project, report)
    report.raise_if_errors()
    brief_id = brief_id_from(selection)
    if brief_id not in corpus.briefs:
        raise UsageError(f"unknown brief '{brief_id}'; the briefs are: {', '.join(sorted(corpus.briefs))}")
    return corpus, brief_id


def bundle_text(bundle: dict) -> str:
    """The bundle as JSON; characters that could drive a terminal are JSON
    escapes (safe_json), so it reads back to the same values."""
    return safe_json(json.dumps(bundle, indent=2, ensure_ascii=False)) + "\n"


class BundleBuilder:
    """Collects the objects of one brief's bundle, each once, in the order
    they are first reached."""

    def __init__(self, corpus: Corpus, brief_id: str):
        self.corpus = corpus
        self.brief_id = brief_id
        self.brief = corpus.briefs[brief_id].model
        self.marking = tlp_marking(self.brief.tlp)
        self.objects: dict[str, dict] = {}
        author = self.brief.publisher or self.brief.team
        self.author_id = stix_id("identity", f"author:{author}") if author else None
        self.author = author
        self.first_seen = _first_mentions(corpus)

    # --- common properties ----------------------------------------------

    def _add(self, obj: dict, created: dt.date, modified: dt.date | None = None) -> str:
        if obj["id"] in self.objects:
            return obj["id"]
        common = {"type": obj.pop("type"), "spec_version": "2.1", "id": obj.pop("id")}
        if self.author_id and common["id"] != self.author_id:
            common["created_by_ref"] = self.author_id
        common["created"] = timestamp(created)
        common["modified"] = timestamp(max(created, modified or created))
        self.objects[common["id"]] = {**common, **obj, "object_marking_refs": [self.marking["id"]]}
        return common["id"]

    def _text(self, markdown: str, citations: Citations) -> str:
        """Analyst Markdown with [@id] citations as [n], n being the place
        of the source in the object's external_references."""
        return textgrammar.CITATION_RE.sub(
            lambda m: "[" + ", ".join(str(n) for n in citations.cite(
                [p.strip()[1:] for p in m.group(1).split(";")])) + "]", markdown)

    def _references(self, citations: Citations, also: list[str], own: dict | None = None) -> list[dict]:
        citations.cite([ref for ref in also if ref in self.corpus.sources or ref in self.corpus.incidents])
        refs = [_source_reference(note.source) for note in citations.notes]
        return refs + ([own] if own else [])

    # --- the brief ---------------------------------------------------------

    def bundle(self) -> dict:
        brief = self.brief
        if self.author_id:
            self._add({"type": "identity", "id": self.author_id, "name": self.author,
                       "identity_class": "organization"},
                      self.first_seen.get(f"author:{self.author}", brief.issued))
        incident_ids = self.incident_ids()
        for incident_id in incident_ids:
            self._incident(incident_id)
        for name in brief.parties:
            self._actor(self.corpus.actors.lookup(name))
        for judgement in brief.key_judgements:
            self._judgement(judgement)
        report = self._report()
        objects = [self.marking, report, *self.objects.values()]
        return {"type": "bundle", "id": stix_id("bundle", self.brief_id), "objects": objects}

    def incident_ids(self) -> list[str]:
        brief = self.brief
        ids = ([brief.event] if brief.event else []) + list(brief.incidents)
        ids += [i for item in brief.implications for i in item.timeline]
        ids += [ref for j in brief.key_judgements for ref in j.evidence]
        ids += [cited for _loc, text in markdown_fields(brief) for cited, _ in textgrammar.citation_ids(text)]
        return [i for i in dict.fromkeys(ids) if i in self.corpus.incidents]

    def _report(self) -> dict:
        brief = self.brief
        citations = Citations(self.corpus)
        description = self._text(_brief_markdown(self.corpus, brief), citations)
        refs = self._references(citations, [s.id for s in brief.sources],
                                {"source_name": "secbrief", "external_id": self.brief_id})
        report = {"type": "report", "spec_version": "2.1", "id": stix_id("report", self.brief_id)}
        if self.author_id:
            report["created_by_ref"] = self.author_id
        report.update({"created": timestamp(brief.issued), "modified": timestamp(brief.issued),
                       "name": brief.title})
        if description:
            report["description"] = description
        report["report_types"] = ["threat-report"]
        report["published"] = timestamp(brief.issued)
        report["object_refs"] = list(self.objects) or [self.marking["id"]]
        if brief.tags:
            report["labels"] = list(brief.tags)
        report["external_references"] = refs
        report["object_marking_refs"] = [self.marking["id"]]
        return report

    def _judgement(self, judgement) -> None:
        yardstick = active(self.brief.yardstick, self.corpus.config.yardstick)
        citations = Citations(self.corpus)
        evidence = [stix_id("incident", ref) for ref in judgement.evidence if ref in self.corpus.incidents]
        content = (f"{judgement.statement}\n\nLikelihood: {yardstick.label(judgement.likelihood)} "
                   f"on the {yardstick.name} yardstick. Confidence: {judgement.confidence}.")
        self._add({"type": "note", "id": stix_id("note", f"{self.brief_id}:{judgement.id}"),
                   "abstract": judgement.statement.strip(), "content": content,
                   "object_refs": [stix_id("report", self.brief_id), *evidence],
                   "confidence": CONFIDENCE[judgement.confidence],
                   "labels": ["key-judgement"],
                   "external_references": self._references(
                       citations, judgement.evidence,
                       {"source_name": "secbrief", "external_id": f"{self.brief_id}#{judgement.id}"})},
                  self.brief.issued)

    # --- incidents, places, actors ------------------------------------------

    def _incident(self, incident_id: str) -> None:
        view = incident_view(self.corpus, incident_id)
        incident = view.model
        created = incident.date
        modified = max([created, *(s.date for s in incident.sources)])
        citations = Citations(self.corpus)
        when = incident.date.isoformat() + (f" {incident.time} local time" if incident.time else "")
        description = f"{when}. {self._text(incident.summary.strip(), citations)}"
        if incident.casualties is not None:
            description += f"\n\nCasualties: {view.casualty_text}."
        own = {"source_name": "secbrief", "external_id": incident_id}
        refs = self._references(citations, [s.id for s in incident.sources], own)
        if incident.acled_id:
            refs.append({"source_name": "acled", "external_id": incident.acled_id})
        this = self._add({"type": "incident", "id": stix_id("incident", incident_id), "name": incident.title,
                          "description": description, "labels": list(dict.fromkeys([incident.type, *incident.tags])),
                          "external_references": refs}, created, modified)
        for index, spot in enumerate(view.spots):  # one location object per place (locations:)
            location = self._location(incident_id if index == 0 else f"{incident_id}#{index + 1}", spot,
                                      created, modified)
            self._relationship(this, "located-at", location, None, created, modified)
        for ref, actor in zip(incident.actors, view.actors):
            target = self._actor(actor)
            kind, what = ROLE_RELATIONSHIP[ref.role]
            self._relationship(this, kind, target, what, created, modified)

    def _location(self, key, spot, created, modified) -> str:
        obj = {"type": "location", "id": stix_id("location", key), "name": spot.text}
        if spot.lat is not None and spot.lon is not None:
            obj["latitude"], obj["longitude"] = spot.lat, spot.lon
            if spot.precision:
                obj["precision"] = PRECISION_METRES[spot.precision]
        if spot.admin1:
            obj["administrative_area"] = spot.admin1
        obj["country"] = country_code(spot.country)
        if spot.city:
            obj["city"] = spot.city
        return self._add(obj, created, modified)

    def _actor(self, actor) -> str:
        key = f"actor:{actor.id}"
        created = self.first_seen.get(key, self.brief.issued)
        aliases = list(dict.fromkeys(a for a in [*actor.aliases, actor.native_name] if a and a != actor.name))
        about = f"{actor.kind.replace('-', ' ').capitalize()}" + (f", {actor.country}" if actor.country else "")
        if actor.kind in THREAT_ACTOR_KINDS:
            obj = {"type": "threat-actor", "id": stix_id("threat-actor", actor.id), "name": actor.name,
                   "description": about + ".", "labels": [actor.kind]}
            if aliases:
                obj["aliases"] = aliases
        else:
            # STIX identities have no aliases: the other spellings go in the description.
            known = f" Also written: {'; '.join(aliases)}." if aliases else ""
            obj = {"type": "identity", "id": stix_id("identity", actor.id), "name": actor.name,
                   "description": about + "." + known, "identity_class": IDENTITY_CLASS[actor.kind]}
        this = self._add(obj, created)
        umbrella = self.corpus.actors.by_id.get(actor.affiliation) if actor.affiliation else None
        if umbrella is not None:
            self._relationship(this, "related-to", self._actor(umbrella), f"member of {umbrella.name}",
                               created, created)
        return this

    def _relationship(self, source, kind, target, description, created, modified) -> None:
        obj = {"type": "relationship", "id": stix_id("relationship", f"{source}|{kind}|{target}"),
               "relationship_type": kind}
        if description:
            obj["description"] = description
        obj.update({"source_ref": source, "target_ref": target})
        self._add(obj, created, modified)


def _source_reference(source) -> dict:
    by = f"{source.author}, " if source.author else ""
    ref = {"source_name": source.publisher,
           "description": f"{by}{source.title}, {source.date.isoformat()} (grade {source.grade})"}
    if source.url:
        ref["url"] = source.url
    ref["external_id"] = source.id
    return ref


def _brief_markdown(corpus: Corpus, brief) -> str:
    """The brief's prose in reading order, as one Markdown text."""
    parts = [brief.standfirst, brief.summary]
    if brief.event_text or brief.event:
        parts.append(brief.event_text or corpus.incidents[brief.event].model.summary)
    bullets = []
    for item in brief.implications:
        bullets.append("- " + " ".join(item.text.split()))
        for incident_id in sorted(item.timeline, key=lambda i: (corpus.incidents[i].model.date, i)):
            incident = corpus.incidents[incident_id].model
            bullets.append(f"  - {incident.date.isoformat()}: {incident.title} [@{incident_id}]")
    if bullets:
        parts.append("\n".join(bullets))
    parts += [f"## {s.heading}\n\n{s.body}" for s in brief.sections]
    parts.append(brief.outlook)
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def _first_mentions(corpus: Corpus) -> dict[str, dt.date]:
    """The earliest date the corpus mentions each actor and each author: the
    `created` of shared objects, the same whichever brief is exported."""
    first: dict[str, dt.date] = {}

    def seen(key: str, day: dt.date) -> None:
        if key not in first or day < first[key]:
            first[key] = day

    for entry in corpus.incidents.values():
        for ref in entry.model.actors:
            actor = corpus.actors.lookup(ref.name)
            if actor is not None:
                seen(f"actor:{actor.id}", entry.model.date)
    for entry in corpus.briefs.values():
        brief = entry.model
        for name in brief.parties:
            actor = corpus.actors.lookup(name)
            if actor is not None:
                seen(f"actor:{actor.id}", brief.issued)
        for author in (brief.publisher, brief.team):
            if author:
                seen(f"author:{author}", brief.issued)
    # An umbrella is created no later than its first member.
    for actor in corpus.actors.by_id.values():
        if actor.affiliation and f"actor:{actor.id}" in first:
            seen(f"actor:{actor.affiliation}", first[f"actor:{actor.id}"])
    return first
