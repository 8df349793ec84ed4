"""Which language a native name is written in, from its letters.

Actors and places carry ``native_name`` in their own script without saying
which language it is. Printing needs to know: the name is marked ``lang``
(screen readers, hyphenation, the font's local forms) and Sorani Kurdish gets
its own typeface. In Noto Naskh Arabic the Kurdish letter ae (U+06D5) and
the Arabic heh share their final-form glyph, so a PDF holding both maps
that glyph to one character only and copies of the other read wrong; Noto
Sans Arabic draws them apart.
"""

from __future__ import annotations

# Letters used by Sorani Kurdish and not by Arabic or Persian.
KURDISH = frozenset("\u06d5\u06ce\u0695\u06b5\u06c6\u06a4")
# Letters used by Persian and not by Arabic.
PERSIAN = frozenset("\u067e\u0686\u0698\u06af\u06a9\u06cc")


def native_lang(text: str) -> str:
    """A BCP 47 tag for a name in Arabic or Hebrew script: ckb, fa, ar or he."""
    letters = set(text)
    if any("\u0590" <= ch <= "\u05ff" for ch in letters):
        return "he"
    if letters & KURDISH:
        return "ckb"
    if letters & PERSIAN:
        return "fa"
    return "ar"
