"""``secbrief export misp BRIEF``: a brief as a MISP event (the JSON of
PyMISP's MISPEvent), for MISP instances.

MISP's own STIX importer drops STIX ``incident`` objects, so the brief's
incidents would not arrive through the STIX export; here every incident
is a MISP ``incident`` object carrying its date (first_seen and a date
attribute), type, place with coordinates, actors with their roles,
casualties and sources, and a ``geolocation`` object (MISP's map) that it
references. The key judgements are an event report (Markdown); the TLP is
the event's tag and sets its distribution.

Plain JSON, like the STIX export: PyMISP is used only by the tests, to
load it. UUIDs are uuid5 of secbrief ids and every timestamp comes from the
data, so the same brief gives the same bytes.
"""

from __future__ import annotations

import calendar
import json
import uuid

from secbrief.core.diagnostics import safe_json
from secbrief.core.project import Project
from secbrief.interop.stix import BundleBuilder, load_for_export
from secbrief.interop.stix_vocab import NAMESPACE
from secbrief.resolve.views import incident_view
from secbrief.validate.corpus import Corpus

# MISP object templates (misp-objects): name -> (uuid, version).
TEMPLATES = {"incident": ("38597424-f9bb-4865-9b4b-819172df0334", "1"),
             "geolocation": ("cd6f2238-ba55-4888-82c4-104e6e1acf21", "8")}
# MISP distribution levels: 0 your organisation only, 1 this community only,
# 2 connected communities, 3 all communities, 5 inherit the event's.
DISTRIBUTION = {"CLEAR": "3", "GREEN": "1", "AMBER": "0", "AMBER+STRICT": "0", "RED": "0"}
INHERIT = "5"
CATEGORY = {"text": "Other", "datetime": "Other", "float": "Other", "counter": "Other", "link": "External analysis",
            "threat-actor": "Attribution"}


def misp_uuid(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"misp:{key}"))


def export_misp(project: Project, selection: str) -> str:
    corpus, brief_id = load_for_export(project, selection)
    return safe_json(json.dumps(misp_event(corpus, brief_id), indent=2, ensure_ascii=False)) + "\n"


def misp_event(corpus: Corpus, brief_id: str) -> dict:
    brief = corpus.briefs[brief_id].model
    stamp = str(calendar.timegm(brief.issued.timetuple()))
    objects = []
    for incident_id in BundleBuilder(corpus, brief_id).incident_ids():
        objects += _incident_objects(corpus, incident_id, stamp)
    event = {
        "uuid": misp_uuid(f"event:{brief_id}"),
        "info": f"{brief.series}: {brief.title}" if brief.series else brief.title,
        "date": brief.issued.isoformat(),
        "timestamp": stamp,
        "published": False,
        "analysis": "2",           # completed
        "threat_level_id": "4",    # undefined: a brief grades likelihoods, not threat levels
        "distribution": DISTRIBUTION[brief.tlp],
        "Tag": [{"name": f"tlp:{brief.tlp.lower()}"}],
        "Object": objects,
    }
    if brief.key_judgements or brief.summary:
        event["EventReport"] = [{"uuid": misp_uuid(f"report:{brief_id}"), "name": f"Key judgements: {brief.title}",
                                 "content": _judgements_markdown(brief), "distribution": INHERIT,
                                 "timestamp": stamp}]
    return {"Event": event}


def _attribute(owner: str, relation: str, kind: str, value, comment: str = "") -> dict:
    attribute = {"uuid": misp_uuid(f"{owner}|{relation}|{value}|{comment}"), "object_relation": relation,
                 "type": kind, "category": CATEGORY[kind], "value": str(value), "to_ids": False,
                 "distribution": INHERIT}
    if comment:
        attribute["comment"] = comment
    return attribute


