"""seeds/: the source documents the styles reproduce, as data.

One YAML file per source document records its anatomy (the blocks a reader
sees, in order, with their visible labels), the style that reproduces it and
the brief in briefs/ that re-expresses it. docs/seeds.md describes the
format; tests/test_conformance.py renders each brief and checks its
Markdown, HTML and PDF against the anatomy.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import Field

from secbrief.core.diagnostics import Report
from secbrief.load.yamlfile import load_file
from secbrief.model.documents import Model, Slug, Text
from secbrief.model.schema_errors import validate_model

# Brief fields (and derived values) whose content a block shows; the
# conformance test knows how each one appears in a rendered brief.
FIELDS = (
    "title", "series", "issue", "team", "issued", "issued_to", "kicker", "standfirst", "dateline",
    "summary", "key_judgements", "sections", "quotes", "related", "tags", "image", "parties",
    "event_date", "event_location", "event", "implications", "outlook", "notes",
)


class Block(Model):
    """One block of the anatomy, in reading order."""

    block: Text = Field(description="What the block is, in a few words, e.g. 'expert quotes'.")
    label: Text | None = Field(None, description="The fixed text that opens the block, as printed, "
                                                 "e.g. 'Latest Developments' or 'The event:'.")
    inner_label: Text | None = Field(None, description="A fixed text printed before each link inside "
                                                       "the block's items, e.g. 'Read More:'.")
    shows: list[Literal[FIELDS]] = Field([], description="The brief fields whose content the block "  # type: ignore[valid-type]
                                                         "prints, in order.")
    note: Text | None = None


class Seed(Model):
    """One source document: who published it, and its anatomy."""

    source: Text = Field(description="The captured text the anatomy was read from (kept outside the project).")
    publisher: Text
    kind: Text = Field(description="The kind of document, e.g. 'weekly security brief'.")
    date: dt.date
    style: Slug = Field(description="The style in templates/ that reproduces it.")
    brief: Slug = Field(description="The id of the brief in briefs/ that re-expresses it.")
    blocks: list[Block] = Field(min_length=1)
    note: Text | None = None


def seed_paths(root: Path) -> list[Path]:
    folder = root / "seeds"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_seeds(root: Path, report: Report) -> dict[str, Seed]:
    """Every seed file under ``root/seeds``, validated; problems go to ``report``.

    A seed must name an existing style and a brief in that style."""
    seeds: dict[str, Seed] = {}
    for path in seed_paths(root):
        display = str(path.relative_to(root))
        doc = load_file(path, display, report)
        if doc is None:
            continue
        seed = validate_model(Seed, doc, report)
        if seed is None:
            continue
        if not (root / "templates" / seed.style).is_dir():
            line, col = doc.where(("style",))
            report.add(display, line, col, f"style '{seed.style}' has no folder in templates/", code="SB301")
        brief_path = root / "briefs" / f"{seed.brief}.yaml"
        if not brief_path.is_file():
            line, col = doc.where(("brief",))
            report.add(display, line, col, f"brief '{seed.brief}' is not in briefs/", code="SB302")
        seeds[path.stem] = seed
    return seeds
