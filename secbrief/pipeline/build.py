"""`secbrief build`: the pipeline load -> validate -> resolve -> render ->
write, entered here.

First the cheap question: did any input change since the last build (one
stat per file, secbrief.core.fingerprint)? Only when one did is the
rest of the pipeline imported and run (secbrief.pipeline.rebuild).
Everything is gathered and rendered in memory before the first byte is
written, so a problem anywhere leaves build/ as it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable  # not typing: a no-op build should not import it
from pathlib import Path

from secbrief import __version__
from secbrief.core import fingerprint
from secbrief.core.diagnostics import UsageError, say
from secbrief.core.project import ARCHIVE_FEED, ARCHIVE_INDEX, Project
from secbrief.history import gitinfo
from secbrief.pipeline.outputs import FORMATS, BuildResult
from secbrief.render.pdf.variants import DEFAULT_PDF_VARIANT, PDF_VARIANTS


def _selection_ids(project: Project, selection: list[str]) -> list[str]:
    """Brief ids from ids or paths (briefs/x.yaml) given on the command line."""
    ids = []
    for item in selection:
        path = Path(item)
        ids.append(path.stem if item.endswith((".yaml", ".yml")) else item)
    return ids


def _input_roots(project: Project) -> list[Path]:
    # project.config_path, not secbrief.model.config: that imports pydantic, which
    # the no-op build must not pay for.
    return [project.incidents_dir, project.briefs_dir, project.templates_dir, fingerprint.PACKAGE_DIR,
            project.config_path]


def build(project: Project, selection: list[str] | None = None, formats=FORMATS, force: bool = False,
          log: Callable[[str], None] = say, jobs: int | None = None,
          pdf_variant: str = DEFAULT_PDF_VARIANT, corpus=None) -> BuildResult:
    """``jobs``: processes rendering (default: the machine's cores);
    ``pdf_variant``: one of PDF_VARIANTS; ``corpus``: the project's
    Corpus (secbrief.validate), already loaded and validated without errors
    by the caller, who has reported its warnings: the build renders from it
    instead of loading the project again (``secbrief weekly`` and
    ``publish``). It must hold the files as they are now: the no-op check
    still looks at the files, and a build with work renders the corpus."""
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
    # Deferred: the rest of the pipeline (pydantic, Jinja, Markdown) is
    # imported only by a build that has work to do; a no-op build stays at
    # about three times a bare interpreter's start (bench (c)).
    from secbrief.load.collector import frozen_until_done
    from secbrief.pipeline.rebuild import rebuild

    with frozen_until_done():
        return rebuild(project, selection, formats, force, log, manifest, signature, jobs, pdf_variant, corpus)


def _outputs_exist(project: Project, manifest: dict) -> bool:
    build_dir = str(project.build_dir)  # plain strings: this runs on every no-op build
    return all(os.path.isfile(os.path.join(build_dir, brief_id, f"{brief_id}.{fmt}"))
               for brief_id, record in manifest.get("briefs", {}).items()
               for fmt in record.get("formats", [])) and _archive_exists(project)


def _archive_exists(project: Project) -> bool:
    # The names come from secbrief.core.project, not secbrief.render.archive:
    # the no-op path stays cheap.
    return all((project.build_dir / name).is_file() for name in (ARCHIVE_INDEX, ARCHIVE_FEED))

