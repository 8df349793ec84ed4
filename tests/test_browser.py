"""The HTML briefs and the archive page in a real browser (Debian's Chromium,
driven by Playwright), as a client opens them: on a desktop (1280 px) and a
phone (390 px), in light and dark mode; checked by axe-core (WCAG 2.1 A and
AA) and by the Nu HTML Checker (vnu), CSS included.

One browser for the module, one page per viewport, reused from test to test:
starting Chromium costs more than loading a brief.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import REPO

DEMO_BRIEFS = sorted(p.stem for p in (REPO / "briefs").glob("*.yaml"))
WEEKLY = next(b for b in DEMO_BRIEFS if "\nstyle: weekly-brief\n" in (REPO / "briefs" / f"{b}.yaml").read_text())
PAGES = DEMO_BRIEFS + ["index"]
VALIDATORS = REPO / "tests" / "validators" / "node_modules"
AXE = VALIDATORS / "axe-core" / "axe.min.js"
VNU = VALIDATORS / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WIDTHS = {"desktop": 1280, "phone": 390}


def url(root: Path, name: str) -> str:
    path = root / "build" / ("index.html" if name == "index" else f"{name}/{name}.html")
    return path.as_uri()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def pages(browser):
    """One page per (viewport, colour scheme), made on first use."""
    made = {}

    def page(width: str, scheme: str = "light"):
        if (width, scheme) not in made:
            made[width, scheme] = browser.new_page(viewport={"width": WIDTHS[width], "height": 844},
                                                   color_scheme=scheme)
        return made[width, scheme]

    yield page
    for page_ in made.values():
        page_.close()


def opened(pages, root: Path, name: str, width: str, scheme: str = "light"):
    page = pages(width, scheme)
    page.goto(url(root, name))
    return page


# --- layout -----------------------------------------------------------------

@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_no_sideways_scroll(demo_build, pages, name, width):
    page = opened(pages, demo_build, name, width)
    viewport, scroll = page.evaluate("[document.documentElement.clientWidth, document.documentElement.scrollWidth]")
    assert viewport == WIDTHS[width]
    assert scroll <= viewport, f"{name} is {scroll} px wide in a {viewport} px viewport"


@pytest.mark.parametrize("name", DEMO_BRIEFS)
def test_text_is_a_readable_size_on_a_phone(demo_build, pages, name):
    page = opened(pages, demo_build, name, "phone")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main section p')).fontSize)")
    assert size >= 16


LABELLED_ROWS = """table => {
  const names = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
  return [...table.querySelectorAll('tbody tr')].map(tr => [...tr.cells].map((td, i) => ({
    column: names[i],
    label: td.dataset.label,
    before: getComputedStyle(td, '::before').content,
    display: getComputedStyle(td).display,
    top: td.getBoundingClientRect().top,
  })));
}"""


def test_weekly_incident_table_reads_as_labelled_rows_on_a_phone(demo_build, pages):
    page = opened(pages, demo_build, WEEKLY, "phone")
    table = page.locator("table.incident-table").first
    rows = table.evaluate(LABELLED_ROWS)
    assert rows
    for cells in rows:
        # One cell a line, each opening with its column's name.
        assert [c["display"] for c in cells] == ["block"] * len(cells)
        assert len({round(c["top"]) for c in cells}) == len(cells)
        for cell in cells:
            assert cell["label"] == cell["column"]
            assert cell["before"].startswith(f'"{cell["column"]}')
    # Column headings are out of sight, not out of the accessibility tree:
    # still a table of rows and cells for a screen reader.
    assert table.locator("thead").is_visible() is False or table.evaluate(
        "t => t.querySelector('thead').getBoundingClientRect().height <= 1")
    tree = table.aria_snapshot()
    assert tree.startswith("- table") and "- row " in tree and '- columnheader "Date"' in tree
    assert re.search(r"- '?cell \"Place: ", tree), tree


def test_weekly_table_stays_a_table_on_a_desktop(demo_build, pages):
    page = opened(pages, demo_build, WEEKLY, "desktop")
    cells = page.locator("table.incident-table").first.evaluate(LABELLED_ROWS)
    assert {c["display"] for row in cells for c in row} == {"table-cell"}
    assert all(c["before"] == "none" for row in cells for c in row)


CHART_TEXT = """svg => [...svg.querySelectorAll('text')].map(t => ({
  text: t.textContent,
  px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
  height: t.getBoundingClientRect().height,
}))"""


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_text_is_at_least_11_px(demo_build, pages, width):
    page = opened(pages, demo_build, WEEKLY, width)
    texts = page.locator("svg.weekly-chart").evaluate(CHART_TEXT)
    assert len(texts) >= 14  # twelve week labels, the dates, the totals
    smallest = min(texts, key=lambda t: t["px"])
    assert smallest["px"] >= 11, f"{smallest['text']!r} is drawn at {smallest['px']:.1f} px"
    assert smallest["height"] >= 11


GRAPHICS = [b for b in DEMO_BRIEFS if "image:" in (REPO / "briefs" / f"{b}.yaml").read_text()]


@pytest.mark.parametrize("name", GRAPHICS)
def test_graphic_labels_are_at_least_11_px_on_a_phone(demo_build, pages, name):
    """A brief's SVG graphic (a chart, a map) keeps a legible size on a phone,
    scrolling sideways inside its own box rather than the page."""
    import base64

    page = opened(pages, demo_build, name, "phone")
    img = page.locator("figure.brief-image img")
    src = img.get_attribute("src")
    svg = base64.b64decode(src.split(",", 1)[1]).decode()
    smallest = min(float(size) for size in re.findall(r'font-size="([\d.]+)"', svg))
    drawn, natural = img.evaluate("i => [i.getBoundingClientRect().width, i.naturalWidth]")
    assert smallest * drawn / natural >= 11, f"labels of {smallest} units drawn at {smallest * drawn / natural:.1f} px"
    box = page.locator(".graphic-scroll")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth && getComputedStyle(b).overflowX == 'auto'")


def test_chart_takes_little_room(demo_build, pages):
    """A quiet week's chart is a low bar row, not a third of the screen."""
    page = opened(pages, demo_build, WEEKLY, "desktop")
    box = page.locator("svg.weekly-chart").bounding_box()
    assert box["height"] <= 120 and box["width"] <= 400


