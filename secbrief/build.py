"""The pipeline: load -> validate -> resolve -> render -> write.

Everything is gathered and rendered in memory before the first byte is
written, so a problem anywhere leaves build/ as it was.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable  # not typing: a no-op build should not import it
from pathlib import Path

from secbrief import __version__, fingerprint, gitinfo
from secbrief.errors import Report, UsageError
from secbrief.project import Project

FORMATS = ("md", "html", "pdf")
# The standard each PDF declares (WeasyPrint's names). Every one is tagged;
# PDF/UA-1 says so to screen readers' tools, PDF/A-3b to archives.
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b")
DEFAULT_PDF_VARIANT = "pdf/ua-1"


class BuildResult:
    """What a build did. A plain class: see secbrief.errors on dataclasses."""

    def __init__(self, noop: bool = False):
        self.built: dict[str, list[str]] = {}  # brief id -> reasons
        self.skipped: list[str] = []
        self.written: list[Path] = []
        self.noop = noop

    def __repr__(self) -> str:
        return (f"BuildResult(built={self.built!r}, skipped={self.skipped!r}, written={self.written!r}, "
                f"noop={self.noop!r})")


def parse_formats(text: str) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        raise UsageError(f"--format: expected a comma-separated list of {', '.join(FORMATS)}, "
                         f"but received: '{text}'")
    return wanted


def output_path(project: Project, brief_id: str, fmt: str) -> Path:
    return project.build_dir / brief_id / f"{brief_id}.{fmt}"


def _selection_ids(project: Project, selection: list[str]) -> list[str]:
    """Brief ids from ids or paths (briefs/x.yaml) given on the command line."""
    ids = []
    for item in selection:
        path = Path(item)
        ids.append(path.stem if item.endswith((".yaml", ".yml")) else item)
    return ids


def _input_roots(project: Project) -> list[Path]:
    # project.config_path, not secbrief.config: that imports pydantic, which
    # the no-op build must not pay for.
    return [project.incidents_dir, project.briefs_dir, project.templates_dir, fingerprint.PACKAGE_DIR,
            project.config_path]


def build(project: Project, selection: list[str] | None = None, formats=FORMATS, force: bool = False,
          log: Callable[[str], None] = print, jobs: int | None = None,
          pdf_variant: str = DEFAULT_PDF_VARIANT) -> BuildResult:
    """``jobs``: processes rendering (default: the machine's cores);
    ``pdf_variant``: one of PDF_VARIANTS."""
    if pdf_variant not in PDF_VARIANTS:
        raise UsageError(f"--pdf-variant: expected one of {', '.join(PDF_VARIANTS)}, but received: '{pdf_variant}'")
    selection = _selection_ids(project, selection or [])
    # The git HEAD is part of the signature: a commit changes the version
    # stamp of the outputs without touching any file's mtime. The PDF
    # variant too, when PDFs are built: another PDF from the same files.
    signature = fingerprint.stat_signature(
        _input_roots(project), f"{__version__}|{','.join(formats)}|{','.join(selection)}|"
                               f"{gitinfo.head_state(project.root)}|{pdf_variant if 'pdf' in formats else ''}")
    manifest = fingerprint.read_manifest(project.build_dir)
    if not force and manifest.get("signature") == signature and _outputs_exist(project, manifest):
        log("nothing to do: no input changed since the last build")
        return BuildResult(noop=True)
    from secbrief.collector import frozen_until_done

    with frozen_until_done():
        return _full_build(project, selection, formats, force, log, manifest, signature, jobs, pdf_variant)


def _outputs_exist(project: Project, manifest: dict) -> bool:
    build_dir = str(project.build_dir)  # plain strings: this runs on every no-op build
    return all(os.path.isfile(os.path.join(build_dir, brief_id, f"{brief_id}.{fmt}"))
               for brief_id, record in manifest.get("briefs", {}).items()
               for fmt in record.get("formats", [])) and _archive_exists(project)


def _archive_exists(project: Project) -> bool:
    from secbrief.project import ARCHIVE_FEED, ARCHIVE_INDEX  # not secbrief.archive: the no-op path stays cheap

    return all((project.build_dir / name).is_file() for name in (ARCHIVE_INDEX, ARCHIVE_FEED))


def _full_build(project, selection, formats, force, log, manifest, signature, jobs=None,
                pdf_variant=DEFAULT_PDF_VARIANT) -> BuildResult:
    from secbrief import provenance
    from secbrief.render import Renderer
    from secbrief.resolve import resolve
    from secbrief.validate import load_corpus
    from secbrief.write import write_all

    report = Report()
    corpus = load_corpus(project, report, jobs=jobs)
    gc.freeze()  # the corpus lives until the end: the collector need not rescan it (secbrief.collector)
    for warning in report.warnings:
        log(str(warning))
    report.raise_if_errors()

    unknown = [b for b in selection if b not in corpus.briefs]
    if unknown:
        raise UsageError(f"unknown brief '{unknown[0]}'; the briefs are: {', '.join(sorted(corpus.briefs))}")
    wanted = selection or sorted(corpus.briefs)

    package = fingerprint.package_hash()
    records = dict(manifest.get("briefs", {}))
    result = BuildResult()
    stale: dict[str, dict] = {}
    hashes: dict[tuple, str] = {}  # templates, actors, places: the same for every brief that uses them
    all_inputs = {brief_id: brief_inputs(corpus, brief_id, package, formats, hashes)
                  for brief_id in wanted}
    stamps = provenance.stamps(project, {brief_id: provenance.content_paths(corpus, brief_id, inputs)
                                         for brief_id, inputs in all_inputs.items()})
    for brief_id in wanted:
        inputs = all_inputs[brief_id]
        inputs["provenance"] = stamps[brief_id].text  # a new commit or a dirty tree re-renders
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
    from secbrief.progress import Progress  # here: the no-op path stays free of typing

    progress = Progress(len(stale) * len(formats))
    if stale:
        from secbrief.textbatch import render_texts

        def arrived(brief_id, md, html):
            if md is not None:
                progress.advance(f"{brief_id}.md")
            if "html" in formats:
                progress.advance(f"{brief_id}.html")

        # Across the -j processes when there are enough briefs to pay for it.
        texts = render_texts(corpus, Renderer(project.templates_dir), list(stale),
                             lambda brief_id: resolve(corpus, brief_id, generator=f"secbrief {__version__}",
                                                      provenance=stamps[brief_id]),
                             "md" in formats, jobs, arrived)
        htmls: dict[str, str] = {}
        for brief_id, (md, html) in texts.items():
            if md is not None:
                outputs[output_path(project, brief_id, "md")] = md.encode()
            htmls[brief_id] = html
            if "html" in formats:
                outputs[output_path(project, brief_id, "html")] = html.encode()
        if "pdf" in formats:
            from secbrief.pdf import render_pdfs

            # Every stale PDF in one run, across worker processes.
            batch = render_pdfs(project.root, htmls, jobs, pdf_variant)
            for brief_id, data in batch.pdfs.items():
                outputs[output_path(project, brief_id, "pdf")] = data
                progress.advance(f"{brief_id}.pdf")
            for brief_id, urls in batch.refused.items():
                path = output_path(project, brief_id, "pdf")
                for url in dict.fromkeys(urls):
                    log(f"{project.display(path)}: warning: refused to fetch {url!r}: a PDF may use only "
                        "data: URIs and files inside the project")
            for brief_id, warnings in batch.warnings.items():
                for warning in warnings:
                    log(f"{corpus.briefs[brief_id].doc.display}:1:1: warning: {warning}")
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
    _write_archive(project, corpus, log)
    return result


def _write_archive(project: Project, corpus, log) -> None:
    """build/index.html and build/feed.xml: every brief with files in build/."""
    from secbrief import archive
    from secbrief.write import atomic_write

    items = archive.entries(corpus, project.build_dir)
    for name, data in archive.files(project.templates_dir, items, corpus.config.site_url).items():
        path = project.build_dir / name
        if not path.is_file() or path.read_bytes() != data:
            atomic_write(path, data, project.root)
            log(f"wrote {project.display(path)} ({len(items)} brief(s))")


def brief_inputs(corpus, brief_id: str, package: str, formats,
                 hashes: dict[tuple, str] | None = None) -> dict[str, str]:
    """Hash of every input one brief's outputs depend on, by name.
    ``hashes`` keeps, across the briefs of a build, the hashes of what many
    share: each style's templates, each actor, place and source."""
    from secbrief import markup
    from secbrief.validate import markdown_fields
    from secbrief.weekly_view import weekly_inputs

    entry = corpus.briefs[brief_id]
    brief = entry.model
    project = corpus.project
    hashes = {} if hashes is None else hashes

    def model_hash(kind: str, model) -> str:
        key = (kind, model.id)
        if key not in hashes:
            hashes[key] = fingerprint.sha(model.model_dump_json().encode())
        return hashes[key]
    # Files are known by the hash of the bytes that were loaded (doc.digest),
    # not read again.
    inputs = {"brief": entry.doc.digest.hex(), "secbrief": package,
              "formats": ",".join(formats)}
    used = set(brief.incidents)
    if brief.event:
        used.add(brief.event)
    for item in brief.implications:
        used.update(item.timeline)
    for judgement in brief.key_judgements:
        used.update(e for e in judgement.evidence if e in corpus.incidents)
    cited_sources = set()
    for _, text in markdown_fields(brief):
        for ref, _ in markup.citation_ids(text):
            (used if ref in corpus.incidents else cited_sources).add(ref)
    for incident_id in sorted(used):
        inputs[f"incident {incident_id}"] = corpus.incidents[incident_id].doc.digest.hex()
    actors = {a.id: a for a in (corpus.actors.lookup(name) for name in brief.parties)}
    for incident_id in used:
        incident = corpus.incidents[incident_id].model
        actors.update((a.id, a) for a in (corpus.actors.lookup(ref.name) for ref in incident.actors))
        if incident.location.place:
            place = corpus.places.lookup(incident.location.place)
            inputs[f"place {place.id}"] = model_hash("place", place)
    for actor in list(actors.values()):
        if actor.affiliation:
            actors[actor.affiliation] = corpus.actors.by_id[actor.affiliation]
    for source_id in sorted(cited_sources):
        # A source defined in an incident file: that file's text is the note.
        inputs[f"source {source_id}"] = model_hash("source", corpus.sources[source_id])
    for actor in sorted(actors.values(), key=lambda a: a.id):
        inputs[f"actor {actor.id}"] = model_hash("actor", actor)
    if ("templates", brief.style) not in hashes:
        style_dirs = [project.templates_dir / brief.style, project.templates_dir / "_shared"]
        hashes[("templates", brief.style)] = fingerprint.tree_hash(
            [p for d in style_dirs if d.is_dir() for p in d.rglob("*") if p.is_file()])
    inputs["templates"] = hashes[("templates", brief.style)]
    if not brief.yardstick:  # the project's yardstick labels this brief's judgements
        inputs["yardstick"] = corpus.config.yardstick
    if brief.image:
        inputs["image"] = fingerprint.file_hash(entry.doc.path.parent / brief.image.file)
    from secbrief.changes import previous_entry

    previous = previous_entry(corpus, brief_id)  # its judgements feed the "What changed" block
    if previous is not None:
        inputs[f"previous brief {previous.id}"] = previous.doc.digest.hex()
    inputs.update(weekly_inputs(corpus, brief_id))  # client profile; weekly styles' chart
    return inputs
