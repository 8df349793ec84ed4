"""FIRST Traffic Light Protocol 2.0: labels and their official colours.

TLP 2.0 prints the label in capitals with a colon ("TLP:AMBER+STRICT"), in
the colour of its level on a black background.
"""

from __future__ import annotations

from collections import namedtuple

# Not a dataclass: the CLI imports this module for its --ceiling choices,
# and importing dataclasses costs a no-op build 12-15 ms (core.diagnostics).


class Tlp(namedtuple("Tlp", "level colour meaning sharing", defaults=("",))):
    """A level (CLEAR ... RED), its colour (RGB from the FIRST TLP 2.0
    standard), its meaning, and who may see the brief in our words: the
    footer of a brief that has no client distribution of its own (see
    secbrief.resolve.furniture)."""

    __slots__ = ()
    background = "#000000"

    @property
    def label(self) -> str:
        return f"TLP:{self.level}"

    @property
    def css_class(self) -> str:
        return "tlp-" + self.level.lower().replace("+", "-")

    def exceeds(self, ceiling: str) -> bool:
        return TLP_LEVELS.index(self.level) > TLP_LEVELS.index(ceiling)


LEVELS = {
    "CLEAR": Tlp("CLEAR", "#FFFFFF", "Disclosure is not limited.",
                 "May be shared freely, in public too (copyright still applies)."),
    "GREEN": Tlp("GREEN", "#33FF00", "Limited disclosure, recipients can spread this within their community.",
                 "Share with peers and partners in your community; do not publish."),
    "AMBER": Tlp("AMBER", "#FFC000", "Limited disclosure, recipients can only spread this on a need-to-know "
                                    "basis within their organisation and its clients.",
                 "Share only within your organisation and with its clients, as they need to know."),
    "AMBER+STRICT": Tlp("AMBER+STRICT", "#FFC000", "Limited disclosure, restricted to the recipient's "
                                                  "organisation only.",
                        "Share only within your own organisation, as people need to know."),
    "RED": Tlp("RED", "#FF2B2B", "For the eyes and ears of individual recipients only, no further disclosure.",
               "For the named recipients only; share it with no one else."),
}


# The levels, from the least restrictive to the most.
TLP_LEVELS = tuple(LEVELS)


def tlp(level: str) -> Tlp:
    return LEVELS[level]
