"""``secbrief check``: every diagnostic for the project, or for some files."""

from __future__ import annotations

from pathlib import Path

from secbrief.core.diagnostics import ERROR, WARNING, Diagnostic, Report, UsageError
from secbrief.core.project import Project
from secbrief.validate.load_corpus import load_corpus
from secbrief.validate.style_fields import note_unshown_fields


def check(project: Project, paths: list[Path] | None = None, strict: bool = False) -> list[Diagnostic]:
    """Validate the whole project (references need all of it) and return
    the diagnostics, filtered to ``paths`` when given. ``strict`` reports
    every warning as an error (a note stays a note). The notes of filled
    fields a brief's style does not show are said here, by check alone."""
    missing = [str(p) for p in paths or [] if not p.exists()]
    if missing:
        raise UsageError(f"check: no such file or folder: {', '.join(missing)}")
    report = Report()
    note_unshown_fields(load_corpus(project, report), report)
    diagnostics = sorted(report.diagnostics)
    # A registry or the project settings bear on every file, so naming one
    # (as a pre-commit hook does when it changed) checks everything.
    everything = {p.resolve() for p in [*project.registry_paths(), project.config_path]}
    if paths and not any(p.resolve() in everything for p in paths):
        wanted = [project.display(p.resolve()) for p in paths]
        diagnostics = [d for d in diagnostics
                       if any(w == "." or d.path == w or d.path.startswith(w.rstrip("/") + "/")
                              for w in wanted)]
    if strict:
        diagnostics = [d._replace(severity=ERROR) if d.severity == WARNING else d for d in diagnostics]
    return diagnostics
