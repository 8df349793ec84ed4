"""PDF rendering with WeasyPrint, confined to the project.

WeasyPrint is imported only here, and only when a PDF is actually rendered:
the import alone costs about half a second. Every fetch goes through
ProjectFetcher: ``data:`` URIs and files inside the project, nothing else:
no network, no /etc/passwd, no ../ escape.

Every PDF is tagged (a structure tree of headings, paragraphs, lists,
tables with their header cells, figures with their text alternative, in
reading order) and declares a standard: PDF/UA-1 (accessible) by default,
or PDF/A-3b (archival) on request; secbrief.render.pdf.variants lists them. The
XMP packet both standards ask for also names the brief's version
(secbrief.render.pdf.metadata).
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from secbrief.core.fork import fork_map
from secbrief.render.pdf import pagefit
from secbrief.render.pdf.metadata import BriefMetadata
from secbrief.render.pdf.variants import DEFAULT_PDF_VARIANT

_fetcher_class = None
PDF_CUSTOM_METADATA = ("brief-version",)


class RefusedFetch(ValueError):
    pass


def _make_fetcher_class():
    from weasyprint.urls import URLFetcher

    class ProjectFetcher(URLFetcher):
        """Serves data: URIs and files under ``root``; refuses everything else."""

        def __init__(self, root: Path, refused: list[str]):
            super().__init__(timeout=1, allowed_protocols={"data", "file"}, allow_redirects=False)
            self.root = root.resolve()
            self.refused = refused

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlparse(url).path)).resolve()
                if path.is_relative_to(self.root) and path.is_file():
                    return super().fetch(url, headers)
            self.refused.append(url)
            raise RefusedFetch(f"secbrief refuses to fetch {url!r}: only data: URIs and project files")

    return ProjectFetcher


class _Problems(logging.Handler):
    """Keeps the WeasyPrint messages the editor must hear about: "no font
    has this character" (the PDF shows an empty box) and "image without
    alt" (the tagged PDF's figure has no text for a screen reader).
    WeasyPrint's own handler is a NullHandler: without this, both are lost."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.chars: dict[int, str] = {}
        self.no_alt: list[str] = []  # the src of each image without alt text

    def clear(self) -> None:
        self.chars.clear()
        del self.no_alt[:]

    def emit(self, record):
        message, args = str(record.msg), record.args or ()
        if message.startswith(".notdef glyph") and len(args) == 2:
            char, codepoint = args
            self.chars[codepoint] = char
        elif message.endswith("has no required alt description") and len(args) == 1:
            source = str(args[0])
            self.no_alt.append("an embedded image" if source.startswith("data:") else repr(source))


