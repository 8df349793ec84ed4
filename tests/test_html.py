"""The HTML brief: one self-contained file that reads on a phone and prints;
the Markdown brief: plain text for an email body."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO

DEMO_BRIEFS = sorted(p.stem for p in (REPO / "briefs").glob("*.yaml"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def output(root: Path, brief: str, fmt: str) -> str:
    return (root / "build" / brief / f"{brief}.{fmt}").read_text(encoding="utf-8")


@pytest.mark.parametrize("brief", DEMO_BRIEFS)
def test_html_is_one_self_contained_file(demo_build, brief):
    html = output(demo_build, brief, "html")
    assert "<link" not in html and "<script" not in html and "<iframe" not in html
    sources = re.findall(r'\ssrc="([^"]*)"', html)
    assert all(src.startswith("data:") for src in sources), sources
    style = re.search(r"<style>(.*?)</style>", html, flags=re.S).group(1)
    assert not re.search(r"url\(\s*['\"]?(?!data:)", style), "the CSS fetches something"
    assert "@media print" in style and "size: A4" in style  # the print stylesheet travels with it
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_image_is_embedded(demo_build):
    html = output(demo_build, "2023-10-25-iran-backed-attacks-to-increase", "html")
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]{1000,}" alt="Schematic map', html)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("brief", DEMO_BRIEFS)
def test_readable_at_phone_width(demo_build, brief, tmp_path):
    """In a 390 px wide viewport (an iPhone's) nothing overflows sideways and
    the text stays at a readable size. Headless chromium will not make a
    window narrower than 500 px, so the brief is loaded in a 390 px frame."""
    import html as html_module

    probe = ("<script>window.onload = () => { const doc = document.querySelector('iframe').contentDocument;"
             "const root = document.documentElement;"
             "root.dataset.viewport = doc.documentElement.clientWidth;"
             "root.dataset.scrollWidth = doc.documentElement.scrollWidth;"
             "root.dataset.fontSize = doc.defaultView.getComputedStyle(doc.querySelector('main section p')).fontSize; };"
             "</script>")
    page = tmp_path / "phone.html"
    page.write_text(f'<!DOCTYPE html><html><body style="margin:0">'
                    f'<iframe width="390" height="844" style="border:0" '
                    f'srcdoc="{html_module.escape(output(demo_build, brief, "html"), quote=True)}"></iframe>'
                    f"{probe}</body></html>", encoding="utf-8")
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--hide-scrollbars", "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120).stdout
    viewport = int(re.search(r'data-viewport="(\d+)"', dom).group(1))
    width = int(re.search(r'data-scroll-width="(\d+)"', dom).group(1))
    font = float(re.search(r'data-font-size="([\d.]+)px"', dom).group(1))
    assert viewport == 390
    assert width <= viewport, f"the page is {width} px wide in a {viewport} px viewport"
    assert font >= 16


@pytest.mark.parametrize("brief", DEMO_BRIEFS)
def test_markdown_reads_as_an_email_body(demo_build, brief):
    md = output(demo_build, brief, "md")
    lines = md.splitlines()
    assert re.fullmatch(r"TLP:(CLEAR|GREEN|AMBER|AMBER\+STRICT|RED)", lines[0])
    assert lines[-1].startswith(lines[0])  # and again at the end
    # No HTML tags, no images; a URL standing alone is an <https://...>
    # autolink (RFC 3986 appendix C's plain-text form), which is no tag.
    assert "<" not in re.sub(r"<https?://[^\s<>]+>", "", md).replace("&lt;", "")
    assert "\n\n\n" not in md  # one blank line between blocks


def test_title_cannot_break_out_of_the_page_style(mini):
    """The title is also printed into the page-margin CSS; quotes and a
    closing </style> in it stay text."""
    from conftest import run

    brief = mini / "briefs/test-brief.yaml"
    brief.write_text(brief.read_text().replace("title: Test brief",
                                               "title: 'Say \"hi\" </style><script>x</script> & end'"))
    result = run(mini, "build", "--format", "html")
    assert result.returncode == 0, result.stderr
    html = output(mini, "test-brief", "html")
    assert "<script" not in html
    assert html.count("</style>") == 1
    # The header's words get the house typography ("hi" in curly quotes), and
    # what could end the <style> element is a CSS escape.
    assert ('@top-left { content: "Security Brief | Say \u201chi\u201d \\3c /style\\3e \\3c script\\3e x'
            '\\3c /script\\3e  \\26  end"; }') in html
    assert '<p class="running-title">Security Brief | Say \u201chi\u201d &lt;/style&gt;' in html
