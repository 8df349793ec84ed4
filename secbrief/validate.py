"""Validate step: typed models, then every cross-reference, across all files.

Nothing stops at the first problem: every file is read and every problem is
reported, so an analyst fixes a whole brief in one pass.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from secbrief import clients, lookalike, markup
from secbrief.collector import collector_paused
from secbrief.config import ProjectConfig, load_config
from secbrief.errors import Report
from secbrief.loader import Confinement, Document, is_valid_id, load_file
from secbrief.plaintext import check_plain_text
from secbrief.parsecache import ParseCache
from secbrief.models import (ActorRegistry, Brief, Incident, PlaceRegistry, Source)
from secbrief.project import Project
from secbrief.registry import Registry
from secbrief.schema_errors import validate_model
from secbrief.yardstick import active, others

EARLIEST_DATE = dt.date(1900, 1, 1)


@dataclass
class Entry:
    """A validated model with the document it came from."""

    id: str
    model: object
    doc: Document


@dataclass
class Corpus:
    """Everything the project holds, validated and cross-referenced."""

    project: Project
    actors: Registry = field(default_factory=lambda: Registry("actor"))
    places: Registry = field(default_factory=lambda: Registry("place"))
    incidents: dict[str, Entry] = field(default_factory=dict)
    briefs: dict[str, Entry] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    source_docs: dict[str, tuple[Document, tuple]] = field(default_factory=dict)
    registry_docs: list[Document] = field(default_factory=list)
    config: ProjectConfig = field(default_factory=ProjectConfig)
    clients: dict[str, object] = field(default_factory=dict)  # id -> clients.Client
    # Ids of incidents and sources whose file exists but has errors: a brief
    # citing them is not wrong, so it gets no second line for one mistake.
    broken: set[str] = field(default_factory=set)
    # Incident and brief files that did not validate, each with the check of
    # what can still be read in it, run once every file is loaded.
    invalid_docs: list[tuple] = field(default_factory=list)
    # Files are read only from inside the project, links followed.
    confinement: Confinement = field(init=False)

    # Parses of unchanged files, kept between loads in build/ (parsecache.py).
    parse_cache: ParseCache | None = None

    def __post_init__(self):
        self.confinement = Confinement(self.project.root)
        self._derived: dict = {}

    def derived(self, key, make):
        """``make()``, once per load: an index other modules build over the
        whole corpus (e.g. a client's incidents by date) and use per brief."""
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]

    def series_briefs(self, series: str) -> list[Entry]:
        """The valid briefs of a series that have an issue number, in no
        particular order: indexed once per load, not searched per brief."""
        def index() -> dict[str, list[Entry]]:
            by_series: dict[str, list[Entry]] = {}
            for entry in self.briefs.values():
                if entry.model.series and entry.model.issue is not None:
                    by_series.setdefault(entry.model.series, []).append(entry)
            return by_series

        return self.derived("briefs by series", index).get(series, [])

    def brief_file_ids(self) -> list[str]:
        """Every brief file's id, valid or not: listed once per load, not
        once per brief that names another."""
        return self.derived("brief file ids", lambda: [path.stem for path in self.project.brief_paths()])


@collector_paused(freeze_survivors=True)
def load_corpus(project: Project, report: Report, today: dt.date | None = None,
                parse_cache: bool = True, jobs: int | None = None) -> Corpus:
    """Load and validate the whole project. Problems go to ``report``.
    ``parse_cache``: reuse (and keep) the parses of unchanged files, and
    parse many new ones in ``jobs`` processes (default: the cores) first."""
    cache = ParseCache.for_project(project) if parse_cache else None
    corpus = Corpus(project, config=load_config(project, report, cache), parse_cache=cache)
    _load_registries(corpus, report)
    today = today or dt.date.today()
    incident_paths, brief_paths = project.incident_files(), project.brief_paths()
    if cache is not None:
        from secbrief.parseahead import parse_ahead

        parse_ahead(incident_paths + brief_paths, cache, corpus.confinement, jobs)
    for path in incident_paths:
        _load_incident(corpus, path, report, today)
    for path in brief_paths:
        _load_brief(corpus, path, report)
    clients.load_clients(corpus, report)
    for entry in corpus.incidents.values():
        _check_incident_refs(corpus, entry, report)
    styles = project.styles()  # once, not a folder listing per brief
    for entry in corpus.briefs.values():
        _check_brief_refs(corpus, entry, report, styles)
    for check_what_parsed, doc, typed_errors in corpus.invalid_docs:
        check_what_parsed(corpus, doc, _SkipFields(report, doc.display, typed_errors))
    from secbrief.lint import lint_corpus

    lint_corpus(corpus, report)  # analytic standards and other checks across files
    from secbrief.integrity import check_integrity  # imports this module: import here, not at the top

    check_integrity(corpus, report)  # dates that contradict each other across files
    clients.check_brief_clients(corpus, report)
    if cache is not None:
        cache.save(may_create_folder=not report.errors)
    return corpus


