"""``secbrief import acled``: incidents from an ACLED export (CSV).

One incident file per event, in the data model of docs/data-model.md:
the type mapped from ACLED's taxonomy (acled_taxonomy), actors through the
registry's aliases, the location with its coordinates and precision, the
fatalities, ACLED's notes as the summary, ACLED and the publishers it names
as sources, and ``acled_id`` so that the same event is never imported twice.

Every row is read and checked before anything is written. A malformed row
is reported as ``FILE.csv:LINE: error: ...`` and skipped; the others still
import. Existing files are never overwritten.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from secbrief import acled_taxonomy as taxonomy
from secbrief import markup
from secbrief.dates import MONTHS
from secbrief.errors import ProblemsFound, Report, SecbriefError, UsageError
from secbrief.incident_yaml import dump_incident
from secbrief.loader import load_file
from secbrief.models import Incident
from secbrief.project import Project

REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1",
                    "country", "notes")
# Admiralty grades given to imported sources; docs/acled.md says why.
ACLED_GRADE = "B3"
NAMED_SOURCE_GRADE = "C3"
ACLED_PUBLISHER = "ACLED"
ACLED_ID = re.compile(r"^[A-Z]{2,4}\d{1,10}$")
MAX_SLUG = 70

_MONTHS = {name.casefold(): number for number, name in enumerate(MONTHS, start=1)}
_LONG_DATE = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$")
_YEAR_RANGE = re.compile(r"\s*\((?:\d{4}-(?:\d{4})?)\)$")  # ACLED's "(2021-)" after state forces
# ACLED names a state's forces "Military Forces of Iraq (2022-)"; with nothing
# after the years (a unit such as "... Popular Mobilization Forces" is kept
# apart) they stand for the state, as the registry prefers.
_STATE_FORCES = re.compile(r"^(?:Military Forces|Police Forces|Government) of (?:the )?(.+?)"
                           r"(?:\s*\(\d{4}-(?:\d{4})?\))?$")


def parse_date(text: str) -> dt.date:
    """``2023-10-20`` or ``20 October 2023`` (English month names, any case)."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        match = _LONG_DATE.match(text)
        if match and match.group(2).casefold() in _MONTHS:
            return dt.date(int(match.group(3)), _MONTHS[match.group(2).casefold()], int(match.group(1)))
    except ValueError:
        raise ValueError(f"'{text}' is not a real date") from None
    raise ValueError(f"'{text}' is not a date: write 2023-10-20 or 20 October 2023")


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’‘`ʼ]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _clip_slug(slug: str, limit: int = MAX_SLUG) -> str:
    if len(slug) <= limit:
        return slug
    return slug[:limit].rsplit("-", 1)[0]


# --- what the import decides ----------------------------------------------

@dataclass
class UnknownActor:
    name: str
    category: str
    country: str
    events: list[str] = field(default_factory=list)
    hint: str | None = None  # a registry spelling it may be a variant of


@dataclass
class Planned:
    event_id: str
    line: int
    path: Path
    text: str


@dataclass
class ImportResult:
    written: list[Planned] = field(default_factory=list)
    already: list[tuple[str, str]] = field(default_factory=list)  # (event id, existing file)
    filtered: int = 0
    errors: list[str] = field(default_factory=list)  # FILE.csv:LINE: error: ...
    unknown_actors: dict[str, UnknownActor] = field(default_factory=dict)
    dry_run: bool = False


@dataclass
class Filters:
    countries: list[str] = field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None

    def keep(self, country: str, day: dt.date) -> bool:
        if self.countries and country.casefold() not in {c.casefold() for c in self.countries}:
            return False
        if self.start and day < self.start:
            return False
        return not (self.end and day > self.end)


class RowError(ValueError):
    """A malformed row: reported with its line number and skipped."""


class CsvFileError(SecbriefError):
    """The whole file is unusable (not UTF-8, no ACLED header): nothing imports."""


# --- reading the CSV --------------------------------------------------------

def read_rows(path: Path, display: str):
    """Yield (line, row dict) for every record; RowError rows as (line, error).

    ``line`` is the line the record starts on, counting the header as 1, so
    a quoted multi-line note still points at its own row."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{display}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{display}: cannot read file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise CsvFileError(row_error(display, line, "file is not UTF-8; export the CSV again as UTF-8 "
                                     "(spreadsheets often save Windows-1252)")) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise CsvFileError(row_error(display, 1, "no header row: this is not an ACLED CSV export")) from None
    columns = [name.strip().lstrip("\ufeff").casefold() for name in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise CsvFileError(row_error(display, 1, f"missing ACLED column(s): {', '.join(missing)}"))
    start = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, RowError(f"unreadable CSV: {exc}")
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue  # a blank line between rows
        if len(record) != len(columns):
            yield line, RowError(f"row has {len(record)} fields; the header has {len(columns)}")
            continue
        yield line, {name: value.strip() for name, value in zip(columns, record)}


def row_error(display: str, line: int, message: str) -> str:
    return f"{display}:{line}: error: {message}"


# --- one row -> one incident ------------------------------------------------

@dataclass
class Context:
    """What the rows are checked against: the project as it is now."""

    project: Project
    actors: object  # Registry
    places: object  # Registry
    imported: dict[str, str]  # acled id -> existing file (display)
    taken_ids: set[str]  # incident ids in use, plus those planned in this run
    taken_sources: set[str]
    today: dt.date


def build_incident(row: dict, line: int, csv_name: str, ctx: Context,
                   unknown: dict[str, UnknownActor]) -> tuple[str, dict, list[str]]:
    """(incident id, data, header comments) for one row, or RowError."""
    event_id = row["event_id_cnty"]
    if not ACLED_ID.match(event_id):
        raise RowError(f"event_id_cnty '{event_id}' is not an ACLED event id (e.g. IRQ12345)")
    try:
        day = parse_date(row["event_date"])
    except ValueError as exc:
        raise RowError(f"event_date {exc}") from None
    if day > ctx.today:
        raise RowError(f"event_date {day} is in the future")
    try:
        kind = taxonomy.incident_type(row["event_type"], row["sub_event_type"],
                                      taxonomy.category(row.get("inter1", "")), row["notes"])
        role1, role2 = taxonomy.roles(row["event_type"], row["sub_event_type"],
                                      row.get("civilian_targeting", ""))
        _event, sub_event = taxonomy.canonical(row["event_type"], row["sub_event_type"])
    except taxonomy.UnknownType as exc:
        raise RowError(str(exc)) from None
    if not row["country"]:
        raise RowError("country is empty")
    if not row["notes"]:
        raise RowError("notes is empty: ACLED's notes become the incident's summary")
    location, where, at = _location(row, ctx)
    fatalities = _whole_number(row.get("fatalities", ""), "fatalities")

    actors, left_out = _actors(row, role1, role2, ctx, unknown)
    sources = _sources(row, event_id, day, ctx)
    cite = "; ".join(f"@{s['id']}" for s in sources)
    summary = f"{_safe_markdown(row['notes'])} [{cite}]"

    title = f"{sub_event} {at} {where}"
    slug = _clip_slug(slugify(f"{where} {kind}"))
    incident_id = _free_id(f"{day.isoformat()}-{slug}", ctx.taken_ids)
    data: dict = {"date": day, "title": title[:500], "type": kind, "location": location}
    if actors:
        data["actors"] = actors
    if fatalities is not None:
        data["casualties"] = {"killed": fatalities}
    data["summary"] = summary
    data["sources"] = sources
    data["tags"] = list(dict.fromkeys(t for t in (slugify(row["country"]),
                                                  slugify(row.get("admin1", "")), "acled") if t))
    data["acled_id"] = event_id

    comments = [f"Imported from ACLED event {event_id} ({csv_name}, line {line}) by secbrief import acled.",
                "Review before use: put the title and summary in your own words, check the actor",
                "roles, and regrade the sources once you have read them."]
    if row.get("time_precision", "1") not in ("", "1"):
        comments.append(f"ACLED time_precision {row['time_precision']}: the date is only known to the "
                        f"{'week' if row['time_precision'] == '2' else 'month'}.")
    for name, column in left_out:
        comments.append(f"Left out of actors (not in incidents/actors.yaml): {name} ({column}).")
    _check_model(data)
    return incident_id, data, comments


def _whole_number(text: str, column: str) -> int | None:
    if text == "":
        return None
    if not re.fullmatch(r"\d{1,7}", text):
        raise RowError(f"{column} '{text}' is not a whole number")
    return int(text)


def _number(row: dict, column: str, low: float, high: float) -> float | None:
    text = row.get(column, "")
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise RowError(f"{column} '{text}' is not a number") from None
    if not low <= value <= high:
        raise RowError(f"{column} {text} is outside {low:g} to {high:g}")
    return value


def _location(row: dict, ctx: Context) -> tuple[dict, str, str]:
    """The location mapping, the name for the title, and 'at' or 'in'."""
    lat = _number(row, "latitude", -90, 90)
    lon = _number(row, "longitude", -180, 180)
    if (lat is None) != (lon is None):
        raise RowError("latitude and longitude must be given together")
    precision = row.get("geo_precision", "")
    if precision and precision not in taxonomy.GEO_PRECISION:
        raise RowError(f"geo_precision '{precision}' is not 1, 2 or 3")
    name = row.get("location", "")
    place = ctx.places.lookup(name) if name else None
    location: dict = {}
    if place is not None:
        location["place"] = place.name
    elif name:
        location["city"] = name
    if row.get("admin1"):
        location["admin1"] = row["admin1"]
    location["country"] = row["country"]
    if lat is not None:
        location["lat"], location["lon"] = lat, lon
    if precision:
        location["precision"] = taxonomy.GEO_PRECISION[precision]
    where = place.name if place is not None else (name or row["country"])
    kind = place.kind if place is not None else "city"
    at = "on" if kind == "road" else "at" if kind in ("military-base", "airport", "diplomatic", "site") else "in"
    return location, where, at


def _split_names(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _actors(row, role1, role2, ctx, unknown) -> tuple[list[dict], list[tuple[str, str]]]:
    entries: list[dict] = []
    seen: set[str] = set()
    left_out: list[tuple[str, str]] = []
    for column, role, inter in (("actor1", role1, "inter1"), ("assoc_actor_1", role1, "inter1"),
                                ("actor2", role2, "inter2"), ("assoc_actor_2", role2, "inter2")):
        for name in _split_names(row.get(column, "")):
            actor = resolve_actor(ctx.actors, name, row["country"])
            if actor is None:
                left_out.append((name, column))
                record = unknown.setdefault(name, UnknownActor(
                    name, taxonomy.category(row.get(inter, "")) if column.startswith("actor") else "",
                    row["country"], hint=ctx.actors.suggest(name)))
                record.events.append(row["event_id_cnty"])
                continue
            if actor.id in seen:
                continue
            seen.add(actor.id)
            # The registry's spelling, so the file reads like the rest of the corpus.
            entries.append({"name": actor.name, "role": role})
    return entries, left_out


def resolve_actor(actors, name: str, country: str):
    """The registry entry for an ACLED actor name, or None. Tried in order:
    the name; without ACLED's year range; without a trailing "(Country)" of
    the event's country ("Protesters (Iraq)"); a state for its forces."""
    candidates = [name, _YEAR_RANGE.sub("", name)]
    suffix = f" ({country})"
    if name.endswith(suffix):
        candidates.append(name[: -len(suffix)])
    for candidate in candidates:
        actor = actors.lookup(candidate)
        if actor is not None:
            return actor
    match = _STATE_FORCES.match(name)
    state = actors.lookup(match.group(1)) if match else None
    return state if state is not None and state.kind == "state" else None


def _sources(row: dict, event_id: str, day: dt.date, ctx: Context) -> list[dict]:
    recorded = day
    stamp = row.get("timestamp", "")
    if re.fullmatch(r"\d{9,11}", stamp):  # when ACLED last changed the record (Unix time)
        recorded = max(day, dt.datetime.fromtimestamp(int(stamp), dt.timezone.utc).date())
    sources = [{"id": _free_source_id(f"acled-{event_id.lower()}", ctx),
                "publisher": ACLED_PUBLISHER,
                "title": f"ACLED event {event_id}: {row['event_type']}, {row['sub_event_type']}",
                "date": min(recorded, ctx.today),
                "grade": ACLED_GRADE}]
    for publisher in list(dict.fromkeys(_split_names(row.get("source", ""))))[:10]:
        slug = _clip_slug(slugify(publisher), 40)
        if not slug:
            continue
        sources.append({"id": _free_source_id(f"{slug}-{event_id.lower()}", ctx),
                        "publisher": publisher[:500],
                        "title": f"Report cited by ACLED for event {event_id}",
                        "date": day,
                        "grade": NAMED_SOURCE_GRADE})
    return sources


def _free_id(wanted: str, taken: set[str]) -> str:
    candidate, number = wanted, 2
    while candidate in taken:
        candidate, number = f"{wanted}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _free_source_id(wanted: str, ctx: Context) -> str:
    return _free_id(wanted, ctx.taken_sources)


def _safe_markdown(notes: str) -> str:
    """ACLED's notes as Markdown that `secbrief check` accepts: brackets that
    would read as a citation or a link become parentheses."""
    if (any(markup.citation_ids(notes)) or any(markup.malformed_citations(notes))
            or any(markup.unsafe_targets(notes))):
        notes = notes.replace("[", "(").replace("]", ")").replace("<", "‹").replace(">", "›")
    return notes


def _check_model(data: dict) -> None:
    """Refuse, as a malformed row, anything the data model would refuse."""
    from pydantic import ValidationError

    try:
        Incident.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RowError(f"the incident would be invalid ({where}: {first['msg']})") from None


# --- the command ------------------------------------------------------------

def _context(project: Project, today: dt.date) -> Context:
    """Registries from the project (they must be valid: every actor name is
    resolved through them), and every ACLED id already imported."""
    from secbrief.validate import load_corpus

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
        result.written.append(Planned(event_id, line, path, text))
    if not dry_run:
        for planned in result.written:
            write_new(planned.path, planned.text.encode("utf-8"))
    return result


def _wanted(row: dict, filters: Filters) -> bool:
    """Outside --country/--from/--to? A row whose date does not parse is
    kept, so that it is reported as malformed rather than silently dropped."""
    try:
        day = parse_date(row["event_date"])
    except ValueError:
        return True
    return filters.keep(row["country"], day)


def write_new(path: Path, data: bytes) -> None:
    """Write a new incident file; never over one that appeared meanwhile."""
    from secbrief.write import OutputError, create_new

    try:
        create_new(path, data)
    except FileExistsError:
        raise OutputError(f"{path}: error: file appeared during the import; not overwritten") from None


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
    import yaml

    taken: set[str] = set()
    lines: list[str] = []
    for actor in sorted(unknown, key=lambda a: a.name.casefold()):
        name = _YEAR_RANGE.sub("", actor.name) or actor.name
        kind = taxonomy.KIND_BY_CATEGORY.get(actor.category, "organisation")
        entry: dict = {"id": _free_id(slugify(name)[:120].strip("-") or "actor", taken), "name": name}
        if name != actor.name:
            entry["aliases"] = [actor.name]
        entry["kind"] = kind
        if kind in ("militia", "armed-group"):
            entry["country"] = actor.country
        events = ", ".join(actor.events[:5]) + (" ..." if len(actor.events) > 5 else "")
        hint = (f"; did you mean '{actor.hint}'? then add '{actor.name}' to its aliases instead"
                if actor.hint else "")
        lines.append(f"  # {actor.name}: in {events}{hint}")
        lines += ["  " + text for text in yaml.safe_dump([entry], sort_keys=False, allow_unicode=True,
                                                         width=1000).rstrip("\n").split("\n")]
    return lines
