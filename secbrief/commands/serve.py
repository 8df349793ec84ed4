"""`secbrief serve [BRIEF ...]`: a live preview of the briefs, with every
problem shown in the page (docs/preview.md)."""

from __future__ import annotations

import sys

from secbrief.core.project import Project
from secbrief.serve.run import serve


def run(args) -> int:
    # A server's lines are read as they come (a pipe would hold them in a buffer).
    sys.stdout.reconfigure(line_buffering=True)
    return serve(Project.at(args.root), args.briefs, host=args.host, port=args.port, ceiling=args.ceiling,
                 editor_url=args.editor_url, pdf_variant=args.pdf_variant)
