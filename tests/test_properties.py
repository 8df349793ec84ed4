"""Property-based tests: any text, in any text field of a brief, an incident
or a registry, either renders to Markdown, HTML and PDF with nothing but
inert markup, or is refused with well-formed `path:line:col: error:` lines.
Never a crash.

Runs in-process on one project (the mini fixture plus the test-only
"everything" style, which prints every field), rewriting one file per
example. Example counts are modest so `make test` stays quick; raise them
with HYPOTHESIS_PROFILE=thorough.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, REPO
from outputcheck import html_problems, markdown_problems, pdf_problems

HOSTILE = Path(__file__).resolve().parent / "hostile"
settings.register_profile("default-secbrief", max_examples=15, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default-secbrief")
DIAGNOSTIC = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (error|warning): \S")

# Where analysts write text: (file, path into its YAML). The brief uses the
# "everything" style so that every one of these reaches the outputs.
BRIEF = "briefs/test-brief.yaml"
INCIDENT = "incidents/2020/2020-12-20-embassy-rockets.yaml"
TEXT_FIELDS = [
    (BRIEF, ("title",)), (BRIEF, ("series",)), (BRIEF, ("team",)), (BRIEF, ("publisher",)),
    (BRIEF, ("issued_to",)), (BRIEF, ("kicker",)), (BRIEF, ("standfirst",)), (BRIEF, ("event_text",)),
    (BRIEF, ("dateline", "city")), (BRIEF, ("dateline", "publisher")), (BRIEF, ("image", "caption")),
    (BRIEF, ("image", "credit")), (BRIEF, ("image", "alt")), (BRIEF, ("key_judgements", 0, "statement")),
    (BRIEF, ("summary",)), (BRIEF, ("sections", 0, "heading")), (BRIEF, ("sections", 0, "body")),
    (BRIEF, ("sections", 0, "read_more", 0, "title")), (BRIEF, ("sections", 0, "read_more", 0, "publisher")),
    (BRIEF, ("implications", 0)), (BRIEF, ("outlook",)), (BRIEF, ("quotes", 0, "text")),
    (BRIEF, ("quotes", 0, "speaker")), (BRIEF, ("quotes", 0, "role")), (BRIEF, ("related", 0, "title")),
    (BRIEF, ("related", 0, "publisher")), (BRIEF, ("sources", 0, "publisher")), (BRIEF, ("sources", 0, "title")),
    (BRIEF, ("sources", 0, "author")),
    (INCIDENT, ("title",)), (INCIDENT, ("summary",)), (INCIDENT, ("location", "site")),
    (INCIDENT, ("location", "city")), (INCIDENT, ("location", "country")),
    (INCIDENT, ("sources", 0, "publisher")), (INCIDENT, ("sources", 0, "title")),
    ("incidents/actors.yaml", ("actors", 1, "name")), ("incidents/actors.yaml", ("actors", 2, "native_name")),
    ("incidents/places.yaml", ("places", 0, "city")), ("incidents/places.yaml", ("places", 0, "native_name")),
]
EVERY_FIELD_BRIEF = """\
style: everything
title: Test brief
issued: 2020-12-21
tlp: AMBER
series: Security Brief
issue: 3
team: Test Desk
publisher: Test Publisher
issued_to: Test clients
kicker: Kicker
standfirst: Standfirst.
period: 2020-W52
event: 2020-12-20-embassy-rockets
event_text: The event [@2020-12-20-embassy-rockets].
parties: [US, Kataib Hezbollah]
dateline: {city: Baghdad, publisher: Test Wire}
image: {file: images/hostile-map.svg, caption: Caption, credit: Credit, alt: Alt}
key_judgements:
  - {id: kj, statement: A judgement., likelihood: likely, confidence: low, evidence: [2020-12-20-embassy-rockets]}
summary: A summary [@brief-source].
sections:
  - heading: Heading
    body: Body.
    read_more: [{title: More, url: "https://example.org/", publisher: Example}]
implications: [An implication.]
outlook: The outlook.
quotes: [{text: A quote., speaker: Speaker, role: Role}]
related: [{title: Related, url: "https://example.org/r", publisher: Example}]
sources:
  - {id: brief-source, publisher: Publisher, title: Title, author: Author, date: 2020-12-21, grade: B2}
