"""The house style's typography for HTML (and so the PDF made from it).

Analysts type straight quotes, hyphens and three dots; a printed brief
shows curly quotes, en dashes in ranges and an ellipsis. smartypants does
the quotes, "--" dashes and ellipses, and it knows HTML: tags, attribute
values, <code>, <pre> and <style> are left alone. Two rules are ours:
a number range ("9-15 October", "55-75%") takes an en dash, never a date
("2023-10-25") or a name ("F-16"); and a citation mark sits on the word
it supports ("streets[1]", not "streets [1]"), as in print.

The Markdown output keeps plain ASCII: it is read as plain text and in
editors, where straight quotes are what people type and search for.
"""

from __future__ import annotations

import html
import re

import smartypants

# Quotes (q), "--" en / "---" em dashes (D), ellipses (e), and Unicode
# characters out (u) rather than entities, so the HTML stays readable.
_ATTR = smartypants.Attr.q | smartypants.Attr.D | smartypants.Attr.e | smartypants.Attr.u
_TAG_RE = re.compile(r"(<[^>]*>)")
_SKIP_OPEN_RE = re.compile(r"<(style|script|code|pre)\b", re.I)
# Jinja writes quotes in text as entities; smartypants needs the characters.
_QUOTE_ENTITY_RE = re.compile(r"&(?:#34|#x22|quot|#39|#x27|apos);")
_RANGE_RE = re.compile(r"(?<![\w.,-])(\d{1,3}(?:[.,]\d+)?)-(\d{1,3}(?:[.,]\d+)?)(?![\w-])")
_SPACED_HYPHEN_RE = re.compile(r"(?<=\w) - (?=\w)")
_CITE_GAP_RE = re.compile(r"\s+(<sup class=\"cite\">)")


def smarten_html(document: str) -> str:
    """The same HTML with typographic punctuation in its text."""
    out = []
    skipping = None
    for token in _TAG_RE.split(document):
        if token.startswith("<"):
            if skipping is None and (opened := _SKIP_OPEN_RE.match(token)):
                skipping = opened.group(1).lower()
            elif skipping and token.lower().startswith(f"</{skipping}"):
                skipping = None
            out.append(token)
        elif skipping or not token.strip():
            out.append(token)
        else:
            out.append(_text_rules(_QUOTE_ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), token)))
    # One pass of smartypants over the whole document, so a quote that opens
    # before an <em> and closes after it is still a pair.
    smart = smartypants.smartypants("".join(out), _ATTR)
    return _CITE_GAP_RE.sub(r"\1", smart)


def smarten_text(text: str) -> str:
    """Plain text (a running header in CSS, a feed title) with the same rules."""
    return smartypants.smartypants(_text_rules(text), _ATTR)


def _text_rules(text: str) -> str:
    text = _RANGE_RE.sub("\\1\u2013\\2", text)
    return _SPACED_HYPHEN_RE.sub(" \u2013 ", text)  # "a - b": a spaced en dash, the British usage