# --- registries -----------------------------------------------------------

def _load_registries(corpus: Corpus, report: Report) -> None:
    actors_path, places_path = corpus.project.registry_paths()
    for path, model, registry, key in ((actors_path, ActorRegistry, corpus.actors, "actors"),
                                       (places_path, PlaceRegistry, corpus.places, "places")):
        if not path.exists():
            continue
        doc = load_file(path, corpus.project.display(path), report, within=corpus.confinement,
              cache=corpus.parse_cache)
        if doc is None:
            registry.broken = True
            continue
        corpus.registry_docs.append(doc)
        parsed = validate_model(model, doc, report)
        if parsed is None:
            registry.broken = True
            continue
        check_plain_text(doc, report, markdown=set())
        for index, entry in enumerate(getattr(parsed, key)):
            if entry.id in registry.by_id:
                line, col = doc.where((key, index, "id"))
                report.add(doc.display, line, col, f"duplicate {registry.kind} id '{entry.id}'", code="SB210")
                continue
            registry.by_id[entry.id] = entry
            for alias_index, name in enumerate([entry.name, *entry.aliases]):
                loc = (key, index, "name") if alias_index == 0 else (key, index, "aliases", alias_index - 1)
                odd = lookalike.mixed_letter(name)
                if odd:
                    line, col = doc.where(loc)
                    report.add(doc.display, line, col,
                               f"'{name}' mixes Latin letters with a look-alike: {lookalike.describe(odd)}; "
                               "type the name in one script", code="SB214")
                    continue
                other = registry.add_name(name, entry)
                if other is not None:
                    line, col = doc.where(loc)
                    report.add(doc.display, line, col,
                               f"'{name}' already names {registry.kind} '{other.id}'; "
                               "a spelling can point at one entry only", code="SB211")
    _check_affiliations(corpus, report)


def _check_affiliations(corpus: Corpus, report: Report) -> None:
    doc = next((d for d in corpus.registry_docs if d.path.name == "actors.yaml"), None)
    if doc is None:
        return
    cycles: set[frozenset] = set()  # each cycle reported once, at its first member
    # Where each registered actor is in the file (the first of duplicates
    # is the one registered), found once: not a search per actor.
    entries = doc.data.get("actors") if isinstance(doc.data, dict) else None
    index_of: dict = {}
    for index, raw in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            index_of.setdefault(raw["id"], index)
    for actor in corpus.actors.by_id.values():
        if actor.affiliation is None:
            continue
        loc = ("actors", index_of.get(actor.id, 0), "affiliation")
        if actor.affiliation not in corpus.actors.by_id:
            report.add(doc.display, *doc.where(loc),
                       f"affiliation '{actor.affiliation}' is not an actor id", code="SB212")
            continue
        # Follow the chain: a cycle would make "Parties involved" nest forever.
        # Each cycle is reported once, at its first actor in the file; an
        # actor whose chain merely leads into a cycle is not a second mistake.
        seen, current = [actor.id], actor
        while current.affiliation and current.affiliation in corpus.actors.by_id:
            if current.affiliation in seen:
                members = frozenset(seen[seen.index(current.affiliation):])
                # Only an actor in the loop reports it (one leading into it
                # is not a second mistake), and each loop once: at its first
                # member in the file.
                if current.affiliation == actor.id and members not in cycles:
                    cycles.add(members)
                    chain = " -> ".join(seen + [current.affiliation])
                    report.add(doc.display, *doc.where(loc), f"affiliation cycle: {chain}", code="SB213")
                break
            seen.append(current.affiliation)
            current = corpus.actors.by_id[current.affiliation]


