"""Coordinates that cannot be right, and a brief's map settings
(docs/maps.md): a place or incident whose latitude and longitude are
swapped (SB281) or that lies outside the country it names (SB282); a map
extent that is empty (SB283), beyond the globe (SB284) or leaves out the
brief's located incidents (SB285). Out-of-range degrees are SB280 (model.schema_errors).

A country is known by its bounding box in Natural Earth (country_bounds.json,
written with the maps' boundary data by scripts/mapdata.py), widened by
MARGIN: a coarse test, which never calls a point near a border wrong.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from secbrief.core import countries
from secbrief.core.diagnostics import ERROR, WARNING, Report
from secbrief.model.documents import MapSettings
from secbrief.validate.corpus import incident_spots, marker_index

BOUNDS_FILE = Path(__file__).resolve().parent / "country_bounds.json"
MARGIN = 0.5  # degrees


@lru_cache(maxsize=1)
def country_bounds() -> dict[str, tuple[float, float, float, float]]:
    """Bounding boxes by ISO 3166 code (core.countries, so every alias an
    analyst may write finds its box), or by name for the few Natural Earth
    areas without one (Somaliland, N. Cyprus)."""
    data = json.loads(BOUNDS_FILE.read_text(encoding="utf-8"))
    return {countries.key(name): tuple(box) for name, box in data["bounds"].items()}


# Parts of a country that analysts write as its country (a client scope keeps
# them apart, so they are no aliases in core.countries): checked against the
# whole country's box.
_PARTS = {"gaza": "PS", "gaza strip": "PS", "west bank": "PS"}


def _box(country: str | None):
    if not country:
        return None
    found = countries.key(country)  # its ISO code, or its name's key
    return country_bounds().get(_PARTS.get(found, found))


def _inside(lat: float, lon: float, box) -> bool:
    west, south, east, north = box
    return west - MARGIN <= lon <= east + MARGIN and south - MARGIN <= lat <= north + MARGIN


def _deg(value: float) -> str:
    return f"{value:g}"


def check_point(doc, loc: tuple, lat: float, lon: float, country: str | None, report: Report) -> None:
    """``loc``: where the coordinates are (the mapping holding lat and lon)."""
    box = _box(country)
    if box is None or _inside(lat, lon, box):
        return
    line, col = doc.where(loc + ("lat",))
    if _inside(lon, lat, box):
        report.add(doc.display, line, col,
                   f"lat {_deg(lat)}, lon {_deg(lon)} lie outside {country}, and would lie inside it swapped: "
                   f"write lat: {_deg(lon)}, lon: {_deg(lat)}", code="SB281", severity=ERROR)
        return
    west, south, east, north = box
    report.add(doc.display, line, col,
               f"lat {_deg(lat)}, lon {_deg(lon)} lie outside {country} (latitude {_deg(south)} to {_deg(north)}, "
               f"longitude {_deg(west)} to {_deg(east)}): check the coordinates and the country",
               code="SB282", severity=WARNING)


def check_places(doc, places, report: Report) -> None:
    for index, place in enumerate(places):
        check_point(doc, ("places", index), place.lat, place.lon, place.country, report)


def check_incident_point(corpus, entry, report: Report) -> None:
    """Each of an incident's locations (``location`` or every item of
    ``locations``) that gives its own coordinates, against its country
    (written, or its place's)."""
    incident = entry.model
    spots = incident_spots(corpus, incident)
    for index, (location, spot) in enumerate(zip(incident.all_locations, spots)):
        if location.lat is None or location.lon is None:
            continue
        at = ("locations", index) if incident.locations else ("location",)
        check_point(entry.doc, at, location.lat, location.lon, spot.country, report)


def located(corpus, incident_id: str):
    """(lat, lon) of an incident as its map marker is placed, or None."""
    entry = corpus.incidents.get(incident_id)
    if entry is None:
        return None
    spots = incident_spots(corpus, entry.model)
    index = marker_index(spots)
    return None if index is None else (spots[index].lat, spots[index].lon)


def check_brief_map(corpus, entry, report: Report) -> None:
    brief, doc = entry.model, entry.doc
    settings = brief.map
    if not isinstance(settings, MapSettings) or not settings.extent:
        return
    west, south, east, north = settings.extent
    line, col = doc.where(("map", "extent"))
    shown = "[" + ", ".join(_deg(v) for v in settings.extent) + "]"
    if not all(-180 <= v <= 180 for v in (west, east)) or not all(-90 <= v <= 90 for v in (south, north)):
        report.add(doc.display, line, col, f"map: extent {shown} is not on the globe: [west, south, east, north] "
                   "takes longitudes from -180 to 180 and latitudes from -90 to 90", code="SB284", severity=ERROR)
        return
    if west >= east or south >= north:
        report.add(doc.display, line, col, f"map: extent {shown} is empty: it is [west, south, east, north], "
                   "with west less than east and south less than north", code="SB283", severity=ERROR)
        return
    ids = ([brief.event] if brief.event else []) + list(brief.incidents) + \
        [i for item in brief.implications for i in item.timeline]
    points = {i: p for i in dict.fromkeys(ids) if (p := located(corpus, i)) is not None}
    outside = [i for i, (lat, lon) in points.items() if not (west <= lon <= east and south <= lat <= north)]
    if outside:
        report.add(doc.display, line, col,
                   f"map: extent {shown} leaves out {len(outside)} of the brief's {len(points)} located "
                   f"incident(s): {', '.join(outside)}", code="SB285", severity=WARNING)
