"""Content that cannot contradict itself: checks across a brief and what it
cites. A brief issued on 15 October cannot rest on a report of 25 October:
either the source's date or the brief's `issued` is wrong, or the brief was
written after the fact and should say so. Nor can it be about an incident
of 20 October, nor two files of one ACLED event give it two death tolls.

A brief states no incident's date or casualties in its own data: its
tables, timelines and event lines are drawn from the incident files, so
they cannot contradict them; the files of one event can contradict each
other.
"""

from __future__ import annotations

from secbrief.core import textgrammar
from secbrief.core.dates import long_date, week_bounds
from secbrief.core.diagnostics import WARNING, Report
from secbrief.model.documents import is_weekly_style
from secbrief.model.documents import markdown_fields
from secbrief.validate.corpus import Corpus, Entry


def check_integrity(corpus: Corpus, report: Report, briefs: list[str] | None = None) -> None:
    """Every brief, or those of ``briefs`` (then the incidents were checked
    by the load, and are not again)."""
    if briefs is None:
        _check_same_events(corpus, report)
    for entry in corpus.brief_entries(briefs):
        _check_source_dates(corpus, entry, report)
        _check_incident_dates(corpus, entry, report)
        if is_weekly_style(entry.model.style):
            _check_week(corpus, entry, report)


def _check_same_events(corpus: Corpus, report: Report) -> None:
    """SB241: two incident files of one ACLED event that disagree on its
    date or casualty figures (a figure one file leaves out is no
    disagreement). Said on each later file, against the first."""
    first: dict[str, Entry] = {}
    for entry in corpus.incidents.values():
        acled_id = entry.model.acled_id
        if acled_id is None:
            continue
        if acled_id not in first:
            first[acled_id] = entry
            continue
        other = first[acled_id]
        differ = [f"{name} {here} here, {there} there" for name, here, there in _figures(entry.model, other.model)
                  if here is not None and there is not None and here != there]
        if differ:
            line, col = entry.doc.where(("acled_id",))
            report.add(entry.doc.display, line, col,
                       f"ACLED event {acled_id} is also recorded by {other.doc.display}, with other figures: "
                       f"{'; '.join(differ)}; make them agree, or keep one file for the event",
                       severity=WARNING, code="SB241")


def _figures(incident, other):
    """(name, this incident's figure, the other's) for the date and counts."""
    yield "date", long_date(incident.date), long_date(other.date)
    for name in ("killed", "injured"):
        yield (name, getattr(incident.casualties, name, None) if incident.casualties else None,
               getattr(other.casualties, name, None) if other.casualties else None)


def _check_incident_dates(corpus: Corpus, entry: Entry, report: Report) -> None:
    """SB242: the brief's event, incidents or a timeline names an incident
    dated after the brief's issued date (citations of one, and evidence,
    are SB257's; a weekly brief's incident outside its week is SB258's)."""
    brief, doc = entry.model, entry.doc
    week = week_bounds(brief) if is_weekly_style(brief.style) else None
    refs = [(("event",), brief.event)] if brief.event else []
    refs += [(("incidents", i), incident_id) for i, incident_id in enumerate(brief.incidents)]
    refs += [(("implications", i, "timeline", j), incident_id)
             for i, item in enumerate(brief.implications) for j, incident_id in enumerate(item.timeline)]
    for loc, incident_id in refs:
        incident = corpus.incidents.get(incident_id)
        if incident is None or incident.model.date <= brief.issued:
            continue
        if week is not None and loc[0] == "incidents" and not week[0] <= incident.model.date <= week[1]:
            continue
        line, col = doc.where(loc)
        report.add(doc.display, line, col,
                   f"incident '{incident_id}' is dated {long_date(incident.model.date)}, after this brief's "
                   f"issued date ({long_date(brief.issued)}): correct either date, or leave the incident out",
                   severity=WARNING, code="SB242")


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
