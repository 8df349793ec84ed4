"""The PDF for a screen reader and for an archive: every PDF is tagged
(structure tree in reading order, headings, tables whose cells name their
header cells, figures with their text alternative), says its language and
title, and declares its standard in XMP: PDF/UA-1 by default, PDF/A-3b
with `build --pdf-variant pdf/a-3b`. The brief's version stamp is in the
XMP packet too. Read with pypdf (tests/pdftags.py), pdfinfo and qpdf."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import REPO, run
from pdftags import structure, xmp
from reading import normalize

DEMO_BRIEFS = sorted(p.stem for p in (REPO / "briefs").glob("*.yaml"))
NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": "http://purl.org/dc/elements/1.1/",
      "pdfuaid": "http://www.aiim.org/pdfua/ns/id/", "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
      "xmpMM": "http://ns.adobe.com/xap/1.0/mm/", "secbrief": "urn:secbrief:ns:provenance:1/",
      "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
      "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#", "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#"}
HEADINGS = ("H1", "H2", "H3", "H4", "H5", "H6")


def outputs(root: Path, brief: str) -> tuple[Path, object]:
    """The brief's PDF, and its HTML parsed (what the PDF was made from)."""
    folder = root / "build" / brief
    return folder / f"{brief}.pdf", lxml_html.fromstring((folder / f"{brief}.html").read_bytes())


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def qpdf_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)


