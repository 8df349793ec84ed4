"""Where a character of a parsed string value sits in its YAML file.

A folded block (``>-``) or a plain multi-line scalar joins its lines with
spaces, so a piece of the value may not appear verbatim on any one line of
the file. The words of the value do appear in order, separated only by
whitespace, so we walk them through the file text to find the exact spot.
"""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"\S+")


def offset_position(text: str, start_line: int, start_col: int, value: str, offset: int) -> tuple[int, int] | None:
    """1-based (line, column) in ``text`` of ``value[offset]``, where the value
    starts at (start_line, start_col); None when the file does not hold the
    value's words in order (escapes in a quoted string, for instance)."""
    lines = text.split("\n")
    if not 1 <= start_line <= len(lines):
        return None
    position = sum(len(line) + 1 for line in lines[:start_line - 1]) + start_col - 1
    first = True
    for word in _WORD_RE.finditer(value):
        found = text.find(word.group(), position)
        # Between two words of the value only whitespace (and, before the
        # first, the scalar's indicator or quote) may stand in the file.
        if found == -1 or (not first and text[position:found].strip()) or (first and found - position > 8):
            return None
        first = False
        if word.start() <= offset < word.end():
            absolute = found + offset - word.start()
            line = text.count("\n", 0, absolute) + 1
            return line, absolute - (text.rfind("\n", 0, absolute) + 1) + 1
        position = found + len(word.group())
    return None