# --- incidents ------------------------------------------------------------

def _load_incident(corpus: Corpus, path: str, report: Report, today: dt.date) -> None:
    display = corpus.project.display(path)
    name = os.path.basename(path)
    incident_id = name[:-len(".yaml")]  # incident_files lists only .yaml files
    doc = load_file(path, display, report, within=corpus.confinement,
              cache=corpus.parse_cache)
    if doc is None:
        _mark_broken(corpus, incident_id, None)
        return
    if not is_valid_id(incident_id):
        report.add(display, 1, 1, f"file name '{name}' is not a valid id: "
                   "use lowercase letters, digits and hyphens, e.g. 2020-12-20-embassy-rockets.yaml"
                   + _odd_letter(incident_id), code="SB201")
        return
    incident = validate_model(Incident, doc, report)
    if incident is None:
        # Still check what can be read (names, place, citations), so one
        # run shows every mistake, not one round at a time.
        # What can still be checked is, once every file is loaded (a citation
        # may name a source defined in a later file).
        _mark_broken(corpus, incident_id, doc.data)
        corpus.invalid_docs.append((_check_raw_incident, doc, _reported_at(report, doc)))
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
        _register_source(corpus, source, doc, ("sources", index), report)


def _mark_broken(corpus: Corpus, incident_id: str, data) -> None:
    """Remember an incident whose file has errors, and the source ids it
    defines as far as they can be read."""
    corpus.broken.add(incident_id)
    _mark_broken_sources(corpus, data)


def _mark_broken_sources(corpus: Corpus, data) -> None:
    """The source ids a file with errors defines, as far as they can be read."""
    sources = data.get("sources") if isinstance(data, dict) else None
    for source in sources if isinstance(sources, list) else []:
        if isinstance(source, dict) and isinstance(source.get("id"), str):
            corpus.broken.add(source["id"])


def _odd_letter(text: str) -> str:
    odd = lookalike.non_ascii_letter(text)
    return f" ({lookalike.describe(odd)})" if odd else ""



def _register_source(corpus: Corpus, source: Source, doc: Document, loc: tuple, report: Report) -> None:
    existing = corpus.sources.get(source.id)
    if existing is None:
        corpus.sources[source.id] = source
        corpus.source_docs[source.id] = (doc, loc)
    elif existing != source:
        other_doc, other_loc = corpus.source_docs[source.id]
        line, col = doc.where(loc + ("id",))
        report.add(doc.display, line, col,
                   f"source '{source.id}' is defined differently in {other_doc.display}:"
                   f"{other_doc.where(other_loc)[0]}; give it another id or make both the same",
                   code="SB205")


def _check_actor_names(corpus: Corpus, doc: Document, report: Report) -> None:
    """Unknown actor names, read from the raw data (works on invalid files too)."""
    actors = doc.data.get("actors") if isinstance(doc.data, dict) else None
    for index, ref in enumerate(actors if isinstance(actors, list) else []):
        name = ref.get("name") if isinstance(ref, dict) else None
        if isinstance(name, str) and name and corpus.actors.unknown(name):
            line, col = doc.where(("actors", index, "name"))
            report.add(doc.display, line, col, corpus.actors.unknown_message(name), code="SB220")


def _reported_at(report: Report, doc: Document) -> set[tuple[int, int]]:
    """Where the typed model found this file's errors: its broken fields."""
    return {(d.line, d.col) for d in report.diagnostics if d.path == doc.display}


class _SkipFields(Report):
    """A report that drops what is said again about a field whose value the
    typed model already refused: one mistake, one line (an event id with a
    Cyrillic letter is not also an unknown incident)."""

    def __init__(self, report: Report, path: str, broken: set[tuple[int, int]]):
        super().__init__(report.diagnostics)
        self._path, self._broken = path, broken

    def add(self, path, line, col, message, **kwargs) -> None:
        if not (str(path) == self._path and (line, col) in self._broken):
            super().add(path, line, col, message, **kwargs)


