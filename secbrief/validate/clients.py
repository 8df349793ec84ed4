"""Client profiles against the corpus: each profile read and checked (its
style, logo, and scope names that no place or incident uses), every brief's
`client:` known, and which incidents fall in a client's scope (the weekly
briefs, their chart, and `secbrief weekly` ask this)."""

from __future__ import annotations

import difflib
from pathlib import Path

from secbrief.core import countries
from secbrief.core.diagnostics import WARNING, Report
from secbrief.core.textgrammar import is_valid_id, name_key
from secbrief.core.tlp import tlp
from secbrief.load.yamlfile import load_file
from secbrief.model.clients import CLIENTS_FOLDER, LOGO_SUFFIXES, Client, ClientProfile, Scope, client_paths
from secbrief.model.schema_errors import validate_model
from secbrief.validate.corpus import Corpus, incident_spots
from secbrief.validate.recipients import check_brief_recipients, check_profile_recipients


def load_clients(corpus: Corpus, report: Report) -> None:
    """Read every profile into ``corpus.clients``; needs incidents and places
    loaded first (scope names are compared with theirs)."""
    project = corpus.project
    for path in client_paths(project):
        display = project.display(path)
        doc = load_file(path, display, report, within=corpus.confinement, cache=corpus.parse_cache)
        if doc is None:
            continue
        if not is_valid_id(path.stem):
            # SB201, as for incidents and briefs: one code per kind of problem.
            report.add(display, 1, 1, f"file name '{path.name}' is not a valid client id: "
                       "use lowercase letters, digits and hyphens, e.g. two-rivers-freight.yaml",
                       code="SB201")
            continue
        profile = validate_model(ClientProfile, doc, report)
        if profile is None:
            continue
        client = Client(path.stem, profile, doc)
        corpus.clients[client.id] = client
        _check_profile(corpus, client, report)


def _check_profile(corpus: Corpus, client: Client, report: Report) -> None:
    doc, profile = client.doc, client.profile

    def add(loc, message, code, severity="error"):
        line, col = doc.where(loc)
        report.add(doc.display, line, col, message, severity=severity, code=code)

    if profile.tlp and tlp(profile.tlp).exceeds(profile.tlp_ceiling):
        add(("tlp",), f"tlp: TLP:{profile.tlp} is above this client's ceiling TLP:{profile.tlp_ceiling}",
            "SB265")
    styles = corpus.project.styles()
    if profile.style not in styles:
        add(("style",), f"style: unknown style '{profile.style}'; expected one of: {', '.join(styles)}",
            "SB261")
    if client.logo_path is not None:
        logo = profile.branding.logo
        if not corpus.project.contains(client.logo_path) or ".." in Path(logo).parts:
            add(("branding", "logo"), f"logo: '{logo}' is outside the project", "SB262")
        elif not client.logo_path.is_file():
            add(("branding", "logo"), f"logo: file '{logo}' not found (paths are relative to "
                f"{Path(doc.display).parent}/)", "SB262")
        elif client.logo_path.suffix.lower() not in LOGO_SUFFIXES:
            add(("branding", "logo"), "logo: expected a .svg, .png or .jpg file", "SB262")
    check_profile_recipients(corpus.project, client, report)
    # A misspelt country or region would silently match nothing: warn when a
    # name is unknown to the corpus but close to one that is.
    known = corpus.derived("known areas", lambda: _known_areas(corpus))  # once, not per client
    for field, names in (("countries", profile.scope.countries), ("regions", profile.scope.regions)):
        for index, name in enumerate(names):
            hint = _close_unknown(name, known[field], countries.key if field == "countries" else name_key)
            if hint:
                add(("scope", field, index), f"{field}: no incident or place names '{name}' "
                    f"(did you mean '{hint}'?)", "SB263", WARNING)
    for index, tag in enumerate(profile.scope.tags):
        hint = _close_unknown(tag, known["tags"], name_key)
        if hint:
            add(("scope", "tags", index), f"tags: no incident has the tag '{tag}' (did you mean '{hint}'?)",
                "SB263", WARNING)


