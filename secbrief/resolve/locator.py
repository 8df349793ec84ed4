"""What a brief's generated locator map shows (docs/maps.md): its located
incidents, numbered in date order, grouped into one marker per place, the
area asked for, and the text alternative. secbrief.render.maps draws it.

Only plain data here: no geometry library is imported to resolve a brief.
The numbers are set on every IncidentView of the brief, so the incident
table and the timelines print the number of their marker.
"""

from __future__ import annotations

from dataclasses import dataclass

from secbrief.core.dates import long_date
from secbrief.model.documents import INCIDENT_TYPES, MapSettings
from secbrief.resolve.weekly_chart import TYPE_COLOURS, type_label
from secbrief.validate.corpus import marker_index


@dataclass(frozen=True)
class MapIncident:
    number: int
    id: str
    type: str
    title: str
    date_text: str

    @property
    def colour(self) -> str:
        return TYPE_COLOURS[self.type]

    @property
    def type_label(self) -> str:
        return type_label(self.type)


@dataclass(frozen=True)
class Marker:
    """One place on the map and every located incident there."""

    name: str
    country: str
    native_name: str | None
    lat: float
    lon: float
    incidents: tuple[MapIncident, ...]

    @property
    def numbers_text(self) -> str:
        return ", ".join(str(i.number) for i in self.incidents)


@dataclass(frozen=True)
class LocatorMap:
    markers: tuple[Marker, ...]             # in the order of their first number
    extent: tuple[float, float, float, float] | None   # the analyst's [W, S, E, N], or None: fitted
    title: str

    @property
    def count(self) -> int:
        """Located incidents: one number each."""
        return sum(len(m.incidents) for m in self.markers)

    @property
    def key_rows(self) -> list[tuple[MapIncident, Marker]]:
        """(incident, its marker) in number order: the map's key."""
        return sorted(((i, m) for m in self.markers for i in m.incidents), key=lambda row: row[0].number)

    @property
    def types(self) -> list[str]:
        """Incident types on the map, in taxonomy order: the legend."""
        seen = {i.type for m in self.markers for i in m.incidents}
        return [kind for kind in INCIDENT_TYPES if kind in seen]

    @property
    def alt(self) -> str:
        """The text alternative: every marker, its numbers and its place."""
        places = "; ".join(f"{m.numbers_text}: {m.name}, {m.country}" if m.country else f"{m.numbers_text}: {m.name}"
                           for m in self.markers)
        return f"{self.title}. Numbered markers: {places}."

    def key(self) -> str:
        """Everything the drawing depends on, as text (staleness, caching)."""
        return repr(self)


def _spot(incident_view):
    """(location as written, resolved spot) where an incident's marker
    stands (validate.corpus.marker_index), or (None, None)."""
    index = marker_index(incident_view.spots)
    return (None, None) if index is None else (incident_view.model.all_locations[index], incident_view.spots[index])


def _position(incident_view):
    """(lat, lon) of an incident's marker, or None."""
    _, spot = _spot(incident_view)
    return None if spot is None else (spot.lat, spot.lon)


def _place_name(incident_view) -> str:
    loc, spot = _spot(incident_view)
    if spot.place is not None and loc.lat is None:
        return spot.place.name
    return spot.site or spot.city or (spot.place.name if spot.place else spot.country or "")


def shows_map(brief) -> bool:
    """Whether the brief may have a generated map: not turned off, and no
    analyst's image (which wins)."""
    return brief.map is not False and brief.image is None


def locator_map(view) -> LocatorMap | None:
    """The map of a brief's view, or None (turned off, an image instead, or
    no cited incident with coordinates). Numbers every IncidentView shown."""
    brief = view.brief
    shown = ([view.event] if view.event else []) + list(view.incidents) + \
        [i for items in view.timelines.values() for i in items]
    if view.weekly is not None:
        shown += view.weekly.incidents
    if not shows_map(brief) or not shown:
        return None
    first = {}
    for incident in shown:
        first.setdefault(incident.id, incident)
    located = sorted(((i.date, i.id, i, pos) for i in first.values() if (pos := _position(i)) is not None),
                     key=lambda row: row[:2])
    if not located:
        return None
    numbers = {incident_id: n for n, (_, incident_id, _, _) in enumerate(located, start=1)}
    for incident in shown:
        incident.map_number = numbers.get(incident.id)
    places: dict[tuple[float, float], list] = {}
    for date, incident_id, incident, (lat, lon) in located:
        places.setdefault((round(lat, 2), round(lon, 2)), []).append(
            (MapIncident(numbers[incident_id], incident_id, incident.model.type, incident.model.title,
                         long_date(date)), incident))
    markers = tuple(
        Marker(_place_name(rows[0][1]), rows[0][1].country,
               rows[0][1].place.native_name if rows[0][1].place is not None else None,
               lat, lon, tuple(row[0] for row in rows))
        for (lat, lon), rows in places.items())
    settings = brief.map if isinstance(brief.map, MapSettings) else None
    extent = tuple(settings.extent) if settings is not None and settings.extent else None
    count = len(located)
    title = f"Map of the {count} located incident{'s' if count != 1 else ''} of this brief"
    return LocatorMap(markers, extent, title)
