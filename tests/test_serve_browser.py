"""`secbrief serve` in a real browser (Debian's Chromium, driven by
Playwright, as tests/test_browser.py launches it): a page open on a brief
shows an incident's new title once the file is saved, with no reload by
hand; a broken file brings the list of problems over the last good render,
with the right path and line; fixing it takes the list away. The list is
text (a tag in a value stays text), passes the page's
Content-Security-Policy, and reads on a phone (it scrolls; links wrap).
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from serve_support import K1_BRIEF, K1_INCIDENT, K1_TITLE, Served, demo_copy, edit
from test_browser import browser  # noqa: F401  (the same module-scoped Chromium, launched the same way)

PAGE = f"/{K1_BRIEF}/{K1_BRIEF}.html"
PANEL = "#secbrief-serve .sbs-panel"
WAIT_MS = 30_000  # generous: CI runs this beside PDF builds on two cores; passing never waits this long


@pytest.fixture
def served(demo_build, tmp_path):
    server = Served(demo_copy(tmp_path / "demo", demo_build))
    yield server
    server.stop()


def open_page(browser, served: Served, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 844})
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(served.base + PAGE)
    # Locator assertions, not wait_for_function: the page's Content-Security-Policy forbids eval.
    expect(page.locator("#secbrief-serve .sbs-state")).to_have_text("live", timeout=WAIT_MS)
    return page, problems


def test_a_saved_title_shows_then_an_error_overlays_the_page_then_goes(browser, served):
    page, problems = open_page(browser, served)
    try:
        assert K1_TITLE in page.inner_text("main")
        assert page.locator(PANEL).is_hidden()
        page.evaluate("window.openedBefore = true")  # gone once the page reloads itself

        edit(served.root, K1_INCIDENT, K1_TITLE, "K1 rocket salvo, title saved in an editor")
        expect(page.locator("main")).to_contain_text("title saved in an editor", timeout=WAIT_MS)
        assert page.evaluate("window.openedBefore === undefined")  # the page reloaded itself

        edit(served.root, K1_INCIDENT, "date: 2019-12-27", "date: 2019-12-32")
        page.wait_for_selector(PANEL, state="visible", timeout=WAIT_MS)
        item = page.locator(f"{PANEL} li").first
        assert f"{K1_INCIDENT}:1:7: date: '2019-12-32' is not a valid date" in item.inner_text()
        link = item.locator("a")
        assert link.inner_text() == f"{K1_INCIDENT}:1:7"
        assert link.get_attribute("href") == (served.root / K1_INCIDENT).as_uri()
        assert "1 error" in page.inner_text(PANEL)
        # The last good render stays under the list, its marking as built.
        assert "title saved in an editor" in page.inner_text("main")
        assert page.locator(".tlp-banner").first.is_visible()

        edit(served.root, K1_INCIDENT, "date: 2019-12-32", "date: 2019-12-27")
        page.wait_for_selector(PANEL, state="hidden", timeout=WAIT_MS)
        assert page.locator("#secbrief-serve .sbs-count").is_hidden()
        assert problems == []  # no script error, no Content-Security-Policy violation
    finally:
        page.close()


def test_the_list_is_text_and_shows_control_characters(browser, served):
    page, problems = open_page(browser, served)
    try:
        hostile = "<img src=x onerror=alert(1)>\x1b[31m\u202eKH"
        edit(served.root, f"briefs/{K1_BRIEF}.yaml", "parties: [", f"parties: [{json.dumps(hostile)}, ")
        page.wait_for_selector(PANEL, state="visible", timeout=WAIT_MS)
        text = page.inner_text(PANEL)
        assert r"<img src=x onerror=alert(1)>\x1b[31m\u202eKH" in text
        assert page.locator(f"{PANEL} img").count() == 0
        assert "\x1b" not in text and "\u202e" not in text
        assert problems == []
    finally:
        page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_list_scrolls_and_its_links_wrap(browser, served, width, tmp_path):
    for path in sorted((served.root / "incidents").glob("20*/*.yaml"))[:14]:
        path.write_text("tpye: typo\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    page, problems = open_page(browser, served, width)
    try:
        page.wait_for_selector(PANEL, state="visible", timeout=WAIT_MS)
        expect(page.locator(f"{PANEL} li")).to_have_count(14, timeout=WAIT_MS)
        sizes = page.evaluate(f"""() => {{
          const panel = document.querySelector('{PANEL}');
          return {{scroll: panel.scrollHeight, client: panel.clientHeight, wide: panel.scrollWidth,
                   width: panel.clientWidth, page: document.documentElement.scrollWidth,
                   viewport: document.documentElement.clientWidth, overflow: getComputedStyle(panel).overflowY,
                   top: panel.getBoundingClientRect().top}};
        }}""")
        assert sizes["overflow"] == "auto" and sizes["scroll"] > sizes["client"]  # it scrolls
        assert sizes["wide"] <= sizes["width"] and sizes["page"] <= sizes["viewport"]  # nothing sideways
        assert sizes["top"] > 100  # the top of the page, with its TLP banner, stays in sight
        page.screenshot(path=str(tmp_path / f"overlay-{width}.png"))
        assert problems == []
    finally:
        page.close()