def _incident_objects(corpus: Corpus, incident_id: str, stamp: str) -> list[dict]:
    view = incident_view(corpus, incident_id)
    incident = view.model
    owner = f"incident:{incident_id}"
    when = incident.date.isoformat() + (f"T{incident.time}:00" if incident.time else "")
    attrs = [_attribute(owner, "name", "text", incident.title),
             _attribute(owner, "description", "text", incident.summary.strip()),
             _attribute(owner, "incident_type", "text", incident.type),
             _attribute(owner, "date", "datetime", when),
             _attribute(owner, "place", "text", view.location_text),
             _attribute(owner, "country", "text", view.country)]
    first = view.spots[0] if view.spots else None
    if first is not None and first.lat is not None and first.lon is not None:
        attrs += [_attribute(owner, "latitude", "float", first.lat),
                  _attribute(owner, "longitude", "float", first.lon)]
    for ref, actor in zip(incident.actors, view.actors):
        attrs.append(_attribute(owner, "actor", "text", actor.name, comment=ref.role))
    casualties = incident.casualties
    for what in ("killed", "injured"):
        count = getattr(casualties, what, None) if casualties else None
        if count is not None:
            attrs.append(_attribute(owner, what, "counter", count))
    for source in incident.sources:
        about = f"{source.publisher}, {source.title}, {source.date.isoformat()} (grade {source.grade})"
        url = source.url
        attrs.append(_attribute(owner, "source", "link" if url else "text", url or about,
                                comment=about if url else source.id))
    this = misp_uuid(owner)
    incident_object = _object("incident", this, f"secbrief incident {incident_id}", attrs, stamp,
                              first_seen=when if "T" in when else f"{when}T00:00:00")
    incident_object["ObjectReference"] = []
    geolocations = []
    for index, spot in enumerate(view.spots):  # one geolocation object per place (locations:)
        key = incident_id if index == 0 else f"{incident_id}#{index + 1}"
        geo_uuid = misp_uuid(f"geolocation:{key}")
        geo_attrs = [_attribute(f"geo:{key}", "text", "text", spot.text),
                     _attribute(f"geo:{key}", "country", "text", spot.country)]
        if spot.admin1:
            geo_attrs.append(_attribute(f"geo:{key}", "region", "text", spot.admin1))
        if spot.city:
            geo_attrs.append(_attribute(f"geo:{key}", "city", "text", spot.city))
        if spot.lat is not None and spot.lon is not None:
            geo_attrs += [_attribute(f"geo:{key}", "latitude", "float", spot.lat),
                          _attribute(f"geo:{key}", "longitude", "float", spot.lon)]
        link = f"{owner}|located-at" if index == 0 else f"{owner}|located-at|{index + 1}"
        incident_object["ObjectReference"].append({"uuid": misp_uuid(link), "object_uuid": this,
                                                   "referenced_uuid": geo_uuid, "relationship_type": "located-at",
                                                   "timestamp": stamp})
        geolocations.append(_object("geolocation", geo_uuid, f"where incident {incident_id} happened",
                                    geo_attrs, stamp))
    return [incident_object, *geolocations]


def _object(name: str, object_uuid: str, comment: str, attributes: list[dict], stamp: str,
            first_seen: str | None = None) -> dict:
    template_uuid, version = TEMPLATES[name]
    obj = {"name": name, "meta-category": "misc", "uuid": object_uuid, "template_uuid": template_uuid,
           "template_version": version, "distribution": INHERIT, "comment": comment, "timestamp": stamp,
           "Attribute": attributes}
    if first_seen:
        obj["first_seen"] = first_seen + "+00:00"
    return obj


def _judgements_markdown(brief) -> str:
    lines = [f"# {brief.title}", ""]
    if brief.summary:
        lines += [brief.summary.strip(), ""]
    if brief.key_judgements:
        lines += ["## Key judgements", ""]
    for judgement in brief.key_judgements:
        evidence = f" Evidence: {', '.join(judgement.evidence)}." if judgement.evidence else ""
        lines.append(f"- {judgement.statement.strip()} (*{judgement.likelihood}*, {judgement.confidence} "
                     f"confidence).{evidence}")
    return "\n".join(lines).rstrip() + "\n"
