"""Reading text of a rendered brief, as a reader meets it in each format.

Shared by the conformance and print tests: normalised text (case, spacing,
hyphens and bidi controls ignored), the HTML body without the print-only
running strings, and PDF pages without their running header and footer.
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u00ad]")


# The house typography (secbrief/render/typography.py) prints curly quotes, dashes
# and an ellipsis where the analyst typed ASCII: the same words to a reader.
TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                             "\u2014": "-", "\u2026": "...", "\u00a0": " "})


def normalize(text: str) -> str:
    # Hyphens are dropped: pdftotext joins a word broken after its hyphen
    # ("co-" / "founder") into "cofounder".
    return " ".join(_BIDI_CONTROLS.sub("", text).translate(TYPOGRAPHY).replace("-", "").split()).casefold()


def markdown_reading_text(markdown: str) -> str:
    """The Markdown as a reader sees it rendered: a link is its text, an
    <autolink> its address."""
    markdown = re.sub(r"(?<!\\)\[((?:[^\]\\]|\\.)*)\]\((?:[^()\\\s]|\\.)*\)", r"\1", markdown)
    markdown = re.sub(r"<(https?://[^\s<>]+)>", r"\1", markdown)
    return re.sub(r"\\([\[\]()\\])", r"\1", markdown)


class _ReadingText(HTMLParser):
    """The body text a reader sees, without the print-only running strings."""

    SKIP_CLASSES = {"running-title", "running-foot", "tlp-running-head", "tlp-running-foot"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.running: dict[str, str] = {}
        self._skip_depth = 0
        self._skip_class = None
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self._in_body = True
        if tag in self.VOID:
            return
        if self._skip_depth:
            self._skip_depth += 1
            return
        classes = set((dict(attrs).get("class") or "").split())
        hit = classes & self.SKIP_CLASSES
        if hit:
            self._skip_depth, self._skip_class = 1, hit.pop()

    def handle_endtag(self, tag):
        if self._skip_depth and tag not in self.VOID:
            self._skip_depth -= 1

    def handle_data(self, data):
        if self._skip_depth:
            # Pieces kept apart ("\n"): the footer's lines come out of pdftotext apart too.
            self.running[self._skip_class] = self.running.get(self._skip_class, "") + data + "\n"
        elif self._in_body:
            self.parts.append(data)


def html_reading_text(html: str) -> tuple[str, dict[str, str]]:
    parser = _ReadingText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts), parser.running


def pdf_reading_text(pdf: Path, running: dict[str, str]) -> str:
    """pdftotext's text, each page without its running header and footer."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(page_body(page, running) for page in text.split("\f"))


def page_body(page: str, running: dict[str, str]) -> str:
    """One page's normalised text without its running header and footer
    (the running strings, the TLP labels and the page counter)."""
    flat = normalize(page)
    for key in ("running-title", "running-foot", "tlp-running-head"):
        for piece in running.get(key, "").split("\n"):
            if piece.strip():
                flat = flat.replace(normalize(piece), " ", 1)
    flat = re.sub(r"tlp:[a-z+]+", " ", flat)
    return re.sub(r"\bpage \d+ of \d+\s*$", " ", flat.strip()).strip()


