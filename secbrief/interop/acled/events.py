"""One ACLED event as a secbrief incident: its id from the date and
place, the type from ACLED's taxonomy, actors through the registry's
aliases, the location with its precision, the fatalities, ACLED's notes as
the summary and ACLED and the publishers it names as sources."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from secbrief.core import textgrammar
from secbrief.core.dates import parse_day
from secbrief.core.project import Project
from secbrief.interop.acled import taxonomy
from secbrief.interop.acled.rows import RowError, number_in, whole_number
from secbrief.model.documents import Incident


# Admiralty grades given to imported sources; docs/acled.md says why.
ACLED_GRADE = "B3"


NAMED_SOURCE_GRADE = "C3"


ACLED_PUBLISHER = "ACLED"


ACLED_ID = re.compile(r"^[A-Z]{2,4}\d{1,10}$")


MAX_SLUG = 70


YEAR_RANGE = re.compile(r"\s*\((?:\d{4}-(?:\d{4})?)\)$")  # ACLED's "(2021-)" after state forces


# ACLED names a state's forces "Military Forces of Iraq (2022-)"; with nothing
# after the years (a unit such as "... Popular Mobilization Forces" is kept
# apart) they stand for the state, as the registry prefers.
_STATE_FORCES = re.compile(r"^(?:Military Forces|Police Forces|Government) of (?:the )?(.+?)"
                           r"(?:\s*\(\d{4}-(?:\d{4})?\))?$")


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’‘`ʼ]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _clip_slug(slug: str, limit: int = MAX_SLUG) -> str:
    if len(slug) <= limit:
        return slug
    return slug[:limit].rsplit("-", 1)[0]


@dataclass
class UnknownActor:
    name: str
    category: str
    country: str
    events: list[str] = field(default_factory=list)
    hint: str | None = None  # a registry spelling it may be a variant of


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
        day = parse_day(row["event_date"])
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
    fatalities = whole_number(row.get("fatalities", ""), "fatalities")

    actors, left_out = _actors(row, role1, role2, ctx, unknown)
    sources = _sources(row, event_id, day, ctx)
    cite = "; ".join(f"@{s['id']}" for s in sources)
    summary = f"{_safe_markdown(row['notes'])} [{cite}]"

    title = f"{sub_event} {at} {where}"
    slug = _clip_slug(slugify(f"{where} {kind}"))
    incident_id = free_id(f"{day.isoformat()}-{slug}", ctx.taken_ids)
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


def _location(row: dict, ctx: Context) -> tuple[dict, str, str]:
    """The location mapping, the name for the title, and 'at' or 'in'."""
    lat = number_in(row, "latitude", -90, 90)
    lon = number_in(row, "longitude", -180, 180)
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
    candidates = [name, YEAR_RANGE.sub("", name)]
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


def free_id(wanted: str, taken: set[str]) -> str:
    candidate, number = wanted, 2
    while candidate in taken:
        candidate, number = f"{wanted}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _free_source_id(wanted: str, ctx: Context) -> str:
    return free_id(wanted, ctx.taken_sources)


def _safe_markdown(notes: str) -> str:
    """ACLED's notes as Markdown that `secbrief check` accepts: brackets that
    would read as a citation or a link become parentheses."""
    if (any(textgrammar.citation_ids(notes)) or any(textgrammar.malformed_citations(notes))
            or any(textgrammar.unsafe_targets(notes))):
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
