"""Plain-text fields (titles, names, captions, URLs...) in the Markdown output.

HTML escapes them, but the Markdown output prints them as written, so a
title like "See ![map](http://169.254.169.254/)" would be a live image in
whatever Markdown viewer the brief is pasted into. Every string of a valid
document that is not itself a Markdown field gets the same link and image
check as Markdown does.
"""

from __future__ import annotations

from typing import Iterator

from secbrief.core import textgrammar
from secbrief.core.diagnostics import Report
from secbrief.load.yamlfile import Document


def strings(data, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(location, text) for every string in parsed YAML, in document order."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, loc + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings(value, loc + (index,))


def might_link(text: str) -> bool:
    r"""Whether YAML ``text`` could hold a string with a link, an image or a
    reference definition: each needs "](", "]:" or "<" written as such, or
    an escape in a double-quoted string that makes one (\x3c, \u003c)."""
    return "<" in text or "](" in text or "]:" in text or "\\" in text


def check_plain_text(doc: Document, report: Report, markdown: set[tuple]) -> None:
    """Refuse images and unsafe links in every string outside ``markdown``."""
    linkable = doc.might_link if doc.might_link is not None else might_link(doc.text)
    if not linkable:  # most files: no string to walk
        return
    for loc, text in strings(doc.data):
        if loc in markdown or "[" not in text and "<" not in text:
            continue
        for kind, target, offset in textgrammar.unsafe_targets(text):
            line, col = doc.locate(loc, text, offset)
            report.add(doc.display, line, col, textgrammar.unsafe_message(kind, target), code="SB252")
