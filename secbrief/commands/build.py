"""`secbrief build`: render briefs to build/ (only what changed)."""

from __future__ import annotations

from secbrief.core.project import Project
from secbrief.pipeline.build import build
from secbrief.pipeline.outputs import parse_formats


def run(args) -> int:
    build(Project.at(args.root), args.briefs, formats=parse_formats(args.format), force=args.force,
          jobs=args.jobs, pdf_variant=args.pdf_variant)
    return 0
