"""Analyst Markdown rendered to safe HTML (and to the Markdown brief), with
citations as numbered notes. The grammar it follows (citations, links, the
limits) is secbrief.core.textgrammar.

Analyst text is untrusted (it quotes open sources). Raw HTML in it is shown
as text, never as markup; the rendered HTML is then sanitized by nh3 with an
allow-list, so a ``<script>``, an ``onerror=`` or a ``javascript:`` link can
never reach a brief even if Markdown itself had a bug.
"""

from __future__ import annotations

import re
from html import escape
from typing import Callable

from secbrief.core.textgrammar import (CITATION_RE, MAX_LINK_BRACKETS, MAX_NESTING, link_brackets,
                                       nesting_depth, safe_href)
from secbrief.render import mdtext

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
    if attribute == "href" and not safe_href(value):
        return None
    return value


# One citation mark lists its notes in ascending order, [2, 5] and never
# [5, 2], whatever order the analyst wrote the sources in.
def _cite_text(numbers: list[int]) -> str:
    return "[" + ", ".join(str(n) for n in sorted(numbers)) + "]"


def _cite_html(numbers: list[int]) -> str:
    links = ", ".join(f'<a href="#note-{n}">{n}</a>' for n in sorted(numbers))
    return f'<sup class="cite">[{links}]</sup>'
