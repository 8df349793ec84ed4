"""`secbrief export stix BRIEF`: a brief as a STIX 2.1 bundle."""

from __future__ import annotations

import sys
from pathlib import Path

from secbrief.core.atomic import atomic_write
from secbrief.core.project import Project
from secbrief.interop.stix import export_stix


def run(args) -> int:
    return write_or_print(export_stix(Project.at(args.root), args.brief), args.output)


def write_or_print(text: str, output: str | None) -> int:
    """An export to the file named by -o, else to standard output."""
    if output:
        atomic_write(Path(output), text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return 0