def _check_raw_incident(corpus: Corpus, doc: Document, report: Report) -> None:
    """The cross-file checks of an incident whose model did not validate,
    on the fields that hold what they should: each check needs only its own
    field, so a wrong casualty count does not hide a misspelt place."""
    _check_actor_names(corpus, doc, report)
    data = doc.data if isinstance(doc.data, dict) else {}
    location = data.get("location")
    place = location.get("place") if isinstance(location, dict) else None
    if isinstance(place, str) and place and corpus.places.unknown(place):
        line, col = doc.where(("location", "place"))
        report.add(doc.display, line, col, corpus.places.unknown_message(place), code="SB221")
    if isinstance(data.get("summary"), str):
        _check_markdown(corpus, doc, ("summary",), data["summary"], report)


def _check_incident_refs(corpus: Corpus, entry: Entry, report: Report) -> None:
    incident, doc = entry.model, entry.doc
    _check_actor_names(corpus, doc, report)
    place = None
    if incident.location.place:
        place = corpus.places.lookup(incident.location.place)
        if corpus.places.unknown(incident.location.place):
            line, col = doc.where(("location", "place"))
            report.add(doc.display, line, col, corpus.places.unknown_message(incident.location.place),
                       code="SB221")
    if not incident.location.country and not incident.location.place:  # an unknown place: SB221 says it
        line, col = doc.where(("location",))
        report.add(doc.display, line, col, "location: needs a 'country' (or a 'place' from the registry)",
                   code="SB222")
    _check_markdown(corpus, doc, ("summary",), incident.summary, report)


# --- briefs ---------------------------------------------------------------

def _load_brief(corpus: Corpus, path: Path, report: Report) -> None:
    display = corpus.project.display(path)
    doc = load_file(path, display, report, within=corpus.confinement,
              cache=corpus.parse_cache)
    if doc is None:
        return
    if not is_valid_id(path.stem):
        report.add(display, 1, 1, f"file name '{path.name}' is not a valid id: "
                   "use lowercase letters, digits and hyphens" + _odd_letter(path.stem), code="SB201")
        return
    brief = validate_model(Brief, doc, report)
    if brief is None:
        # The rest of its mistakes are found once every file is loaded (its
        # citations may name another brief's sources); the sources it defines
        # count as known, so citing them is not a second error.
        corpus.invalid_docs.append((_check_raw_brief, doc, _reported_at(report, doc)))
        _mark_broken_sources(corpus, doc.data)
        return
    corpus.briefs[path.stem] = Entry(path.stem, brief, doc)
    check_plain_text(doc, report, markdown={loc for loc, _ in markdown_fields(brief)} | {
        ("implications", i) for i, item in enumerate(brief.implications)})
    for index, source in enumerate(brief.sources):
        _register_source(corpus, source, doc, ("sources", index), report)


def _check_raw_brief(corpus: Corpus, doc: Document, report: Report) -> None:
    """Cross-file checks of a brief whose model did not validate, on each
    field that holds what it should: incident ids, parties and citations."""
    data = doc.data if isinstance(doc.data, dict) else {}

    def strings(value):
        return [(i, v) for i, v in enumerate(value) if isinstance(v, str)] if isinstance(value, list) else []

    refs = [(("event",), data["event"])] if isinstance(data.get("event"), str) else []
    refs += [(("incidents", i), v) for i, v in strings(data.get("incidents"))]
    for i, item in enumerate(data.get("implications") if isinstance(data.get("implications"), list) else []):
        if isinstance(item, dict):
            refs += [(("implications", i, "timeline", j), v) for j, v in strings(item.get("timeline"))]
    for loc, incident_id in refs:
        if incident_id not in corpus.incidents and incident_id not in corpus.broken:
            line, col = doc.where(loc)
            report.add(doc.display, line, col, _unknown_incident(corpus, incident_id), code="SB231")
    for i, name in strings(data.get("parties")):
        if corpus.actors.unknown(name):
            line, col = doc.where(("parties", i))
            report.add(doc.display, line, col, corpus.actors.unknown_message(name), code="SB220")
    texts = [((key,), data[key]) for key in ("event_text", "summary", "outlook") if isinstance(data.get(key), str)]
    for key, inner in (("key_judgements", "statement"), ("implications", "text"), ("sections", "body"),
                       ("quotes", "text")):
        for i, item in enumerate(data.get(key) if isinstance(data.get(key), list) else []):
            if isinstance(item, dict) and isinstance(item.get(inner), str):
                texts.append(((key, i, inner), item[inner]))
            elif key == "implications" and isinstance(item, str):  # the short form: a bare string
                texts.append(((key, i), item))
    for loc, text in texts:
        _check_markdown(corpus, doc, loc, text, report)


