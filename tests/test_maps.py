"""The generated locator maps (docs/maps.md, issue 21): one marker badge per
located incident, no two labels overlapping, the same bytes every time,
text no smaller than 11 px, names escaped, `map: false` and `extent`, the
file beside the Markdown, and no geometry library without a map."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import REPO, run
from secbrief.core.diagnostics import Report
from secbrief.core.project import Project
from secbrief.pipeline.inputs import brief_inputs
from secbrief.render.maps.draw import drawing, svg
from secbrief.resolve.assemble import brief_view
from secbrief.resolve.locator import LocatorMap, MapIncident, Marker
from secbrief.validate.load_corpus import load_corpus
from test_speed_paths import imported_after

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def demo_corpus():
    return load_corpus(Project.at(REPO), Report(), parse_cache=False)


def located_ids(corpus, view) -> set[str]:
    """The brief's cited incidents with coordinates, found without the locator."""
    ids = ([view.brief.event] if view.brief.event else []) + list(view.brief.incidents)
    ids += [i for item in view.brief.implications for i in item.timeline]
    found = set()
    for incident_id in ids:
        loc = corpus.incidents[incident_id].model.location
        place = corpus.places.lookup(loc.place) if loc.place else None
        if (loc.lat is not None and loc.lon is not None) or place is not None:
            found.add(incident_id)
    return found


def assert_no_overlap(boxes):
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)


def test_every_demo_brief_with_located_incidents_has_a_map_with_one_badge_each(demo_corpus):
    mapped = 0
    for brief_id in sorted(demo_corpus.briefs):
        view = brief_view(demo_corpus, brief_id, "test")
        wanted = located_ids(demo_corpus, view)
        if view.brief.image is not None or not wanted:  # an analyst's image wins
            assert view.map is None
            continue
        mapped += 1
        picture = drawing(view.map)
        assert picture.markers == len(wanted) == view.map.count
        assert_no_overlap(picture.layout.labels)
        root = ET.fromstring(picture.svg)
        assert root.find(f"{SVG}title").text == view.map.alt
    assert mapped >= 4


def test_labels_never_overlap_when_places_crowd():
    """Twelve places within a few kilometres of Baghdad: markers are moved
    off their points (leader lines), labels go where there is room."""
    markers = tuple(
        Marker(f"Site number {n} of Baghdad", "Iraq", None, 33.30 + (n % 4) * 0.02, 44.36 + (n // 4) * 0.02,
               (MapIncident(n + 1, f"i{n}", "rocket-attack" if n % 2 else "drone-attack", "t", "1 May 2021"),))
        for n in range(12))
    picture = drawing(LocatorMap(markers, None, "Map"))
    assert picture.markers == 12
    assert_no_overlap(picture.layout.labels)
    assert "<line" in picture.svg


def test_same_map_same_bytes_and_legible_text():
    marker = Marker('Camp <b>"X"</b> & co', "Iraq", None, 33.8, 42.44,
                    (MapIncident(1, "a", "drone-attack", "t", "1 May 2021"),
                     MapIncident(2, "b", "protest", "t", "2 May 2021")))
    first = svg(LocatorMap((marker,), None, "Map"))
    drawing.cache_clear()
    assert svg(LocatorMap((marker,), None, "Map")) == first
    root = ET.fromstring(first)  # well-formed: every name escaped
    assert "<b>" not in first and "Camp &lt;b&gt;" in first
    sizes = [float(e.get("font-size")) for e in root.iter() if e.get("font-size")]
    assert root.get("font-size") == "11" and min(sizes) >= 11
    assert float(root.get("width")) <= 340  # 11 units = 11 px at a 390 px phone width


def test_extent_sets_the_area():
    marker = Marker("Ain al-Asad Air Base", "Iraq", None, 33.8, 42.44,
                    (MapIncident(1, "a", "drone-attack", "t", "1 May 2021"),))
    wide = drawing(LocatorMap((marker,), (30.0, 20.0, 60.0, 42.0), "Map")).svg
    fitted = drawing(LocatorMap((marker,), None, "Map")).svg
    assert wide != fitted and "SAUDI ARABIA" in wide and "SAUDI ARABIA" not in fitted


def test_map_false_turns_it_off_and_a_no_map_build_imports_no_geometry(mini):
    brief = mini / "briefs" / "test-brief.yaml"
    assert run(mini, "build", "--format", "md,html").returncode == 0
    assert (mini / "build/test-brief/test-brief.map.svg").is_file()
    md = (mini / "build/test-brief/test-brief.md").read_text(encoding="utf-8")
    assert "[test-brief.map.svg](test-brief.map.svg)" in md
    brief.write_text(brief.read_text(encoding="utf-8") + "map: false\n", encoding="utf-8")
    modules = imported_after(mini, "build", "--format", "md,html")
    assert not {"shapely", "pyproj", "numpy"} & modules
    html = (mini / "build/test-brief/test-brief.html").read_text(encoding="utf-8")
    assert "locator-map" not in html


def test_moving_a_place_rebuilds_the_briefs_showing_it(mini):
    assert run(mini, "build", "--format", "md,html").returncode == 0
    places = mini / "incidents" / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8").replace("lon: 44.40", "lon: 44.41"), encoding="utf-8")
    result = run(mini, "build", "--format", "md,html")
    assert "built test-brief" in result.stdout + result.stderr
    corpus = load_corpus(Project.at(mini), Report(), parse_cache=False)
    assert "map data" in brief_inputs(corpus, "test-brief", "x", ("md",))


def test_the_map_is_published_with_its_brief_and_not_once_turned_off(mini, tmp_path):
    brief = mini / "briefs" / "test-brief.yaml"
    brief.write_text(brief.read_text(encoding="utf-8").replace("tlp: AMBER", "tlp: CLEAR"), encoding="utf-8")
    assert run(mini, "publish", str(tmp_path / "out")).returncode == 0
    assert (tmp_path / "out/test-brief/test-brief.map.svg").read_bytes().startswith(b"<?xml")
    brief.write_text(brief.read_text(encoding="utf-8") + "map: false\n", encoding="utf-8")
    result = run(mini, "publish", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "out/test-brief/test-brief.map.svg").exists()


def test_a_stop_signal_during_the_map_libraries_import_stops_the_build_after_it(monkeypatch):
    """numpy and pyproj print or re-raise as ImportError an interrupt raised
    inside their import; the import runs with the stop signals held, and
    the signal arrives as an interruption once it is done."""
    import importlib.abc
    import importlib.util
    import signal
    import sys

    from secbrief.core import stop_signals
    from secbrief.render import renderer

    events = []

    class Loader(importlib.abc.Loader):
        def create_module(self, spec):
            return None

        def exec_module(self, module):
            signal.raise_signal(signal.SIGINT)  # Ctrl-C in the middle of the import
            events.append("import finished")
            module.svg = lambda locator: "<svg/>"

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "secbrief.render.maps.draw":
                return importlib.util.spec_from_loader(name, Loader())
            return None

    monkeypatch.delitem(sys.modules, "secbrief.render.maps.draw", raising=False)
    monkeypatch.setattr(sys, "meta_path", [Finder(), *sys.meta_path])
    previous = signal.signal(signal.SIGINT, stop_signals._interrupt)
    try:
        with pytest.raises(stop_signals.Interrupted):
            renderer.map_svg(None)
    finally:
        signal.signal(signal.SIGINT, previous)
        del stop_signals.received[:]
    assert events == ["import finished"]
