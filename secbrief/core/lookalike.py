"""Letters from another script hiding among Latin ones.

'Kаtaib' with a Cyrillic 'а' looks exactly like 'Kataib' but is another
name: an alias that quietly points at the wrong actor, an id no file has.
Messages name the odd letter so an analyst can see what they cannot see.
"""

from __future__ import annotations

import re
import unicodedata

_WORD_RE = re.compile(r"[^\W\d_]+")
# Scripts whose letters are drawn like Latin ones.
_LOOKALIKE_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "FULLWIDTH LATIN")


def _script(letter: str) -> str:
    name = unicodedata.name(letter, "")
    if name.startswith("LATIN") or ("A" <= letter <= "z"):
        return "LATIN"
    return next((script for script in _LOOKALIKE_SCRIPTS if name.startswith(script)), "OTHER")


def describe_letter(letter: str) -> str:
    return f"'{letter}' is {unicodedata.name(letter, 'an unnamed character')} (U+{ord(letter):04X})"


def mixed_letter(text: str) -> str | None:
    """The first look-alike letter in a word that also has Latin letters."""
    for word in _WORD_RE.findall(text):
        scripts = {_script(c) for c in word}
        if "LATIN" in scripts and scripts & set(_LOOKALIKE_SCRIPTS):
            return next(c for c in word if _script(c) in _LOOKALIKE_SCRIPTS)
    return None


def non_ascii_letter(text: str) -> str | None:
    """The first non-ASCII character of an id-like text."""
    return next((c for c in text if ord(c) > 127), None)
