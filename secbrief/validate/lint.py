"""Checks across a validated corpus that go beyond the shape of each file.

Analytic standards of key judgements (wording against the declared
likelihood, evidence behind high confidence), brief sources nobody cites,
and incidents recorded twice. Runs after every reference has been checked,
on what validated; problems go to the same Report as every other check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from secbrief.core import textgrammar
from secbrief.core.diagnostics import ERROR, WARNING, Report
from secbrief.core.textgrammar import name_key
from secbrief.core.yardstick import Yardstick, active
from secbrief.model.documents import Brief, KeyJudgement
from secbrief.model.documents import markdown_fields
from secbrief.validate import estimative

if TYPE_CHECKING:
    from secbrief.validate.corpus import Corpus, Entry

WEAK_RELIABILITY = "EF"
WEAK_CREDIBILITY = "56"


def lint_corpus(corpus: Corpus, report: Report, briefs: list[str] | None = None) -> None:
    """Every brief and every incident; with ``briefs``, those briefs only
    (added to a corpus whose incidents were linted when it was loaded)."""
    for entry in corpus.brief_entries(briefs):
        brief: Brief = entry.model
        yardstick = active(brief.yardstick, corpus.config.yardstick)
        for index, judgement in enumerate(brief.key_judgements):
            _judgement_wording(entry, index, judgement, yardstick, report)
            _judgement_evidence(corpus, entry, index, judgement, report)
        _unused_sources(entry, report)
    if briefs is None:
        _possible_duplicates(corpus, report)


# --- key judgements: wording ----------------------------------------------

def _judgement_wording(entry: Entry, index: int, judgement: KeyJudgement, yardstick: Yardstick,
                       report: Report) -> None:
    doc, text = entry.doc, judgement.statement
    loc = ("key_judgements", index, "statement")

    def add(offset, message, code, severity):
        line, col = doc.locate(loc, text, offset)
        report.add(doc.display, line, col, message, severity=severity, code=code)

    declared = yardstick.ranges.get(judgement.likelihood)
    found = estimative.phrases(text, yardstick)
    for phrase in found:
        contradicts = declared and (phrase.high < declared[0] or phrase.low > declared[1])
        if contradicts and not phrase.negated:
            add(phrase.offset, f"the statement says {phrase.label} but its likelihood is "
                f"'{judgement.likelihood}' ({estimative.span(*declared)}): make them agree, "
                "and let 'likelihood' carry the probability", "SB301", ERROR)
        elif phrase.yardstick is not None and phrase.yardstick.key != yardstick.key:
            suggestion = estimative.best_term(yardstick, phrase.low, phrase.high)
            add(phrase.offset, f"'{phrase.text}' is a term of the {phrase.yardstick.name} yardstick, "
                f"but this brief uses the {yardstick.name} yardstick: write '{suggestion}' "
                f"({estimative.span(*yardstick.ranges[suggestion])})", "SB302", WARNING)
    for word, offset in estimative.hedges(text):
        add(offset, f"unscaled hedge '{word}' in a key judgement: state what you judge will happen "
            "and let 'likelihood' say how probable it is", "SB303", WARNING)
    for start, end in estimative.sentences(text):
        if not any(start <= p.offset < end for p in found):
            continue
        for wording, offset in estimative.confidence_statements(text[start:end]):
            add(start + offset, f"'{wording}' in the same sentence as a likelihood: confidence is about "
                "the evidence, not the probability; keep it in the 'confidence' field", "SB304", WARNING)


# --- key judgements: evidence ---------------------------------------------

def _judgement_evidence(corpus: Corpus, entry: Entry, index: int, judgement: KeyJudgement,
                        report: Report) -> None:
    doc = entry.doc
    refs = list(judgement.evidence) + [ref for ref, _ in textgrammar.citation_ids(judgement.statement)]
    if not refs:
        line, col = doc.where(("key_judgements", index))
        report.add(doc.display, line, col, f"key judgement '{judgement.id}' names no evidence: list the "
                   "incidents or sources it rests on in 'evidence'", code="SB310")
        return
    if judgement.confidence != "high":
        return
    sources = {}
    for ref in refs:
        if ref in corpus.incidents:
            sources.update((s.id, s) for s in corpus.incidents[ref].model.sources)
        elif ref in corpus.sources:
            sources[ref] = corpus.sources[ref]
    if not sources:
        return  # the unknown ids were reported already
    one_source = len(sources) == 1
    only_weak = all(s.grade[0] in WEAK_RELIABILITY or s.grade[1] in WEAK_CREDIBILITY for s in sources.values())
    if not one_source and not only_weak:
        return  # nothing to say: no need to find where the judgement is (a parse of the file)
    line, col = doc.where(("key_judgements", index, "confidence"))
    if one_source:
        report.add(doc.display, line, col, f"key judgement '{judgement.id}' has high confidence but rests on "
                   f"one source ('{next(iter(sources))}'): add corroborating evidence or lower the "
                   "confidence", severity=WARNING, code="SB311")
    if only_weak:
        graded = ", ".join(f"{s.id} {s.grade}" for s in sources.values())
        report.add(doc.display, line, col, f"key judgement '{judgement.id}' has high confidence but rests "
                   f"only on sources graded E/F or 5/6 ({graded}): find better sources or lower "
                   "the confidence", severity=WARNING, code="SB312")


# --- brief sources --------------------------------------------------------

def _unused_sources(entry: Entry, report: Report) -> None:
    brief: Brief = entry.model
    used = {ref for _, text in markdown_fields(brief) for ref, _ in textgrammar.citation_ids(text)}
    used.update(ref for judgement in brief.key_judgements for ref in judgement.evidence)
    for index, source in enumerate(brief.sources):
        if source.id not in used:
            line, col = entry.doc.where(("sources", index, "id"))
            report.add(entry.doc.display, line, col, f"source '{source.id}' is never cited in this brief: "
                       f"cite it with [@{source.id}] or remove it", severity=WARNING, code="SB254")


# --- incidents ------------------------------------------------------------

def _place_key(corpus: Corpus, incident) -> tuple | None:
    keys = []
    for location in incident.all_locations:
        if location.place and corpus.places.lookup(location.place) is not None:
            keys.append(("place", corpus.places.lookup(location.place).id))
        elif location.site or location.city:
            keys.append(("where", name_key(location.site or ""), name_key(location.city or ""),
                         name_key(location.country or "")))
        else:
            return None  # a country alone is too coarse to call two incidents the same
    return keys[0] if len(keys) == 1 else tuple(keys)


def _possible_duplicates(corpus: Corpus, report: Report) -> None:
    seen: dict[tuple, list] = {}
    for incident_id in sorted(corpus.incidents):
        entry = corpus.incidents[incident_id]
        incident = entry.model
        place = _place_key(corpus, incident)
        if place is None:
            continue
        key = (incident.date, place, incident.type)
        for other in seen.get(key, []):
            if incident.time and other.model.time and incident.time != other.model.time:
                continue  # different times: two events at one place on one day
            line, col = entry.doc.where(("type",))
            report.add(entry.doc.display, line, col, f"possible duplicate of incident '{other.id}' "
                       f"({other.doc.display}): same date, place and type; merge them, or give each "
                       "its 'time' if they are separate events", severity=WARNING, code="SB206")
            break
        seen.setdefault(key, []).append(entry)
