"""Incident files: each read, validated against its model and registered in
the corpus; then its references (actors, place, citations) checked once
every file is loaded. A file that fails its model is still checked for
everything its other fields hold."""

from __future__ import annotations

import datetime as dt
import difflib
import os

from secbrief.core import countries
from secbrief.core.diagnostics import WARNING, Report
from secbrief.core.textgrammar import is_valid_id
from secbrief.load.plaintext import check_plain_text
from secbrief.load.yamlfile import Document, load_file
from secbrief.model.documents import Incident
from secbrief.model.schema_errors import validate_model
from secbrief.validate.coordinates import check_incident_point
from secbrief.validate.corpus import Corpus, Entry, reported_at
from secbrief.validate.references import (check_actor_names, check_markdown, mark_broken_sources, odd_letter,
                                          register_source)

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
    if not check_location_choice(doc, report):
        incident = None  # registered incidents have one of the two
    check_update_dates(doc, report, today)  # from the raw data: a file that failed its model too
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


def _day(value) -> dt.date | None:
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None


def check_update_dates(doc: Document, report: Report, today: dt.date) -> None:
    """Each update dated between the incident and today, oldest first. Read
    from the raw data, so a file that failed its model on another field is
    checked too; a date that is not one is the model's to report."""
    data = doc.data if isinstance(doc.data, dict) else {}
    updates = data.get("updates") if isinstance(data.get("updates"), list) else []
    incident_date, latest = _day(data.get("date")), None
    for index, update in enumerate(updates):
        day = _day(update.get("date")) if isinstance(update, dict) else None
        if day is None:
            continue
        line, col = doc.where(("updates", index, "date"))
        if incident_date is not None and day < incident_date:
            report.add(doc.display, line, col, f"updates: {day} is before the incident's date {incident_date}",
                       code="SB272")
        elif day > today:
            report.add(doc.display, line, col, f"updates: {day} is in the future", code="SB273")
        if latest is not None and day < latest:
            report.add(doc.display, line, col, f"updates: {day} comes after an update of {latest}; "
                       "list updates oldest first", severity=WARNING, code="SB275")
        latest = max(latest or day, day)


def check_update_sources(corpus: Corpus, doc: Document, report: Report) -> None:
    """Each update's source is a source of the project (read from the raw
    data: works on a file that failed its model too)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    updates = data.get("updates")
    own = [s.get("id") for s in data.get("sources") or [] if isinstance(s, dict) and isinstance(s.get("id"), str)] \
        if isinstance(data.get("sources"), list) else []
    for index, update in enumerate(updates if isinstance(updates, list) else []):
        source = update.get("source") if isinstance(update, dict) else None
        if not isinstance(source, str) or not source or source in corpus.sources or source in own:
            continue
        if source in corpus.broken:
            continue
        close = difflib.get_close_matches(source, own, n=1) or difflib.get_close_matches(source, corpus.sources, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        line, col = doc.where(("updates", index, "source"))
        report.add(doc.display, line, col, f"updates: unknown source '{source}'{hint}; name one of the "
                   "incident's sources, or a source of the project", code="SB274")


def check_location_choice(doc: Document, report: Report) -> bool:
    """Whether the file has either `location` or `locations` (a list of the
    same shape), as an incident must; SB271 when it has neither or both."""
    data = doc.data if isinstance(doc.data, dict) else None
    if data is None:
        return True  # the typed model said what is wrong with the file
    if any((key,) in doc.refused for key in ("location", "locations")):
        return False  # the loader refused the value (a bad tag) and said so: one mistake, one line
    if data.get("location") is not None and data.get("locations") is not None:
        line, col = doc.where(("locations",), key=True)
        report.add(doc.display, line, col, "give either 'location' (one place) or 'locations' (a list of places), "
                   "not both", code="SB271")
        return False
    if data.get("location") is None and data.get("locations") is None:  # absent, or empty as in a skeleton
        line, col = doc.where(("location" if "location" in data else "locations",), key=True)
        report.add(doc.display, line, col, "missing required field 'location' (or 'locations', a list of places)",
                   code="SB271")
        return False
    return True


def _locations(data) -> list[tuple[tuple, dict]]:
    """(loc, mapping) of each location written in raw incident data."""
    if isinstance(data.get("location"), dict):
        return [(("location",), data["location"])]
    if isinstance(data.get("locations"), list):
        return [(("locations", i), item) for i, item in enumerate(data["locations"]) if isinstance(item, dict)]
    return []


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
    check_location_names(corpus, doc, report)
    if isinstance(data.get("summary"), str):
        check_markdown(corpus, doc, ("summary",), data["summary"], report)
    check_update_sources(corpus, doc, report)


def check_incident_refs(corpus: Corpus, entry: Entry, report: Report) -> None:
    incident, doc = entry.model, entry.doc
    check_actor_names(corpus, doc, report)
    check_location_names(corpus, doc, report)
    for index, location in enumerate(incident.all_locations):
        if not location.country and not location.place:  # an unknown place: SB221 says it
            at = ("locations", index) if incident.locations else ("location",)
            line, col = doc.where(at)
            report.add(doc.display, line, col, f"{at[0]}: needs a 'country' (or a 'place' from the registry)",
                       code="SB222")
    check_incident_point(corpus, entry, report)
    check_markdown(corpus, doc, ("summary",), incident.summary, report)
    check_update_sources(corpus, doc, report)


def check_location_names(corpus: Corpus, doc: Document, report: Report) -> None:
    """Each location's place is in the registry (SB221) and its country is
    a country's name (SB223). Read from the raw data, so the same check
    serves a file that failed its model and one that passed."""
    data = doc.data if isinstance(doc.data, dict) else {}
    for at, location in _locations(data):
        place = location.get("place")
        if isinstance(place, str) and place and corpus.places.unknown(place):
            line, col = doc.where(at + ("place",))
            report.add(doc.display, line, col, corpus.places.unknown_message(place), code="SB221")
        country = location.get("country")
        if isinstance(country, str) and country.strip():
            check_country(country, doc, at, report)


def check_country(name: str, doc: Document, at: tuple, report: Report) -> None:
    """A warning for a country that is no country's name (ISO 3166 or an
    alias in core.countries): briefs show it as written, but the STIX
    export has no ISO 3166 code to give it."""
    if countries.code(name) is not None:
        return
    hint = countries.suggest(name)
    line, col = doc.where(at + ("country",))
    report.add(doc.display, line, col, f"country: unknown country '{name}'"
               + (f" (did you mean '{hint}'?)" if hint else ": write its English name, as ISO 3166 has it"),
               severity=WARNING, code="SB223")
