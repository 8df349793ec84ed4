"""`secbrief schema`: JSON Schema files for editors."""

from __future__ import annotations

from pathlib import Path

from secbrief.core.diagnostics import say
from secbrief.core.project import Project
from secbrief.model.schema import DEFAULT_DIR, write_schemas


def run(args) -> int:
    project = Project.at(args.root)
    out_dir = Path(args.output) if args.output else project.root / DEFAULT_DIR
    for path in write_schemas(out_dir):
        say(f"wrote {project.display(path)}")
    return 0
