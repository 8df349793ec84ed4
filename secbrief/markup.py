"""Analyst Markdown: citations, safety checks, and rendering to safe HTML.

Analyst text is untrusted (it quotes open sources). Raw HTML in it is shown
as text, never as markup; the rendered HTML is then sanitized by nh3 with an
allow-list, so a ``<script>``, an ``onerror=`` or a ``javascript:`` link can
never reach a brief even if Markdown itself had a bug.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

CITATION_RE = re.compile(r"\[(@[a-z0-9][a-z0-9-]*(?:\s*;\s*@[a-z0-9][a-z0-9-]*)*)\]")
# Something that looks like a citation but is not a valid one, e.g. [@Reuters 2019].
LOOSE_CITATION_RE = re.compile(r"\[@[^\]]*\]")
_TARGET = r"\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)"  # a link target; may hold one level of (...)
IMAGE_RE = re.compile(r"!\[[^\]]*\]" + _TARGET)
LINK_RE = re.compile(r"(?<!!)\[[^\]]*\]" + _TARGET)
AUTOLINK_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")
SAFE_SCHEMES = ("http://", "https://", "mailto:")
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


def malformed_citations(text: str) -> Iterator[tuple[str, int]]:
    if "[@" not in text:
        return
    valid = {m.start() for m in CITATION_RE.finditer(text)}
    for match in LOOSE_CITATION_RE.finditer(text):
        if match.start() not in valid:
            yield match.group(0), match.start()


def unsafe_targets(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, target, offset) for every image and every link whose scheme is
    not http(s) or mailto. Both are refused at check time with a clear line."""
    # Every image or link has "](" and every autolink "<": text without
    # them (most of it) needs no regex.
    has_link, has_autolink = "](" in text, "<" in text
    if has_link:
        for match in IMAGE_RE.finditer(text):
            yield "image", match.group(1), match.start()
    for regex in ([LINK_RE] if has_link else []) + ([AUTOLINK_RE] if has_autolink else []):
        for match in regex.finditer(text):
            target = match.group(1)
            if target.startswith("#"):
                continue
            if not target.lower().startswith(SAFE_SCHEMES):
                yield "link", target, match.start()


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
            strip_comments=True)

    def to_html(self, text: str, cite: Cite, inline: bool = False) -> str:
        self._md.reset()
        html = self._md.convert(_with_placeholders(text or ""))
        if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        html = self.sanitize(html)
        return _PLACEHOLDER_RE.sub(lambda m: _cite_html(cite(m.group(1).split(","))), html)

    def to_markdown(self, text: str, cite: Cite) -> str:
        text = _CONTROL_RE.sub("", text or "").strip()
        # Keep analyst text readable, but let no HTML tag through to a
        # Markdown viewer that would interpret it.
        text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
        return CITATION_RE.sub(
            lambda m: _cite_text(cite([p.strip()[1:] for p in m.group(1).split(";")])), text)


def _cite_text(numbers: list[int]) -> str:
    return "[" + ", ".join(str(n) for n in numbers) + "]"


def _cite_html(numbers: list[int]) -> str:
    links = ", ".join(f'<a href="#note-{n}">{n}</a>' for n in numbers)
    return f'<sup class="cite">[{links}]</sup>'
