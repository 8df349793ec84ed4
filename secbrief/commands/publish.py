"""`secbrief publish DEST`: the built archive copied out under a TLP ceiling."""

from __future__ import annotations

from pathlib import Path

from secbrief.core.project import Project
from secbrief.pipeline.publish import publish


def run(args) -> int:
    publish(Project.at(args.root), Path(args.dest), ceiling=args.ceiling, selection=args.briefs)
    return 0
