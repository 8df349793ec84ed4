"""PDF rendering with WeasyPrint, confined to the project.

WeasyPrint is imported only here, and only when a PDF is actually rendered:
the import alone costs about half a second. Every fetch goes through
ProjectFetcher: ``data:`` URIs and files inside the project, nothing else:
no network, no /etc/passwd, no ../ escape.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from secbrief import pagefit

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


class _MissingGlyphs(logging.Handler):
    """Keeps WeasyPrint's "no font has this character" warnings: the PDF
    then shows an empty box, which the editor must hear about."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.chars: dict[int, str] = {}

    def emit(self, record):
        if str(record.msg).startswith(".notdef glyph") and len(record.args or ()) == 2:
            char, codepoint = record.args
            self.chars[codepoint] = char


class PdfRenderer:
    """Turns the final HTML of a brief into PDF bytes. One per process:
    WeasyPrint is imported, and the fetcher and font configuration made,
    once, then reused for every brief."""

    def __init__(self, root: Path):
        global _fetcher_class
        import weasyprint  # noqa: F401  (the expensive import, paid once)
        from weasyprint.text.fonts import FontConfiguration

        logger = logging.getLogger("weasyprint")
        logger.setLevel(logging.WARNING)
        for handler in logger.handlers:  # WeasyPrint's own: errors only, as before
            if not isinstance(handler, _MissingGlyphs):
                handler.setLevel(logging.ERROR)
        for handler in [h for h in logger.handlers if isinstance(h, _MissingGlyphs)]:
            logger.removeHandler(handler)  # one per process: the newest renderer's
        self._missing = _MissingGlyphs()
        logger.addHandler(self._missing)
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

    def font_warnings(self) -> list[str]:
        """Characters of the last render that no installed font could draw."""
        if not self._missing.chars:
            return []
        missing = sorted(self._missing.chars.items())
        shown = ", ".join(f"U+{code:04X} '{char}'" for code, char in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        return [f"no installed font can draw {len(missing)} character(s) ({shown}{more}): the PDF shows "
                "empty boxes instead; install the fonts (Debian: fonts-noto-core) and rebuild"]

    def render(self, html: str, identity: str) -> bytes:
        self._missing.chars.clear()
        # The font configuration goes to render(), where fonts are looked up
        # and laid out: given only to write_pdf() it was ignored, and every
        # brief paid for a fresh one (a fifth of WeasyPrint's time).
        # Laid out again, a little tighter or looser, when the last page
        # would be nearly empty (secbrief.pagefit).
        def layout(extra_css):
            extra = [self._weasyprint.CSS(string=extra_css, font_config=self.font_config)] if extra_css else []
            return self._weasyprint.HTML(
                string=html, base_url=str(self.root) + "/", url_fetcher=self.fetcher).render(
                stylesheets=self.stylesheets + extra, font_config=self.font_config)

        document = pagefit.fit(layout)
        # A fixed identifier (from the brief and its content) instead of a
        # random one keeps the PDF byte-identical for the same inputs.
        digest = hashlib.sha256(identity.encode() + html.encode() + self.paged_css.encode())
        identifier = digest.hexdigest()[:32].encode()
        # Of the custom <meta> tags, only the version stamp goes into the PDF info (as /briefversion).
        custom = document.metadata.custom
        document.metadata.custom = {k: v for k, v in custom.items() if k in PDF_CUSTOM_METADATA}
        return document.write_pdf(pdf_identifier=identifier, custom_metadata=True)
# --- many briefs at once, across worker processes --------------------------

@dataclass
class PdfBatch:
    pdfs: dict[str, bytes] = field(default_factory=dict)  # brief id -> PDF bytes
    refused: dict[str, list[str]] = field(default_factory=dict)  # brief id -> URLs the fetcher refused
    font_warnings: dict[str, list[str]] = field(default_factory=dict)  # brief id -> characters no font draws


def render_pdfs(root: Path, htmls: dict[str, str], jobs: int | None = None) -> PdfBatch:
    """PDF bytes for each brief (id -> final HTML), in one run.

    The briefs are shared between this process and up to ``jobs - 1``
    forked helpers (see secbrief.fork; default: one process per core).
    WeasyPrint is imported here first, so helpers start with it loaded and
    the import (most of a second) is paid once. Each process makes one
    PdfRenderer and renders brief after brief with it; helpers start with
    the longest briefs, this process with the shortest. A PDF's bytes
    depend on its HTML alone, never on ``jobs`` or on which process
    rendered it.
    """
    import weasyprint  # noqa: F401  (before any fork: see above)

    from secbrief.fork import fork_map

    order = sorted(htmls, key=lambda b: len(htmls[b]), reverse=True)
    done = fork_map(lambda brief_id: _render_with(_renderer_here(root), brief_id, htmls[brief_id]),
                    order, jobs)
    batch = PdfBatch()
    for brief_id in htmls:  # the caller's order
        batch.pdfs[brief_id], refused, font_warnings = done[brief_id]
        if refused:
            batch.refused[brief_id] = refused
        if font_warnings:
            batch.font_warnings[brief_id] = font_warnings
    return batch


_renderers: dict[tuple[int, Path], PdfRenderer] = {}


def _renderer_here(root: Path) -> PdfRenderer:
    """This process's renderer (a forked helper makes its own: each its
    own font configuration, none shared across a fork)."""
    key = (os.getpid(), root)
    if key not in _renderers:
        _renderers.clear()
        _renderers[key] = PdfRenderer(root)
    return _renderers[key]


def _render_with(renderer: PdfRenderer, brief_id: str, html: str) -> tuple[bytes, list[str], list[str]]:
    del renderer.refused[:]  # one brief's refusals at a time (the fetcher holds this list)
    pdf = renderer.render(html, brief_id)
    return pdf, list(dict.fromkeys(renderer.refused)), renderer.font_warnings()

