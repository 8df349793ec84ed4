"""The archive: ``index.html`` lists every built brief, newest first, with its
client, style and TLP and links to its three files; ``feed.xml`` is the same
list as an Atom feed (RFC 4287).

Both are made from the briefs' data only: ids are derived from brief ids
and ``updated`` from their issue dates, so the same briefs give the same
bytes on any day and machine. The index's links are relative, so the
archive works wherever it is copied (``secbrief publish``). The feed's are
absolute when secbrief.yaml sets ``site_url``: a feed reader keeps entries
apart from the feed they came in, and resolves a relative link against
nothing it still knows. Without site_url they stay relative, which RFC 4287
allows (they resolve against the feed's own address, RFC 3986 section
5.1.3), and the feed has no ``self`` link, which must be the feed's own
absolute address.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

import jinja2

from secbrief import __version__
from secbrief.core.project import ARCHIVE_FEED as FEED_NAME
from secbrief.core.project import ARCHIVE_INDEX as INDEX_NAME
from secbrief.core.tlp import Tlp, tlp
from secbrief.core.yardstick import active
from secbrief.core.textgrammar import CITATION_RE
from secbrief.render.markup import MarkdownRenderer
from secbrief.render.renderer import Renderer, TemplateProblem

INDEX_TEMPLATE = "_archive/index.html.j2"
FORMATS = ("html", "pdf", "md")
ATOM = "http://www.w3.org/2005/Atom"
# Fixed namespace: a brief's Atom id depends on its id only, never on the
# machine, the folder or the day.
_NAMESPACE_URL = "https://secbrief.invalid/archive"
_MIME = {"html": "text/html", "pdf": "application/pdf", "md": "text/markdown"}
DRAFT_SUMMARY = "Draft: no judgements yet"


@dataclass(frozen=True)
class ArchiveEntry:
    id: str
    title: str
    issued: dt.date
    style: str
    tlp: Tlp
    client_id: str | None
    client: str | None        # the client's display name
    series: str | None
    issue: int | None
    author: str
    files: tuple              # (format, relative href, size in bytes), html-pdf-md order
    summary: str = DRAFT_SUMMARY  # the bottom line, plain text (bottom_line)

    @property
    def atom_id(self) -> str:
        return atom_id("brief/" + self.id)


def entries(corpus, folder: Path, brief_ids=None) -> list[ArchiveEntry]:
    """Archive entries for the briefs (default: all) that have files in
    ``folder``/<id>/, newest first."""
    def on_disk(brief_id: str) -> dict[str, int]:
        return {fmt: path.stat().st_size for fmt in FORMATS
                if (path := folder / brief_id / f"{brief_id}.{fmt}").is_file()}

    return entries_of(corpus, brief_ids if brief_ids is not None else corpus.briefs, on_disk)


def entries_of(corpus, brief_ids, sizes) -> list[ArchiveEntry]:
    """Archive entries for ``brief_ids``, newest first; ``sizes(brief_id)``
    gives the size in bytes of each of its files by format (a brief with
    none is left out): files in build/, or in memory (secbrief serve)."""
    found = []
    plain = _PlainText()
    for brief_id in sorted(brief_ids):
        brief = corpus.briefs[brief_id].model
        have = sizes(brief_id)
        files = tuple((fmt, f"{brief_id}/{brief_id}.{fmt}", have[fmt]) for fmt in FORMATS if fmt in have)
        if not files:
            continue
        client = corpus.clients.get(brief.client) if brief.client else None
        found.append(ArchiveEntry(
            brief_id, brief.title, brief.issued, brief.style, tlp(brief.tlp), brief.client,
            client.profile.branding.display_name if client else brief.client,
            brief.series, brief.issue, brief.publisher or brief.team or "secbrief", files,
            bottom_line(brief, corpus.config.yardstick, plain)))
    return sorted(found, key=lambda e: (-e.issued.toordinal(), e.id))


def bottom_line(brief, project_yardstick: str | None = None, plain=None) -> str:
    """What a feed entry says of a brief, as prose: the first paragraph of
    its summary (the lead every style opens with), else its first key
    judgement with likelihood and confidence as the brief prints them; a
    brief with neither, a `secbrief weekly` skeleton, says it is a draft.
    Plain text: citations, Markdown and HTML removed."""
    plain = plain or _PlainText()
    if brief.summary and brief.summary.strip():
        return plain(brief.summary.strip().split("\n\n")[0])
    if brief.key_judgements:
        first = brief.key_judgements[0]
        label = active(brief.yardstick, project_yardstick).label(first.likelihood)
        return f"{plain(first.statement)} ({label}; {first.confidence} confidence)"
    return DRAFT_SUMMARY


class _PlainText:
    """Analyst Markdown as one line of plain text: citations dropped, then
    rendered as a brief renders it (so raw HTML stays text), then the text
    of the HTML, whitespace collapsed."""

    def __init__(self):
        self._markdown = None

    def __call__(self, text: str) -> str:
        if self._markdown is None:
            self._markdown = MarkdownRenderer()
        text = CITATION_RE.sub("", text)
        rendered = self._markdown.to_html(text, lambda ids: [])
        words = html.unescape(re.sub(r"<[^>]*>", " ", rendered)).split()
        return re.sub(r" ([.,;:!?)])", r"\1", " ".join(words))


def files(renderer: Renderer, items: list[ArchiveEntry], site_url: str | None = None) -> dict[str, bytes]:
    """{file name: bytes} for the index and the feed."""
    return {INDEX_NAME: index_html(renderer, items).encode(), FEED_NAME: feed_xml(items, site_url)}


def index_html(renderer: Renderer, items: list[ArchiveEntry]) -> str:
    """The archive page, through the briefs' own HTML environment (the same
    date filter, escaping and template folder)."""
    try:
        return renderer.html_env.get_template(INDEX_TEMPLATE).render(entries=items, feed=FEED_NAME,
                                                       generator=f"secbrief {__version__}")
    except jinja2.TemplateNotFound:
        raise TemplateProblem.at(f"templates/{INDEX_TEMPLATE}", "template not found (the archive page; "
                                 "copy it from secbrief's repository)", 1, 1) from None
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None) or 1
        raise TemplateProblem.at(f"templates/{INDEX_TEMPLATE}", exc.message, line, 1) from None


def atom_id(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, _NAMESPACE_URL), name)}"


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _fallback_updated() -> str:
    """An empty feed still needs <updated>: SOURCE_DATE_EPOCH when set (the
    reproducible-builds convention), else the epoch. Never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "0")
    seconds = int(epoch) if epoch.isdigit() else 0
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def feed_xml(items: list[ArchiveEntry], site_url: str | None = None) -> bytes:
    """The Atom feed; links absolute under ``site_url`` when given."""
    def url(href: str) -> str:
        return urljoin(site_url, href) if site_url else href

    ET.register_namespace("", ATOM)

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: str(v) for k, v in attrs.items()})
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", atom_id("feed"))
    sub(feed, "title", "Brief archive")
    sub(feed, "updated", _stamp(max(e.issued for e in items)) if items else _fallback_updated())
    sub(feed, "generator", "secbrief", version=__version__)
    sub(feed, "link", rel="alternate", type="text/html", href=url(INDEX_NAME))
    if site_url:
        sub(feed, "link", rel="self", type="application/atom+xml", href=url(FEED_NAME))
    for item in items:
        entry = sub(feed, "entry")
        sub(entry, "id", item.atom_id)
        sub(entry, "title", item.title)
        sub(entry, "updated", _stamp(item.issued))
        sub(entry, "published", _stamp(item.issued))
        sub(sub(entry, "author"), "name", item.author)
        for fmt, href, size in item.files:
            if fmt == "pdf":
                sub(entry, "link", rel="enclosure", type=_MIME[fmt], href=url(href), length=size)
            else:
                sub(entry, "link", rel="alternate", type=_MIME[fmt], href=url(href))
        sub(entry, "category", term=item.tlp.label, label=item.tlp.label, scheme="https://www.first.org/tlp/")
        sub(entry, "category", term=item.style, label=f"style: {item.style}")
        if item.client_id:
            sub(entry, "category", term=f"client:{item.client_id}", label=f"client: {item.client}")
        sub(entry, "summary", item.summary)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
