"""Is a rendered brief safe? Parsed as a browser or PDF reader would read it,
never judged by substrings.

HTML (and Markdown, whose viewers render inline HTML) is parsed with
html.parser; every element must be inert and every attribute harmless:
no script-capable element, no event handler, no link or image that is not
http(s)/mailto or, for the brief's own image, an embedded data: image.
A PDF is read with pypdf: no embedded files, no JavaScript or launch
actions, links only to http(s)/mailto or inside the document.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements that cannot run code, load anything or submit anything.
INERT = {
    "html", "head", "body", "title", "main", "header", "footer", "section", "article", "aside", "nav", "div",
    "span", "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table",
    "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col", "em", "strong", "b", "i", "u", "s",
    "small", "sub", "sup", "code", "pre", "blockquote", "q", "cite", "abbr", "time", "mark", "bdi", "bdo",
    "figure", "figcaption", "address", "del", "ins", "kbd", "samp", "var", "wbr", "a", "img",
}
# A template's own inline SVG (the weekly brief's chart): drawing only.
SVG_INERT = {"svg", "g", "rect", "line", "polyline", "polygon", "path", "circle", "ellipse", "text", "tspan",
             "title", "desc", "defs", "lineargradient", "stop", "clippath"}
HEAD_ONLY = {"meta", "style"}  # allowed in <head> only; <style> is the template's CSS
ATTRIBUTES = {
    "class", "id", "dir", "lang", "title", "role", "colspan", "rowspan", "scope", "headers", "datetime", "width",
    "height", "alt", "start", "reversed", "style", "href", "src", "rel", "name", "content", "charset",
    "tabindex",  # a template's scrolling graphic box: focusable, so a keyboard can scroll it
}
SAFE_HREF = re.compile(r"^(https?://|mailto:|#)", re.I)
DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]*$")
UNSAFE_CSS = re.compile(r"url\s*\(|expression\s*\(|@import|javascript:|behavior\s*:", re.I)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]], tuple[str, ...]]] = []
        self.text: list[str] = []
        self.style_text: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs, tuple(self._open)))
        if tag not in ("br", "hr", "img", "meta", "wbr", "col", "link", "base", "input", "embed", "source"):
            self._open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs, tuple(self._open)))

    def handle_endtag(self, tag):
        if tag in self._open:
            while self._open and self._open.pop() != tag:
                pass

    def handle_data(self, data):
        (self.style_text if self._open and self._open[-1] == "style" else self.text).append(data)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


# A CommonMark autolink, <scheme:...>: a Markdown viewer renders it as
# <a href="scheme:...">, not as an element named "scheme:".
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\x00-\x20<>]*)>")


def markdown_problems(markdown: str) -> list[str]:
    """html_problems of what a Markdown viewer makes of the text: inline
    HTML as written, and each autolink as the link it becomes (so its
    scheme is checked like any href)."""
    from html import escape

    return html_problems(_AUTOLINK.sub(lambda m: f'<a href="{escape(m.group(1))}">link</a>', markdown))


def html_problems(html: str) -> list[str]:
    """Every element or attribute that is not inert, as readable strings."""
    problems = []
    collector = parse(html)
    styles = 0
    for tag, attrs, ancestors in collector.elements:
        if tag in HEAD_ONLY:
            if "head" not in ancestors or "body" in ancestors:
                problems.append(f"<{tag}> outside <head>")
            if tag == "style":
                styles += 1
            if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
                problems.append("<meta http-equiv>")
        elif tag in SVG_INERT and (tag == "svg" or "svg" in ancestors):
            problems += [f"attribute {name}= on <{tag}>" for name, value in attrs
                         if name.startswith("on") or "href" in name or "url(" in (value or "").lower()]
            continue
        elif tag not in INERT:
            problems.append(f"element <{tag}> {attrs}")
        for name, value in attrs:
            value = value or ""
            if name not in ATTRIBUTES and not name.startswith(("aria-", "data-")):
                problems.append(f"attribute {name}= on <{tag}>")
            elif name == "href" and not (tag == "a" and SAFE_HREF.match(value.strip())):
                problems.append(f"<{tag} href={value!r}>")
            elif name == "src" and not (tag == "img" and DATA_IMAGE.match(value.strip())):
                problems.append(f"<{tag} src={value[:80]!r}>")
            elif name == "style" and UNSAFE_CSS.search(value):
                problems.append(f"<{tag} style={value!r}>")
            elif name == "rel" and "attachment" in value.lower():
                problems.append(f"<{tag} rel={value!r}>")
    if styles > 1:
        problems.append(f"{styles} <style> elements (the template has one)")
    return problems


def visible_text(html: str) -> str:
    """The text a reader sees (entities decoded), without the CSS."""
    return "".join(parse(html).text)


def style_text(html: str) -> str:
    return "".join(parse(html).style_text)


def pdf_problems(data: bytes) -> list[str]:
    from io import BytesIO

    from pypdf import PdfReader

    problems = []
    reader = PdfReader(BytesIO(data))
    if reader.attachments:
        problems.append(f"embedded files: {sorted(reader.attachments)}")
    root = reader.trailer["/Root"]
    for key in ("/OpenAction", "/AA"):
        if key in root:
            problems.append(f"document action {key}")
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        problems.append("document JavaScript")
    for number, page in enumerate(reader.pages, 1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            if action is None:
                continue
            action = action.get_object()
            kind = action.get("/S")
            if kind == "/URI":
                uri = str(action.get("/URI"))
                if not SAFE_HREF.match(uri):
                    problems.append(f"page {number}: link to {uri!r}")
            elif kind not in ("/GoTo",):
                problems.append(f"page {number}: action {kind}")
    return problems


def pdf_text(data: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages)