def markdown_fields(brief: Brief):
    """(loc, text) for every Markdown field of a brief, in document order."""
    if brief.event_text:
        yield ("event_text",), brief.event_text
    if brief.summary:
        yield ("summary",), brief.summary
    for i, judgement in enumerate(brief.key_judgements):
        yield ("key_judgements", i, "statement"), judgement.statement
    for i, item in enumerate(brief.implications):
        yield ("implications", i, "text"), item.text
    for i, section in enumerate(brief.sections):
        yield ("sections", i, "body"), section.body
    if brief.outlook:
        yield ("outlook",), brief.outlook
    for i, quote in enumerate(brief.quotes):
        yield ("quotes", i, "text"), quote.text


def _check_brief_refs(corpus: Corpus, entry: Entry, report: Report, styles: list[str] | None = None) -> None:
    brief, doc = entry.model, entry.doc

    def error(loc, message, code):
        line, col = doc.where(loc)
        report.add(doc.display, line, col, message, code=code)

    styles = corpus.project.styles() if styles is None else styles
    if brief.style not in styles:
        error(("style",), f"style: unknown style '{brief.style}'; expected one of: {', '.join(styles)}",
              "SB230")
    if brief.supersedes is not None and (problem := _brief_ref_problem(corpus, entry, "supersedes")):
        error(("supersedes",), problem, "SB237")
    if brief.previous not in (None, "none") and (problem := _brief_ref_problem(corpus, entry, "previous")):
        error(("previous",), problem, "SB236")
    def known(incident_id):  # a lookup, not a 10,000-id set built per brief
        return incident_id in corpus.incidents or incident_id in corpus.broken

    if brief.event and not known(brief.event):
        error(("event",), _unknown_incident(corpus, brief.event), "SB231")
    for i, incident_id in enumerate(brief.incidents):
        if not known(incident_id):
            error(("incidents", i), _unknown_incident(corpus, incident_id), "SB231")
    for i, item in enumerate(brief.implications):
        for j, incident_id in enumerate(item.timeline):
            if not known(incident_id):
                error(("implications", i, "timeline", j), _unknown_incident(corpus, incident_id), "SB231")
    for i, name in enumerate(brief.parties):
        if corpus.actors.unknown(name):
            error(("parties", i), corpus.actors.unknown_message(name), "SB220")
    yardstick = active(brief.yardstick, corpus.config.yardstick)
    for i, judgement in enumerate(brief.key_judgements):
        if judgement.likelihood not in yardstick.terms:
            other = next((y for y in others(yardstick) if judgement.likelihood in y.terms), None)
            hint = (f" ('{judgement.likelihood}' is a term of the {other.name} yardstick: to use it, "
                    f"set 'yardstick: {other.key}' in the brief or in secbrief.yaml)") if other else ""
            error(("key_judgements", i, "likelihood"),
                  f"likelihood: '{judgement.likelihood}' is not a term of the {yardstick.name} yardstick; "
                  f"expected one of: {', '.join(yardstick.terms)}{hint}", "SB240")
        for j, ref in enumerate(judgement.evidence):
            if ref not in corpus.incidents and ref not in corpus.sources and ref not in corpus.broken:
                error(("key_judgements", i, "evidence", j),
                      f"evidence '{ref}' is neither an incident nor a source", "SB232")
    if brief.image is not None:
        image_path = (doc.path.parent / brief.image.file)
        if not corpus.project.contains(image_path) or ".." in Path(brief.image.file).parts:
            error(("image", "file"), f"image: '{brief.image.file}' is outside the project", "SB233")
        elif not image_path.is_file():
            error(("image", "file"), f"image: file '{brief.image.file}' not found", "SB234")
        elif image_path.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"):
            error(("image", "file"), "image: expected a .png, .jpg, .svg, .gif or .webp file", "SB235")
    for loc, text in markdown_fields(brief):
        _check_markdown(corpus, doc, loc, text, report)


