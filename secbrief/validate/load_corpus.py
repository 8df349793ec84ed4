"""Validate step: load the whole project and check it, every file and
every cross-reference, in one round.

Nothing stops at the first problem: every file is read and every problem is
reported, so an analyst fixes a whole brief in one pass. A file that fails
its typed model is still checked for what its other fields hold.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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
    _check_briefs(corpus, report, None, corpus.invalid_docs)
    if cache is not None:
        cache.save(may_create_folder=not report.errors)
    return corpus


def add_briefs(corpus: Corpus, paths: list[Path], report: Report) -> list[str]:
    """Add brief files written since ``corpus`` was loaded (``secbrief
    weekly``'s new briefs) and run on them every check a load runs on a
    brief: its model, what it names, lint, integrity, its client. All of
    them are read before any is checked, so one may name another. Only
    their problems go to ``report``: what the load said of the other files
    stands, and is not said again. (On a corpus loaded without errors, new
    briefs change nothing a load would say of the other files, except that
    a source id defined differently in an old brief and a new one is
    reported on the new one.) Returns the ids of the new briefs that
    validated, which are in ``corpus.briefs`` now."""
    if not paths:
        return []
    known, invalid_before = set(corpus.briefs), len(corpus.invalid_docs)
    for path in paths:
        load_brief(corpus, path, report)
    corpus.briefs_added()
    added = [brief_id for brief_id in corpus.briefs if brief_id not in known]
    _check_briefs(corpus, report, added, corpus.invalid_docs[invalid_before:])
    # As at the end of a load: the new files' parses are kept for the next
    # one (the rest of the cache was saved by the load, if it changed).
    if corpus.parse_cache is not None:
        corpus.parse_cache.save(may_create_folder=not report.errors)
    return added


def _check_briefs(corpus: Corpus, report: Report, briefs: list[str] | None, invalid_docs: list) -> None:
    """Once every file is loaded: the references of ``briefs`` (None: every
    brief), what can still be checked in ``invalid_docs``, then the checks
    across files, in that order."""
    styles = corpus.project.styles()  # once, not a folder listing per brief
    for entry in corpus.brief_entries(briefs):
        check_brief_refs(corpus, entry, report, styles)
    for check_what_parsed, doc, typed_errors in invalid_docs:
        check_what_parsed(corpus, doc, SkipFields(report, doc.display, typed_errors))
    lint_corpus(corpus, report, briefs)  # analytic standards and other checks across files
    check_integrity(corpus, report, briefs)  # dates that contradict each other across files
    clients.check_brief_clients(corpus, report, briefs)
