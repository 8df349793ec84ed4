"""`secbrief import acled`: plan every incident of an export, then write
the new files (never over an existing one), and tell the analyst what
happened and which actors the registry lacks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from secbrief.core import countries
from secbrief.core.atomic import OutputError, create_new
from secbrief.core.dates import parse_day
from secbrief.core.diagnostics import Diagnostic, ProblemsFound, Report
from secbrief.core.project import Project
from secbrief.interop.acled import taxonomy
from secbrief.interop.acled.events import YEAR_RANGE, Context, UnknownActor, free_id, build_incident, slugify
from secbrief.interop.acled.incident_yaml import dump_entries, dump_incident
from secbrief.interop.acled.rows import RowError, read_rows, row_error
from secbrief.load.yamlfile import load_file
from secbrief.validate.load_corpus import load_corpus


# --- what the import decides ----------------------------------------------


@dataclass
class PlannedIncident:
    """An incident file an import will write (or --dry-run shows)."""

    event_id: str
    line: int
    path: Path
    text: str


@dataclass
class ImportResult:
    written: list[PlannedIncident] = field(default_factory=list)
    already: list[tuple[str, str]] = field(default_factory=list)  # (event id, existing file)
    filtered: int = 0
    errors: list[Diagnostic] = field(default_factory=list)  # FILE.csv:LINE: error: ...
    unknown_actors: dict[str, UnknownActor] = field(default_factory=dict)
    dry_run: bool = False


@dataclass
class Filters:
    countries: list[str] = field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None

    def keep(self, country: str, day: dt.date) -> bool:
        if self.countries and countries.key(country) not in {countries.key(c) for c in self.countries}:
            return False
        if self.start and day < self.start:
            return False
        return not (self.end and day > self.end)


# --- reading the CSV --------------------------------------------------------


# --- one row -> one incident ------------------------------------------------


# --- the command ------------------------------------------------------------

def _context(project: Project, today: dt.date) -> Context:
    """Registries from the project (they must be valid: every actor name is
    resolved through them), and every ACLED id already imported."""
    report = Report()
    corpus = load_corpus(project, report, today)
    registry_files = {project.display(p) for p in project.registry_paths()}
    broken = [d for d in report.errors if d.path in registry_files]
    if broken:
        raise ProblemsFound(broken)
    imported: dict[str, str] = {}
    taken_ids: set[str] = set()
    for path in project.incident_paths():
        taken_ids.add(path.stem)
        # Read every file, valid or not: an incident with a typo elsewhere
        # still says which ACLED event it came from.
        doc = load_file(path, project.display(path), Report())
        data = doc.data if doc is not None else None
        if isinstance(data, dict) and isinstance(data.get("acled_id"), str):
            imported.setdefault(data["acled_id"], project.display(path))
    return Context(project, corpus.actors, corpus.places, imported, taken_ids,
                   set(corpus.sources), today)


def import_acled(project: Project, csv_path: Path, filters: Filters, dry_run: bool = False,
                 today: dt.date | None = None, display: str | None = None) -> ImportResult:
    """Plan every incident, then (unless dry_run) write the new files."""
    today = today or dt.date.today()
    display = display or str(csv_path)
    ctx = _context(project, today)
    result = ImportResult(dry_run=dry_run)
    in_file: dict[str, int] = {}
    for line, row in read_rows(csv_path, display):
        if isinstance(row, RowError):
            result.errors.append(row_error(display, line, str(row)))
            continue
        if not _wanted(row, filters):
            result.filtered += 1
            continue
        event_id = row["event_id_cnty"]
        if event_id in ctx.imported:
            result.already.append((event_id, ctx.imported[event_id]))
            continue
        if event_id in in_file:
            result.errors.append(row_error(display, line, f"event {event_id} appears again "
                                           f"(first on line {in_file[event_id]}); kept the first"))
            continue
        try:
            incident_id, data, comments = build_incident(row, line, csv_path.name, ctx,
                                                         result.unknown_actors)
            text = dump_incident(data, comments)
        except ValueError as exc:  # RowError, or text YAML cannot carry
            result.errors.append(row_error(display, line, str(exc)))
            continue
        in_file[event_id] = line
        path = project.incidents_dir / str(data["date"].year) / f"{incident_id}.yaml"
        result.written.append(PlannedIncident(event_id, line, path, text))
    if not dry_run:
        for planned in result.written:
            write_new(planned.path, planned.text.encode("utf-8"))
    return result


def _wanted(row: dict, filters: Filters) -> bool:
    """Outside --country/--from/--to? A row whose date does not parse is
    kept, so that it is reported as malformed rather than silently dropped."""
    try:
        day = parse_day(row["event_date"])
    except ValueError:
        return True
    return filters.keep(row["country"], day)


def write_new(path: Path, data: bytes) -> None:
    """Write a new incident file; never over one that appeared meanwhile."""
    try:
        create_new(path, data)
    except FileExistsError:
        raise OutputError.at(path, "file appeared during the import; not overwritten") from None


# --- telling the analyst what happened --------------------------------------

def summary_lines(result: ImportResult, project: Project, show_files: bool = False) -> list[str]:
    """What was (or, with --dry-run, would be) written, then a count, then
    the actors the registry lacks with an entry to paste."""
    verb = "would write" if result.dry_run else "wrote"
    lines: list[str] = []
    for planned in result.written:
        lines.append(f"{verb} {project.display(planned.path)} ({planned.event_id})")
        if show_files:
            lines += ["    " + text for text in planned.text.rstrip("\n").split("\n")] + [""]
    for event_id, existing in result.already:
        lines.append(f"skipped {event_id}: already imported as {existing}")
    counts = [f"{len(result.written)} {'to write' if result.dry_run else 'written'}",
              f"{len(result.already)} already imported"]
    if result.filtered:
        counts.append(f"{result.filtered} outside --country/--from/--to")
    if result.errors:
        counts.append(f"{len(result.errors)} malformed row(s) skipped")
    if not result.written:
        lines.append("nothing to write: " + ", ".join(counts[1:]))
    else:
        lines.append(("dry run, nothing written: " if result.dry_run else "") + ", ".join(counts))
    if result.unknown_actors:
        lines += ["", "Actors not in incidents/actors.yaml were left out of the incidents (each "
                  "file lists its own in a comment).", "Add the spelling as an alias of an existing "
                  "actor, or add an entry like these, then name them under actors: in the files:", ""]
        lines += suggested_entries(result.unknown_actors.values())
    return lines


def suggested_entries(unknown) -> list[str]:
    """Registry entries in YAML, produced by the safe dumper."""
    taken: set[str] = set()
    lines: list[str] = []
    for actor in sorted(unknown, key=lambda a: a.name.casefold()):
        name = YEAR_RANGE.sub("", actor.name) or actor.name
        kind = taxonomy.KIND_BY_CATEGORY.get(actor.category, "organisation")
        entry: dict = {"id": free_id(slugify(name)[:120].strip("-") or "actor", taken), "name": name}
        if name != actor.name:
            entry["aliases"] = [actor.name]
        entry["kind"] = kind
        if kind in ("militia", "armed-group"):
            entry["country"] = actor.country
        events = ", ".join(actor.events[:5]) + (" ..." if len(actor.events) > 5 else "")
        hint = (f"; did you mean '{actor.hint}'? then add '{actor.name}' to its aliases instead"
                if actor.hint else "")
        lines.append(f"  # {actor.name}: in {events}{hint}")
        lines += ["  " + text for text in dump_entries([entry], sort_keys=False,
                                                       width=1000).rstrip("\n").split("\n")]
    return lines
