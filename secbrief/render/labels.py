"""Readable labels for ids: ``israel-at-war`` is printed "Israel at War".

Tags are ids (lowercase, hyphenated) so they stay stable and easy to grep;
readers see them title-cased, with short words kept lower case and known
abbreviations in capitals, as publishers print their topic lists.
"""

from __future__ import annotations

SMALL_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "vs"})
ABBREVIATIONS = frozenset({"us", "uk", "un", "eu", "isis", "irgc", "nato", "acled", "krg", "pmf", "pmu", "ied"})
# Joined to the word before with a hyphen, as written: "Iran-backed Terrorism".
COMPOUND_ENDINGS = frozenset({"backed", "aligned", "based", "linked", "led", "made"})


def tag_label(tag: str) -> str:
    words = tag.split("-")
    out = []
    for index, word in enumerate(words):
        if index and word in COMPOUND_ENDINGS:
            out[-1] += "-" + word
        elif word in ABBREVIATIONS:
            out.append(word.upper())
        elif index and word in SMALL_WORDS:
            out.append(word)
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out)
