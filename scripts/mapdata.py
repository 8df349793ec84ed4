"""Regenerate the boundary data of the generated locator maps (docs/maps.md)
from Natural Earth, as the npm package world-atlas redistributes it.

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/mapdata.py /tmp/package      # or: make mapdata WORLD_ATLAS=/tmp/package

It writes two files, both deterministic (sorted, rounded, no timestamps):

- secbrief/render/maps/admin0-middle-east.json: Natural Earth admin-0
  countries at 1:50m, clipped to REGION and simplified; the borders between
  countries (arcs two countries share) apart from the coastlines; Natural
  Earth 1:110m land for the inset that shows where the region lies; and
  the key cities drawn for context (CITIES below).
- secbrief/validate/country_bounds.json: every country's bounding box, the
  whole world at 1:50m, for the check that a place's coordinates lie in the
  country it names (`secbrief check`, SB281/SB282).

Natural Earth's default point of view is kept as it comes: its admin-0
"default" boundaries, which show de facto control. It is public domain;
world-atlas is ISC-licensed (see secbrief/render/maps/LICENCE.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from shapely.geometry import LineString, MultiPolygon, Polygon, box
from shapely.ops import unary_union

REPO = Path(__file__).resolve().parent.parent
MAP_FILE = REPO / "secbrief" / "render" / "maps" / "admin0-middle-east.json"
BOUNDS_FILE = REPO / "secbrief" / "validate" / "country_bounds.json"
SOURCE = "Natural Earth admin-0 countries 1:50m and land 1:110m, v4.1.0, via world-atlas 2.0.2"
# West, south, east, north: the Levant, Turkey and the Caucasus, Iran, the
# Arabian Peninsula and the Horn; a brief whose incidents lie outside gets
# a map of the part inside and a warning from `check` (SB285).
REGION = (24.0, 10.0, 66.0, 44.0)
TOLERANCE = 0.01          # degrees (about 1 km): far below a pixel at the maps' scales
DIGITS = 3
# The inset: the region within Europe, Africa and Asia, coarse.
CONTEXT = (-20.0, -10.0, 100.0, 62.0)
CONTEXT_TOLERANCE = 0.3
# Key cities drawn for context (capitals and the largest cities of the
# region; coordinates of their centres to two decimals). A city a brief's
# incidents are in is labelled from the place registry instead.
CITIES = [
    ("Abu Dhabi", 24.45, 54.38), ("Amman", 31.95, 35.93), ("Ankara", 39.93, 32.86),
    ("Baghdad", 33.31, 44.37), ("Basra", 30.51, 47.81), ("Beirut", 33.89, 35.50),
    ("Cairo", 30.04, 31.24), ("Damascus", 33.51, 36.29), ("Deir ez-Zor", 35.34, 40.14),
    ("Doha", 25.29, 51.53), ("Erbil", 36.19, 44.01), ("Jerusalem", 31.78, 35.22),
    ("Kuwait City", 29.38, 47.99), ("Manama", 26.23, 50.59), ("Mosul", 36.34, 43.13),
    ("Muscat", 23.59, 58.41), ("Riyadh", 24.71, 46.68), ("Sanaa", 15.37, 44.19),
    ("Tehran", 35.69, 51.39), ("Aleppo", 36.20, 37.16), ("Kirkuk", 35.47, 44.39),
    ("Aden", 12.79, 45.02), ("Jeddah", 21.49, 39.19), ("Tabriz", 38.08, 46.29),
    ("Ahvaz", 31.32, 48.67), ("Najaf", 32.00, 44.34), ("Raqqa", 35.95, 39.01),
]


def arcs_of(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs in degrees (delta-decoded, de-quantized)."""
    (kx, ky), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * kx + tx, y * ky + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indexes) -> list:
    points: list = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def polygons(arcs, geometry) -> list[Polygon]:
    kind = geometry.get("type")
    parts = [geometry["arcs"]] if kind == "Polygon" else geometry.get("arcs", []) if kind == "MultiPolygon" else []
    found = []
    for part in parts:
        rings = [ring(arcs, r) for r in part]
        if len(rings[0]) >= 4:
            found.append(Polygon(rings[0], [r for r in rings[1:] if len(r) >= 4]).buffer(0))
    return found


