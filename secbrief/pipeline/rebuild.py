"""A build that has work to do: load and validate the corpus, find the
stale briefs, render their Markdown, HTML and PDF across processes, and
write everything in one transaction, then the archive.

secbrief.pipeline.build decides, cheaply, whether a build has work to do
and imports this module only then: it pulls in pydantic, Jinja and the
rest, which a no-op build must not pay for.
"""

from __future__ import annotations

import gc
from pathlib import Path

from secbrief.core import fingerprint
from secbrief.core.atomic import atomic_write, write_all
from secbrief.core.diagnostics import WARNING, Diagnostic, Report, UsageError
from secbrief.core.project import Project
from secbrief.pipeline.inputs import stamped_inputs, view_maker
from secbrief.pipeline.outputs import BuildResult, map_path, output_path
from secbrief.pipeline.progress import Progress
from secbrief.pipeline.textbatch import render_texts
from secbrief.render import archive
from secbrief.render.pdf.variants import DEFAULT_PDF_VARIANT
from secbrief.render.renderer import Renderer
from secbrief.validate.load_corpus import load_corpus


def rebuild(project, selection, formats, force, log, manifest, signature, jobs=None,
            pdf_variant=DEFAULT_PDF_VARIANT, corpus=None) -> BuildResult:
    """Build the stale briefs among ``selection`` (all when empty), given the
    last build's ``manifest`` and this one's input ``signature``; from
    ``corpus`` when given (see build), else from a load of the project."""
    # A corpus handed in had its parse cache saved by the steps that read
    # its files (load_corpus, add_briefs); nothing below parses YAML into it.
    if corpus is None:
        report = Report()
        corpus = load_corpus(project, report, jobs=jobs)
        report.log_warnings_then_raise(log)
    gc.freeze()  # the corpus lives until the end: the collector need not rescan it (secbrief.load.collector)

    unknown = [b for b in selection if b not in corpus.briefs]
    if unknown:
        raise UsageError(f"unknown brief '{unknown[0]}'; the briefs are: {', '.join(sorted(corpus.briefs))}")
    wanted = selection or sorted(corpus.briefs)

    records = dict(manifest.get("briefs", {}))
    result = BuildResult()
    stale: dict[str, dict] = {}
    all_inputs, stamps = stamped_inputs(corpus, wanted, formats)
    for brief_id in wanted:
        inputs = all_inputs[brief_id]
        if "pdf" in formats:  # another variant: "pdf variant changed", the brief is rebuilt
            inputs["pdf variant"] = pdf_variant
        old = records.get(brief_id, {})
        why = ["forced"] if force else fingerprint.reasons(old.get("inputs"), inputs)
        if not why and not all(output_path(project, brief_id, f).is_file() for f in formats):
            why = ["output missing"]
        if why:
            stale[brief_id] = inputs
            result.built[brief_id] = why
        else:
            result.skipped.append(brief_id)

    outputs: dict[Path, bytes] = {}
    renderer = Renderer(project.templates_dir)  # one per build: briefs and the archive page
    progress = Progress(len(stale) * len(formats))
    if stale:
        def arrived(brief_id, md, html):
            if md is not None:
                progress.advance(f"{brief_id}.md")
            if "html" in formats:
                progress.advance(f"{brief_id}.html")

        # Across the -j processes when there are enough briefs to pay for it.
        texts = render_texts(corpus, renderer, list(stale), view_maker(corpus, stamps), "md" in formats, jobs,
                             arrived)
        htmls: dict[str, str] = {}
        for brief_id, (md, html, map_svg) in texts.items():
            if md is not None:
                outputs[output_path(project, brief_id, "md")] = md.encode()
                if map_svg is not None:  # the generated map, beside the Markdown that names it
                    outputs[map_path(project, brief_id)] = map_svg.encode()
            htmls[brief_id] = html
            if "html" in formats:
                outputs[output_path(project, brief_id, "html")] = html.encode()
        if "pdf" in formats:
            # Every stale PDF in one run, across worker processes.
            # Deferred: WeasyPrint (half a second to import) only for a build
            # that makes PDFs; `--format md,html` never imports it.
            from secbrief.render.pdf.typeset import render_pdfs

            batch = render_pdfs(project.root, htmls, jobs, pdf_variant)
            for brief_id, data in batch.pdfs.items():
                outputs[output_path(project, brief_id, "pdf")] = data
                progress.advance(f"{brief_id}.pdf")
            for brief_id, urls in batch.refused.items():
                path = output_path(project, brief_id, "pdf")
                for url in dict.fromkeys(urls):
                    log(str(Diagnostic(project.display(path), 0, 0, f"refused to fetch {url!r}: a PDF may use "
                                       "only data: URIs and files inside the project", WARNING)))
            for brief_id, warnings in batch.warnings.items():
                for warning in warnings:
                    log(str(Diagnostic(corpus.briefs[brief_id].doc.display, 1, 1, str(warning), WARNING)))
    progress.close()

    for brief_id, inputs in stale.items():
        records[brief_id] = {"inputs": inputs, "formats": list(formats)}
    # The manifest goes in the same all-or-nothing write, last: it never
    # lists an output that is missing or from another build.
    outputs[project.build_dir / fingerprint.MANIFEST_NAME] = fingerprint.manifest_bytes(
        {"version": 1, "signature": signature, "briefs": records})
    write_all(outputs, project.root)
    result.written.extend(path for path in outputs if path.name != fingerprint.MANIFEST_NAME)
    for brief_id in stale:
        log(f"built {brief_id} ({', '.join(formats)}): {'; '.join(result.built[brief_id])}")
    if result.skipped:
        log(f"up to date: {len(result.skipped)} brief(s)")
    # After the write: the archive lists the briefs that have files in build/.
    write_archive(project, corpus, renderer, log)
    return result


def write_archive(project: Project, corpus, renderer: Renderer, log) -> None:
    """build/index.html and build/feed.xml: every brief with files in build/."""
    items = archive.entries(corpus, project.build_dir)
    for name, data in archive.files(renderer, items, corpus.config.site_url).items():
        path = project.build_dir / name
        if not path.is_file() or path.read_bytes() != data:
            atomic_write(path, data, project.root)
            log(f"wrote {project.display(path)} ({len(items)} brief(s))")
