"""The generated locator maps of briefs (docs/maps.md): Natural Earth
boundaries clipped and projected with shapely and pyproj (``basemap``),
markers and labels placed without overlapping (``layout``), drawn as one
SVG that the HTML shows inline, the PDF draws as vectors and the build
writes beside the Markdown (``draw``).

This package face imports nothing heavy: a build only imports
``draw`` (and with it shapely and pyproj) when a brief has a map.
"""

from pathlib import Path

# Natural Earth admin-0 at 1:50m, clipped to the region the briefs cover and
# simplified; scripts/mapdata.py regenerates it (make mapdata).
BOUNDARIES = Path(__file__).resolve().parent / "admin0-middle-east.json"
CREDIT = "Boundaries: Natural Earth (public domain)"