def rounded(geometry) -> list:
    """GeoJSON-like coordinates, rounded: polygons as lists of rings."""
    def coords(seq):
        out = []
        for x, y in seq:
            point = [round(x, DIGITS), round(y, DIGITS)]
            if not out or out[-1] != point:
                out.append(point)
        return out
    if geometry.is_empty:
        return []
    if geometry.geom_type == "Polygon":
        geometry = MultiPolygon([geometry])
    if geometry.geom_type == "MultiPolygon":
        return [[coords(p.exterior.coords)] + [coords(r.coords) for r in p.interiors] for p in geometry.geoms
                if p.area > TOLERANCE ** 2]
    if geometry.geom_type == "GeometryCollection":
        return [ring_ for g in geometry.geoms if g.geom_type in ("Polygon", "MultiPolygon") for ring_ in rounded(g)]
    return []


def main(source: Path) -> None:
    topology = json.loads((source / "countries-50m.json").read_text(encoding="utf-8"))
    arcs = arcs_of(topology)
    countries = topology["objects"]["countries"]["geometries"]
    uses: dict[int, int] = {}
    for geometry in countries:
        parts = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry.get("arcs", [])
        for part in parts:
            for r in part:
                for index in r:
                    uses[index if index >= 0 else ~index] = uses.get(index if index >= 0 else ~index, 0) + 1
    # Each arc simplified once, so two neighbours keep one border between them.
    simple = [list(LineString(a).simplify(TOLERANCE, preserve_topology=False).coords) if len(a) > 2 else a
              for a in arcs]
    frame = box(*REGION)
    shapes, bounds = [], {}
    for geometry in countries:
        name = geometry["properties"]["name"]
        full = unary_union(polygons(arcs, geometry))
        if not full.is_empty:
            bounds[name] = [round(v, 2) for v in full.bounds]
        clipped = unary_union(polygons(simple, geometry)).intersection(frame)
        if not clipped.is_empty and (rings := rounded(clipped)):
            shapes.append({"name": name, "id": geometry.get("id", ""), "polygons": rings})
    borders = []
    for index, count in sorted(uses.items()):
        if count > 1:
            line = LineString(simple[index]).intersection(frame)
            for part in getattr(line, "geoms", [line]):
                if part.geom_type == "LineString" and not part.is_empty:
                    borders.append([[round(x, DIGITS), round(y, DIGITS)] for x, y in part.coords])
    land110 = json.loads((source / "land-110m.json").read_text(encoding="utf-8"))
    land_arcs = arcs_of(land110)
    land = unary_union([p for g in land110["objects"]["land"]["geometries"] for p in polygons(land_arcs, g)])
    context = land.intersection(box(*CONTEXT)).simplify(CONTEXT_TOLERANCE)
    data = {
        "source": SOURCE, "licence": "public domain (Natural Earth); world-atlas: ISC",
        "point_of_view": "Natural Earth default", "region": list(REGION), "context_region": list(CONTEXT),
        "countries": sorted(shapes, key=lambda s: s["name"]), "borders": borders,
        "context": [[[[round(x, 1), round(y, 1)] for x, y in r] for r in p] for p in rounded(context)],
        "cities": [{"name": n, "lat": lat, "lon": lon} for n, lat, lon in sorted(CITIES)],
    }
    MAP_FILE.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    BOUNDS_FILE.write_text(json.dumps({"source": SOURCE, "bounds": dict(sorted(bounds.items()))},
                                      separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {MAP_FILE.relative_to(REPO)} ({MAP_FILE.stat().st_size} bytes), "
          f"{BOUNDS_FILE.relative_to(REPO)} ({BOUNDS_FILE.stat().st_size} bytes)")



if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/package"))
