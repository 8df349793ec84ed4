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
from pathlib import Path

import pytest

from conftest import REPO
from reading import html_reading_text, markdown_reading_text, normalize, pdf_reading_text
from secbrief.core import dates
from secbrief.core.diagnostics import Report
from secbrief.render.labels import tag_label
from secbrief.core.textgrammar import CITATION_RE
from secbrief.core.project import Project
from secbrief.render.renderer import Renderer
from secbrief.resolve.assemble import brief_view
from secbrief.model.seeds import Block, Seed, load_seeds, seed_paths
from secbrief.validate.load_corpus import load_corpus

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
        return one(dates.long_date(b.issued))
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
        return one(dates.long_date(view.event.date))
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
        return [marker for note in view.citations.notes
                for marker in ([f"[{note.number}] {note.before_title}"], [note.source.title])]
    raise AssertionError(f"no markers defined for field '{field}'")


def anatomy_markers(seed: Seed, view, fmt: str | None = None) -> list[tuple[str, list[str]]]:
    """(block name, alternatives) for every marker of the seed, in order."""
    markers = []
    for block in seed.blocks:
        if fmt == "md" and block.shows == ["image"]:
            continue  # the Markdown brief is text alone: no image, so no caption (docs/data-model.md)
        if block.shows == ["image"] and view.image is None and view.map is not None:
            # The generated map takes the analyst's figure's place, with its own caption (docs/maps.md).
            markers.append((block.block, ["Map by secbrief"]))
            continue
        if block.label:
            markers.append((block.block, [block.label]))
        for field in block.shows:
            markers += [(block.block, alternatives) for alternatives in field_markers(field, block, view)]
    return markers


# --- fixtures and tests ------------------------------------------------------

@pytest.fixture(scope="module")
def built(demo_build) -> Path:
    return demo_build


@pytest.fixture(scope="module")
def views(built):
    """Each brief's view, rendered once so its citations are numbered."""
    corpus = load_corpus(Project.at(built), Report())
    renderer = Renderer(built / "templates")
    cache = {}

    def view_of(brief_id):
        if brief_id not in cache:
            view = brief_view(corpus, brief_id, generator="test")
            renderer.markdown_text(view)
            cache[brief_id] = view
        return cache[brief_id]

    return view_of


def test_seed_files_are_valid_and_cover_every_style():
    report = Report()
    seeds = load_seeds(REPO, report)
    assert [str(d) for d in report.diagnostics] == []
    # Every style but weekly-brief (secbrief's own, for client runs) reproduces a source document.
    styles = [s for s in Project.at(REPO).styles() if s != "weekly-brief"]
    assert sorted(seed.style for seed in seeds.values()) == sorted(styles)
    corpus = load_corpus(Project.at(REPO), Report())
    for name, seed in seeds.items():
        assert corpus.briefs[seed.brief].model.style == seed.style, name


def reading_text(built: Path, brief_id: str, fmt: str) -> str:
    out = built / "build" / brief_id
    html, running = html_reading_text((out / f"{brief_id}.html").read_text(encoding="utf-8"))
    if fmt == "md":
        return normalize(markdown_reading_text((out / f"{brief_id}.md").read_text(encoding="utf-8")))
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
    markers = anatomy_markers(seed, views(seed.brief), fmt)
    assert len(markers) >= len(seed.blocks) - (fmt == "md")
    assert_in_order(reading_text(built, seed.brief, fmt), markers, f"{seed.brief}.{fmt}")


def test_a_missing_block_is_caught(built, views):
    """The check can fail: drop the expert quotes from the flash brief's
    Markdown and the anatomy no longer holds."""
    seed = load_seeds(REPO, Report())["flash-brief"]
    markers = anatomy_markers(seed, views(seed.brief))
    text = reading_text(built, seed.brief, "md").replace(normalize("Outside Expert Views"), "")
    with pytest.raises(AssertionError, match="block 'expert analysis'"):
        assert_in_order(text, markers, "md")
