"""The PDF's pages as a client sees them: what every header and footer says,
the weekly brief's key judgements on page 1, long tables that break between
rows under repeated headings, and no page left mostly empty: not by a
forced break, and not at the end (a last page under a quarter full)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, run, write

DEMO_BRIEFS = sorted(p.stem for p in (REPO / "briefs").glob("*.yaml"))
WEEKLY = "2023-w41-two-rivers-freight"
A4_HEIGHT = 841.89
TOP, BOTTOM = 22 / 25.4 * 72, 24 / 25.4 * 72  # the page margins of templates/_shared/base.css, in points


def pdf(root: Path, brief: str) -> Path:
    return root / "build" / brief / f"{brief}.pdf"


def page_texts(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def fills(path: Path) -> list[float]:
    """For each page, how far down its text area the text goes (0 to 1),
    from the words' boxes (pdftotext -bbox); the running header and footer
    lie in the margins and do not count."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    result = []
    for page in re.findall(r"<page .*?</page>", out, flags=re.S):
        bottoms = [float(y) for y in re.findall(r'<word [^>]*yMax="([\d.]+)"', page)]
        body = [y for y in bottoms if TOP < y < A4_HEIGHT - BOTTOM]
        result.append((max(body) - TOP) / (A4_HEIGHT - BOTTOM - TOP) if body else 0.0)
    return result


# --- header and footer ---------------------------------------------------------

def test_weekly_header_and_footer_speak_to_the_client(demo_build):
    pages = page_texts(pdf(demo_build, WEEKLY))
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        header, footer = " ".join(lines[:2]), " ".join(lines[-3:])
        assert "Two Rivers Weekly Security Brief · Issue 1" in header and "15 October 2023" in header, header
        assert "TLP:AMBER" in header
        assert "Distribution: Two Rivers Freight security team" in footer, footer
        assert f"Page {number} of {len(pages)}" in footer
        assert "TLP:AMBER" in footer
    # The commit and secbrief's version: small print at the foot of the last page only.
    assert [bool(re.search(r"Version [0-9a-f]{10} of|Unversioned", page)) for page in pages] == \
        [False] * (len(pages) - 1) + [True]


def test_brief_without_a_client_prints_its_tlp_sharing_rule(demo_build):
    brief = "2023-10-25-iran-backed-attacks-to-increase"  # TLP:GREEN, no client, no issue number
    first = page_texts(pdf(demo_build, brief))[0]
    flat = " ".join(first.split())
    assert f"Meridian Risk Desk · Ref. {brief}" in flat and "25 October 2023" in flat
    assert "TLP:GREEN: Share with peers and partners in your community; do not publish." in flat


# --- the weekly brief's page 1 --------------------------------------------------

def test_weekly_key_judgements_are_on_page_one(demo_build):
    first = " ".join(page_texts(pdf(demo_build, WEEKLY))[0].split())
    assert "Key judgements" in first
    for statement in re.findall(r"statement: >-\n((?:      .*\n)+)", (REPO / "briefs" / f"{WEEKLY}.yaml").read_text()):
        assert " ".join(statement.split())[:60] in first


def test_weekly_table_breaks_between_rows_under_repeated_headings(mini):
    """Forty incidents in one week: the table runs over pages, every row
    stays whole and every page of it repeats the column headings."""
    ids = []
    for i in range(40):
        incident_id = f"2020-12-{21 + i % 7:02d}-incident-{i}"
        ids.append(incident_id)
        write(mini, f"incidents/2020/{incident_id}.yaml", f"""
            date: 2020-12-{21 + i % 7:02d}
            title: Incident {i}
            type: rocket-attack
            location: {{site: Site {i} whose long name wraps in its narrow column row{i}end, city: Baghdad, country: Iraq}}
            summary: Incident {i}.
            sources:
              - {{id: src-{i}, publisher: Wire, title: Report {i}, date: 2020-12-28, grade: B2}}
            """)
    write(mini, "briefs/week.yaml", "style: weekly-brief\ntitle: A busy week\nissued: 2020-12-28\nperiod: 2020-W52\n"
          "tlp: AMBER\nsummary: Opening.\nincidents: [" + ", ".join(ids) + "]\n")
    result = run(mini, "build", "week", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    pages = page_texts(pdf(mini, "week"))
    flat = [" ".join(page.split()) for page in pages]
    holding = [n for n, page in enumerate(flat) if "row" in page and "end" in page and "Site " in page]
    assert len(holding) >= 2, "the table should run over more than one page"
    for i in range(40):
        on = [n for n, page in enumerate(flat) if f"Site {i} whose" in page]
        assert len(on) == 1 and f"row{i}end" in flat[on[0]], f"row {i} is split"
    for n in holding:
        assert re.search(r"^\s*Date\s+Place\s+Type\s+Actors\b", pages[n], flags=re.M), pages[n][:600]
        assert "Killed /" in pages[n] and "injured" in pages[n]


# --- no mostly empty page ------------------------------------------------------

@pytest.mark.parametrize("brief", DEMO_BRIEFS)
def test_no_page_is_mostly_empty(demo_build, brief):
    shown = fills(pdf(demo_build, brief))
    # Inside a brief, a page ends early only to keep a block whole, never by half.
    assert all(fill >= 0.5 for fill in shown[:-1]), [round(f, 2) for f in shown]
    # Its last page (unless it is the only one) is at least about a quarter full.
    assert len(shown) == 1 or shown[-1] >= 0.25, [round(f, 2) for f in shown]


def test_an_almost_empty_last_page_would_be_caught(demo_build, tmp_path, monkeypatch):
    """Laid out once, as its CSS says (no copyfitting), one demo brief ends on
    a page with a few lines of source notes: the measure above sees it."""
    from secbrief.render.pdf import pagefit
    from secbrief.render.pdf.typeset import PdfRenderer

    brief = "2021-06-05-militia-drones-more-sophisticated"  # since the maps (issue 21); the analysis before
    html = (demo_build / "build" / brief / f"{brief}.html").read_text(encoding="utf-8")
    monkeypatch.setattr(pagefit, "VARIANTS", ())
    path = tmp_path / "once.pdf"
    path.write_bytes(PdfRenderer(demo_build).render(html, brief))
    shown = fills(path)
    assert len(shown) > 1 and shown[-1] < 0.25
    assert len(fills(pdf(demo_build, brief))) < len(shown) or fills(pdf(demo_build, brief))[-1] >= 0.25
