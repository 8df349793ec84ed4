"""`secbrief incidents`: find incidents, with the briefs that cite each."""

from __future__ import annotations

import sys

from secbrief.authoring.incidents_query import Query, find, format_incidents
from secbrief.core.diagnostics import Report, say
from secbrief.core.project import Project
from secbrief.validate.load_corpus import load_corpus


def run(args) -> int:
    report = Report()
    corpus = load_corpus(Project.at(args.root), report)
    query = Query(actor=args.actor, with_affiliates=args.with_affiliates, place=args.place, country=args.country,
                  type=args.type, since=args.since, until=args.until, cited_by=args.cited_by)
    found = find(corpus, query)
    sys.stdout.write(format_incidents(found, args.format))
    sys.stdout.flush()  # the count below goes to stderr: after the list, in a terminal too
    errors = len(report.errors)
    say(f"{len(found)} incident(s)" + (f"; the project has {errors} error(s), and files with errors are "
                                        "not listed (secbrief check)" if errors else ""), file=sys.stderr)
    return 0
