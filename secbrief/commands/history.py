"""`secbrief history BRIEF`: one line per commit that changed a brief."""

from __future__ import annotations

from secbrief.core.diagnostics import say
from secbrief.core.project import Project
from secbrief.history.revisions import history, history_lines


def run(args) -> int:
    say(*history_lines(history(Project.at(args.root), args.brief, args.judgement), args.judgement))
    return 0
