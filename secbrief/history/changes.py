"""What changed between two versions of a brief's key judgements.

Judgements are matched by their stable ``id``. Likelihood moves are judged on
the yardstick's numbers, not the words: "likely" to "highly likely" is
raised, "likely" to "probable" (the same 55-75%) is only restated. The same
comparison serves the "What changed" block of the next issue (two briefs)
and ``secbrief diff`` (one brief at two revisions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from secbrief.core.textgrammar import CITATION_RE
from secbrief.core.yardstick import Yardstick, active
from secbrief.model.documents import CONFIDENCE_LEVELS



@dataclass(frozen=True)
class Judgement:
    id: str
    statement: str
    likelihood: str
    confidence: str
    evidence: tuple[str, ...]
    yardstick: Yardstick

    @property
    def likelihood_label(self) -> str:
        return label(self.yardstick, self.likelihood)

    @property
    def grade(self) -> str:
        return f"{self.likelihood_label}, {self.confidence} confidence"


def label(yardstick: Yardstick, term: str) -> str:
    """"likely (55-75%)"; a term the yardstick lacks (an old revision) as written."""
    return yardstick.label(term) if term in yardstick.ranges else term


def from_brief(brief, project_yardstick: str | None = None) -> list[Judgement]:
    """The judgements of a validated Brief model."""
    yardstick = active(brief.yardstick, project_yardstick)
    return [Judgement(j.id, j.statement, j.likelihood, j.confidence, tuple(j.evidence), yardstick)
            for j in brief.key_judgements]


def from_data(data: Any, project_yardstick: str | None = None) -> list[Judgement]:
    """The judgements of a brief as raw YAML data, leniently: an old revision
    need not validate against today's schema to be compared."""
    if not isinstance(data, dict):
        return []
    yardstick = active(data.get("yardstick") if isinstance(data.get("yardstick"), str) else None,
                       project_yardstick)
    found = []
    items = data.get("key_judgements")
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        evidence = item.get("evidence")
        found.append(Judgement(
            item["id"], _text(item.get("statement")), _text(item.get("likelihood")),
            _text(item.get("confidence")),
            tuple(str(e) for e in evidence) if isinstance(evidence, list) else (), yardstick))
    return found


def _text(value) -> str:
    return "" if value is None else str(value)


def plain(statement: str) -> str:
    """A statement without its citation markers, for quoting it elsewhere:
    its sources belong to the judgement, not to the "What changed" list."""
    text = " ".join(CITATION_RE.sub("", statement).split())
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


@dataclass
class JudgementChange:
    id: str
    kind: str  # raised, lowered, restated, confidence, revised, new, withdrawn
    statement: str  # plain text: the current statement, or the withdrawn one
    phrases: list[str]
    old: Judgement | None = None
    new: Judgement | None = None
    evidence_added: list[str] = field(default_factory=list)
    evidence_removed: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "; ".join(self.phrases)

    @property
    def regraded(self) -> bool:
        return self.kind in ("raised", "lowered", "restated", "confidence")


@dataclass
class Comparison:
    changes: list[JudgementChange]
    unchanged: list[str]  # ids

    @property
    def regraded(self) -> list[JudgementChange]:
        return [c for c in self.changes if c.regraded]


def _direction(old: Judgement, new: Judgement) -> int | None:
    """+1 raised, -1 lowered, 0 same range; None when a term is not on its yardstick."""
    if old.likelihood not in old.yardstick.ranges or new.likelihood not in new.yardstick.ranges:
        return None
    before = sum(old.yardstick.ranges[old.likelihood])
    after = sum(new.yardstick.ranges[new.likelihood])
    return (after > before) - (after < before)


def _confidence_phrase(old: str, new: str) -> str:
    if old in CONFIDENCE_LEVELS and new in CONFIDENCE_LEVELS:
        verb = "raised" if CONFIDENCE_LEVELS.index(new) > CONFIDENCE_LEVELS.index(old) else "lowered"
        return f"confidence {verb} from {old} to {new}"
    return f"confidence changed from {old} to {new}"


