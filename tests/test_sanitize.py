"""Analyst text never becomes markup, and a brief reads nothing it should not."""

from html.parser import HTMLParser

import pytest

from conftest import run, write

HOSTILE_OUTLOOK = """\
outlook: |
  Plain words <script>alert('x')</script> and <img src=x onerror="alert(1)">.
  A [click me](javascript:alert(1)) link and <a href="javascript:alert(2)">raw</a>.
  <iframe src="https://evil.example/"></iframe> <svg onload=alert(3)>
"""


def parse_elements(html: str) -> list[tuple[str, list]]:
    """Every element an HTML parser (as a browser would) sees, with its attributes."""
    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect().feed(html)
    return found


def brief_with(mini, extra: str):
    text = (mini / "briefs/test-brief.yaml").read_text().replace("outlook: The outlook paragraph.\n", "")
    (mini / "briefs/test-brief.yaml").write_text(text + extra)


def test_script_and_handlers_never_reach_html_as_markup(mini):
    brief_with(mini, HOSTILE_OUTLOOK.replace("A [click me](javascript:alert(1)) link and ", ""))
    result = run(mini, "build", "--format", "md,html")
    assert result.returncode == 0, result.stderr
    html = (mini / "build/test-brief/test-brief.html").read_text()
    elements = parse_elements(html)
    tags = {tag for tag, _ in elements}
    # One <svg>: the generated map (docs/maps.md), which secbrief draws; none from the analyst's text.
    assert not tags & {"script", "img", "iframe"}
    assert html.count("<svg") == 1 and '<svg xmlns="http://www.w3.org/2000/svg" class="locator-map"' in html
    for tag, attrs in elements:
        assert not any(name.startswith("on") for name, _ in attrs), (tag, attrs)
        assert not any((value or "").lower().startswith("javascript") for _, value in attrs), (tag, attrs)
    body = html.split("<main>", 1)[1]
    # The analyst's words are kept, shown as text.
    assert "&lt;script&gt;alert(" in body
    markdown = (mini / "build/test-brief/test-brief.md").read_text()
    assert "<script" not in markdown and "&lt;script>" in markdown


def test_title_is_escaped(mini):
    text = (mini / "briefs/test-brief.yaml").read_text().replace("title: Test brief", 'title: "<b onmouseover=x>T</b>"')
    (mini / "briefs/test-brief.yaml").write_text(text)
    assert run(mini, "build", "--format", "html").returncode == 0
    html = (mini / "build/test-brief/test-brief.html").read_text()
    assert "<b onmouseover" not in html and "&lt;b onmouseover=x&gt;T&lt;/b&gt;" in html


def test_javascript_link_is_refused_by_check(mini):
    brief_with(mini, "outlook: |\n  See [this](javascript:alert(1)).\n")
    result = run(mini, "check")
    assert result.returncode == 1
    assert result.stdout.strip() == ("briefs/test-brief.yaml:16:7: error: link to 'javascript:alert(1)' "
                                     "is not allowed: only http(s) and mailto links")


@pytest.mark.parametrize("target", ["/etc/passwd", "file:///etc/passwd", "http://169.254.169.254/latest/meta-data/",
                                    "../../../etc/passwd"])
def test_markdown_image_is_refused(mini, target):
    brief_with(mini, f"outlook: |\n  Look: ![map]({target})\n")
    result = run(mini, "check")
    assert result.returncode == 1
    assert f"image '{target}' in text: images in Markdown are not allowed" in result.stdout
    assert not (mini / "build").exists()


def test_sanitizer_strips_what_slips_past_markdown():
    from secbrief.render.markup import MarkdownRenderer

    renderer = MarkdownRenderer()
    html = renderer.to_html("![x](/etc/passwd) [a](javascript:alert(1)) [b](https://ok.example/)", lambda ids: [1])
    assert "<img" not in html and "javascript" not in html
    assert '<a href="https://ok.example/" rel="noopener noreferrer">b</a>' in html


def test_pdf_fetcher_reads_no_local_file_or_network(tmp_path):
    """Even HTML that asks for them directly cannot make WeasyPrint read a
    file outside the project or open a network address."""
    from secbrief.render.pdf.typeset import PdfRenderer

    root = tmp_path / "project"
    root.mkdir()
    (root / "ok.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    renderer = PdfRenderer(root)
    html = f"""<html><head><style>body {{ background: url("file:///etc/passwd"); }}</style>
      <link rel="stylesheet" href="http://169.254.169.254/x.css">
      <link rel="attachment" href="file:///etc/passwd"></head><body>
      <img src="file:///etc/passwd"><img src="http://169.254.169.254/latest/meta-data/">
      <img src="../../../../etc/hostname"><img src="file://{root}/ok.svg">
      <img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=">
      </body></html>"""
    pdf = renderer.render(html, "t")
    assert pdf.startswith(b"%PDF")
    refused = set(renderer.refused)
    assert "file:///etc/passwd" in refused
    assert "http://169.254.169.254/latest/meta-data/" in refused
    assert "http://169.254.169.254/x.css" in refused
    assert not any(url.endswith("ok.svg") for url in refused)
    assert b"root:x:0:0" not in pdf


def test_sanitizer_drops_relative_links_but_keeps_fragments():
    """nh3 checks the scheme of absolute URLs only; a relative href such as
    ../../etc/passwd (check refuses it first) must not survive either."""
    from secbrief.render.markup import MarkdownRenderer

    html = MarkdownRenderer().to_html("[a](../../etc/passwd) [b](/admin) [c](#kj-1) [d](https://ok.example/)",
                                      lambda ids: [1])
    hrefs = [attrs for tag, attrs in parse_elements(html) if tag == "a"]
    assert [dict(attrs).get("href") for attrs in hrefs] == [None, None, "#kj-1", "https://ok.example/"]


@pytest.mark.parametrize("text", ["[" * 20_000, "1. " * 5_000, "+ " * 10_000])
def test_markdown_too_costly_to_render_is_shown_as_text(text):
    """Validation refuses these (minutes of work, or RecursionError, in
    Python-Markdown); should one reach the renderer it is plain text."""
    from secbrief.render.markup import MarkdownRenderer

    html = MarkdownRenderer().to_html(text, lambda ids: [1])
    assert html.startswith("<p>") and text.strip()[:50] in html
