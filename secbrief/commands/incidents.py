"""`secbrief incidents`: find incidents, with the briefs that cite each."""

from __future__ import annotations

import sys

from secbrief.authoring.incidents_index import load_index
from secbrief.authoring.incidents_query import Query, find, format_incidents
from secbrief.core.diagnostics import say
from secbrief.core.project import Project


def run(args) -> int:
    index = load_index(Project.at(args.root))  # not a load of the project: unchanged files are not read
    query = Query(actor=args.actor, with_affiliates=args.with_affiliates, place=args.place, country=args.country,
                  type=args.type, since=args.since, until=args.until, cited_by=args.cited_by)
    found = find(index, query)
    sys.stdout.write(format_incidents(found, args.format))
    sys.stdout.flush()  # the count below goes to stderr: after the list, in a terminal too
    say(f"{len(found)} incident(s)" + (f"; {index.broken} file(s) with errors are not read "
                                        "(secbrief check names their problems)" if index.broken else ""),
        file=sys.stderr)
    return 0
