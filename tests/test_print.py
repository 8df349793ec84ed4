"""The PDF as a client receives it: metadata, bookmarks, TLP on every page,
no heading left alone at a page foot, table rows kept whole, and names in
Arabic script drawn with a real font, right to left."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, run, write
from reading import html_reading_text, normalize, page_body

DEMO_BRIEFS = sorted(p.stem for p in (REPO / "briefs").glob("*.yaml"))


def pdftotext(path: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pages_of(path: Path) -> list[str]:
    """Each page's text (pdftotext's reading order); the last split is empty."""
    return pdftotext(path).split("\f")[:-1]


def pdf(root: Path, brief_id: str) -> Path:
    return root / "build" / brief_id / f"{brief_id}.pdf"


def headings(html: str) -> list[tuple[int, str]]:
    return [(int(level), re.sub(r"<[^>]+>", "", text).strip())
            for level, text in re.findall(r"<h([1-3])[^>]*>(.*?)</h\1>", html, flags=re.S)]


# --- metadata and bookmarks -------------------------------------------------

def test_pdf_metadata(demo_build):
    from pypdf import PdfReader

    brief = "2023-10-25-iran-backed-attacks-to-increase"
    reader = PdfReader(pdf(demo_build, brief))
    meta = reader.metadata
    assert meta.title == ("Iran-backed groups in Iraq are set to step up attacks on US military targets "
                          "in the weeks ahead")
    assert meta.author == "Meridian Risk Desk"
    assert meta.subject == "Assessment: " + meta.title
    assert meta["/Keywords"] == "Iraq, Syria, Iran-backed Militias, Drones, Rockets, Gaza War"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    assert reader.pages[0].mediabox.height == pytest.approx(841.89, abs=0.5)


@pytest.mark.parametrize("brief", DEMO_BRIEFS)
def test_bookmarks_are_the_headings(demo_build, brief):
    from pypdf import PdfReader

    html = (demo_build / "build" / brief / f"{brief}.html").read_text(encoding="utf-8")
    wanted = [(level, text) for level, text in headings(html) if text != "Issues:"]
    outline = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                outline.append((depth, item.title))

    walk(PdfReader(pdf(demo_build, brief)).outline, 1)
    import html as html_module

    assert outline == [(level, html_module.unescape(text)) for level, text in wanted]
    assert outline[0][0] == 1 and all(depth >= 2 for depth, _ in outline[1:])


@pytest.mark.parametrize("brief", DEMO_BRIEFS)
def test_tlp_in_header_and_footer_of_every_page(demo_build, brief):
    path = pdf(demo_build, brief)
    label = "TLP:" + re.search(r"^tlp: (\S+)", (REPO / "briefs" / f"{brief}.yaml").read_text(),
                               flags=re.M).group(1)
    pages = pdftotext(path, "-layout").split("\f")[:-1]
    for number, page in enumerate(pages, start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        assert label in lines[0], f"page {number} header: {lines[0]!r}"
        footer = " ".join(lines[-3:])  # the distribution (two lines at most), then the colophon on the last
        assert label in footer and f"Page {number} of {len(pages)}" in footer, f"page {number} footer: {footer!r}"


# --- page breaks ------------------------------------------------------------

def stranded_headings(root: Path, brief: str) -> list[str]:
    """Headings that end a page (the page's last text is the heading)."""
    html = (root / "build" / brief / f"{brief}.html").read_text(encoding="utf-8")
    _, running = html_reading_text(html)
    import html as html_module

    names = [normalize(html_module.unescape(text)) for _, text in headings(html)]
    pages = pages_of(pdf(root, brief))
    return [f"page {n}: {name}" for n, page in enumerate(pages[:-1], start=1)
            for name in names if page_body(page, running).endswith(name)]


@pytest.mark.parametrize("brief", DEMO_BRIEFS)
def test_no_heading_at_the_foot_of_a_demo_page(demo_build, brief):
    assert stranded_headings(demo_build, brief) == []


def _long_brief(root: Path) -> list[str]:
    """Forty sections of short paragraphs in varied number, so that page
    breaks fall at many different points of the section pattern."""
    sections = []
    for i in range(40):
        paragraphs = "\n\n      ".join(f"Paragraph {j} of section {i} says one thing about the attacks."
                                        for j in range(1 + (i * 7) % 6))
        sections.append(f"  - heading: Section number {i}\n    body: |\n      {paragraphs}\n")
    write(root, "briefs/long.yaml", "style: analysis\ntitle: A long brief\nissued: 2021-01-05\ntlp: CLEAR\n"
          "kicker: Analysis\nsummary: Opening paragraph.\nsections:\n" + "".join(sections))
    result = run(root, "build", "long", "--format", "pdf,html")
    assert result.returncode == 0, result.stderr
    assert len(pages_of(pdf(root, "long"))) >= 5
    return stranded_headings(root, "long")


def test_no_heading_at_a_page_foot_in_a_long_brief(mini):
    assert _long_brief(mini) == []


def test_a_heading_at_a_page_foot_would_be_caught(mini):
    """The same brief with keep-with-next switched off strands headings,
    and the check above sees them."""
    css = mini / "templates/analysis/brief.css"
    css.write_text(css.read_text() + "\nh2 { break-after: auto !important; }\n")
    assert _long_brief(mini) != []


def test_table_rows_never_split_across_pages(mini):
    """An assessment's incident annex with 45 rows runs over several pages;
    every row stays whole, and each page repeats the column headings."""
    ids = []
    for i in range(45):
        day = 1 + i % 28
        incident_id = f"2020-11-{day:02d}-incident-{i}"
        ids.append(incident_id)
        write(mini, f"incidents/2020/{incident_id}.yaml", f"""
            date: 2020-11-{day:02d}
            title: Row {i} opens here and runs long enough to wrap over three lines of its table cell row{i}end
            type: rocket-attack
            location: {{site: Site {i}, city: Baghdad, country: Iraq}}
            summary: Incident {i}.
            sources:
              - {{id: src-{i}, publisher: Wire, title: Report {i}, date: 2020-12-01, grade: B2}}
            """)
    write(mini, "briefs/annex.yaml", "style: assessment\ntitle: Rows stay whole\nissued: 2020-12-02\n"
          "tlp: AMBER\nsummary: Opening.\nincidents: [" + ", ".join(ids) + "]\n")
    result = run(mini, "build", "annex", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    pages = [normalize(page) for page in pages_of(pdf(mini, "annex"))]
    assert len(pages) >= 3
    for i in range(45):
        holding = [n for n, page in enumerate(pages) if f"row {i} opens here" in page]
        assert len(holding) == 1 and f"row{i}end" in pages[holding[0]], f"row {i} is split"
    for page in pdftotext(pdf(mini, "annex"), "-layout").split("\f")[:-1]:
        if "opens here" in page:
            assert re.search(r"^\s*Date\s+Incident\s+Location\s+Casualties\s*$", page, flags=re.M), page[:400]


# --- Arabic script ----------------------------------------------------------

ARABIC = "عصائب أهل الحق"                # Asaib Ahl al-Haq
ALLAH = "كتائب حزب الله"                 # Kataib Hezbollah: the name with "الله"
PERSIAN = "ایران"                        # Iran
KURDISH = "حکومەتی هەرێمی کوردستان"       # Kurdistan Regional Government (Sorani)


def _mini_with_native_names(mini: Path) -> Path:
    registry = mini / "incidents/actors.yaml"
    text = registry.read_text(encoding="utf-8")
    assert text.rstrip().endswith("affiliation: iran-backed-militias")  # Asaib Ahl al-Haq comes last
    text = text.rstrip("\n") + f"\n    native_name: {ARABIC}\n"
    text += (f"  - id: iran\n    name: Iran\n    kind: state\n    native_name: {PERSIAN}\n"
             f"  - id: krg\n    name: Kurdistan Regional Government\n    aliases: [KRG]\n"
             f"    kind: organisation\n    native_name: {KURDISH}\n")
    registry.write_text(text, encoding="utf-8")
    incident = mini / "incidents/2020/2020-12-20-embassy-rockets.yaml"
    incident.write_text(incident.read_text(encoding="utf-8").replace(
        "  - {name: US, role: target}",
        "  - {name: US, role: target}\n  - {name: Iran, role: other}\n  - {name: KRG, role: other}"),
        encoding="utf-8")
    return mini


def test_arabic_script_names_render_right_to_left_with_a_real_font(mini):
    _mini_with_native_names(mini)
    result = run(mini, "build", "--format", "pdf,html")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stdout
    path = pdf(mini, "test-brief")
    text = pdftotext(path)
    # The same characters in the same (logical) order come back: had the
    # names been laid out left to right, pdftotext would return them reversed.
    for name in (ALLAH, ARABIC, PERSIAN, KURDISH):
        assert name in text, name
    html = (mini / "build/test-brief/test-brief.html").read_text(encoding="utf-8")
    assert f'<bdi class="native" dir="rtl" lang="ckb">{KURDISH}</bdi>' in html
    assert f'<bdi class="native" dir="rtl" lang="fa">{PERSIAN}</bdi>' in html
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    if _font_installed("Noto Naskh Arabic") and _font_installed("Noto Sans Arabic"):
        assert "Noto-Naskh-Arabic" in fonts  # Arabic and Persian
        assert "Noto-Sans-Arabic" in fonts   # Kurdish


def _font_installed(family: str) -> bool:
    found = subprocess.run(["fc-list", family], capture_output=True, text=True).stdout
    return bool(found.strip())


def _fontconfig(tmp_path: Path, fonts: list[Path]) -> dict:
    """An environment whose fontconfig sees only ``fonts``."""
    import os

    folder = tmp_path / "fonts"
    folder.mkdir()
    for font in fonts:
        shutil.copy(font, folder / font.name)
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                    f"<fontconfig><dir>{folder}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n")
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@pytest.mark.skipif(not (DEJAVU / "DejaVuSans.ttf").is_file(), reason="fonts-dejavu-core is not installed")
def test_without_noto_arabic_names_fall_back_to_dejavu(mini, tmp_path):
    _mini_with_native_names(mini)
    env = _fontconfig(tmp_path, sorted(DEJAVU.glob("DejaVuSans*.ttf")) + sorted(DEJAVU.glob("DejaVuSerif*.ttf")))
    result = run(mini, "build", "--format", "pdf", env=env)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stdout
    path = pdf(mini, "test-brief")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Noto" not in fonts and "DejaVu-Sans" in fonts
    text = pdftotext(path)
    for name in (ARABIC, PERSIAN, KURDISH):
        assert name in text, name


@pytest.mark.skipif(not (DEJAVU / "DejaVuSerif.ttf").is_file(), reason="fonts-dejavu-core is not installed")
def test_without_any_arabic_font_the_build_warns_and_still_writes(mini, tmp_path):
    _mini_with_native_names(mini)
    env = _fontconfig(tmp_path, [DEJAVU / "DejaVuSerif.ttf"])
    result = run(mini, "build", "--format", "pdf", env=env)
    assert result.returncode == 0, result.stderr
    assert pdf(mini, "test-brief").is_file()
    warning = next(line for line in result.stdout.splitlines() if "warning" in line)
    assert warning.startswith("briefs/test-brief.yaml:1:1: warning: no installed font can draw ")
    assert "fonts-noto-core" in warning