def rdf_values(packet: str, prefix: str, name: str) -> list[str]:
    """Every value of one XMP property, written as an attribute or as an element."""
    root = ET.fromstring(packet.split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
    key = f"{{{NS[prefix]}}}{name}"
    return [element.attrib[key] if key in element.attrib else "".join(element.itertext())
            for element in root.iter() if key in element.attrib or element.tag == key]


def squashed(text: str) -> str:
    """Text without any spacing: a line break in a table heading is no
    space in the PDF's marked content."""
    return "".join(normalize(text).split())


def html_figures(page) -> list[str]:
    """The text alternative of each image and inline SVG, in document order."""
    alts = []
    for element in page.iter("img", "svg"):
        if element.tag == "img":
            alts.append(element.get("alt"))
        else:
            title = element.find("title")
            alts.append(None if title is None else title.text)
    return alts


# --- the demo briefs, PDF/UA-1 (the default) -----------------------------------

@pytest.mark.parametrize("brief", DEMO_BRIEFS)
def test_pdfinfo_says_tagged_and_qpdf_finds_no_error(demo_build, brief):
    path, _ = outputs(demo_build, brief)
    assert pdfinfo(path)["Tagged"] == "yes"
    check = qpdf_check(path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors found" in check.stdout


@pytest.mark.parametrize("brief", DEMO_BRIEFS)
def test_headings_of_the_structure_tree_are_the_briefs_headings(demo_build, brief):
    path, page = outputs(demo_build, brief)
    tree = structure(path)
    assert tree is not None and tree.tag == "Document"
    wanted = [(h.tag.upper(), normalize(h.text_content()))
              for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert [(node.tag, normalize(node.text)) for node in tree.all(*HEADINGS)] == wanted
    assert wanted[0][0] == "H1"


@pytest.mark.parametrize("brief", DEMO_BRIEFS)
def test_tables_keep_their_header_cells(demo_build, brief):
    """Each HTML table is a Table whose TH are its column headings, and
    every data cell names its column's TH (/Headers), so a screen reader
    says "Date: Fri 13 Oct" rather than a bare value."""
    path, page = outputs(demo_build, brief)
    html_tables = page.findall(".//table")
    tables = structure(path).all("Table")
    assert len(tables) == len(html_tables)
    for table, html_table in zip(tables, html_tables):
        headers = table.all("TH")
        assert [squashed(th.text) for th in headers] == [squashed(th.text_content())
                                                          for th in html_table.iter("th")]
        cells = table.all("TD")
        assert len(cells) == len(list(html_table.iter("td"))) > 0
        header_ids = {th.id for th in headers} - {None}
        columns = len(headers)
        for number, cell in enumerate(cells):
            names = list(cell.attributes.get("/Headers") or [])
            assert len(names) == 1 and names[0] in header_ids, f"cell {number}: {cell.text!r}"
            # The cell's header is the TH of its own column.
            assert names[0] == headers[number % columns].id


def test_the_demo_has_tables_and_figures_to_check(demo_build):
    """The two tests around this one check something: the demo briefs hold
    tables (incident annex, weekly table) and figures (images, the chart)."""
    tables = figures = 0
    for brief in DEMO_BRIEFS:
        tree = structure(outputs(demo_build, brief)[0])
        tables += len(tree.all("Table"))
        figures += len(tree.all("Figure"))
    assert tables >= 2 and figures >= 4


@pytest.mark.parametrize("brief", DEMO_BRIEFS)
def test_every_figure_carries_the_htmls_text_alternative(demo_build, brief):
    path, page = outputs(demo_build, brief)
    figures = structure(path).all("Figure")
    wanted = html_figures(page)
    assert all(wanted), f"an image or chart without a text alternative in the HTML: {wanted}"
    assert [str(figure.alt) for figure in figures] == wanted


@pytest.mark.parametrize("brief", DEMO_BRIEFS)
def test_catalog_marks_language_and_title_for_assistive_tools(demo_build, brief):
    from pypdf import PdfReader

    path, page = outputs(demo_build, brief)
    catalog = PdfReader(path).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert catalog["/Lang"] == page.get("lang") == "en"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 (title, not file name)
    assert "/ParentTree" in catalog["/StructTreeRoot"]
    assert all(p["/Tabs"] == "/S" for p in PdfReader(path).pages)  # tab order follows the structure


@pytest.mark.parametrize("brief", DEMO_BRIEFS)
def test_xmp_declares_pdf_ua_1_and_the_briefs_version(demo_build, brief):
    path, page = outputs(demo_build, brief)
    packet = xmp(path)
    assert rdf_values(packet, "pdfuaid", "part") == ["1"]
    assert rdf_values(packet, "pdfaid", "part") == []
    assert rdf_values(packet, "dc", "title") == [page.findtext(".//title")]
    stamp = page.xpath("//meta[@name='brief-version']/@content")
    assert rdf_values(packet, "secbrief", "briefVersion") == stamp and stamp[0].endswith("secbrief 0.1.0")
    assert pdfinfo(path)["Custom Metadata"] == "yes"  # /briefversion in the info dictionary too
    assert rdf_values(packet, "xmpMM", "DocumentID")[0].startswith("uuid:")


def test_an_image_without_alt_text_is_reported(mini):
    """A template's <img> without alt: the build says which brief, and that
    a screen reader cannot describe it; the PDF is still written."""
    template = mini / "templates/security-brief/brief.html.j2"
    text = template.read_text(encoding="utf-8")
    pixel = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxIiBoZWlnaHQ9IjEiLz4="
    marker = "{% block content %}"
    assert marker in text
    template.write_text(text.replace(marker, marker + f'<img src="{pixel}">', 1), encoding="utf-8")
    result = run(mini, "build", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in (result.stdout + result.stderr).splitlines() if "text alternative" in line]
    assert warnings == ["briefs/test-brief.yaml:1:1: warning: the PDF shows an embedded image with no text "
                        "alternative, which a screen reader cannot describe: give its <img> an alt attribute "
                        "in the template (an <svg>, a <title>)"]


# --- PDF/A-3b, and changing the variant -------------------------------------------

def test_pdf_a_3b_declares_part_3_conformance_b_and_stays_tagged(mini):
    from pypdf import PdfReader

    result = run(mini, "build", "--pdf-variant", "pdf/a-3b")
    assert result.returncode == 0, result.stderr
    path, page = outputs(mini, "test-brief")
    packet = xmp(path)
    assert rdf_values(packet, "pdfaid", "part") == ["3"]
    assert rdf_values(packet, "pdfaid", "conformance") == ["B"]
    assert rdf_values(packet, "pdfuaid", "part") == []
    # secbrief's own XMP property is described, as PDF/A requires of any outside the standard schemas.
    assert rdf_values(packet, "pdfaSchema", "namespaceURI") == [NS["secbrief"]]
    assert rdf_values(packet, "pdfaProperty", "name") == ["briefVersion"]
    assert rdf_values(packet, "secbrief", "briefVersion") == page.xpath("//meta[@name='brief-version']/@content")
    catalog = PdfReader(path).trailer["/Root"]
    intent = catalog["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent  # sRGB, embedded
    assert pdfinfo(path)["Tagged"] == "yes"
    assert [node.tag for node in structure(path).all(*HEADINGS)][0] == "H1"
    assert qpdf_check(path).returncode == 0


def test_changing_the_variant_rebuilds_the_pdfs_and_only_then(mini):
    first = run(mini, "build")
    assert first.returncode == 0, first.stderr
    path = mini / "build/test-brief/test-brief.pdf"
    ua = path.read_bytes()
    archival = run(mini, "build", "--pdf-variant", "pdf/a-3b")
    assert "built test-brief (md, html, pdf): pdf variant changed" in archival.stdout
    assert path.read_bytes() != ua
    again = run(mini, "build", "--pdf-variant", "pdf/a-3b")
    assert "nothing to do" in again.stdout
    back = run(mini, "build")
    assert "pdf variant changed" in back.stdout
    assert path.read_bytes() == ua  # the same variant gives the same bytes again
    # Markdown and HTML alone do not depend on the variant: nothing to rebuild.
    assert "formats changed" in run(mini, "build", "--format", "md,html").stdout
    assert "nothing to do" in run(mini, "build", "--format", "md,html", "--pdf-variant", "pdf/a-3b").stdout


def test_an_unknown_variant_is_a_usage_error(mini):
    result = run(mini, "build", "--pdf-variant", "pdf/x-4")
    assert result.returncode == 2
    assert result.stderr.strip() == ("secbrief build: argument --pdf-variant: invalid choice: 'pdf/x-4' "
                                     "(choose from 'pdf/ua-1', 'pdf/a-3b') (see secbrief build --help)")
    assert not (mini / "build").exists()


FAKETIME = shutil.which("faketime")


@pytest.mark.skipif(FAKETIME is None, reason="needs Debian's faketime (bash .ci/system-deps installs it)")
def test_pdf_a_is_byte_identical_on_another_day(tmp_path, mini):
    """PDF/A has WeasyPrint draw a random file identifier unless given one:
    secbrief's comes from the brief, so another day gives the same bytes."""
    other = tmp_path / "other"
    shutil.copytree(mini, other)
    pdfs = []
    for root, clock in ((mini, "2030-01-01 08:00:00"), (other, "2031-07-15 23:30:00")):
        subprocess.run([FAKETIME, clock, sys.executable, "-m", "secbrief", "build", "--format", "pdf",
                        "--pdf-variant", "pdf/a-3b"], cwd=root, check=True, capture_output=True, timeout=300)
        pdfs.append((root / "build/test-brief/test-brief.pdf").read_bytes())
    assert rdf_values(xmp(mini / "build/test-brief/test-brief.pdf"), "pdfaid", "part") == ["3"]
    assert pdfs[0] == pdfs[1]


def test_weekly_builds_in_the_variant_asked_for(tmp_path):
    """`secbrief weekly --pdf-variant pdf/a-3b` builds the week's brief as
    PDF/A-3b; a plain build after it makes it PDF/UA-1 again."""
    from weekly_support import ENERGY, WEEK42, weekly_project

    root = weekly_project(tmp_path / "weekly")
    result = run(root, "weekly", WEEK42, "--client", ENERGY, "--pdf-variant", "pdf/a-3b")
    assert result.returncode == 0, result.stderr
    brief = f"2023-w42-{ENERGY}"
    path, _ = outputs(root, brief)
    assert rdf_values(xmp(path), "pdfaid", "part") == ["3"]
    assert "nothing to do" not in run(root, "build", brief).stdout  # the default variant: rebuilt
    assert rdf_values(xmp(path), "pdfuaid", "part") == ["1"]
