"""The preview's state: the last good render of every served brief and of
the archive, in memory, and what is wrong with the project now.

``refresh`` loads the project again (unchanged files come from the parse
cache), finds the stale briefs by the build's own rules (their inputs,
secbrief.pipeline.inputs, compared with those of the last render) and
renders only those. When the project has an error, as when a build would
refuse to write, nothing is replaced: the pages stay as last rendered and
the diagnostics say why. Nothing is written to build/ but the caches every
command shares (parsed YAML, compiled templates), atomically: a ``make``
running meanwhile finds its outputs as it left them.

A PDF is rendered when it is asked for, from the HTML being shown, and
kept until that HTML changes.
"""

from __future__ import annotations

import gc
import secrets
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from secbrief.core import fingerprint
from secbrief.core.diagnostics import ERROR, Diagnostic, ProblemsFound, Report, SecbriefError, say
from secbrief.core.project import ARCHIVE_FEED, ARCHIVE_INDEX, Project
from secbrief.core.tlp import tlp
from secbrief.pipeline.inputs import stamped_inputs, view_maker
from secbrief.pipeline.outputs import FORMATS
from secbrief.pipeline.textbatch import render_texts
from secbrief.render import archive
from secbrief.render.pdf.variants import DEFAULT_PDF_VARIANT
from secbrief.render.renderer import Renderer
from secbrief.validate.load_corpus import load_corpus

