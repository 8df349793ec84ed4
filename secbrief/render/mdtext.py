"""Analyst Markdown as the Markdown brief prints it: one paragraph, one line,
and no bare URL.

Analysts hard-wrap their YAML block scalars at ~72 columns. Kept as is, the
breaks come out mid-sentence wherever the text is reflowed: an email client
quoting it, a Git forge at another width, a phone. Markdown joins the lines
of a paragraph anyway, so joining them here changes nothing a renderer
shows, only how the plain text reads. Lines whose break means something
stay apart: list items, quotes, headings, table rows, fenced or indented
code, and hard line breaks (two trailing spaces or a backslash).

A URL written bare becomes an autolink, <https://...>: the form RFC 3986
(appendix C) recommends for a URL in plain text, and the one every Markdown
renderer makes a link of (markdownlint's MD034).
"""

from __future__ import annotations

import re

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A line that starts a block of its own, so it never joins the line above:
# a list item, a heading, a table row, a thematic break or setext underline.
_BLOCK_START_RE = re.compile(r"^\s*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|#{1,6}(?:[ \t]|$)|\||(?:[-=*_][ \t]*){3,}$)")
_QUOTE_PREFIX_RE = re.compile(r"^(?:[ \t]*>[ \t]?)+")
_LIST_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])[ \t]")
_ORDERED_RE = re.compile(r"^\s*(\d{1,9})[.)][ \t]")
# http(s) URLs not already a link's target (after "(" or "]: ") or an
# autolink (after "<"), nor inside a word or a link's text (after "[").
# Trailing punctuation ends the sentence, not the URL.
_BARE_URL_RE = re.compile(r"(?<![<\[\w/:=\"'])https?://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"*_~]")
_CODE_SPAN_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_LINK_TARGET_RE = re.compile(r"\]\([^)\s]*|\]:[ \t]*\S+")
# '<' opening what a Markdown viewer would take for an HTML tag, comment or
# declaration; an http(s) autolink is no tag and stays.
_TAG_START_RE = re.compile(r"<(?!https?://[^\s<>]*>)(?=[A-Za-z/!?])")


def defuse(text: str) -> str:
    """Show a raw HTML tag as text (&lt;b>), keeping <https://...> autolinks."""
    return _TAG_START_RE.sub("&lt;", text) if "<" in text else text


def unwrap(text: str) -> str:
    """Join the hard-wrapped lines of each paragraph (and list item, and
    quoted paragraph) into one line."""
    out: list[str] = []
    fence = ""           # the open code fence, if any
    code = False         # inside an indented code block
    after_list = False   # the block above the current blank line was a list
    joinable = False     # out[-1] is text a following line may continue
    for line in text.split("\n"):
        if fence:
            out.append(line)
            if line.strip().startswith(fence):
                fence = ""
            continue
        opening = _FENCE_RE.match(line)
        if opening:
            fence = opening.group(1)[0] * 3
            out.append(line)
            joinable = False
            continue
        if not line.strip():
            out.append(line)
            code = joinable = False
            continue
        if (code and line.startswith(("    ", "\t"))) or (
                not joinable and line.startswith("    ") and not after_list and not (out and out[-1].strip())):
            # indented code: only after a blank line (it cannot interrupt a
            # paragraph) and not inside a list, where indentation means a
            # list item's own paragraph.
            code = True
            out.append(line)
            continue
        code = False
        prev = out[-1] if out else ""
        if joinable and _joins(prev, line):
            quote = _QUOTE_PREFIX_RE.match(line)
            rest = line[quote.end():] if quote else line
            out[-1] = prev.rstrip() + " " + rest.strip()
        else:
            out.append(line)
        joinable = True
        if _LIST_ITEM_RE.match(line):
            after_list = True
        elif not prev.strip() and not line.startswith((" ", "\t")):
            after_list = False
    return "\n".join(out)


def _joins(prev: str, line: str) -> bool:
    """Whether ``line`` continues the paragraph ``prev`` ends."""
    if not prev.strip() or prev.endswith(("  ", "\\")) or prev.lstrip().startswith(("|", "#")):
        return False
    prev_quote = _QUOTE_PREFIX_RE.match(prev)
    quote = _QUOTE_PREFIX_RE.match(line)
    prev_depth = prev_quote.group(0).count(">") if prev_quote else 0
    depth = quote.group(0).count(">") if quote else 0
    if depth and depth != prev_depth:
        return False
    rest = line[quote.end():] if quote else line
    prev_rest = prev[prev_quote.end():] if prev_quote else prev
    if not rest.strip() or not prev_rest.strip() or prev_rest.lstrip().startswith(("|", "#")):
        return False
    if _ORDERED_RE.match(rest) and not _ORDERED_RE.match(rest).group(1) == "1" \
            and not _LIST_ITEM_RE.match(prev_rest):
        # "... in\n2023. The" is a wrapped sentence, not a list: only "1."
        # may start a list inside a paragraph (CommonMark), and a later
        # number continues one only right after an item.
        return True
    return not _BLOCK_START_RE.match(rest)


def autolink(text: str) -> str:
    """Bare http(s) URLs as <autolinks>; code spans, link targets and
    existing autolinks are left as they are."""
    if "http" not in text:
        return text
    keep = [m.span() for m in _CODE_SPAN_RE.finditer(text)]
    keep += [m.span() for m in _LINK_TARGET_RE.finditer(text)]
    fence_lines = _fenced_spans(text)

    def wrap(match: re.Match) -> str:
        start = match.start()
        if any(a <= start < b for a, b in keep) or any(a <= start < b for a, b in fence_lines):
            return match.group(0)
        return f"<{match.group(0)}>"

    return _BARE_URL_RE.sub(wrap, text)


def _fenced_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks: URLs there are code, not links."""
    spans, start, fence, offset = [], 0, "", 0
    for line in text.split("\n"):
        opening = _FENCE_RE.match(line)
        if fence and line.strip().startswith(fence):
            spans.append((start, offset + len(line)))
            fence = ""
        elif not fence and opening:
            fence, start = opening.group(1)[0] * 3, offset
        offset += len(line) + 1
    if fence:
        spans.append((start, offset))
    return spans


def link(title: str, url: str | None) -> str:
    """[title](url), or the title alone without a URL. Brackets in the
    title and parentheses in the URL are escaped so neither ends the link
    early (CommonMark backslash escapes, the URL itself is unchanged)."""
    text = re.sub(r"([\\\[\]])", r"\\\1", title)
    if not url:
        return text
    target = re.sub(r"([()\\])", r"\\\1", url).replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
    return f"[{text}]({target})"


def bare(url: str) -> str:
    """A URL standing alone, as an <autolink> (which allows no '<', '>' or
    space inside: percent-encoded, as they would be in any request)."""
    return "<" + url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">"
