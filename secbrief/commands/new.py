"""`secbrief new`: a commented skeleton for a new incident or brief."""

from __future__ import annotations

from secbrief.authoring.new import new_brief, new_incident
from secbrief.core.diagnostics import say
from secbrief.core.project import Project


def run(args) -> int:
    project = Project.at(args.root)
    if args.kind == "incident":
        created = new_incident(project, args.name, args.date)
    else:
        created = new_brief(project, args.style, args.name, args.date)
    say(f"created {created.display}: fill in the fields marked REQUIRED, then run: "
        f"secbrief check {created.display}")
    return 0
