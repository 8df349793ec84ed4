"""`secbrief deliver [BRIEF|WEEK ...]`: briefs to their clients by email
(secbrief.deliver.run), or with --taxii their STIX bundles to the TAXII
collections of secbrief.yaml (secbrief.deliver.taxii)."""

from __future__ import annotations

import os
import sys

from secbrief.core.diagnostics import Report, UsageError, say
from secbrief.core.project import Project
from secbrief.deliver import policy
from secbrief.deliver.log import DeliveryLog
from secbrief.deliver.run import Options, deliver
from secbrief.deliver.taxii import Bundle, push
from secbrief.interop.stix import BundleBuilder, bundle_text
from secbrief.validate.load_corpus import load_corpus


def run(args) -> int:
    project = Project.at(args.root)
    if args.taxii:
        return _taxii(project, args)
    outcome = deliver(project, args.selection, Options(args.dry_run, args.resend_changed, args.resend_uncertain),
                      os.environ)
    done = (f"{len(outcome.sent)} sent" if not outcome.written else
            f"dry run: {len(outcome.written)} message(s) written to build/outbox/, nothing sent")
    say(f"{done}, {len(outcome.skipped)} already delivered or unchanged, {len(outcome.refused)} refused, "
          f"{len(outcome.failed)} failed, {len(outcome.uncertain)} uncertain", file=sys.stderr)
    return outcome.exit_code


def _taxii(project: Project, args) -> int:
    report = Report()
    corpus = load_corpus(project, report)
    report.raise_if_errors()
    destinations = corpus.config.taxii
    if not destinations:
        raise UsageError("deliver --taxii: secbrief.yaml declares no taxii destination (docs/delivery.md)")
    brief_ids = policy.select_briefs(corpus, args.selection)
    bundles = [Bundle(b, corpus.briefs[b].model.client, corpus.briefs[b].model.tlp,
                      bundle_text(BundleBuilder(corpus, b).bundle())) for b in brief_ids]
    if args.dry_run:
        for bundle in bundles:
            say(f"would push {bundle.brief_id} ({len(bundle.text)} bytes) to "
                  f"{', '.join(d.name for d in destinations)}")
        return 0
    deliveries = DeliveryLog(project)
    with deliveries.lock():
        deliveries = DeliveryLog(project)
        for note in deliveries.notes:
            say(note)
        outcome = push(destinations, bundles, deliveries, os.environ, args.resend_changed,
                       args.resend_uncertain)
    say(f"{len(outcome.sent)} pushed, {len(outcome.skipped)} already there or unchanged, "
          f"{len(outcome.refused)} refused, {len(outcome.failed)} failed, {len(outcome.uncertain)} uncertain",
          file=sys.stderr)
    return outcome.exit_code