ARCHIVE = ":archive"  # the archive page's key (no brief id has a colon)
HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"  # the Markdown, shown in the browser rather than downloaded
ATOM = "application/atom+xml; charset=utf-8"
INPUT_SUFFIXES = (".yaml", ".yml", ".j2", ".css", ".svg", ".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class Page:
    body: bytes
    type: str
    key: str | None = None  # the live page an HTML file is (brief id or ARCHIVE): it gets the script


@dataclass
class Update:
    """What a refresh changed: the pages to reload, whether the problems changed."""

    reload: set[str] = field(default_factory=set)
    diagnostics: bool = False


@dataclass
class _Render:
    texts: dict[str, tuple[str, str]]  # brief id -> (Markdown, HTML)
    inputs: dict[str, dict]
    index: bytes
    feed: bytes
    stale: list[str]
    withheld: list[str]


class Preview:
    """``selection``: the brief ids to serve (all when empty); ``ceiling``:
    the most restrictive TLP served; ``private``: served on loopback only
    (beyond it, a brief whose own file has an error is withdrawn, as its
    marking is then unknown)."""

    def __init__(self, project: Project, selection=(), ceiling: str = "RED", private: bool = True,
                 pdf_variant: str = DEFAULT_PDF_VARIANT, log=say):
        self.project = project
        self.selection = list(selection)
        self.ceiling = ceiling
        self.private = private
        self.pdf_variant = pdf_variant
        self.log = log
        self.boot = secrets.token_hex(4)  # a restarted server's versions never match an old page's
        self._generation = 0
        self._lock = threading.Lock()
        self._pdf_lock = threading.Lock()
        self._texts: dict[str, tuple[str, str, str | None]] = {}  # md, html, map
        self._inputs: dict[str, dict] = {}
        self._versions: dict[str, str] = {}
        self._pages: dict[str, Page] = {}
        self._pdfs: dict[str, tuple[str, bytes]] = {}
        self._renderer: Renderer | None = None
        self._templates = ""
        self._shown_problems: list[Diagnostic] | None = None
        self._told_withheld: list[str] = []
        self.diagnostics: list[Diagnostic] = []
        self.withheld: list[str] = []
        self.rendered = False

    # --- what the server asks -------------------------------------------------

    def page(self, name: str) -> Page | None:
        with self._lock:
            return self._pages.get(name)

    def version(self, key: str) -> str:
        with self._lock:
            return self._versions.get(key, f"{self.boot}.0")

    def waiting(self, brief_id: str) -> bool:
        """A brief with a file but no render yet (the project had errors
        from the start): its page is a placeholder, on loopback only."""
        return (self.private and not self.rendered and (not self.selection or brief_id in self.selection)
                and (self.project.briefs_dir / f"{brief_id}.yaml").is_file())

    def served(self) -> list[str]:
        with self._lock:
            return sorted(self._texts)

    def pdf(self, brief_id: str) -> bytes | None:
        """The brief's PDF, from the HTML being shown: rendered on the first
        request, kept until that HTML changes. None for no such brief."""
        with self._pdf_lock:  # one at a time: this process has one WeasyPrint renderer
            with self._lock:
                texts, version = self._texts.get(brief_id), self._versions.get(brief_id)
                cached = self._pdfs.get(brief_id)
            if texts is None:
                return None
            if cached and cached[0] == version:
                return cached[1]
            # Deferred: WeasyPrint costs half a second to import; the preview
            # starts without it and pays only when a PDF is asked for.
            from secbrief.render.pdf.typeset import render_pdfs

            started = time.perf_counter()
            batch = render_pdfs(self.project.root, {brief_id: texts[1]}, 1, self.pdf_variant)
            for warning in batch.warnings.get(brief_id, []):
                self.log(f"{brief_id}.pdf: warning: {warning}")
            for url in dict.fromkeys(batch.refused.get(brief_id, [])):
                self.log(f"{brief_id}.pdf: warning: refused to fetch {url!r}: a PDF may use only data: URIs "
                         "and files inside the project")
            self.log(f"rendered {brief_id}.pdf in {time.perf_counter() - started:.1f} s")
            data = batch.pdfs[brief_id]
            with self._lock:
                if self._versions.get(brief_id) == version:
                    self._pdfs[brief_id] = (version, data)
            return data

    # --- a change -------------------------------------------------------------

    def refresh(self, changed=(), jobs: int | None = 1) -> Update:
        """Load, check and render what is stale; ``changed``: the paths
        that set it off, for the terminal. ``jobs``: processes for a big
        render (1, the default, once the server's threads run)."""
        started = time.perf_counter()
        report = Report()
        render = None
        try:
            corpus = load_corpus(self.project, report, jobs=jobs)
            if not report.errors:
                render = self._render(corpus, jobs)
            problems = list(report.diagnostics)
        except ProblemsFound as exc:
            problems = list(report.diagnostics) + exc.diagnostics
        except SecbriefError as exc:  # a template problem, a file that cannot be read
            problems = list(report.diagnostics) + [exc.diagnostic or Diagnostic("", 0, 0, str(exc))]
        except Exception as exc:  # noqa: BLE001  (a bug of ours: the last good render stays)
            problems = [Diagnostic("secbrief", 0, 0, f"internal error: {type(exc).__name__}: {exc} "
                                                      "(please report it)")]
        finally:
            corpus = None
            gc.unfreeze()  # the load parked the corpus out of the collector's sight: the old one may go now
        problems = sorted(set(problems))
        update = self._commit(render, problems)
        self._tell(changed, render, problems, time.perf_counter() - started)
        return update

    def _render(self, corpus, jobs) -> _Render:
        wanted = [b for b in (self.selection or sorted(corpus.briefs)) if b in corpus.briefs]
        served = [b for b in wanted if not tlp(corpus.briefs[b].model.tlp).exceeds(self.ceiling)]
        inputs, stamps = stamped_inputs(corpus, served, FORMATS)
        stale = [b for b in served if inputs[b] != self._inputs.get(b)]
        renderer = self._renderer_now()
        fresh = render_texts(corpus, renderer, stale, view_maker(corpus, stamps), True, jobs) if stale else {}
        texts = {b: fresh[b] if b in fresh else self._texts[b] for b in served}

        def sizes(brief_id: str) -> dict[str, int]:
            md, html, _ = texts[brief_id]
            return {"html": len(html.encode()), "pdf": 0, "md": len(md.encode())}  # the PDF: made on demand

        items = archive.entries_of(corpus, served, sizes)
        index = archive.index_html(renderer, items).encode()
        # The feed lists no PDF: its enclosure must give a length, unknown until one is asked for.
        feed = archive.feed_xml([replace(e, files=tuple(f for f in e.files if f[0] != "pdf")) for e in items],
                                corpus.config.site_url)
        return _Render(texts, inputs, index, feed, stale, sorted(set(wanted) - set(served)))

    def _renderer_now(self) -> Renderer:
        """The renderer of the last render, or a new one when a template
        changed (a Renderer reads its templates and stylesheets once)."""
        templates = fingerprint.stat_signature([self.project.templates_dir], "")
        if self._renderer is None or templates != self._templates:
            self._renderer, self._templates = Renderer(self.project.templates_dir), templates
        return self._renderer

    def _commit(self, render: _Render | None, problems: list[Diagnostic]) -> Update:
        update = Update()
        with self._lock:
            self._generation += 1
            version = f"{self.boot}.{self._generation}"
            if render is not None:
                for brief_id in set(self._texts) | set(render.texts):
                    if self._texts.get(brief_id) != render.texts.get(brief_id):
                        update.reload.add(brief_id)
                old_index = self._pages.get(ARCHIVE_INDEX)
                if old_index is None or old_index.body != render.index:
                    update.reload.add(ARCHIVE)
                self._texts, self._inputs, self.withheld = render.texts, render.inputs, render.withheld
                self._pages = {ARCHIVE_INDEX: Page(render.index, HTML, ARCHIVE), ARCHIVE_FEED: Page(render.feed, ATOM)}
                self.rendered = True
            elif not self.private:
                for brief_id in _briefs_in_error(problems) & set(self._texts):
                    update.reload.add(brief_id)
                    del self._texts[brief_id]
                    self._inputs.pop(brief_id, None)
            for brief_id, (md, html, _) in self._texts.items():
                self._pages[f"{brief_id}/{brief_id}.html"] = Page(html.encode(), HTML, brief_id)
                self._pages[f"{brief_id}/{brief_id}.md"] = Page(md.encode(), TEXT)
            for name in [n for n in self._pages if "/" in n and n.split("/", 1)[0] not in self._texts]:
                del self._pages[name]
            for key in update.reload:
                self._versions[key] = version
                self._pdfs.pop(key, None)
            update.diagnostics = problems != self.diagnostics
            self.diagnostics = problems
        return update

    def _tell(self, changed, render: _Render | None, problems: list[Diagnostic], seconds: float) -> None:
        """The terminal's account of one change: once, whatever pages are open."""
        errors = [d for d in problems if d.severity == ERROR]
        was_broken = self._shown_problems is not None and any(d.severity == ERROR for d in self._shown_problems)
        # An editor's or sed's temporary file, gone by now, is no input to name.
        changed = [p for p in changed if Path(p).exists() or Path(p).suffix in INPUT_SUFFIXES]
        if changed:
            names = sorted(self.project.display(Path(p)) for p in changed)
            self.log(f"changed: {', '.join(names[:5])}" + (f" and {len(names) - 5} more" if len(names) > 5 else ""))
        if errors or problems != self._shown_problems:
            self.log(*problems)
        self._shown_problems = problems
        if errors:
            keep = "the pages keep the last good render" if self.rendered else "nothing to show until they are fixed"
            self.log(f"{len(errors)} error(s): {keep}")
            return
        if render.withheld != self._told_withheld:
            self.log(f"not served, above TLP:{self.ceiling}: {', '.join(render.withheld) or 'none now'}")
            self._told_withheld = render.withheld
        if render.stale:
            what = ", ".join(render.stale) if len(render.stale) <= 3 else f"{len(render.stale)} briefs"
            self.log(f"rendered {what} in {seconds:.2f} s")
        elif changed:
            self.log("fixed: the pages are up to date" if was_broken else "no served brief shows this change")
        elif was_broken:
            self.log("fixed: the pages are up to date")


def _briefs_in_error(problems: list[Diagnostic]) -> set[str]:
    """Ids of the briefs whose own file has an error."""
    return {Path(d.path).stem for d in problems
            if d.severity == ERROR and Path(d.path).parent.as_posix() == "briefs" and d.path.endswith(".yaml")}
