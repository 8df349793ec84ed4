"""Conformance: every brief named in seeds/ shows its source document's
anatomy (blocks, labels, order) in the Markdown, the HTML and the PDF.

Each block of a seed file becomes markers: its label, then the text of the
brief fields it shows (the title, a section heading, the first words of a
paragraph, a speaker, a tag...). The markers must all appear, in order, in
each format's reading text: the Markdown as written, the HTML's text with its
print-only running strings left out, and pdftotext's output without the page
headers and footers.
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, copy_project, run
from secbrief import dates
from secbrief.errors import Report
from secbrief.labels import tag_label
from secbrief.markup import CITATION_RE
from secbrief.project import Project
from secbrief.render import Renderer
from secbrief.resolve import resolve
from secbrief.seeds import Block, Seed, load_seeds, seed_paths
from secbrief.validate import load_corpus

SEED_FILES = seed_paths(REPO)
FORMATS = ("md", "html", "pdf")


# --- the markers a seed's blocks expect -------------------------------------

def first_words(markdown: str, count: int = 6) -> str:
    """The opening words of a Markdown text, up to its first citation."""
    text = markdown.split("[@", 1)[0] if "[@" in markdown[:200] else markdown
    text = CITATION_RE.sub(" ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [link text](url) -> link text
    text = re.sub(r"[*_`#>]", "", text)
    return " ".join(text.split()[:count])


def field_markers(field: str, block: Block, view) -> list[list[str]]:
    """Markers for one field: each a list of alternatives (any may match)."""
    b = view.brief
    one = lambda *alternatives: [list(alternatives)]  # noqa: E731
    if field == "title":
        return one(b.title)
    if field == "series":
        return one(b.series)
    if field == "issue":
        return one(f"Issue {b.issue}")
    if field in ("team", "issued_to", "kicker"):
        return one(getattr(b, field))
    if field == "issued":
        return one(dates.us_date(b.issued), dates.long_date(b.issued))
    if field in ("standfirst", "summary", "outlook"):
        return one(first_words(getattr(b, field)))
    if field == "dateline":
        return one(f"{b.dateline.city} ({b.dateline.publisher}) –")
    if field == "key_judgements":
        return [[first_words(j.statement)] for j in b.key_judgements]
    if field == "sections":
        markers = []
        for section in b.sections:
            markers += [[section.heading], [first_words(section.body)]]
            for link in section.read_more:
                markers += ([[block.inner_label]] if block.inner_label else []) + [[link.title]]
        return markers
    if field == "quotes":
        return [m for q in b.quotes for m in ([first_words(q.text)], [q.speaker], [q.role] if q.role else None) if m]
    if field == "related":
        return [[link.title] for link in b.related]
    if field == "tags":
        return [[tag_label(tag)] for tag in b.tags]
    if field == "image":
        return [[first_words(b.image.caption, 8)], [b.image.credit]]
    if field == "parties":
        return [[name] for group in view.parties for name in [group.name] + [m.name for m in group.members]]
    if field == "event_date":
        return one(dates.us_date(view.event.date))
    if field == "event_location":
        return one(view.event.location_text)
    if field == "event":
        return one(first_words(view.event_markdown))
    if field == "implications":
        markers = []
        for index, item in enumerate(b.implications):
            markers.append([first_words(item.text)])
            markers += [[incident.title] for incident in view.timelines.get(index, [])]
        return markers
    if field == "notes":
        return [[f"[{note.number}] {note.text}"] for note in view.citations.notes]
    raise AssertionError(f"no markers defined for field '{field}'")


def anatomy_markers(seed: Seed, view) -> list[tuple[str, list[str]]]:
    """(block name, alternatives) for every marker of the seed, in order."""
    markers = []
    for block in seed.blocks:
        if block.label:
            markers.append((block.block, [block.label]))
        for field in block.shows:
            markers += [(block.block, alternatives) for alternatives in field_markers(field, block, view)]
    return markers


# --- reading text of each format --------------------------------------------

_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u00ad]")


def normalize(text: str) -> str:
    # Hyphens are dropped: pdftotext joins a word broken after its hyphen
    # ("co-" / "founder") into "cofounder".
    return " ".join(_BIDI_CONTROLS.sub("", text).replace("\u00a0", " ").replace("-", "").split()).casefold()


class _ReadingText(HTMLParser):
    """The body text a reader sees, without the print-only running strings."""

    SKIP_CLASSES = {"running-title", "running-foot", "tlp-running-head", "tlp-running-foot"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.running: dict[str, str] = {}
        self._skip_depth = 0
        self._skip_class = None
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self._in_body = True
        if tag in self.VOID:
            return
        if self._skip_depth:
            self._skip_depth += 1
            return
        classes = set((dict(attrs).get("class") or "").split())
        hit = classes & self.SKIP_CLASSES
        if hit:
            self._skip_depth, self._skip_class = 1, hit.pop()

    def handle_endtag(self, tag):
        if self._skip_depth and tag not in self.VOID:
            self._skip_depth -= 1

    def handle_data(self, data):
        if self._skip_depth:
            self.running[self._skip_class] = self.running.get(self._skip_class, "") + data
        elif self._in_body:
            self.parts.append(data)


def html_reading_text(html: str) -> tuple[str, dict[str, str]]:
    parser = _ReadingText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts), parser.running


def pdf_reading_text(pdf: Path, running: dict[str, str]) -> str:
    """pdftotext's text, each page without its running header and footer."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in text.split("\f"):
        flat = normalize(page)
        for key in ("running-title", "running-foot"):
            flat = flat.replace(normalize(running.get(key, "")), " ", 1)
        flat = re.sub(r"tlp:[a-z+]+", " ", flat)
        flat = re.sub(r"\b\d+ / \d+\s*$", " ", flat.strip())
        pages.append(flat)
    return " ".join(pages)


