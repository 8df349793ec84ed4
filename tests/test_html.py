"""The HTML brief: one self-contained file that reads on a phone and prints;
the Markdown brief: plain text for an email body."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO

DEMO_BRIEFS = sorted(p.stem for p in (REPO / "briefs").glob("*.yaml"))


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
    # ...but not WeasyPrint's own paged-media CSS (templates/_shared/paged.css), which browsers do not know
    assert not re.search(r"running\(|element\(|string\(|string-set|bookmark-level", style)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_image_is_embedded(demo_build):
    # The news report's analyst figure (the assessment's hand-drawn map gave way to a generated one).
    html = output(demo_build, "2021-06-05-militia-drones-more-sophisticated", "html")
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]{1000,}" alt="Timeline from', html)


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


def test_series_cannot_break_out_of_the_page_style(mini):
    """The brief's reference (its series) is also printed into the page-margin
    CSS for browsers' print; quotes and a closing </style> in it stay text."""
    from conftest import run

    brief = mini / "briefs/test-brief.yaml"
    brief.write_text(brief.read_text().replace("series: Security Brief",
                                               "series: 'Say \"hi\" </style><script>x</script> & end'"))
    result = run(mini, "build", "--format", "html")
    assert result.returncode == 0, result.stderr
    html = output(mini, "test-brief", "html")
    assert "<script" not in html
    assert html.count("</style>") == 1
    # The header's words get the house typography ("hi" in curly quotes), and
    # what could end the <style> element is a CSS escape.
    assert ('@top-left { content: "Say \u201chi\u201d \\3c /style\\3e \\3c script\\3e x'
            '\\3c /script\\3e  \\26  end · Issue 3"; }') in html
    assert '<p class="running-title">Say \u201chi\u201d &lt;/style&gt;' in html
