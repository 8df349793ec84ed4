"""The pipeline: load -> validate -> resolve -> render -> write.

Everything is gathered and rendered in memory before the first byte is
written, so a problem anywhere leaves build/ as it was.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from secbrief import __version__, fingerprint
from secbrief.errors import Report, UsageError
from secbrief.project import Project

FORMATS = ("md", "html", "pdf")


@dataclass
class BuildResult:
    built: dict[str, list[str]] = field(default_factory=dict)  # brief id -> reasons
    skipped: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    noop: bool = False


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
    return [project.incidents_dir, project.briefs_dir, project.templates_dir, fingerprint.PACKAGE_DIR]


def build(project: Project, selection: list[str] | None = None, formats=FORMATS, force: bool = False,
          log: Callable[[str], None] = print) -> BuildResult:
    selection = _selection_ids(project, selection or [])
    signature = fingerprint.stat_signature(
        _input_roots(project), f"{__version__}|{','.join(formats)}|{','.join(selection)}")
    manifest = fingerprint.read_manifest(project.build_dir)
    if not force and manifest.get("signature") == signature and _outputs_exist(project, manifest):
        log("nothing to do: no input changed since the last build")
        return BuildResult(noop=True)
    return _full_build(project, selection, formats, force, log, manifest, signature)


def _outputs_exist(project: Project, manifest: dict) -> bool:
    return all(output_path(project, brief_id, fmt).is_file()
               for brief_id, record in manifest.get("briefs", {}).items()
               for fmt in record.get("formats", []))


def _full_build(project, selection, formats, force, log, manifest, signature) -> BuildResult:
    from secbrief.render import Renderer
    from secbrief.resolve import resolve
    from secbrief.validate import load_corpus
    from secbrief.write import write_all

    report = Report()
    corpus = load_corpus(project, report)
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
    for brief_id in wanted:
        inputs = brief_inputs(corpus, brief_id, package, formats)
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
    if stale:
        renderer = Renderer(project.templates_dir)
        htmls: dict[str, str] = {}
        for brief_id in stale:
            view = resolve(corpus, brief_id, generator=f"secbrief {__version__}")
            if "md" in formats:
                outputs[output_path(project, brief_id, "md")] = renderer.markdown_text(view).encode()
            html = renderer.html_text(view)
            htmls[brief_id] = html
            if "html" in formats:
                outputs[output_path(project, brief_id, "html")] = html.encode()
        if "pdf" in formats:
            from secbrief.pdf import PdfRenderer

            pdf = PdfRenderer(project.root)
            for brief_id, html in htmls.items():
                path = output_path(project, brief_id, "pdf")
                asked = len(pdf.refused)
                outputs[path] = pdf.render(html, brief_id)
                for url in dict.fromkeys(pdf.refused[asked:]):
                    log(f"{project.display(path)}: warning: refused to fetch {url!r}: a PDF may use only "
                        "data: URIs and files inside the project")

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
    return result


def brief_inputs(corpus, brief_id: str, package: str, formats) -> dict[str, str]:
    """Hash of every input one brief's outputs depend on, by name."""
    from secbrief import markup
    from secbrief.validate import markdown_fields

    entry = corpus.briefs[brief_id]
    brief = entry.model
    project = corpus.project
    inputs = {"brief": fingerprint.file_hash(entry.doc.path), "secbrief": package,
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
        inputs[f"incident {incident_id}"] = fingerprint.file_hash(corpus.incidents[incident_id].doc.path)
    actors = {a.id: a for a in (corpus.actors.lookup(name) for name in brief.parties)}
    for incident_id in used:
        incident = corpus.incidents[incident_id].model
        actors.update((a.id, a) for a in (corpus.actors.lookup(ref.name) for ref in incident.actors))
        if incident.location.place:
            place = corpus.places.lookup(incident.location.place)
            inputs[f"place {place.id}"] = fingerprint.sha(place.model_dump_json().encode())
    for actor in list(actors.values()):
        if actor.affiliation:
            actors[actor.affiliation] = corpus.actors.by_id[actor.affiliation]
    for source_id in sorted(cited_sources):
        # A source defined in an incident file: that file's text is the note.
        inputs[f"source {source_id}"] = fingerprint.sha(corpus.sources[source_id].model_dump_json().encode())
    for actor in sorted(actors.values(), key=lambda a: a.id):
        inputs[f"actor {actor.id}"] = fingerprint.sha(actor.model_dump_json().encode())
    style_dirs = [project.templates_dir / brief.style, project.templates_dir / "_shared"]
    inputs["templates"] = fingerprint.tree_hash(
        [p for d in style_dirs if d.is_dir() for p in d.rglob("*") if p.is_file()])
    if brief.image:
        inputs["image"] = fingerprint.file_hash(entry.doc.path.parent / brief.image.file)
    return inputs