def _brief_ref_problem(corpus: Corpus, entry: Entry, field_name: str) -> str | None:
    """`supersedes` and `previous` must name another brief file (valid or
    not: its own errors are reported on it), so "What changed" has something
    to compare."""
    import difflib

    target = getattr(entry.model, field_name)
    if target == entry.id:
        return ("supersedes: a brief cannot supersede itself" if field_name == "supersedes"
                else "previous: a brief cannot be its own previous issue (write 'none' for a first issue)")
    ids = corpus.brief_file_ids()
    if target in ids:
        return None
    close = difflib.get_close_matches(target, [i for i in ids if i != entry.id], n=1, cutoff=0.8)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{field_name}: unknown brief '{target}'{hint}"


def _did_you_mean_id(corpus: Corpus, cited_id: str) -> str:
    """' (did you mean [@x]?)' for the closest source or incident id, or ''.
    Only reached for an unknown id, so scanning every id costs nothing in a
    clean corpus."""
    import difflib  # only for a mistake: kept off the clean load's path

    close = difflib.get_close_matches(cited_id, [*corpus.sources, *corpus.incidents], n=1, cutoff=0.8)
    return f" (did you mean [@{close[0]}]?)" if close else ""


def _unknown_incident(corpus: Corpus, incident_id: str) -> str:
    import difflib

    close = difflib.get_close_matches(incident_id, list(corpus.incidents), n=1, cutoff=0.8)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown incident '{incident_id}'{hint}"


def _check_markdown(corpus: Corpus, doc: Document, loc: tuple, text: str, report: Report) -> None:
    # Counting '[' is cheap; leaving the citations out of the count is not.
    brackets = markup.link_brackets(text) if text.count("[") > markup.MAX_LINK_BRACKETS else 0
    if brackets > markup.MAX_LINK_BRACKETS:
        # Checked first: the scans below, and Markdown itself, slow to minutes.
        line, col = doc.where(loc)
        report.add(doc.display, line, col,
                   f"{loc[-1]}: {brackets:,} '[' characters outside citations; the most secbrief renders "
                   f"in one text is {markup.MAX_LINK_BRACKETS:,} (Markdown slows to a crawl on more)",
                   code="SB255")
        return
    levels, offset = markup.nesting_depth(text, at_least=markup.MAX_NESTING + 1)
    if levels > markup.MAX_NESTING:
        line, col = doc.locate(loc, text, offset)
        report.add(doc.display, line, col, f"{loc[-1]}: lists or quotes nested {levels:,} levels deep on one line; "
                   f"the most secbrief renders is {markup.MAX_NESTING}", code="SB256")
        return
    cited, malformed = markup.cited_and_malformed(text)
    for cited_id, offset in cited:
        if cited_id not in corpus.sources and cited_id not in corpus.incidents and cited_id not in corpus.broken:
            line, col = doc.locate(loc, text, offset)
            report.add(doc.display, line, col,
                       f"citation [@{cited_id}] names no source or incident{_did_you_mean_id(corpus, cited_id)}",
                       code="SB250")
    for raw, offset in malformed:
        line, col = doc.locate(loc, text, offset)
        report.add(doc.display, line, col,
                   f"malformed citation {raw}: write [@id] with a source or incident id", code="SB251")
    for kind, target, offset in markup.unsafe_targets(text):
        line, col = doc.locate(loc, text, offset)
        report.add(doc.display, line, col, markup.unsafe_message(kind, target),
                   code="SB253" if kind == "image" else "SB252")
