"""`secbrief export misp BRIEF`: a brief as a MISP event (JSON)."""

from __future__ import annotations

from secbrief.commands.export_stix import write_or_print
from secbrief.core.project import Project
from secbrief.interop.misp import export_misp


def run(args) -> int:
    return write_or_print(export_misp(Project.at(args.root), args.brief), args.output)
