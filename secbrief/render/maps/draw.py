"""A brief's locator map as one SVG: the ground (basemap), the inset, the
scale bar, numbered markers shaped and coloured by incident type (the
palette of the weekly chart), place labels, key cities and country names
placed without overlapping (layout), the legend and the credit.

Everything drawn is escaped; names are in Latin script (native names are in
the figure's text alternative, where the page shapes right-to-left text).
The same inputs give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html import escape

from shapely.geometry import box as shapely_box

from secbrief.render.maps import CREDIT
from secbrief.render.maps.basemap import WIDTH, Frame, fitted_extent, ground, inset_paths, nice_distance, path_data
from secbrief.render.maps.layout import Box, Layout, text_width
from secbrief.resolve.locator import LocatorMap
from secbrief.resolve.weekly_chart import TYPE_COLOURS, type_label

FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
SIZE = 11                      # the smallest text on the map
LINE = 13                      # a line of 11-unit text
INK, MUTED, PAPER = "#1a1d21", "#59626e", "#ffffff"
SEA, LAND, LAND_SHOWN = "#d7e5f0", "#ece9e1", "#f8f6f1"
COAST, BORDER = "#8ea4b6", "#7d828a"
BADGE = 18                     # a marker's side
PER_ROW = 4                    # numbers on one row of a shared marker
INSET_W, INSET_H = 78, 58
# Shapes by family of incident type, so colour is never the only cue.
SHAPES = {"rocket-attack": "diamond", "missile-attack": "diamond", "drone-attack": "circle",
          "airstrike": "circle", "ied-attack": "square", "armed-clash": "square", "attack": "square",
          "abduction": "square", "violent-demonstration": "hexagon", "protest": "hexagon",
          "strategic-development": "hexagon"}


def _n(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def number_colour(fill: str) -> str:
    """White or ink, whichever contrasts more with the marker's colour."""
    lum = _luminance(fill)
    return PAPER if (1.05 / (lum + 0.05)) >= ((lum + 0.05) / (_luminance(INK) + 0.05)) else INK


def shape(kind: str, cx: float, cy: float, size: float = BADGE) -> str:
    fill = TYPE_COLOURS[kind]
    r = size / 2
    common = f'fill="{fill}" stroke="{PAPER}" stroke-width="1.2"'
    form = SHAPES[kind]
    if form == "circle":
        return f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" {common}/>'
    if form == "square":
        return f'<rect x="{_n(cx - r + 0.5)}" y="{_n(cy - r + 0.5)}" width="{_n(size - 1)}" height="{_n(size - 1)}" rx="2" {common}/>'
    if form == "diamond":
        d = r + 1.5
        points = [(cx, cy - d), (cx + d, cy), (cx, cy + d), (cx - d, cy)]
    else:  # hexagon
        points = [(cx - r / 2, cy - r), (cx + r / 2, cy - r), (cx + r, cy), (cx + r / 2, cy + r),
                  (cx - r / 2, cy + r), (cx - r, cy)]
    return f'<polygon points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in points)}" {common}/>'


@dataclass
class Drawing:
    svg: str
    layout: Layout         # what was placed: the tests check its boxes
    markers: int           # numbered badges drawn


def _label_lines(name: str, limit: float = 130.0) -> list[str]:
    """A long name on two lines, split at the space nearest its middle."""
    if text_width(name, SIZE, bold=True) <= limit or " " not in name:
        return [name]
    spaces = [i for i, ch in enumerate(name) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(name) / 2))
    return [name[:cut], name[cut + 1:]]


def _legend(types: list[str], top: float) -> tuple[list[str], float]:
    out, x, y = [], 4.0, top + 6
    for kind in types:
        label = type_label(kind)
        width = 16 + 5 + text_width(label, SIZE) + 12
        if x + width > WIDTH - 4 and x > 4:
            x, y = 4.0, y + 18
        out.append(shape(kind, x + 7, y + 7, 14))
        out.append(f'<text x="{_n(x + 19)}" y="{_n(y + 11)}" fill="{INK}">{escape(label)}</text>')
        x += width
    return out, y + 18


