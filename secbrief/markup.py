"""Analyst Markdown: citations, safety checks, and rendering to safe HTML.

Analyst text is untrusted (it quotes open sources). Raw HTML in it is shown
as text, never as markup; the rendered HTML is then sanitized by nh3 with an
allow-list, so a ``<script>``, an ``onerror=`` or a ``javascript:`` link can
never reach a brief even if Markdown itself had a bug.
"""

from __future__ import annotations

import re
from html import escape
from typing import Callable, Iterator

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
# Placeholders for citations survive Markdown and nh3 untouched (two
# private-use characters); analyst text can never contain them because
# those characters, like control characters, are stripped first.
_CITE_OPEN, _CITE_CLOSE = "\ue000", "\ue001"
_PLACEHOLDER_RE = re.compile(_CITE_OPEN + "([a-z0-9,-]*)" + _CITE_CLOSE)
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "sup", "sub", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody",
    "tr", "th", "td", "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "class"}, "span": {"class", "dir", "lang"},
                      "sup": {"class"}}


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
    from markdown.blockprocessors import ReferenceProcessor

    references = {}
    for match in ReferenceProcessor.RE.finditer(text):
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
        if not _safe_href(target):
            found.append(("link", target, offset))
    yield from sorted(found, key=lambda item: item[2])


def unsafe_message(kind: str, target: str) -> str:
    if kind == "image":
        return f"image '{target}' in text: images in Markdown are not allowed; use the brief's 'image' field"
    return f"link to '{target}' is not allowed: only http(s) and mailto links"


def _safe_href(target: str) -> bool:
    return target.startswith("#") or target.lower().startswith(SAFE_SCHEMES)


def _with_placeholders(text: str) -> str:
    text = _CONTROL_RE.sub("", text)
    return CITATION_RE.sub(
        lambda m: _CITE_OPEN + ",".join(p.strip()[1:] for p in m.group(1).split(";")) + _CITE_CLOSE,
        text)


Cite = Callable[[list[str]], list[int]]


class MarkdownRenderer:
    """Renders analyst Markdown to safe HTML or to plain Markdown, numbering
    citations through ``cite`` (ids -> note numbers). One per build: the
    Markdown converter is configured once and reset between texts."""

    def __init__(self):
        import markdown  # imported here: a no-op build never needs it
        import nh3

        self._nh3 = nh3
        self._md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
        # Raw HTML in analyst text is displayed as text, not interpreted.
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")

    def sanitize(self, html: str) -> str:
        return self._nh3.clean(
            html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer",
            strip_comments=True, attribute_filter=_drop_relative_href)

    def to_html(self, text: str, cite: Cite, inline: bool = False) -> str:
        self._md.reset()
        text = _with_placeholders(text or "")
        # Validation refuses text beyond these limits; should some reach
        # here, it is shown as plain text rather than hang or crash a build.
        plain = "<p>" + escape(text) + "</p>"
        if link_brackets(text) > MAX_LINK_BRACKETS or nesting_depth(text)[0] > MAX_NESTING:
            html = plain
        else:
            try:
                html = self._md.convert(text)
            except RecursionError:
                html = plain
        if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        html = self.sanitize(html)
        return _PLACEHOLDER_RE.sub(lambda m: _cite_html(cite(m.group(1).split(","))), html)

    def to_markdown(self, text: str, cite: Cite) -> str:
        from secbrief import mdtext

        text = _CONTROL_RE.sub("", text or "").strip()
        # Keep analyst text readable, but let no HTML tag through to a
        # Markdown viewer that would interpret it; then one paragraph, one
        # line, and no bare URL (mdtext says why).
        text = mdtext.autolink(mdtext.unwrap(mdtext.defuse(text)))
        return CITATION_RE.sub(
            lambda m: _cite_text(cite([p.strip()[1:] for p in m.group(1).split(";")])), text)


def _drop_relative_href(tag: str, attribute: str, value: str) -> str | None:
    # nh3 checks the scheme of absolute URLs only; a relative one such as
    # ../../etc/passwd or /admin would pass. Only #fragments may stay.
    if attribute == "href" and not _safe_href(value):
        return None
    return value


# One citation mark lists its notes in ascending order, [2, 5] and never
# [5, 2], whatever order the analyst wrote the sources in.
def _cite_text(numbers: list[int]) -> str:
    return "[" + ", ".join(str(n) for n in sorted(numbers)) + "]"


def _cite_html(numbers: list[int]) -> str:
    links = ", ".join(f'<a href="#note-{n}">{n}</a>' for n in sorted(numbers))
    return f'<sup class="cite">[{links}]</sup>'
