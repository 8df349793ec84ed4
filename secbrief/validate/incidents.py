"""Incident files: each read, validated against its model and registered in
the corpus; then its references (actors, place, citations) checked once
every file is loaded. A file that fails its model is still checked for
everything its other fields hold."""

from __future__ import annotations

import datetime as dt
import os

from secbrief.core.diagnostics import Report
from secbrief.load.plaintext import check_plain_text
from secbrief.load.yamlfile import Document, is_valid_id, load_file
from secbrief.model.documents import Incident
from secbrief.model.schema_errors import validate_model
from secbrief.validate.coordinates import check_incident_point
from secbrief.validate.corpus import Corpus, Entry, reported_at
from secbrief.validate.references import (check_actor_names, check_markdown, mark_broken_sources, odd_letter,
                                          register_source)

EARLIEST_DATE = dt.date(1900, 1, 1)


EARLIEST_DATE = dt.date(1900, 1, 1)


def load_incident(corpus: Corpus, path: str, report: Report, today: dt.date) -> None:
    display = corpus.project.display(path)
    name = os.path.basename(path)
    incident_id = name[:-len(".yaml")]  # incident_files lists only .yaml files
    doc = load_file(path, display, report, within=corpus.confinement,
              cache=corpus.parse_cache)
    if doc is None:
        mark_broken(corpus, incident_id, None)
        return
    if not is_valid_id(incident_id):
        report.add(display, 1, 1, f"file name '{name}' is not a valid id: "
                   "use lowercase letters, digits and hyphens, e.g. 2020-12-20-embassy-rockets.yaml"
                   + odd_letter(incident_id), code="SB201")
        return
    incident = validate_model(Incident, doc, report)
    if incident is None:
        # Still check what can be read (names, place, citations), so one
        # run shows every mistake, not one round at a time.
        # What can still be checked is, once every file is loaded (a citation
        # may name a source defined in a later file).
        mark_broken(corpus, incident_id, doc.data)
        corpus.invalid_docs.append((check_raw_incident, doc, reported_at(report, doc)))
        return
    if incident.date > today:
        line, col = doc.where(("date",))
        report.add(display, line, col, f"date: {incident.date} is in the future", code="SB202")
    elif incident.date < EARLIEST_DATE:
        line, col = doc.where(("date",))
        report.add(display, line, col, f"date: {incident.date} is before {EARLIEST_DATE.year}", code="SB202")
    if not incident_id.startswith(incident.date.isoformat()):
        line, col = doc.where(("date",))
        report.add(display, line, col, f"file name should start with the incident's date "
                   f"{incident.date.isoformat()} (found '{name}')", code="SB203")
    if incident_id in corpus.incidents:
        other = corpus.incidents[incident_id].doc.display
        report.add(display, 1, 1, f"incident id '{incident_id}' is also used by {other}", code="SB204")
        return
    corpus.incidents[incident_id] = Entry(incident_id, incident, doc)
    check_plain_text(doc, report, markdown={("summary",)})
    for index, source in enumerate(incident.sources):
        register_source(corpus, source, doc, ("sources", index), report)


def mark_broken(corpus: Corpus, incident_id: str, data) -> None:
    """Remember an incident whose file has errors, and the source ids it
    defines as far as they can be read."""
    corpus.broken.add(incident_id)
    mark_broken_sources(corpus, data)


def check_raw_incident(corpus: Corpus, doc: Document, report: Report) -> None:
    """The cross-file checks of an incident whose model did not validate,
    on the fields that hold what they should: each check needs only its own
    field, so a wrong casualty count does not hide a misspelt place."""
    check_actor_names(corpus, doc, report)
    data = doc.data if isinstance(doc.data, dict) else {}
    location = data.get("location")
    place = location.get("place") if isinstance(location, dict) else None
    if isinstance(place, str) and place and corpus.places.unknown(place):
        line, col = doc.where(("location", "place"))
        report.add(doc.display, line, col, corpus.places.unknown_message(place), code="SB221")
    if isinstance(data.get("summary"), str):
        check_markdown(corpus, doc, ("summary",), data["summary"], report)


def check_incident_refs(corpus: Corpus, entry: Entry, report: Report) -> None:
    incident, doc = entry.model, entry.doc
    check_actor_names(corpus, doc, report)
    if incident.location.place:
        if corpus.places.unknown(incident.location.place):
            line, col = doc.where(("location", "place"))
            report.add(doc.display, line, col, corpus.places.unknown_message(incident.location.place),
                       code="SB221")
    if not incident.location.country and not incident.location.place:  # an unknown place: SB221 says it
        line, col = doc.where(("location",))
        report.add(doc.display, line, col, "location: needs a 'country' (or a 'place' from the registry)",
                   code="SB222")
    check_incident_point(corpus, entry, report)
    check_markdown(corpus, doc, ("summary",), incident.summary, report)
