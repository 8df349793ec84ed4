"""Probability yardsticks: the words analysts use for likelihood, as numbers.

UK PHIA (the default) and US ICD 203. Clients read these words as ranges, so
a brief shows both: "highly likely (80-90%)".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Yardstick:
    key: str
    name: str
    ranges: dict[str, tuple[int, int]]  # term -> (low %, high %)

    @property
    def terms(self) -> list[str]:
        return list(self.ranges)

    def label(self, term: str) -> str:
        low, high = self.ranges[term]
        if low == 0:
            return f"{term} (≤{high}%)"
        if high == 100:
            return f"{term} (≥{low}%)"
        return f"{term} ({low}-{high}%)"

    def rank(self, term: str) -> int:
        return self.terms.index(term)


PHIA = Yardstick("phia", "PHIA", {
    "remote chance": (0, 5),
    "highly unlikely": (10, 20),
    "unlikely": (25, 35),
    "realistic possibility": (40, 50),
    "likely": (55, 75),
    "probable": (55, 75),
    "highly likely": (80, 90),
    "almost certain": (95, 100),
})

ICD203 = Yardstick("icd203", "ICD 203", {
    "almost no chance": (1, 5),
    "very unlikely": (5, 20),
    "unlikely": (20, 45),
    "roughly even chance": (45, 55),
    "likely": (55, 80),
    "very likely": (80, 95),
    "almost certain": (95, 99),
})

YARDSTICKS = {y.key: y for y in (PHIA, ICD203)}


def yardstick_for(key: str | None) -> Yardstick:
    return YARDSTICKS.get(key or "phia", PHIA)


def active(brief_choice: str | None, project_choice: str | None = None) -> Yardstick:
    """The yardstick a brief is judged by: its own ``yardstick`` field, else
    the project's (secbrief.yaml), else PHIA."""
    return yardstick_for(brief_choice or project_choice)


def others(yardstick: Yardstick) -> list[Yardstick]:
    return [y for y in YARDSTICKS.values() if y.key != yardstick.key]
