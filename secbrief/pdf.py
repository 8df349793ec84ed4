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

_fetcher_class = None


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


class PdfRenderer:
    """Turns the final HTML of a brief into PDF bytes. One per build/worker:
    WeasyPrint is imported, and the fetcher and font configuration made,
    once, then reused for every brief."""

    def __init__(self, root: Path):
        global _fetcher_class
        import weasyprint  # noqa: F401  (the expensive import, paid once)
        from weasyprint.text.fonts import FontConfiguration

        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        if _fetcher_class is None:
            _fetcher_class = _make_fetcher_class()
        self.root = root.resolve()
        self.refused: list[str] = []
        self.fetcher = _fetcher_class(self.root, self.refused)
        self.font_config = FontConfiguration()  # Pango's font map and its caches, kept across briefs
        self._weasyprint = weasyprint

    def render(self, html: str, identity: str) -> bytes:
        document = self._weasyprint.HTML(
            string=html, base_url=str(self.root) + "/", url_fetcher=self.fetcher)
        # A fixed identifier (from the brief and its content) instead of a
        # random one keeps the PDF byte-identical for the same inputs.
        identifier = hashlib.sha256(identity.encode() + html.encode()).hexdigest()[:32].encode()
        return document.write_pdf(pdf_identifier=identifier, font_config=self.font_config)


# --- many briefs at once, across worker processes --------------------------

@dataclass
class PdfBatch:
    pdfs: dict[str, bytes] = field(default_factory=dict)  # brief id -> PDF bytes
    refused: dict[str, list[str]] = field(default_factory=dict)  # brief id -> URLs the fetcher refused


def default_jobs() -> int:
    return os.cpu_count() or 1


def render_pdfs(root: Path, htmls: dict[str, str], jobs: int | None = None) -> PdfBatch:
    """PDF bytes for each brief (id -> final HTML), in one run.

    With ``jobs`` > 1 and more than one brief, ``min(jobs, briefs) - 1``
    helper processes render beside this one. WeasyPrint is imported here
    first, so forked helpers start with it loaded: the import (most of a
    second) is paid once, not once per process. Each process makes one
    PdfRenderer and renders brief after brief with it. Helpers take the
    longest briefs first; this process takes the shortest ones, from the
    other end of the queue, until the two meet. A PDF's bytes depend on its
    HTML alone, never on ``jobs`` or on which process rendered it.
    """
    jobs = max(1, jobs or default_jobs())
    helpers = min(jobs, len(htmls)) - 1
    import weasyprint  # noqa: F401  (before any fork: see above)

    order = sorted(htmls, key=lambda b: len(htmls[b]), reverse=True)
    futures: dict = {}
    pool = None
    if helpers > 0:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork: helpers start as copies of this process (WeasyPrint loaded,
        # no threads yet); spawn where the platform has no fork.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        pool = ProcessPoolExecutor(max_workers=helpers, mp_context=multiprocessing.get_context(method),
                                   initializer=_start_worker, initargs=(root,))
    try:
        futures = {brief_id: pool.submit(_render_in_worker, brief_id, htmls[brief_id])
                   for brief_id in order} if pool else {}
        renderer = PdfRenderer(root)  # after the fork: each process its own font configuration
        done: dict[str, tuple[bytes, list[str]]] = {}
        for brief_id in reversed(order):
            future = futures.get(brief_id)
            if future is None or future.cancel():  # cancel() fails once a helper has it
                done[brief_id] = _render_with(renderer, brief_id, htmls[brief_id])
        for brief_id, future in futures.items():
            if brief_id not in done:
                done[brief_id] = future.result()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    batch = PdfBatch()
    for brief_id in htmls:  # the caller's order
        batch.pdfs[brief_id], refused = done[brief_id]
        if refused:
            batch.refused[brief_id] = refused
    return batch


def _render_with(renderer: PdfRenderer, brief_id: str, html: str) -> tuple[bytes, list[str]]:
    del renderer.refused[:]  # one brief's refusals at a time (the fetcher holds this list)
    pdf = renderer.render(html, brief_id)
    return pdf, list(dict.fromkeys(renderer.refused))


_worker_renderer: PdfRenderer | None = None


def _start_worker(root: Path) -> None:
    global _worker_renderer
    _worker_renderer = PdfRenderer(root)


def _render_in_worker(brief_id: str, html: str) -> tuple[bytes, list[str]]:
    return _render_with(_worker_renderer, brief_id, html)
