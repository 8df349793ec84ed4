"""``secbrief publish DEST``: copy the archive somewhere others can read it,
under a TLP ceiling, all or nothing.

Every brief to publish is checked against the ceiling first; one above it
is refused by name and nothing is written. Then the briefs are built (only
what changed, from the corpus already loaded), and the files, plus an index and a feed that list exactly
the published briefs, replace DEST as a whole (secbrief.core.atomic
stages them beside it and renames the folder into place). If anything
fails, DEST is left as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from secbrief.core.atomic import replace_folder
from secbrief.core.diagnostics import ProblemsFound, Report, SecbriefError, UsageError, say
from secbrief.core.project import Project
from secbrief.core.tlp import TLP_LEVELS, tlp
from secbrief.pipeline.build import build
from secbrief.pipeline.outputs import FORMATS, map_path, output_path
from secbrief.render import archive
from secbrief.render.renderer import Renderer
from secbrief.validate.load_corpus import load_corpus

MARKER = ".secbrief-publish.json"


class PublishError(SecbriefError):
    pass


@dataclass
class PublishResult:
    published: list[str] = field(default_factory=list)
    dest: Path | None = None


def publish(project: Project, dest: Path, ceiling: str = "CLEAR", selection: list[str] | None = None,
            log: Callable[[str], None] = say) -> PublishResult:

    if ceiling not in TLP_LEVELS:
        raise UsageError(f"--ceiling: expected one of: {', '.join(TLP_LEVELS)}, but received: '{ceiling}'")
    dest = dest.expanduser().resolve()
    _check_destination(project, dest)

    report = Report()
    corpus = load_corpus(project, report)
    report.log_warnings_then_raise(log)
    unknown = [b for b in selection or [] if b not in corpus.briefs]
    if unknown:
        raise UsageError(f"unknown brief '{unknown[0]}'; the briefs are: {', '.join(sorted(corpus.briefs))}")
    wanted = sorted(dict.fromkeys(selection or corpus.briefs))
    refused = Report()
    for brief_id in wanted:
        entry = corpus.briefs[brief_id]
        if tlp(entry.model.tlp).exceeds(ceiling):
            line, col = entry.doc.where(("tlp",))
            refused.add(entry.doc.display, line, col,
                        f"brief '{brief_id}' is TLP:{entry.model.tlp}, above the ceiling TLP:{ceiling} of "
                        f"{dest}: not published (leave it out by naming the briefs to publish, "
                        "or publish to a destination with a higher --ceiling)", code="SB270")
    if refused.errors:
        raise ProblemsFound(refused.diagnostics)

    build(project, wanted, log=log, corpus=corpus)  # from this corpus: the project is loaded once
    files = {f"{brief_id}/{brief_id}.{fmt}": output_path(project, brief_id, fmt).read_bytes()
             for brief_id in wanted for fmt in FORMATS}
    # The map beside the Markdown, when the Markdown names it (a map turned
    # off since an earlier build may have left its file in build/).
    files.update({f"{brief_id}/{path.name}": path.read_bytes() for brief_id in wanted
                  if (path := map_path(project, brief_id)).is_file()
                  and path.name.encode() in files[f"{brief_id}/{brief_id}.md"]})
    items = archive.entries(corpus, project.build_dir, wanted)
    files.update(archive.files(Renderer(project.templates_dir), items, corpus.config.site_url))
    files[MARKER] = (json.dumps({"ceiling": ceiling, "briefs": wanted}, indent=1) + "\n").encode()
    try:
        replace_folder(dest, files)  # only now: a refusal writes nothing at all
    except OSError as exc:
        raise PublishError.at(dest, f"publishing failed ({exc.strerror or exc}); "
                              "the destination is as it was") from None
    log(f"published {len(wanted)} brief(s) to {dest} (ceiling TLP:{ceiling})")
    return PublishResult(wanted, dest)


def _check_destination(project: Project, dest: Path) -> None:
    """DEST is replaced as a whole, so it must be a folder secbrief made (or
    new, or empty), and must not hold the project or its build folder."""
    root = project.root
    owned = [project.briefs_dir, project.incidents_dir, project.templates_dir, project.build_dir]
    if root.is_relative_to(dest) or any(dest.is_relative_to(folder) for folder in owned):
        raise UsageError(f"publish: DEST '{dest}' would replace part of the project; choose another folder")
    if dest.exists():
        if not dest.is_dir():
            raise UsageError(f"publish: DEST '{dest}' is a file, not a folder")
        if any(dest.iterdir()) and not (dest / MARKER).is_file():
            raise UsageError(f"publish: DEST '{dest}' is not empty and was not made by secbrief publish; "
                             "publishing replaces the whole folder, so choose a new or empty one")
