"""`secbrief check`: every problem of the project, or of some files, in one run."""

from __future__ import annotations

import sys
from pathlib import Path

from secbrief.core.diagnostic_formats import format_diagnostics
from secbrief.core.diagnostics import say
from secbrief.core.project import Project
from secbrief.validate.check import check


def run(args) -> int:
    diagnostics = check(Project.at(args.root), [Path(p) for p in args.paths], strict=args.strict)
    sys.stdout.write(format_diagnostics(diagnostics, args.format))
    errors = sum(d.severity == "error" for d in diagnostics)
    if errors:
        say(f"{errors} error(s), {len(diagnostics) - errors} warning(s)", file=sys.stderr)
        return 1
    say(f"ok: no errors, {len(diagnostics)} warning(s)", file=sys.stderr)
    return 0