def _known_areas(corpus: Corpus) -> dict[str, set[str]]:
    countries, regions, tags = set(), set(), set()
    for place in corpus.places.by_id.values():
        countries.add(place.country)
        if place.admin1:
            regions.add(place.admin1)
    for entry in corpus.incidents.values():
        for country, admin1 in incident_areas(corpus, entry.model):
            countries.add(country)
            if admin1:
                regions.add(admin1)
        tags.update(entry.model.tags)
    return {"countries": {c for c in countries if c}, "regions": regions, "tags": tags}


def _close_unknown(name: str, known: set[str], same) -> str | None:
    """A known name close to ``name``, unless ``name`` is known: the same
    once both go through ``same`` (a country's other names count)."""
    if same(name) in {same(k) for k in known}:
        return None
    keys = {name_key(k): k for k in known}
    close = difflib.get_close_matches(name_key(name), list(keys), n=1, cutoff=0.75)
    return keys[close[0]] if close else None


def check_brief_clients(corpus: Corpus, report: Report, briefs: list[str] | None = None) -> None:
    """A brief's ``client`` must name a profile, and its TLP marking must not
    exceed that client's ceiling. Every brief, or those of ``briefs``."""
    for entry in corpus.brief_entries(briefs):
        brief, doc = entry.model, entry.doc
        check_brief_recipients(corpus, entry, report)
        if brief.client is None:
            continue
        client = corpus.clients.get(brief.client)
        if client is None:
            close = difflib.get_close_matches(brief.client, list(corpus.clients), n=1, cutoff=0.6)
            hint = (f" (did you mean '{close[0]}'?)" if close else
                    f"; the clients are: {', '.join(sorted(corpus.clients)) or 'none'}")
            line, col = doc.where(("client",))
            report.add(doc.display, line, col, f"unknown client '{brief.client}'{hint}; a client is a "
                       f"profile in briefs/{CLIENTS_FOLDER}/<id>.yaml", code="SB264")
            continue
        ceiling = client.profile.tlp_ceiling
        if tlp(brief.tlp).exceeds(ceiling):
            line, col = doc.where(("tlp",))
            report.add(doc.display, line, col, f"tlp: TLP:{brief.tlp} is above the ceiling TLP:{ceiling} "
                       f"of client '{client.id}' ({client.doc.display})", code="SB265")


def incident_areas(corpus: Corpus, incident) -> list[tuple[str, str | None]]:
    """(country, admin1) of each of an incident's locations: its own
    fields, else its place's."""
    return [(spot.country, spot.admin1) for spot in incident_spots(corpus, incident)]


def in_scope(corpus: Corpus, scope: Scope, incident) -> bool:
    """An incident is in a scope's area when any of its locations is (a
    strike on the Jordan-Syria border is in a Jordan scope and a Syria one).
    A country matches under any of its names (Turkey, Türkiye)."""
    wanted = {countries.key(c) for c in scope.countries}
    regions = {name_key(r) for r in scope.regions}
    if not any(countries.key(country) in wanted or (admin1 is not None and name_key(admin1) in regions)
               for country, admin1 in incident_areas(corpus, incident)):
        return False
    if scope.types and incident.type not in scope.types:
        return False
    return not scope.tags or bool(set(scope.tags) & set(incident.tags))


def incidents_in_scope(corpus: Corpus, scope: Scope, start, end) -> list[str]:
    """Ids of the incidents from ``start`` to ``end`` (dates, inclusive) in
    ``scope``, oldest first."""
    found = [(entry.model.date, incident_id) for incident_id, entry in corpus.incidents.items()
             if start <= entry.model.date <= end and in_scope(corpus, scope, entry.model)]
    return [incident_id for _, incident_id in sorted(found)]
