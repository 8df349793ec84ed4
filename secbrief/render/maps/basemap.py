"""The ground of a locator map: Natural Earth boundaries (BOUNDARIES, made
by scripts/mapdata.py) projected with pyproj and clipped to the map's frame
with shapely, as SVG path data.

The projection is Lambert azimuthal equal-area centred on the map's area:
areas keep their proportions and, at the few hundred kilometres a brief
covers, shapes and the scale bar are true to within a percent. Coordinates
are rounded to a tenth of a pixel, so float noise never changes a byte; the
libraries are pinned by requirements.lock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Proj
from shapely.geometry import MultiLineString, MultiPolygon, Polygon, box

from secbrief.render.maps import BOUNDARIES

WIDTH = 340                 # SVG units = CSS px: 11-unit text stays 11 px on a 390 px phone
MIN_HEIGHT, MAX_HEIGHT = 220, 260
MARGIN = 0.3                # the fitted area: incidents' span plus this share on each side...
MIN_SPAN = 6.0              # ...and at least this many degrees across


@dataclass(frozen=True)
class Ground:
    countries: tuple        # (name, MultiPolygon in degrees, its bounds W, S, E, N)
    borders: MultiLineString
    context: MultiPolygon   # coarse land for the inset
    cities: tuple           # (name, lat, lon)
    region: tuple           # the data's W, S, E, N


def _multipolygon(polygons) -> MultiPolygon:
    return MultiPolygon([Polygon(rings[0], rings[1:]) for rings in polygons])


def _valid(geometry):
    """A geometry GEOS can clip: rounding the data's coordinates may make a
    ring touch itself; make_valid repairs it without moving a point."""
    return geometry if geometry.is_valid else shapely.make_valid(geometry)


@lru_cache(maxsize=1)
def ground() -> Ground:
    data = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    shapes = [(c["name"], _valid(_multipolygon(c["polygons"]))) for c in data["countries"]]
    countries = tuple((name, shape, shape.bounds) for name, shape in shapes)
    return Ground(countries, MultiLineString(data["borders"]), _valid(_multipolygon(data["context"])),
                  tuple((c["name"], c["lat"], c["lon"]) for c in data["cities"]), tuple(data["region"]))


# Coarser copies of the data for maps of wider areas: the finest whose
# tolerance stays under DETAIL of a unit is drawn (a 1:50m coastline has far
# more points than a 340-unit map of the whole region can show).
LEVELS = (0.0, 0.02, 0.04, 0.08)    # degrees; 0: the data as stored (about 0.01)
DETAIL = 0.4


@lru_cache(maxsize=len(LEVELS))
def ground_at(level: float) -> Ground:
    base = ground()
    if not level:
        return base
    countries = tuple((name, shape, bounds) for name, geometry, bounds in base.countries
                      if not (shape := _valid(geometry.simplify(level))).is_empty)
    return Ground(countries, base.borders.simplify(level), base.context, base.cities, base.region)


def fitted_extent(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """W, S, E, N around (lat, lon) points, with a margin and a minimum span."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    cx, cy = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    half_x = max((max(lons) - min(lons)) * (0.5 + MARGIN), MIN_SPAN / 2)
    half_y = max((max(lats) - min(lats)) * (0.5 + MARGIN), MIN_SPAN / 2 * 0.75)
    return (round(cx - half_x, 2), round(cy - half_y, 2), round(cx + half_x, 2), round(cy + half_y, 2))


