"""`secbrief import acled CSV`: incident files from an ACLED export."""

from __future__ import annotations

import sys
from pathlib import Path

from secbrief.core.diagnostics import say
from secbrief.core.project import Project
from secbrief.interop.acled.importer import Filters, import_acled, summary_lines


def run(args) -> int:
    project = Project.at(args.root)
    result = import_acled(project, Path(args.csv), Filters(args.country, args.start, args.end),
                          dry_run=args.dry_run)
    say(*result.errors, file=sys.stderr)
    say(*summary_lines(result, project, show_files=args.dry_run))
    return 1 if result.errors else 0