def compare_one(old: Judgement, new: Judgement) -> JudgementChange | None:
    phrases, kind = [], None
    if old.likelihood != new.likelihood or old.likelihood_label != new.likelihood_label:
        direction = _direction(old, new)
        if direction == 0:
            kind = "restated"
            phrases.append(f"restated from {old.likelihood_label} as {new.likelihood_label}")
        else:
            kind = {1: "raised", -1: "lowered"}.get(direction, "restated")
            verb = {1: "raised", -1: "lowered"}.get(direction, "changed")
            phrases.append(f"{verb} from {old.likelihood_label} to {new.likelihood_label}")
    if old.confidence != new.confidence:
        kind = kind or "confidence"
        phrases.append(_confidence_phrase(old.confidence, new.confidence))
    if " ".join(old.statement.split()) != " ".join(new.statement.split()):
        kind = kind or "revised"
        phrases.append("statement revised")
    added = [e for e in new.evidence if e not in old.evidence]
    removed = [e for e in old.evidence if e not in new.evidence]
    if not phrases and not added and not removed:
        return None
    return JudgementChange(new.id, kind or "evidence", plain(new.statement), phrases, old, new,
                           added, removed)


def compare(old: list[Judgement], new: list[Judgement]) -> Comparison:
    """Changed and new judgements in the new reading order, then withdrawn ones."""
    before = {j.id: j for j in old}
    after_ids = {j.id for j in new}
    changes, unchanged = [], []
    for judgement in new:
        previous = before.get(judgement.id)
        if previous is None:
            changes.append(JudgementChange(judgement.id, "new", plain(judgement.statement),
                                           [f"new: {judgement.grade}"], new=judgement,
                                           evidence_added=list(judgement.evidence)))
            continue
        change = compare_one(previous, judgement)
        if change is None:
            unchanged.append(judgement.id)
        else:
            changes.append(change)
    for judgement in old:
        if judgement.id not in after_ids:
            changes.append(JudgementChange(judgement.id, "withdrawn", plain(judgement.statement),
                                           [f"withdrawn (was {judgement.grade})"], old=judgement,
                                           evidence_removed=list(judgement.evidence)))
    return Comparison(changes, unchanged)


# --- across a series: the "What changed" block ----------------------------

@dataclass
class WhatChanged:
    """The view model of the "What changed" block."""

    since_id: str
    since_title: str
    since_issue: int | None
    since_issued: Any  # datetime.date
    changes: list[JudgementChange]
    unchanged: int

    @property
    def since(self) -> str:
        """How the block names the brief it compares with: "Issue 15" or its title."""
        return f"Issue {self.since_issue}" if self.since_issue else self.since_title

    @property
    def unchanged_text(self) -> str:
        plural = "s" if self.unchanged != 1 else ""
        if not self.shown:
            return f"No change to the {self.unchanged} key judgement{plural}."
        return f"{self.unchanged} other key judgement{plural} unchanged."

    @property
    def shown(self) -> list[JudgementChange]:
        """What a reader is told: evidence-only changes stay in `secbrief diff`."""
        return [c for c in self.changes if c.kind != "evidence"]


def previous_entry(corpus, brief_id: str):
    """The brief this one is compared with: the one its `previous` names
    (none for `previous: none`, a first issue), else the one it
    `supersedes`, else the latest earlier issue of its series: issued before
    it (the highest issue number that day). Issue numbers may restart, so
    the date decides, not the number alone."""
    brief = corpus.briefs[brief_id].model
    if brief.previous == "none":
        return None
    if brief.previous:
        return corpus.briefs.get(brief.previous)
    if brief.supersedes:
        return corpus.briefs.get(brief.supersedes)
    if not (brief.series and brief.issue):
        return None
    earlier = [entry for entry in corpus.series_briefs(brief.series)
               if entry.id != brief_id and (entry.model.issued, entry.model.issue) < (brief.issued, brief.issue)]
    return max(earlier, key=lambda e: (e.model.issued, e.model.issue, e.id), default=None)


def what_changed(corpus, brief_id: str) -> WhatChanged | None:
    previous = previous_entry(corpus, brief_id)
    if previous is None:
        return None
    old = from_brief(previous.model, corpus.config.yardstick)
    new = from_brief(corpus.briefs[brief_id].model, corpus.config.yardstick)
    if not old and not new:
        return None
    comparison = compare(old, new)
    # A judgement whose only change is its evidence reads as unchanged here.
    unchanged = len(comparison.unchanged) + sum(c.kind == "evidence" for c in comparison.changes)
    return WhatChanged(previous.id, previous.model.title, previous.model.issue, previous.model.issued,
                       comparison.changes, unchanged)
