"""``secbrief export misp BRIEF``: a brief as a MISP event (the JSON of
PyMISP's MISPEvent), for MISP instances.

MISP's own STIX importer drops STIX ``incident`` objects, so the brief's
incidents would not arrive through the STIX export; here every incident
is a MISP ``incident`` object (name, summary, type, its date as
first_seen) that references a ``geolocation`` object per place (MISP's
map), an ``annotation`` object for its casualty figures, and the event
attributes for its actors (threat-actor, the role as relationship) and
sources (link). Objects hold only the relations of their misp-objects
templates, so a MISP instance keeps all. The key judgements are an event
report (Markdown); the TLP is the event's tag and sets its distribution.

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
             "geolocation": ("cd6f2238-ba55-4888-82c4-104e6e1acf21", "8"),
             "annotation": ("5d8dc046-15a1-4ca3-a09f-ed4ede7c4487", "3")}
# MISP distribution levels: 0 your organisation only, 1 this community only,
# 2 connected communities, 3 all communities, 5 inherit the event's.
DISTRIBUTION = {"CLEAR": "3", "GREEN": "1", "AMBER": "0", "AMBER+STRICT": "0", "RED": "0"}
INHERIT = "5"
CATEGORY = {"text": "Other", "float": "Other", "link": "External analysis", "threat-actor": "Attribution"}


def misp_uuid(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"misp:{key}"))


def export_misp(project: Project, selection: str) -> str:
    corpus, brief_id = load_for_export(project, selection)
    return safe_json(json.dumps(misp_event(corpus, brief_id), indent=2, ensure_ascii=False)) + "\n"


def misp_event(corpus: Corpus, brief_id: str) -> dict:
    brief = corpus.briefs[brief_id].model
    stamp = str(calendar.timegm(brief.issued.timetuple()))
    objects, attributes = [], {}
    for incident_id in BundleBuilder(corpus, brief_id).incident_ids():
        more_objects, more_attributes = _incident_objects(corpus, incident_id, stamp)
        objects += more_objects
        for attribute in more_attributes:
            attributes.setdefault(attribute["uuid"], attribute)
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
        "Attribute": list(attributes.values()),
        "Object": objects,
    }
    if brief.key_judgements or brief.summary:
        event["EventReport"] = [{"uuid": misp_uuid(f"report:{brief_id}"), "name": f"Key judgements: {brief.title}",
                                 "content": _judgements_markdown(brief), "distribution": INHERIT,
                                 "timestamp": stamp}]
    return {"Event": event}


def _attribute(owner: str, relation: str | None, kind: str, value, comment: str = "") -> dict:
    """An attribute of an object (``relation`` names its place in the
    object's template) or, with no relation, of the event itself."""
    attribute = {"uuid": misp_uuid(f"{owner}|{relation or kind}|{value}|{comment}"), "type": kind,
                 "category": CATEGORY[kind], "value": str(value), "to_ids": False, "distribution": INHERIT}
    if relation:
        attribute["object_relation"] = relation
    if comment:
        attribute["comment"] = comment
    return attribute


def _incident_objects(corpus: Corpus, incident_id: str, stamp: str) -> tuple[list[dict], list[dict]]:
    """An incident's MISP objects and the standalone attributes they point at.

    Each object holds only the relations its misp-objects template defines
    (a MISP instance drops the others): the ``incident`` object its name,
    summary and type, with the date as ``first_seen``; the ``geolocation``
    object the place, an ``annotation`` object the casualty figures. Actors
    and sources have no relation in the incident template, so they are event
    attributes of MISP's own types (threat-actor, link), each referenced
    from the incident object with a relationship that says what it is (the
    actor's role, derived-from)."""
    view = incident_view(corpus, incident_id)
    incident = view.model
    owner = f"incident:{incident_id}"
    this = misp_uuid(owner)
    when = incident.date.isoformat() + (f"T{incident.time}:00" if incident.time else "T00:00:00")
    attrs = [_attribute(owner, "name", "text", incident.title),
             _attribute(owner, "description", "text", incident.summary.strip()),
             _attribute(owner, "incident_type", "text", incident.type)]
    # Event attributes are one per value (MISP refuses a second equal one), so
    # an actor in three incidents is one attribute referenced three times.
    linked: list[tuple[str, dict]] = []  # (relationship, event attribute)
    for ref, actor in zip(incident.actors, view.actors):
        linked.append((ref.role, _attribute("event", None, "threat-actor", actor.name)))
    for source in incident.sources:
        about = f"{source.publisher}, {source.title}, {source.date.isoformat()} (grade {source.grade})"
        linked.append(("derived-from", _attribute("event", None, "link" if source.url else "text",
                                                  source.url or about, comment=about if source.url else "")))
    figures = [f"{getattr(incident.casualties, what)} {what}" for what in ("killed", "injured")
               if incident.casualties and getattr(incident.casualties, what, None) is not None]
    incident_object = _object("incident", this, f"secbrief incident {incident_id}", attrs, stamp, first_seen=when)
    objects = [incident_object]
    references = []
    for index, spot in enumerate(view.spots):  # one geolocation object per place (locations:)
        key = incident_id if index == 0 else f"{incident_id}#{index + 1}"
        geo_uuid, geo = misp_uuid(f"geolocation:{key}"), f"geo:{key}"
        geo_attrs = [_attribute(geo, "text", "text", spot.text), _attribute(geo, "country", "text", spot.country)]
        if spot.admin1:
            geo_attrs.append(_attribute(geo, "region", "text", spot.admin1))
        if spot.city:
            geo_attrs.append(_attribute(geo, "city", "text", spot.city))
        if spot.lat is not None and spot.lon is not None:
            geo_attrs += [_attribute(geo, "latitude", "float", spot.lat),
                          _attribute(geo, "longitude", "float", spot.lon)]
        objects.append(_object("geolocation", geo_uuid, f"where incident {incident_id} happened", geo_attrs, stamp))
        references.append(("located-at", geo_uuid, "1"))
    if figures:  # the incident template has no casualty relation; an annotation carries them
        note_uuid = misp_uuid(f"casualties:{incident_id}")
        note = f"casualties:{incident_id}"
        objects.append(_object("annotation", note_uuid, f"casualties of incident {incident_id}",
                               [_attribute(note, "type", "text", "Other"),
                                _attribute(note, "text", "text", "Casualties: " + ", ".join(figures))], stamp))
        references.append(("casualties", note_uuid, "1"))
    references += [(rel, attr["uuid"], "0") for rel, attr in linked]
    incident_object["ObjectReference"] = [
        {"uuid": misp_uuid(f"{owner}|{relationship}|{target}"), "object_uuid": this, "referenced_uuid": target,
         "referenced_type": kind, "relationship_type": relationship, "timestamp": stamp}
        for relationship, target, kind in references]
    return objects, [attr for _, attr in linked]


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
