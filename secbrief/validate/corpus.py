"""The corpus: everything a project holds, validated and cross-referenced,
as every later step reads it (resolve, render, lint, history, exports).

secbrief.validate.load_corpus fills it; the checks of each kind of file
(registries, incidents, briefs) add to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from secbrief.core.diagnostics import Report
from secbrief.core.project import Project
from secbrief.load.parsecache import ParseCache
from secbrief.load.yamlfile import Confinement, Document
from secbrief.model.config import ProjectConfig
from secbrief.model.documents import Source
from secbrief.model.registry import Registry


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

    def brief_entries(self, ids: list[str] | None = None) -> list[Entry]:
        """The valid briefs; with ``ids``, only those among them (a check run
        on briefs added to a loaded corpus, see load_corpus.add_briefs)."""
        if ids is None:
            return list(self.briefs.values())
        return [self.briefs[brief_id] for brief_id in ids if brief_id in self.briefs]

    def briefs_added(self) -> None:
        """After brief files were added to this loaded corpus: the briefs in
        file order, as a load lists them, and every index over the whole
        corpus (``derived``) made again when next asked."""
        self.briefs = dict(sorted(self.briefs.items(), key=lambda item: item[1].doc.path))
        self._derived.clear()

    def brief_file_ids(self) -> list[str]:
        """Every brief file's id, valid or not: listed once per load, not
        once per brief that names another."""
        return self.derived("brief file ids", lambda: [path.stem for path in self.project.brief_paths()])


@dataclass(frozen=True)
class Spot:
    """One of an incident's locations, its blanks filled from its registry
    place (``place``, None when it names none)."""

    place: object
    site: str | None
    city: str | None
    admin1: str | None
    country: str
    lat: float | None
    lon: float | None
    precision: str | None

    @property
    def text(self) -> str:
        """"site, city, country", without repeats; the place's name stands
        for a missing site."""
        parts = [p for p in (self.site or (self.place.name if self.place else None), self.city, self.country) if p]
        return ", ".join(dict.fromkeys(parts))


def incident_spots(corpus: Corpus, incident) -> list[Spot]:
    """Every location of an incident (``location``, or each of
    ``locations``), resolved through the place registry, in written order."""
    spots = []
    for loc in incident.all_locations:
        place = corpus.places.lookup(loc.place) if loc.place else None

        def pick(name, own):
            return own if own is not None else (getattr(place, name, None) if place is not None else None)

        spots.append(Spot(place, loc.site, pick("city", loc.city), pick("admin1", loc.admin1),
                          pick("country", loc.country) or "", pick("lat", loc.lat), pick("lon", loc.lon),
                          loc.precision))
    return spots


def marker_index(spots: list[Spot]) -> int | None:
    """Which of an incident's locations its map marker stands at: the first
    with coordinates (its own, else its place's); None when none has any.
    An incident on a border (``locations:``) is drawn once."""
    return next((i for i, spot in enumerate(spots) if spot.lat is not None and spot.lon is not None), None)


def umbrella_chain(corpus: Corpus, actor) -> list:
    """The actors ``actor`` is nested under, nearest first, to the top one
    (``affiliation`` of ``affiliation``...); stops at an unknown id or a
    cycle, which check reports (SB212, SB213)."""
    chain, seen = [], {actor.id}
    current = actor
    while current.affiliation and current.affiliation in corpus.actors.by_id and current.affiliation not in seen:
        current = corpus.actors.by_id[current.affiliation]
        seen.add(current.id)
        chain.append(current)
    return chain


# --- registries -----------------------------------------------------------


# --- incidents ------------------------------------------------------------


def reported_at(report: Report, doc: Document) -> set[tuple[int, int]]:
    """Where the typed model found this file's errors: its broken fields."""
    return {(d.line, d.col) for d in report.diagnostics if d.path == doc.display}


class SkipFields(Report):
    """A report that drops what is said again about a field whose value the
    typed model already refused: one mistake, one line (an event id with a
    Cyrillic letter is not also an unknown incident)."""

    def __init__(self, report: Report, path: str, broken: set[tuple[int, int]]):
        super().__init__(report.diagnostics)
        self._path, self._broken = path, broken

    def add(self, path, line, col, message, **kwargs) -> None:
        if not (str(path) == self._path and (line, col) in self._broken):
            super().add(path, line, col, message, **kwargs)


# --- briefs ---------------------------------------------------------------

