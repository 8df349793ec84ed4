"""`secbrief diff BRIEF A B`: a brief compared between two git revisions."""

from __future__ import annotations

import sys

from secbrief.core.project import Project
from secbrief.history import diffreport
from secbrief.history.revisions import diff


def run(args) -> int:
    result = diff(Project.at(args.root), args.brief, args.rev_a, args.rev_b)
    if args.format == "md":
        sys.stdout.write(diffreport.as_markdown(result))
    else:
        sys.stdout.write(diffreport.as_text(result, diffreport.use_colour(args.color, sys.stdout)))
    return 0