class Frame:
    """A projection and the rectangle of it the map shows, in SVG units."""

    def __init__(self, extent: tuple[float, float, float, float], width: float = WIDTH,
                 heights: tuple[float, float] = (MIN_HEIGHT, MAX_HEIGHT)):
        west, south, east, north = extent
        self.extent = extent
        self.proj = Proj(proj="laea", lat_0=round((south + north) / 2, 2), lon_0=round((west + east) / 2, 2),
                         ellps="WGS84")
        # The extent's outline, sampled (its edges are curves once projected).
        steps = np.linspace(0.0, 1.0, 17)
        lons = np.concatenate([west + (east - west) * steps, np.full(17, east), east - (east - west) * steps,
                               np.full(17, west)])
        lats = np.concatenate([np.full(17, south), south + (north - south) * steps, np.full(17, north),
                               north - (north - south) * steps])
        xs, ys = self.proj(lons, lats)
        minx, maxx, miny, maxy = float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())
        height = min(max(width * (maxy - miny) / (maxx - minx), heights[0]), heights[1])
        # Widen the shorter side to the frame's proportions, about the centre.
        if (maxy - miny) / (maxx - minx) < height / width:
            grow = (maxx - minx) * height / width - (maxy - miny)
            miny, maxy = miny - grow / 2, maxy + grow / 2
        else:
            grow = (maxy - miny) * width / height - (maxx - minx)
            minx, maxx = minx - grow / 2, maxx + grow / 2
        self.width, self.height = float(width), round(height, 1)
        self.scale = width / (maxx - minx)          # SVG units per metre
        self.minx, self.maxy = minx, maxy
        # What to clip in degrees before projecting: the frame's corners, widened.
        lon_c, lat_c = self.proj(np.array([minx, maxx, minx, maxx]), np.array([miny, miny, maxy, maxy]),
                                 inverse=True)
        pad = 1.0
        degrees_per_unit = 1 / self.scale / 111_000
        self.ground = ground_at(max(lv for lv in LEVELS if lv <= DETAIL * degrees_per_unit))
        self.degrees_box = box(float(min(lon_c.min(), west)) - pad, float(min(lat_c.min(), south)) - pad,
                               float(max(lon_c.max(), east)) + pad, float(max(lat_c.max(), north)) + pad)

    def countries(self) -> list[tuple[str, object]]:
        """(name, its shapes in the frame) for every country the frame shows."""
        w, s, e, n = self.degrees_box.bounds
        found = []
        for name, geometry, (gw, gs, ge, gn) in self.ground.countries:
            if gw > e or ge < w or gs > n or gn < s:
                continue  # outside the frame: not clipped at all
            shapes = self.shapes(geometry)
            if not shapes.is_empty:
                found.append((name, shapes))
        return found

    def to_svg(self, coords: np.ndarray) -> np.ndarray:
        """(n, 2) longitudes and latitudes -> SVG x, y."""
        xs, ys = self.proj(coords[:, 0], coords[:, 1])
        return np.column_stack([(xs - self.minx) * self.scale, (self.maxy - ys) * self.scale])

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        x, y = self.to_svg(np.array([[lon, lat]]))[0]
        return round(float(x), 1), round(float(y), 1)

    def shapes(self, geometry):
        """A geometry in degrees, projected and clipped to the frame.
        clip_by_rect: GEOS's rectangle clipping, several times faster than a
        general intersection, and all a drawing needs."""
        clipped = shapely.clip_by_rect(geometry, *self.degrees_box.bounds)
        if clipped.is_empty:
            return clipped
        # Points closer than a quarter unit apart are one point on the page.
        projected = shapely.simplify(shapely.transform(clipped, self.to_svg), 0.25)
        return shapely.clip_by_rect(projected, 0, 0, self.width, self.height)

    def metres_per_unit(self) -> float:
        return 1 / self.scale


def path_data(geometry, min_area: float = 0.4) -> str:
    """SVG path data of polygons or lines, a tenth of a unit precise."""
    parts: list[str] = []

    def line(coords, close: bool) -> None:
        points = []
        for x, y in coords:
            point = f"{x:.1f} {y:.1f}"
            if not points or points[-1] != point:
                points.append(point)
        if len(points) >= 2:
            parts.append("M" + " ".join(points) + ("Z" if close else ""))

    for geom in getattr(geometry, "geoms", [geometry]):
        if geom.is_empty:
            continue
        if geom.geom_type == "Polygon":
            if geom.area < min_area:
                continue
            line(list(geom.exterior.coords)[:-1], True)
            for interior in geom.interiors:
                line(list(interior.coords)[:-1], True)
        elif geom.geom_type == "LineString":
            line(geom.coords, False)
        elif geom.geom_type in ("MultiPolygon", "MultiLineString", "GeometryCollection"):
            parts.append(path_data(geom, min_area))
    return "".join(p for p in parts if p)


def nice_distance(metres_per_unit: float, longest: float = 100.0) -> tuple[int, float]:
    """A round length in km for the scale bar, at most ``longest`` units, and its length in units."""
    best = (10, 10_000 / metres_per_unit)
    for km in (10, 20, 25, 50, 100, 150, 200, 250, 300, 400, 500, 750, 1000):
        units = km * 1000 / metres_per_unit
        if units <= longest:
            best = (km, units)
    return best[0], round(best[1], 1)


@lru_cache(maxsize=32)
def _inset(cx: float, cy: float, width: float, height: float) -> tuple[Frame, str]:
    frame = Frame((cx - 30, cy - 22, cx + 30, cy + 22), width, (height, height))
    return frame, path_data(frame.shapes(ground().context), min_area=0.2)


def inset_paths(extent: tuple[float, float, float, float], width: float, height: float) -> tuple[str, str]:
    """The inset: coarse land around the map's area (centred to the nearest
    degree, so nearby maps share one), and the area's outline, as path data
    in a width x height box."""
    west, south, east, north = extent
    frame, land = _inset(float(round((west + east) / 2)), float(round((south + north) / 2)), width, height)
    ring = np.array([[west, south], [east, south], [east, north], [west, north], [west, south]])
    outline = frame.to_svg(ring)
    area = "M" + " ".join(f"{x:.1f} {y:.1f}" for x, y in outline[:-1]) + "Z"
    return land, area
