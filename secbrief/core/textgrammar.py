"""The grammar of analyst text: ids, how names compare, citations, links and
images, and the limits that keep Python-Markdown fast and safe.

This is data-level knowledge: validation checks text against it, the
history and integrity checks read citations with it, and rendering turns
the same citations into numbered notes. Pure text in, facts out; no
Markdown is rendered here (secbrief.render.markup does that).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Iterator

# An id (of an incident, a brief, a source, a client...): lowercase letters
# and digits in words joined by single hyphens, e.g. 2020-12-20-embassy-rockets.
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_ID_RE = re.compile(ID_PATTERN)


def is_valid_id(value: str) -> bool:
    return bool(_ID_RE.match(value))


@functools.lru_cache(maxsize=1 << 16)  # the same few hundred names recur in every incident
def name_key(name: str) -> str:
    """How two spellings are compared: case, apostrophes, hyphens and
    diacritics do not make a different actor (Kata'ib = Kata’ib = Kataib)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold()
    for ch in "'’‘`ʼ.":
        text = text.replace(ch, "")
    return " ".join(text.replace("-", " ").split())


CITATION_RE = re.compile(r"\[(@[a-z0-9][a-z0-9-]*(?:\s*;\s*@[a-z0-9][a-z0-9-]*)*)\]")
# Something that looks like a citation but is not a valid one, e.g. [@Reuters 2019].
LOOSE_CITATION_RE = re.compile(r"\[@[^\]]*\]")
_TARGET = r"\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)"  # a link target; may hold one level of (...)
IMAGE_RE = re.compile(r"!\[[^\]]*\]" + _TARGET)
LINK_RE = re.compile(r"(?<!!)\[[^\]]*\]" + _TARGET)
AUTOLINK_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^<>\s]*)>")  # no '<' inside: linear on "<a:<a:<a:..."
# Reference-style links: a definition "[label]: target" (found with
# Python-Markdown's own pattern), used as [text][label] or [label];
# "![alt][label]" and "![label]" make an image.
IMAGE_REF_RE = re.compile(r"!\[([^\]]*)\](?:[ ]?\[([^\]]*)\])?")
# Python-Markdown's own pattern for a reference definition
# (markdown.blockprocessors.ReferenceProcessor.RE), so what we check is what
# it will render; tests/test_markdown.py fails if a new Markdown changes it.
REFERENCE_RE = re.compile(r"""^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$""",
                          re.MULTILINE)
SAFE_SCHEMES = ("http://", "https://", "mailto:")
# Python-Markdown's link parser is quadratic in the number of '[': 5,000 of
# them take 17 s, 20,000 three minutes. Citations do not count (they are
# replaced before Markdown runs); no real text comes near this.
MAX_LINK_BRACKETS = 500
# "1. 1. 1. ..." or "+ + + ..." opens one nested list per marker, and
# Python-Markdown recurses once per level: a few thousand on one line raise
# RecursionError. Real text nests lists and quotes a few levels deep.
MAX_NESTING = 20
_LINE_MARKERS_RE = re.compile(r"^[ \t]*((?:(?:[-*+>]|\d{1,9}[.)])[ \t]+)+)", re.M)
_MARKER_RE = re.compile(r"(?:[-*+>]|\d{1,9}[.)])[ \t]+")


def citation_ids(text: str) -> Iterator[tuple[str, int]]:
    """Each cited id with its offset in ``text``, in order of appearance."""
    if "[@" not in text:  # most text cites nothing: skip the regex
        return
    for match in CITATION_RE.finditer(text):
        for part in match.group(1).split(";"):
            yield part.strip()[1:], match.start()


def malformed_citations(text: str) -> list[tuple[str, int]]:
    return cited_and_malformed(text)[1]


def cited_and_malformed(text: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(cited ids, malformed citations), each with its offset, from one
    pass of the citation pattern: validation needs both for every text."""
    opened = text.count("[@")
    if not opened:
        return [], []
    valid = list(CITATION_RE.finditer(text))
    cited = [(part.strip()[1:], match.start()) for match in valid for part in match.group(1).split(";")]
    if len(valid) == opened:  # every "[@" starts a valid citation: nothing loose to find
        return cited, []
    starts = {match.start() for match in valid}
    return cited, [(match.group(0), match.start()) for match in LOOSE_CITATION_RE.finditer(text)
                   if match.start() not in starts]


def nesting_depth(text: str, at_least: int = 0) -> tuple[int, int]:
    """(levels, offset): the most list or quote markers opening one line.
    With ``at_least``, text that cannot hold that many markers in all is
    not scanned, and (0, 0) is returned."""
    if at_least and _marker_signs(text) < at_least:
        return 0, 0
    deepest, where = 0, 0
    for match in _LINE_MARKERS_RE.finditer(text):
        levels = len(_MARKER_RE.findall(match.group(1)))
        if levels > deepest:
            deepest, where = levels, match.start(1)
    return deepest, where


def _marker_signs(text: str) -> int:
    """An upper bound on the list and quote markers in ``text``: each is
    one of - * + > or a number followed by '.' or ')'. Six counts cost
    less than one regex search of the text."""
    return (text.count("-") + text.count("*") + text.count("+") + text.count(">")
            + text.count(".") + text.count(")"))


def link_brackets(text: str) -> int:
    """How many '[' Markdown would have to consider as link starts."""
    return CITATION_RE.sub("", text).count("[")


def unsafe_targets(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, target, offset) for every image and every link whose scheme is
    not http(s) or mailto. Both are refused at check time with a clear line."""
    # Every pattern below needs "](" (inline image or link), "]:" (a
    # reference definition, which a reference image or link needs too) or
    # "<" (an autolink): text without them, most of it, needs no regex.
    if "](" not in text and "]:" not in text and "<" not in text:
        return
    found: list[tuple[str, str, int]] = []
    for match in IMAGE_RE.finditer(text):
        found.append(("image", match.group(1), match.start()))
    references = {}
    for match in REFERENCE_RE.finditer(text):
        if not CITATION_RE.fullmatch(f"[{match.group(1)}]"):
            target = match.group(2).lstrip("<").rstrip(">")
            references.setdefault(match.group(1).strip().lower(), (target, match.start(2)))
    images = set()
    for match in IMAGE_REF_RE.finditer(text):
        label = (match.group(2) or match.group(1)).strip().lower()
        if label in references and not IMAGE_RE.match(text, match.start()):
            found.append(("image", references[label][0], match.start()))
            images.add(label)
    links = [(m.group(1), m.start(), m.end()) for m in LINK_RE.finditer(text)]
    # A definition an image uses was reported with the image: one line.
    links += [(target, offset, offset) for label, (target, offset) in references.items() if label not in images]
    # An autolink inside an inline link's target, [a](<javascript:x>), is
    # the same link: one line, not two.
    spans = [(start, end) for _, start, end in links]
    links += [(m.group(1), m.start(), m.end()) for m in AUTOLINK_RE.finditer(text)
              if not any(start <= m.start() < end for start, end in spans)]
    for target, offset, _ in links:
        if not safe_href(target):
            found.append(("link", target, offset))
    yield from sorted(found, key=lambda item: item[2])


def unsafe_message(kind: str, target: str) -> str:
    if kind == "image":
        return f"image '{target}' in text: images in Markdown are not allowed; use the brief's 'image' field"
    return f"link to '{target}' is not allowed: only http(s) and mailto links"


def safe_href(target: str) -> bool:
    return target.startswith("#") or target.lower().startswith(SAFE_SCHEMES)
