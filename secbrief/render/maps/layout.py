"""Placing a map's markers and labels so that no two overlap.

Greedy and deterministic: each item, in a fixed order (incident markers,
their place labels, country names, key cities), takes the first of its
candidate positions that is inside the frame and clear of everything placed
before it; candidates further out are joined to their point by a leader
line. An item with no free position is left out (the figure's text
alternative still lists every place). Text widths are estimated from
generous per-character widths of Noto Sans / DejaVu Sans, so a box is never
smaller than the text drawn in it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Widths in ems, rounded up from Noto Sans and DejaVu Sans (the wider of the two).
_NARROW = set("iljtfI.,;:'!|() ")
_WIDE = set("mwMW@")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A width the text does not exceed at ``size`` px."""
    em = 0.0
    for ch in text:
        if ch in _NARROW:
            em += 0.32
        elif ch in _WIDE:
            em += 0.9
        elif ch.isupper() or ch.isdigit():
            em += 0.68
        else:
            em += 0.57
    return em * size * (1.08 if bold else 1.0)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: "Box") -> bool:
        return (self.x < other.x + other.w and other.x < self.x + self.w
                and self.y < other.y + other.h and other.y < self.y + self.h)

    def inside(self, frame: "Box") -> bool:
        return (self.x >= frame.x and self.y >= frame.y and self.x + self.w <= frame.x + frame.w
                and self.y + self.h <= frame.y + frame.h)

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2

    def nearest(self, x: float, y: float) -> tuple[float, float]:
        """The point of the box's edge nearest to (x, y): where a leader line ends."""
        return min(max(x, self.x), self.x + self.w), min(max(y, self.y), self.y + self.h)


# Eight directions, the conventional cartographic order of preference:
# right, left, above, below, then the diagonals.
DIRECTIONS = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (1, 1), (-1, -1), (-1, 1))


class Layout:
    """The boxes placed so far, inside ``frame``."""

    def __init__(self, frame: Box, reserved: list[Box]):
        self.frame = frame
        self.placed: list[Box] = list(reserved)
        self.labels: list[Box] = []   # every text box placed: the test checks none overlap

    def free(self, box: Box) -> bool:
        return box.inside(self.frame) and not any(box.overlaps(other) for other in self.placed)

    def take(self, box: Box, label: bool = False) -> Box:
        self.placed.append(box)
        if label:
            self.labels.append(box)
        return box

    def around(self, anchor: Box, w: float, h: float, gaps=(3.0, 16.0, 30.0, 46.0),
               label: bool = True) -> tuple[Box, bool] | None:
        """A free w x h box beside ``anchor`` (a marker's box or a point),
        nearest first: (box, needs a leader line) or None."""
        cx, cy = anchor.centre
        for ring, gap in enumerate(gaps):
            for dx, dy in DIRECTIONS:
                x = cx + dx * (anchor.w / 2 + gap) + (0 if dx > 0 else -w if dx < 0 else -w / 2)
                y = cy + dy * (anchor.h / 2 + gap) + (0 if dy > 0 else -h if dy < 0 else -h / 2)
                box = Box(round(x, 1), round(y, 1), w, h)
                if self.free(box):
                    return self.take(box, label), ring > 0
        return None

    def near_point(self, x: float, y: float, w: float, h: float) -> tuple[Box, bool] | None:
        """A marker's box: centred on its point when free, else the first
        free box on rings around it (with a leader line back to the point)."""
        box = Box(round(x - w / 2, 1), round(y - h / 2, 1), w, h)
        if self.free(box):
            return self.take(box), False
        for radius in (14.0, 22.0, 32.0, 44.0, 58.0, 74.0, 92.0, 112.0):
            for step in range(16):
                angle = math.pi * 2 * step / 16
                box = Box(round(x + radius * math.cos(angle) - w / 2, 1),
                          round(y + radius * math.sin(angle) - h / 2, 1), w, h)
                if self.free(box):
                    return self.take(box), True
        # Crowded: the nearest free spot anywhere in the frame, on a 4-unit grid.
        spots = (Box(float(gx), float(gy), w, h)
                 for gy in range(int(self.frame.y), int(self.frame.y + self.frame.h - h) + 1, 4)
                 for gx in range(int(self.frame.x), int(self.frame.x + self.frame.w - w) + 1, 4))
        free = [box for box in spots if self.free(box)]
        if not free:
            return None
        best = min(free, key=lambda b: ((b.centre[0] - x) ** 2 + (b.centre[1] - y) ** 2, b.y, b.x))
        return self.take(best), True
