"""Validate step: load the whole project and check it, every file and
every cross-reference, in one round.

Nothing stops at the first problem: every file is read and every problem is
reported, so an analyst fixes a whole brief in one pass. A file that fails
its typed model is still checked for what its other fields hold.
"""

from __future__ import annotations

import datetime as dt

from secbrief.core.diagnostics import Report
from secbrief.core.project import Project
from secbrief.load.collector import collector_paused
from secbrief.load.parseahead import parse_ahead
from secbrief.load.parsecache import ParseCache
from secbrief.validate import clients
from secbrief.model.config import load_config
from secbrief.validate.briefs import check_brief_refs, load_brief
from secbrief.validate.corpus import Corpus, SkipFields
from secbrief.validate.incidents import check_incident_refs, load_incident
from secbrief.validate.integrity import check_integrity
from secbrief.validate.lint import lint_corpus
from secbrief.validate.registries import load_registries



@collector_paused(freeze_survivors=True)
def load_corpus(project: Project, report: Report, today: dt.date | None = None,
                parse_cache: bool = True, jobs: int | None = None) -> Corpus:
    """Load and validate the whole project. Problems go to ``report``.
    ``parse_cache``: reuse (and keep) the parses of unchanged files, and
    parse many new ones in ``jobs`` processes (default: the cores) first."""
    cache = ParseCache.for_project(project) if parse_cache else None
    corpus = Corpus(project, config=load_config(project, report, cache), parse_cache=cache)
    load_registries(corpus, report)
    today = today or dt.date.today()
    incident_paths, brief_paths = project.incident_files(), project.brief_paths()
    if cache is not None:
        parse_ahead(incident_paths + brief_paths, cache, corpus.confinement, jobs)
    for path in incident_paths:
        load_incident(corpus, path, report, today)
    for path in brief_paths:
        load_brief(corpus, path, report)
    clients.load_clients(corpus, report)
    for entry in corpus.incidents.values():
        check_incident_refs(corpus, entry, report)
    styles = project.styles()  # once, not a folder listing per brief
    for entry in corpus.briefs.values():
        check_brief_refs(corpus, entry, report, styles)
    for check_what_parsed, doc, typed_errors in corpus.invalid_docs:
        check_what_parsed(corpus, doc, SkipFields(report, doc.display, typed_errors))
    lint_corpus(corpus, report)  # analytic standards and other checks across files
    check_integrity(corpus, report)  # dates that contradict each other across files
    clients.check_brief_clients(corpus, report)
    if cache is not None:
        cache.save(may_create_folder=not report.errors)
    return corpus
