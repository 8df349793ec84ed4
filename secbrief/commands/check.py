"""`secbrief check`: every problem of the project, or of some files, in one run."""

from __future__ import annotations

import sys
from pathlib import Path

from secbrief.core.diagnostic_formats import format_diagnostics
from secbrief.core.diagnostics import ERROR, NOTE, say
from secbrief.core.project import Project
from secbrief.validate.check import check


def run(args) -> int:
    diagnostics = check(Project.at(args.root), [Path(p) for p in args.paths], strict=args.strict)
    sys.stdout.write(format_diagnostics(diagnostics, args.format))
    errors = sum(d.severity == ERROR for d in diagnostics)
    notes = sum(d.severity == NOTE for d in diagnostics)
    counts = f"{len(diagnostics) - errors - notes} warning(s)" + (f", {notes} note(s)" if notes else "")
    if errors:
        say(f"{errors} error(s), {counts}", file=sys.stderr)
        return 1
    say(f"ok: no errors, {counts}", file=sys.stderr)
    return 0