"""

# Text an attacker, a web page or a tired analyst might paste: markup,
# Markdown, citations, URLs, control and bidi characters, and anything else.
FRAGMENTS = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</p>", "<a href='javascript:x'>", '"',
    "'", "&", "&amp;", "&#60;", "<!--", "-->", "<![CDATA[", "<style>", "url(/etc/passwd)", "javascript:",
    "[a](https://example.org/)", "[a](javascript:x)", "![i](x.png)", "[@brief-source]", "[@", "]", "(", ")",
    "*", "_", "`", "#", "> ", "- ", "1. ", "\n", "\n\n", "    ", "\t", "\x00", "\x1b[31m", "\u202e", "\u200b",
    "\ufeff", "{{ b.title }}", "{% raw %}", "${x}", "كتائب", "Кatаib", "\U0001f4a5", "\\", "|", "@", ":", "---",
])
TEXT = st.lists(st.one_of(FRAGMENTS, st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)),
                max_size=8).map("".join)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("properties") / "project"
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(FIXTURES / "mini", root, dirs_exist_ok=True)
    shutil.copytree(HOSTILE / "styles" / "everything", root / "templates" / "everything")
    (root / "briefs" / "images").mkdir()
    shutil.copy(HOSTILE / "cases" / "hostile-map.svg", root / "briefs" / "images" / "hostile-map.svg")
    (root / BRIEF).write_text(EVERY_FIELD_BRIEF, encoding="utf-8")
    originals = {rel: yaml.safe_load((root / rel).read_text(encoding="utf-8"))
                 for rel in {rel for rel, _ in TEXT_FIELDS}}
    from secbrief.render.renderer import Renderer

    return {"root": root, "originals": originals, "renderer": Renderer(root / "templates")}


def with_text(project, relpath: str, loc: tuple, text: str) -> None:
    """Rewrite the project: every file as it was, this field set to ``text``."""
    for rel, data in project["originals"].items():
        data = copy.deepcopy(data)
        if rel == relpath:
            target = data
            for part in loc[:-1]:
                target = target[part]
            target[loc[-1]] = text
        (project["root"] / rel).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                           encoding="utf-8")


def load(project):
    """Validate the project; None (after checking every line) if refused."""
    from secbrief.core.diagnostics import Report
    from secbrief.core.project import Project
    from secbrief.validate.load_corpus import load_corpus

    report = Report()
    corpus = load_corpus(Project.at(project["root"]), report)
    for diagnostic in report.diagnostics:
        line = str(diagnostic)
        assert "\n" not in line and DIAGNOSTIC.match(line), line
        assert (project["root"] / diagnostic.path).is_file(), line
    return None if report.errors else corpus


def render_with(project, field: tuple, text: str) -> tuple[str, str] | None:
    """(Markdown, HTML) of the brief with ``text`` in ``field``, or None
    when validation refuses it (after checking every error line)."""
    from secbrief.resolve.assemble import brief_view

    relpath, loc = field
    with_text(project, relpath, loc, text)
    corpus = load(project)
    event("refused with error lines" if corpus is None else "rendered")
    if corpus is None:
        return None
    view = brief_view(corpus, "test-brief", generator="secbrief test")
    renderer = project["renderer"]
    return renderer.markdown_text(view), renderer.html_text(view)


@pytest.mark.parametrize("field", TEXT_FIELDS, ids=["/".join(map(str, loc)) + "@" + rel.split("/")[-1]
                                                    for rel, loc in TEXT_FIELDS])
def test_any_text_renders_inert_or_is_refused_clearly(project, field):
    @settings(settings.get_profile(PROFILE))
    @given(text=TEXT)
    def check(text):
        rendered = render_with(project, field, text)
        if rendered is None:
            return
        markdown, html = rendered
        assert html_problems(html) == []
        assert markdown_problems(markdown) == []  # what a Markdown viewer would render as HTML
        assert html.rstrip().endswith("</html>")

    check()


@settings(settings.get_profile(PROFILE), max_examples=8)
@given(field=st.sampled_from(TEXT_FIELDS), text=TEXT)
def test_any_text_renders_to_a_safe_pdf(project, field, text):
    """Fewer examples: WeasyPrint takes a few tenths of a second a page."""
    from secbrief.render.pdf.typeset import PdfRenderer

    rendered = render_with(project, field, text)
    if rendered is None:
        return
    _, html = rendered
    pdf = project.setdefault("pdf", PdfRenderer(project["root"]))
    data = pdf.render(html, "test-brief")
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert pdf_problems(data) == []
    assert pdf.refused == []  # analyst text made WeasyPrint ask for nothing
