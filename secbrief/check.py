"""``secbrief check``: every diagnostic for the project, or for some files."""

from __future__ import annotations

from pathlib import Path

from secbrief.errors import Diagnostic, Report
from secbrief.project import Project


def check(project: Project, paths: list[Path] | None = None) -> list[Diagnostic]:
    """Validate the whole project (references need all of it) and return
    the diagnostics, filtered to ``paths`` when given."""
    from secbrief.validate import load_corpus

    report = Report()
    load_corpus(project, report)
    diagnostics = sorted(report.diagnostics)
    if paths:
        wanted = [project.display(p.resolve()) for p in paths]
        diagnostics = [d for d in diagnostics
                       if any(d.path == w or d.path.startswith(w.rstrip("/") + "/") for w in wanted)]
    return diagnostics
