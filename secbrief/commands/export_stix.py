"""`secbrief export stix BRIEF`: a brief as a STIX 2.1 bundle."""

from __future__ import annotations

import sys
from pathlib import Path

from secbrief.core.atomic import atomic_write
from secbrief.core.project import Project
from secbrief.interop.stix import export_stix


def run(args) -> int:
    text = export_stix(Project.at(args.root), args.brief)
    if args.output:
        atomic_write(Path(args.output), text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return 0