# --- fixtures and tests ------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("conformance") / "demo", REPO)
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def views(built):
    """Each brief's view, rendered once so its citations are numbered."""
    corpus = load_corpus(Project.at(built), Report())
    renderer = Renderer(built / "templates")
    cache = {}

    def view_of(brief_id):
        if brief_id not in cache:
            view = resolve(corpus, brief_id, generator="test")
            renderer.markdown_text(view)
            cache[brief_id] = view
        return cache[brief_id]

    return view_of


def test_seed_files_are_valid_and_cover_every_style():
    report = Report()
    seeds = load_seeds(REPO, report)
    assert [str(d) for d in report.diagnostics] == []
    styles = Project.at(REPO).styles()
    assert sorted(seed.style for seed in seeds.values()) == sorted(styles)
    corpus = load_corpus(Project.at(REPO), Report())
    for name, seed in seeds.items():
        assert corpus.briefs[seed.brief].model.style == seed.style, name


def reading_text(built: Path, brief_id: str, fmt: str) -> str:
    out = built / "build" / brief_id
    html, running = html_reading_text((out / f"{brief_id}.html").read_text(encoding="utf-8"))
    if fmt == "md":
        return normalize((out / f"{brief_id}.md").read_text(encoding="utf-8"))
    if fmt == "html":
        return normalize(html)
    return pdf_reading_text(out / f"{brief_id}.pdf", running)


def assert_in_order(text: str, markers: list[tuple[str, list[str]]], where: str) -> None:
    cursor = 0
    for block, alternatives in markers:
        found = [(pos, alt) for alt in alternatives
                 if (pos := text.find(normalize(alt), cursor)) != -1]
        if not found:
            anywhere = any(normalize(alt) in text for alt in alternatives)
            raise AssertionError(
                f"{where}: block '{block}': {alternatives[0]!r} "
                f"{'is out of order' if anywhere else 'is missing'}; text after the previous marker: "
                f"{text[cursor:cursor + 160]!r}")
        pos, alt = min(found)
        cursor = pos + len(normalize(alt))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed_file", SEED_FILES, ids=[p.stem for p in SEED_FILES])
def test_brief_shows_its_seed_anatomy_in_order(built, views, seed_file, fmt):
    seed = load_seeds(REPO, Report())[seed_file.stem]
    markers = anatomy_markers(seed, views(seed.brief))
    assert len(markers) >= len(seed.blocks)
    assert_in_order(reading_text(built, seed.brief, fmt), markers, f"{seed.brief}.{fmt}")


def test_a_missing_block_is_caught(built, views):
    """The check can fail: drop the expert quotes from the flash brief's
    Markdown and the anatomy no longer holds."""
    seed = load_seeds(REPO, Report())["flash-brief"]
    markers = anatomy_markers(seed, views(seed.brief))
    text = reading_text(built, seed.brief, "md").replace(normalize("Expert Analysis"), "")
    with pytest.raises(AssertionError, match="block 'expert analysis'"):
        assert_in_order(text, markers, "md")
