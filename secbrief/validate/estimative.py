"""Estimative language in a sentence: probability words, hedges, confidence.

Pure text analysis, no files: ``lint.py`` turns what this finds into
diagnostics. Clients read probability words as numbers, so every phrase we
recognise carries the range it is read as.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from secbrief.core.yardstick import ICD203, PHIA, YARDSTICKS, Yardstick

# Wording a yardstick accepts besides its own terms: adverbs, and the
# synonyms ICD 203 lists beside each term ("likely/probable"). phrase -> term.
_EXTRA_WORDING = {
    PHIA.key: {"almost certainly": "almost certain", "probably": "probable"},
    ICD203.key: {"almost certainly": "almost certain", "nearly certain": "almost certain",
                 "highly probable": "very likely", "probable": "likely", "probably": "likely",
                 "roughly even odds": "roughly even chance", "improbable": "unlikely",
                 "highly improbable": "very unlikely"},
}
# Words of certainty or of even odds outside both yardsticks, read as ranges.
_GENERAL = {"certainly": (95, 100), "definitely": (95, 100), "undoubtedly": (95, 100),
            "inevitably": (95, 100), "without doubt": (95, 100), "even chance": (45, 55),
            "fifty-fifty": (45, 55)}

HEDGES = ("could", "may", "might", "possibly", "perhaps")
_HEDGE_RE = re.compile(r"\b(" + "|".join(HEDGES) + r")\b", re.IGNORECASE)
_CONFIDENCE_RE = re.compile(
    r"\b(?:(?:high|moderate|medium|low)[\s-]+confidence"
    r"|confidence\s+(?:is\s+|remains\s+)?(?:high|moderate|medium|low)"
    r"|(?:highly|fairly|very)\s+confident|we\s+are\s+confident)\b", re.IGNORECASE)
# A sentence ends at . ! or ? followed by space and a capital, or at a blank line.
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s+[\"'(\[*_]*[A-Z])|\n\s*\n")
_MASK_RE = re.compile(r"\[@[^\]]*\]|\]\([^)]*\)")
_NEGATION_RE = re.compile(r"(?:\b(?:not|never|no)|n't)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class Phrase:
    text: str                       # as written in the statement
    offset: int
    low: int
    high: int
    yardstick: Yardstick | None     # whose wording it is; None for general words
    negated: bool = False           # "not likely": its range cannot be read off

    @property
    def label(self) -> str:
        return f"'{self.text}' ({span(self.low, self.high)})"


def span(low: int, high: int) -> str:
    if low == 0:
        return f"≤{high}%"
    if high == 100:
        return f"≥{low}%"
    return f"{low}-{high}%"


def wording(yardstick: Yardstick) -> dict[str, str]:
    """Every phrase the yardstick accepts -> the term it stands for."""
    return {**{term: term for term in yardstick.terms}, **_EXTRA_WORDING.get(yardstick.key, {})}


def _phrase_table(active: Yardstick) -> dict[str, tuple[tuple[int, int], Yardstick | None]]:
    table: dict[str, tuple[tuple[int, int], Yardstick | None]] = {
        phrase: (rng, None) for phrase, rng in _GENERAL.items()}
    for other in YARDSTICKS.values():
        if other.key != active.key:
            table.update({p: (other.ranges[t], other) for p, t in wording(other).items()})
    table.update({p: (active.ranges[t], active) for p, t in wording(active).items()})
    return table


def _phrase_regex(phrases) -> re.Pattern:
    # Longest first, so "highly likely" wins over "likely".
    parts = sorted(phrases, key=len, reverse=True)
    alternatives = "|".join(r"[\s-]+".join(map(re.escape, p.replace("-", " ").split())) for p in parts)
    return re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])", re.IGNORECASE)


_REGEX_CACHE: dict[str, tuple[dict, re.Pattern]] = {}


def mask(text: str) -> str:
    """Blank out citation ids and link targets (keeping offsets), so an id
    such as [@likely-outcomes] is not read as a probability word."""
    return _MASK_RE.sub(lambda m: " " * len(m.group(0)), text)


def phrases(text: str, active: Yardstick) -> list[Phrase]:
    """Every probability phrase in ``text``, judged against ``active``."""
    if active.key not in _REGEX_CACHE:
        table = _phrase_table(active)
        _REGEX_CACHE[active.key] = (table, _phrase_regex(table))
    table, regex = _REGEX_CACHE[active.key]
    found = []
    masked = mask(text)
    for match in regex.finditer(masked):
        key = " ".join(match.group(0).lower().replace("-", " ").split())
        key = key if key in table else key.replace(" ", "-")  # fifty-fifty
        (low, high), owner = table[key]
        negated = _NEGATION_RE.search(masked, 0, match.start()) is not None
        found.append(Phrase(text[match.start():match.end()], match.start(), low, high, owner, negated))
    return found


def best_term(yardstick: Yardstick, low: int, high: int) -> str:
    """The yardstick's term read most like the range low-high."""
    def score(term):
        t_low, t_high = yardstick.ranges[term]
        overlap = min(high, t_high) - max(low, t_low)
        return (overlap, -abs((t_low + t_high) - (low + high)))
    return max(yardstick.terms, key=score)


def hedges(text: str) -> list[tuple[str, int]]:
    """Unscaled hedges (could, may, might, possibly, perhaps) with offsets.
    A capitalised 'May' inside a sentence, or before a number, is the month."""
    masked = mask(text)
    found = []
    for match in _HEDGE_RE.finditer(masked):
        word = match.group(0)
        if word == "May":
            before = masked[:match.start()]
            starts_sentence = not before.strip() or re.search(r"([.!?]|\n\s*\n)\s*$", before)
            if not starts_sentence or re.match(r"\s+\d", masked[match.end():]):
                continue
        found.append((word, match.start()))
    return found


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence."""
    spans, start = [], 0
    for match in _SENTENCE_END_RE.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def confidence_statements(text: str) -> list[tuple[str, int]]:
    """Confidence wording ("high confidence", "we are confident") with offsets."""
    return [(m.group(0), m.start()) for m in _CONFIDENCE_RE.finditer(mask(text))]