class PdfRenderer:
    """Turns the final HTML of a brief into PDF bytes. One per process:
    WeasyPrint is imported, and the fetcher and font configuration made,
    once, then reused for every brief."""

    def __init__(self, root: Path, variant: str | None = DEFAULT_PDF_VARIANT):
        global _fetcher_class
        import weasyprint  # noqa: F401  (the expensive import, paid once)
        from weasyprint.text.fonts import FontConfiguration

        logger = logging.getLogger("weasyprint")
        logger.setLevel(logging.WARNING)
        for handler in logger.handlers:  # WeasyPrint's own: errors only, as before
            if not isinstance(handler, _Problems):
                handler.setLevel(logging.ERROR)
        for handler in [h for h in logger.handlers if isinstance(h, _Problems)]:
            logger.removeHandler(handler)  # one per process: the newest renderer's
        self._problems = _Problems()
        logger.addHandler(self._problems)
        if _fetcher_class is None:
            _fetcher_class = _make_fetcher_class()
        self.root = root.resolve()
        self.refused: list[str] = []
        self.fetcher = _fetcher_class(self.root, self.refused)
        self.font_config = FontConfiguration()  # Pango's font map and its caches, kept across briefs
        # Paged-media CSS only WeasyPrint reads (running header and footer,
        # bookmarks): kept out of the HTML, which browsers and validators read.
        paged = self.root / "templates" / "_shared" / "paged.css"
        self.paged_css = paged.read_text(encoding="utf-8") if paged.is_file() else ""
        self.stylesheets = [weasyprint.CSS(string=self.paged_css, font_config=self.font_config)] \
            if self.paged_css else []
        self._weasyprint = weasyprint
        # pdf_tags too: PDF/A-3b does not ask for a structure tree, but a
        # screen reader needs one whichever standard the file claims.
        # variant=None: untagged, no standard (the bench's baseline only).
        self.variant = variant or ""
        self.options = {"pdf_variant": variant, "pdf_tags": True} if variant else {}

    def warnings(self) -> list[str]:
        """What the last render could not do: characters no installed font
        draws, images a screen reader cannot describe."""
        found = []
        if self._problems.chars:
            missing = sorted(self._problems.chars.items())
            # A control character is named by its code alone: printed, it would drive the terminal.
            shown = ", ".join(f"U+{code:04X}" + (f" '{char}'" if char.isprintable() else "")
                              for code, char in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            found.append(f"no installed font can draw {len(missing)} character(s) ({shown}{more}): the PDF "
                         "shows empty boxes instead; install the fonts (Debian: fonts-noto-core) and rebuild")
        for source in dict.fromkeys(self._problems.no_alt):
            found.append(f"the PDF shows {source} with no text alternative, which a screen reader cannot "
                         "describe: give its <img> an alt attribute in the template (an <svg>, a <title>)")
        return found

    def render(self, html: str, identity: str) -> bytes:
        self._problems.clear()
        # The font configuration goes to render(), where fonts are looked up
        # and laid out: given only to write_pdf() it was ignored, and every
        # brief paid for a fresh one (a fifth of WeasyPrint's time). The
        # variant goes to both: PDF/A's colour profile is chosen at render().
        # Laid out again, a little tighter or looser, when the last page
        # would be nearly empty (secbrief.render.pdf.pagefit).
        def layout(extra_css):
            extra = [self._weasyprint.CSS(string=extra_css, font_config=self.font_config)] if extra_css else []
            return self._weasyprint.HTML(
                string=html, base_url=str(self.root) + "/", url_fetcher=self.fetcher).render(
                stylesheets=self.stylesheets + extra, font_config=self.font_config, **self.options)

        document = pagefit.fit(layout)
        # A fixed identifier (from the brief, its content, the paged CSS and
        # the variant) instead of a random one keeps the PDF byte-identical
        # for the same inputs; the XMP instance id is made from it (metadata.py).
        identifier = hashlib.sha256("\0".join((identity, self.variant, html, self.paged_css)).encode()
                                    ).hexdigest()[:32]
        # Of the custom <meta> tags, only the version stamp goes into the PDF
        # info (as /briefversion) and into the XMP packet.
        custom = {k: v for k, v in document.metadata.custom.items() if k in PDF_CUSTOM_METADATA}
        document.metadata.custom = custom
        document.metadata = BriefMetadata(document.metadata, identity, identifier, custom.get("brief-version"))
        return document.write_pdf(pdf_identifier=identifier.encode(), custom_metadata=True, **self.options)
# --- many briefs at once, across worker processes --------------------------

@dataclass
class PdfBatch:
    pdfs: dict[str, bytes] = field(default_factory=dict)  # brief id -> PDF bytes
    refused: dict[str, list[str]] = field(default_factory=dict)  # brief id -> URLs the fetcher refused
    warnings: dict[str, list[str]] = field(default_factory=dict)  # brief id -> missing glyphs, alt texts


def render_pdfs(root: Path, htmls: dict[str, str], jobs: int | None = None,
                variant: str = DEFAULT_PDF_VARIANT) -> PdfBatch:
    """PDF bytes for each brief (id -> final HTML), in one run, all of one
    ``variant`` (secbrief.render.pdf.variants.PDF_VARIANTS).

    The briefs are shared between this process and up to ``jobs - 1``
    forked helpers (see secbrief.core.fork; default: one process per core).
    WeasyPrint is imported here first, so helpers start with it loaded and
    the import (most of a second) is paid once. Each process makes one
    PdfRenderer and renders brief after brief with it; helpers start with
    the longest briefs, this process with the shortest. A PDF's bytes
    depend on its HTML alone, never on ``jobs`` or on which process
    rendered it.
    """
    import weasyprint  # noqa: F401  (before any fork: see above)

    order = sorted(htmls, key=lambda b: len(htmls[b]), reverse=True)
    done = fork_map(lambda brief_id: _render_with(_renderer_here(root, variant), brief_id, htmls[brief_id]),
                    order, jobs)
    batch = PdfBatch()
    for brief_id in htmls:  # the caller's order
        batch.pdfs[brief_id], refused, warnings = done[brief_id]
        if refused:
            batch.refused[brief_id] = refused
        if warnings:
            batch.warnings[brief_id] = warnings
    return batch


_renderers: dict[tuple[int, Path, str], PdfRenderer] = {}


def _renderer_here(root: Path, variant: str) -> PdfRenderer:
    """This process's renderer (a forked helper makes its own: each its
    own font configuration, none shared across a fork)."""
    key = (os.getpid(), root, variant)
    if key not in _renderers:
        _renderers.clear()
        _renderers[key] = PdfRenderer(root, variant)
    return _renderers[key]


def _render_with(renderer: PdfRenderer, brief_id: str, html: str) -> tuple[bytes, list[str], list[str]]:
    del renderer.refused[:]  # one brief's refusals at a time (the fetcher holds this list)
    pdf = renderer.render(html, brief_id)
    return pdf, list(dict.fromkeys(renderer.refused)), renderer.warnings()