@lru_cache(maxsize=64)
def drawing(m: LocatorMap) -> Drawing:
    base = ground()
    extent = m.extent or fitted_extent([(mk.lat, mk.lon) for mk in m.markers])
    frame = Frame(extent)
    width, height = frame.width, frame.height
    shown_countries = {mk.country for mk in m.markers}
    out = [f'<rect width="{_n(width)}" height="{_n(height)}" fill="{SEA}"/>']
    countries = frame.countries()
    for name, shapes_in in countries:
        paths = path_data(shapes_in)
        if paths:
            fill = LAND_SHOWN if name in shown_countries else LAND
            out.append(f'<path d="{paths}" fill="{fill}" stroke="{COAST}" stroke-width="0.6" '
                       f'stroke-linejoin="round"><title>{escape(name)}</title></path>')
    borders = path_data(frame.shapes(frame.ground.borders))
    if borders:
        out.append(f'<path d="{borders}" fill="none" stroke="{BORDER}" stroke-width="0.9" '
                   'stroke-dasharray="3.5 1.5" stroke-linejoin="round"/>')

    # The inset in the corner with the fewest markers; the scale bar in a free bottom corner.
    points = {mk: frame.point(mk.lat, mk.lon) for mk in m.markers}
    corners = {"top-left": (4, 4), "top-right": (width - INSET_W - 4, 4),
               "bottom-right": (width - INSET_W - 4, height - INSET_H - 4), "bottom-left": (4, height - INSET_H - 4)}

    def crowd(corner):
        x, y = corners[corner]
        return sum(1 for px, py in points.values() if x - 20 <= px <= x + INSET_W + 20 and y - 20 <= py <= y + INSET_H + 20)
    inset_corner = min(corners, key=crowd)
    ix, iy = corners[inset_corner]
    km, bar = nice_distance(frame.metres_per_unit())
    bar_corner = "bottom-right" if inset_corner == "bottom-left" else "bottom-left"
    bx = 8 if bar_corner == "bottom-left" else width - bar - 12
    by = height - 8
    reserved = [Box(ix - 1, iy - 1, INSET_W + 2, INSET_H + 2), Box(bx - 4, by - 16, max(bar, 40) + 8, 20)]
    layout = Layout(Box(2, 2, width - 4, height - 4), reserved)

    # Every located place keeps a dot at its true position: no label may cover it.
    for px, py in points.values():
        layout.placed.append(Box(px - 2, py - 2, 4, 4))
    marks, lines = [], []
    badges = 0
    boxes = {}
    for mk in m.markers:
        px, py = points[mk]
        rows = (len(mk.incidents) + PER_ROW - 1) // PER_ROW
        cols = min(len(mk.incidents), PER_ROW)
        w, h = cols * BADGE + (cols - 1) * 2, rows * BADGE + (rows - 1) * 2
        layout.placed.remove(Box(px - 2, py - 2, 4, 4))  # its own dot sits under the marker
        spot = layout.near_point(px, py, w + 2, h + 2)
        if spot is None:  # nowhere free: drawn on its point regardless (a marker is never dropped)
            spot = (layout.take(Box(round(px - w / 2 - 1, 1), round(py - h / 2 - 1, 1), w + 2, h + 2)), False)
        box, leader = spot
        layout.labels.append(box)
        if leader:
            ex, ey = box.nearest(px, py)
            lines.append(f'<line x1="{_n(px)}" y1="{_n(py)}" x2="{_n(ex)}" y2="{_n(ey)}" stroke="{INK}" '
                         'stroke-width="0.9"/>')
        if leader:  # the true position, where the leader line starts
            marks.append(f'<circle cx="{_n(px)}" cy="{_n(py)}" r="2.2" fill="{INK}" stroke="{PAPER}" '
                         'stroke-width="0.8"/>')
        group = [f'<g><title>{escape(mk.name)}: {escape(mk.numbers_text)}</title>']
        for index, incident in enumerate(mk.incidents):
            cx = box.x + 1 + (index % PER_ROW) * (BADGE + 2) + BADGE / 2
            cy = box.y + 1 + (index // PER_ROW) * (BADGE + 2) + BADGE / 2
            group.append(shape(incident.type, cx, cy))
            group.append(f'<text x="{_n(cx)}" y="{_n(cy + 3.9)}" text-anchor="middle" font-weight="700" '
                         f'fill="{number_colour(incident.colour)}">{incident.number}</text>')
            badges += 1
        group.append("</g>")
        marks.append("".join(group))
        boxes[mk] = box
    # Then each place's name beside its marker (every marker placed first, so
    # that markers keep their points): one line or, where that finds no room,
    # two; nearest position first.
    for mk in m.markers:
        m_box = boxes[mk]
        spot, name_lines = None, [mk.name]
        variants = [[mk.name]] + ([_label_lines(mk.name, 0)] if " " in mk.name else [])
        for gaps in ((3.0,), (16.0,), (30.0,)):
            for candidate in variants:
                lw = max(text_width(t, SIZE, bold=True) for t in candidate) + 4
                found = layout.around(m_box, lw, LINE * len(candidate) + 3, gaps=gaps)
                if found is not None:
                    spot, name_lines = (found[0], gaps[0] > 3.0), candidate
                    break
            if spot is not None:
                break
        if spot is not None:
            lbox, leader = spot
            if leader:
                ex, ey = lbox.nearest(*m_box.centre)
                sx, sy = m_box.nearest(ex, ey)
                lines.append(f'<line x1="{_n(sx)}" y1="{_n(sy)}" x2="{_n(ex)}" y2="{_n(ey)}" stroke="{MUTED}" '
                             'stroke-width="0.7"/>')
            marks.append(_text_box(lbox, name_lines, INK, "700"))

    # Country names, then key cities: context, placed where room is left.
    for name, shapes_in in countries:
        if shapes_in.area < 2500:
            continue
        text = name.upper()
        w = text_width(text, SIZE) + 2 + len(text) * 1.2
        pt = shapes_in.representative_point()
        for dy in (0, -18, 18, -36, 36):
            cand = Box(round(pt.x - w / 2, 1), round(pt.y - 8 + dy, 1), w, 14)
            if layout.free(cand) and shapes_in.contains(_shapely_box(cand)):
                layout.take(cand, label=True)
                marks.append(f'<text x="{_n(cand.x + w / 2)}" y="{_n(cand.y + 11)}" text-anchor="middle" '
                             f'fill="{MUTED}" letter-spacing="1.2">{escape(text)}</text>')
                break
    marker_names = {mk.name for mk in m.markers}
    for name, lat, lon in base.cities:
        if name in marker_names:
            continue
        px, py = frame.point(lat, lon)
        dot = Box(px - 2.5, py - 2.5, 5, 5)
        if not layout.free(dot) or any(abs(px - qx) < 14 and abs(py - qy) < 14 for qx, qy in points.values()):
            continue
        layout.take(dot)
        spot = layout.around(dot, text_width(name, SIZE) + 4, LINE + 3, gaps=(2.0,))
        if spot is None:
            layout.placed.remove(dot)
            continue
        marks.append(f'<circle cx="{_n(px)}" cy="{_n(py)}" r="2.4" fill="{PAPER}" stroke="{INK}" stroke-width="1.1"/>')
        marks.append(_text_box(spot[0], [name], INK, None))

    out += lines + marks
    # The inset: where the map lies in the wider region.
    land, area = inset_paths(frame.extent, INSET_W, INSET_H)
    out.append(f'<g transform="translate({_n(ix)} {_n(iy)})"><rect width="{INSET_W}" height="{INSET_H}" '
               f'fill="{SEA}" stroke="{INK}" stroke-width="0.8"/><path d="{land}" fill="#c9c5ba"/>'
               f'<path d="{area}" fill="none" stroke="#C0392B" stroke-width="1.5"/></g>')
    out.append(f'<g><rect x="{_n(bx - 4)}" y="{_n(by - 16)}" width="{_n(bar + 8)}" height="20" fill="{PAPER}" '
               f'fill-opacity="0.85"/>'
               f'<rect x="{_n(bx)}" y="{_n(by - 3)}" width="{_n(bar / 2)}" height="3" fill="{INK}"/>'
               f'<rect x="{_n(bx + bar / 2)}" y="{_n(by - 3)}" width="{_n(bar / 2)}" height="3" fill="{PAPER}" '
               f'stroke="{INK}" stroke-width="0.6"/>'
               f'<text x="{_n(bx)}" y="{_n(by - 6)}" fill="{INK}">{km} km</text></g>')
    out.append(f'<rect width="{_n(width)}" height="{_n(height)}" fill="none" stroke="{INK}" stroke-width="1"/>')
    legend, bottom = _legend(m.types, height)
    out += legend
    out.append(f'<text x="4" y="{_n(bottom + 12)}" fill="{MUTED}">{escape(CREDIT)}</text>')
    total = bottom + 18
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="locator-map" viewBox="0 0 {_n(width)} {_n(total)}" '
            f'width="{_n(width)}" height="{_n(total)}" role="img" font-family="{FONT}" font-size="{SIZE}">'
            f"<title>{escape(m.alt)}</title>")
    return Drawing("\n".join([head, *out, "</svg>"]), layout, badges)


def _text_box(box: Box, lines: list[str], colour: str, weight: str | None) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    parts = [f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.w)}" height="{_n(box.h)}" rx="2" '
             f'fill="{PAPER}" fill-opacity="0.82"/>']
    for index, line in enumerate(lines):
        parts.append(f'<text x="{_n(box.x + 2)}" y="{_n(box.y + 11.5 + index * LINE)}" fill="{colour}"{bold}>'
                     f"{escape(line)}</text>")
    return "".join(parts)


def _shapely_box(b: Box):
    return shapely_box(b.x, b.y, b.x + b.w, b.y + b.h)


def svg(m: LocatorMap) -> str:
    """The map's SVG text: inline in the HTML, in the PDF, and the file beside the Markdown."""
    return drawing(m).svg
