"""The incidents index: what `secbrief incidents` needs of every incident
and brief, kept in ``build/.cache/incidents`` beside the parse cache, so a
query on 10,000 incidents reads one file instead of loading the project.

Each incident file gives one row (id, date, type, title, its locations and
actors as written, its latest revision); each brief file the incident ids
it names. Rows are kept with the file's inode, size, modification and
change times (``lstat``), as the parse cache keeps its files: a file whose
four are unchanged is not read again; any other is read and validated
against its model, and one with errors gives no row (it is counted, and
``secbrief check`` names its problems). Names are resolved through the
registries (read on every query: two small files) when the query runs, so
an edited registry needs no new index. A time too close to the start is not
trusted ("racily clean", parsecache.py): such a file is read again next time.

The index is a pickle of plain lists, strings and numbers (dates as ISO
text), read back with the parse cache's unpickler, which can build no
class that runs code, so a file from elsewhere can at worst be ignored
(SECURITY.md); JSON reads five times slower. Anything wrong with it (missing, from another version,
unreadable) means reading every file once, and failing to save it costs
speed only. It is written through core.atomic.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path

from secbrief import __version__
from secbrief.core.atomic import OutputError, atomic_write
from secbrief.core.diagnostics import Report
from secbrief.core.project import Project
from secbrief.core.textgrammar import citation_ids, is_valid_id
from secbrief.load.parseahead import parse_ahead
from secbrief.load.parsecache import ParseCache, file_stamp, load_data, too_recent
from secbrief.load.yamlfile import load_file
from secbrief.model.documents import Brief, Incident, markdown_fields
from secbrief.model.registry import Registry
from secbrief.model.schema_errors import validate_model
from secbrief.validate.corpus import Corpus
from secbrief.validate.incidents import check_location_choice
from secbrief.validate.registries import load_registries

INDEX_NAME = "incidents"
# Fewer changed files than this are read one by one; more (a first query, a
# checkout) go through the parse cache, parsed ahead on every core.
MANY = 200


@dataclass
class Row:
    """One incident as the query reads it: names as written, resolved later."""

    id: str
    date: dt.date
    type: str
    title: str
    locations: list[dict]  # place, site, city, admin1, country: those written
    actors: list[str]
    revised: dt.date | None = None

    def as_json(self) -> list:
        return [self.id, self.date.isoformat(), self.type, self.title, self.locations, self.actors,
                self.revised.isoformat() if self.revised else None]

    @classmethod
    def from_json(cls, data: list) -> "Row":
        return cls(data[0], dt.date.fromisoformat(data[1]), data[2], data[3], data[4], data[5],
                   dt.date.fromisoformat(data[6]) if data[6] else None)


@dataclass
class IncidentIndex:
    rows: list[Row]
    cited: dict[str, list[str]]  # incident id -> the briefs naming it, sorted
    brief_ids: set[str]
    actors: Registry
    places: Registry
    broken: int = 0  # files with errors, not listed
    read: int = field(default=0, compare=False)  # files read this time (not from the index)


def row_of(incident_id: str, incident: Incident) -> Row:
    locations = [{k: v for k, v in loc.model_dump(include={"place", "site", "city", "admin1", "country"}).items()
                  if v is not None} for loc in incident.all_locations]
    return Row(incident_id, incident.date, incident.type, incident.title, locations,
               [ref.name for ref in incident.actors], incident.revised)


def named_ids(brief: Brief) -> list[str]:
    """Every id a brief names where an incident may stand: its event, its
    incidents, timelines, evidence and [@id] citations. A brief "cites" an
    incident named in any of them."""
    ids = list(brief.incidents) + ([brief.event] if brief.event else [])
    ids += [i for item in brief.implications for i in item.timeline]
    ids += [i for judgement in brief.key_judgements for i in judgement.evidence]
    ids += [i for _, text in markdown_fields(brief) for i, _ in citation_ids(text or "")]
    return list(dict.fromkeys(ids))


def from_corpus(corpus: Corpus) -> IncidentIndex:
    """The index of a loaded corpus (in memory, nothing read or written)."""
    rows = [row_of(incident_id, entry.model) for incident_id, entry in corpus.incidents.items()]
    named = {brief_id: named_ids(entry.model) for brief_id, entry in corpus.briefs.items()}
    # The files with errors are the load's report's to count (corpus.broken
    # mixes incident and source ids).
    return IncidentIndex(rows, _cited(named, {row.id for row in rows}), set(corpus.briefs),
                         corpus.actors, corpus.places)


def _cited(named: dict[str, list[str]], incident_ids: set[str]) -> dict[str, list[str]]:
    cited: dict[str, list[str]] = {}
    for brief_id in sorted(named):
        for incident_id in named[brief_id]:
            if incident_id in incident_ids:
                cited.setdefault(incident_id, []).append(brief_id)
    return cited


def _identity() -> str:
    """What a row depends on besides its file: this module and the data
    model (and secbrief's version)."""
    here = Path(__file__).resolve()
    code = here.read_bytes() + (here.parent.parent / "model" / "documents.py").read_bytes()
    return f"secbrief incidents index 1 {__version__} " + hashlib.blake2b(code, digest_size=12).hexdigest()


def load_index(project: Project, save: bool = True) -> IncidentIndex:
    """The index of the project's files as they are now: rows of unchanged
    files from ``build/.cache/incidents``, the others read again; then
    saved when anything changed."""
    started = time.time_ns()
    path = project.cache_dir / INDEX_NAME
    identity = _identity()
    old = _read(path, identity)
    corpus = Corpus(project)  # the registries only
    load_registries(corpus, Report())
    incident_paths = project.incident_files()
    brief_paths = [str(p) for p in project.brief_paths()]
    files: dict[str, list] = {}
    stale: list[str] = []
    for name in incident_paths + brief_paths:
        try:
            status = os.lstat(name)
        except OSError:
            continue
        stamp = list(file_stamp(status))
        record = old.get(name)
        if isinstance(record, list) and len(record) == 2 and record[0] == stamp:
            files[name] = record
        else:
            files[name] = [None if too_recent(status, started) else stamp, None]
            stale.append(name)
    cache = None
    if len(stale) >= MANY:
        cache = ParseCache.for_project(project)
        parse_ahead([Path(p) for p in stale], cache, corpus.confinement, None)
    incident_set = set(incident_paths)
    for name in stale:
        files[name][1] = (_read_incident if name in incident_set else _read_brief)(project, name, corpus, cache)
    if cache is not None:
        cache.save(may_create_folder=False)
    if save and (stale or len(files) != len(old)):
        _write(path, identity, files)
    rows, named, broken = [], {}, 0
    for name in incident_paths:
        data = files.get(name, [None, None])[1]
        if data:
            rows.append(Row.from_json(data))
        else:
            broken += 1
    for name in brief_paths:
        data = files.get(name, [None, None])[1]
        if data is not None:
            named[Path(name).stem] = data
        else:
            broken += 1
    seen: set[str] = set()
    rows = [row for row in rows if not (row.id in seen or seen.add(row.id))]  # an id twice: the first file
    return IncidentIndex(rows, _cited(named, seen), set(named), corpus.actors, corpus.places, broken,
                         read=len(stale))


def _read_incident(project: Project, name: str, corpus: Corpus, cache) -> list | None:
    report = Report()
    doc = load_file(name, project.display(name), report, within=corpus.confinement, cache=cache)
    stem = os.path.basename(name)[:-len(".yaml")]
    if doc is None or not is_valid_id(stem):
        return None
    incident = validate_model(Incident, doc, report)
    if incident is None or not check_location_choice(doc, report):
        return None
    return row_of(stem, incident).as_json()


def _read_brief(project: Project, name: str, corpus: Corpus, cache) -> list | None:
    report = Report()
    doc = load_file(name, project.display(name), report, within=corpus.confinement, cache=cache)
    if doc is None or not is_valid_id(Path(name).stem):
        return None
    brief = validate_model(Brief, doc, report)
    return named_ids(brief) if brief is not None else None


def _read(path: Path, identity: str) -> dict:
    try:
        with open(path, "rb") as handle:
            data = load_data(handle)
    except Exception:  # noqa: BLE001 - any damage to a cache file means an empty cache
        return {}
    if not isinstance(data, dict) or data.get("identity") != identity or not isinstance(data.get("files"), dict):
        return {}
    return data["files"]


def _write(path: Path, identity: str, files: dict) -> None:
    buffer = io.BytesIO()
    pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump({"identity": identity, "files": files})
    try:
        atomic_write(path, buffer.getvalue())
    except OutputError:
        pass  # a read-only build/ makes the next query slower, not wrong
