"""`secbrief weekly WEEK`: this week's brief for every client, then a build."""

from __future__ import annotations

from secbrief.authoring.weekly import weekly
from secbrief.core.project import Project


def run(args) -> int:
    weekly(Project.at(args.root), args.week, clients=args.client, build_after=not args.no_build,
           force=args.force, pdf_variant=args.pdf_variant)
    return 0