def test_dark_mode_keeps_tlp_colours(demo_build, pages):
    page = opened(pages, demo_build, WEEKLY, "phone", "dark")
    chip = page.locator(".tlp-banner .tlp-label")
    colours = chip.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor, "
                            "getComputedStyle(document.body).backgroundColor]")
    assert colours[:2] == ["rgb(255, 192, 0)", "rgb(0, 0, 0)"]  # TLP:AMBER, as FIRST prints it
    assert colours[2] != "rgb(255, 255, 255)"  # the page did turn dark


def test_archive_index_has_landmarks(demo_build, pages):
    page = opened(pages, demo_build, "index", "phone")
    assert page.locator("main").count() == 1 and page.locator("header").count() >= 1
    assert page.locator("main table").count() == 1


# --- axe-core: WCAG 2.1 A and AA ---------------------------------------------

AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return result.violations.map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + '): '
    + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}"""


@pytest.mark.parametrize("view", [("desktop", "light"), ("phone", "light"), ("phone", "dark")],
                         ids=lambda v: "-".join(v))
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_wcag_violation(demo_build, pages, name, view):
    page = opened(pages, demo_build, name, *view)
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_RUN) == []


# --- Nu HTML Checker -----------------------------------------------------------

def test_vnu_reports_no_error_in_any_built_html(demo_build):
    """Every brief's HTML and the archive page, CSS included; one java run."""
    files = [str(demo_build / "build" / f"{b}/{b}.html") for b in DEMO_BRIEFS] + [str(demo_build / "build/index.html")]
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always",
                             *files], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m["type"] == "error" or m.get("subType") == "fatal"]
    assert errors == [], "\n".join(errors[:20])
