"""Content that cannot contradict itself: checks across a brief and what it
cites. A brief issued on 15 October cannot rest on a report of 25 October:
either the source's date or the brief's `issued` is wrong, or the brief was
written after the fact and should say so.
"""

from __future__ import annotations

from secbrief.core import textgrammar
from secbrief.core.dates import long_date, week_bounds
from secbrief.core.diagnostics import WARNING, Report
from secbrief.model.documents import is_weekly_style
from secbrief.model.documents import markdown_fields
from secbrief.validate.corpus import Corpus, Entry


def check_integrity(corpus: Corpus, report: Report, briefs: list[str] | None = None) -> None:
    """Every brief, or those of ``briefs``."""
    for entry in corpus.brief_entries(briefs):
        _check_source_dates(corpus, entry, report)
        if is_weekly_style(entry.model.style):
            _check_week(corpus, entry, report)


def _check_week(corpus: Corpus, entry: Entry, report: Report) -> None:
    """SB258: a weekly brief lists an incident from another week."""
    brief, doc = entry.model, entry.doc
    start, end = week_bounds(brief)
    for i, incident_id in enumerate(brief.incidents):
        incident = corpus.incidents.get(incident_id)
        if incident is not None and not start <= incident.model.date <= end:
            line, col = doc.where(("incidents", i))
            report.add(doc.display, line, col,
                       f"incident '{incident_id}' of {long_date(incident.model.date)} is outside this brief's "
                       f"week ({long_date(start)} to {long_date(end)}): remove it, or cite it in the text as "
                       "background", severity=WARNING, code="SB258")


def _check_source_dates(corpus: Corpus, entry: Entry, report: Report) -> None:
    """SB257: a cited source dated after the brief's issue date. Citing an
    incident counts when every one of its sources is later (the renderer
    then has nothing earlier to list, see resolve.Citations)."""
    brief, doc = entry.model, entry.doc
    issued = brief.issued

    def later(ref: str):
        if ref in corpus.sources:
            source = corpus.sources[ref]
            return source if source.date > issued else None
        if ref in corpus.incidents:
            incident = corpus.incidents[ref].model
            if not incident.sources_published_by(issued):
                return min(incident.sources, key=lambda s: s.date)
        return None

    def warn(line: int, col: int, ref: str, source) -> None:
        what = f"source '{ref}'" if ref == source.id else f"incident '{ref}' (its earliest source, '{source.id}',"
        closing = "" if ref == source.id else ")"
        report.add(doc.display, line, col,
                   f"{what} is dated {long_date(source.date)}{closing}, after this brief's issued date "
                   f"({long_date(issued)}): correct either date, or cite what was known on the day",
                   severity=WARNING, code="SB257")

    for loc, text in markdown_fields(brief):
        for ref, offset in textgrammar.citation_ids(text or ""):
            if (source := later(ref)) is not None:
                warn(*doc.locate(loc, text, offset), ref, source)
    for i, judgement in enumerate(brief.key_judgements):
        for j, ref in enumerate(judgement.evidence):
            if (source := later(ref)) is not None:
                warn(*doc.where(("key_judgements", i, "evidence", j)), ref, source)
