"""``secbrief publish DEST``: copy the archive somewhere others can read it,
under a TLP ceiling, all or nothing.

Every brief to publish is checked against the ceiling first; one above it
is refused by name and nothing is written. Then the briefs are built (only
what changed), and the files, plus an index and a feed that list exactly
the published briefs, are staged in a temporary folder beside DEST and
renamed into place. If anything fails, the staging folder is removed and
DEST is left as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from secbrief.errors import ProblemsFound, Report, SecbriefError, UsageError
from secbrief.project import Project
from secbrief.tlp import ORDER

MARKER = ".secbrief-publish.json"


class PublishError(SecbriefError):
    pass


@dataclass
class PublishResult:
    published: list[str] = field(default_factory=list)
    dest: Path | None = None


def publish(project: Project, dest: Path, ceiling: str = "CLEAR", selection: list[str] | None = None,
            log: Callable[[str], None] = print) -> PublishResult:
    from secbrief import archive
    from secbrief.build import FORMATS, build, output_path
    from secbrief.validate import load_corpus

    if ceiling not in ORDER:
        raise UsageError(f"--ceiling: expected one of: {', '.join(ORDER)}, but received: '{ceiling}'")
    dest = dest.expanduser().resolve()
    _check_destination(project, dest)

    report = Report()
    corpus = load_corpus(project, report)
    report.raise_if_errors()
    unknown = [b for b in selection or [] if b not in corpus.briefs]
    if unknown:
        raise UsageError(f"unknown brief '{unknown[0]}'; the briefs are: {', '.join(sorted(corpus.briefs))}")
    wanted = sorted(dict.fromkeys(selection or corpus.briefs))
    refused = Report()
    for brief_id in wanted:
        entry = corpus.briefs[brief_id]
        if ORDER.index(entry.model.tlp) > ORDER.index(ceiling):
            line, col = entry.doc.where(("tlp",))
            refused.add(entry.doc.display, line, col,
                        f"brief '{brief_id}' is TLP:{entry.model.tlp}, above the ceiling TLP:{ceiling} of "
                        f"{dest}: not published (leave it out by naming the briefs to publish, "
                        "or publish to a destination with a higher --ceiling)", code="SB270")
    if refused.errors:
        raise ProblemsFound(refused.diagnostics)

    build(project, wanted, log=log)
    dest.parent.mkdir(parents=True, exist_ok=True)  # only now: a refusal writes nothing at all
    stage = Path(tempfile.mkdtemp(prefix=f".{dest.name}.publish-", dir=dest.parent))
    try:
        for brief_id in wanted:
            for fmt in FORMATS:
                target = stage / brief_id / f"{brief_id}.{fmt}"
                target.parent.mkdir(exist_ok=True)
                shutil.copyfile(output_path(project, brief_id, fmt), target)
        items = archive.entries(corpus, stage, wanted)
        for name, data in archive.files(project.templates_dir, items, corpus.config.site_url).items():
            (stage / name).write_bytes(data)
        marker = {"ceiling": ceiling, "briefs": wanted}
        (stage / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
        for path in [stage, *stage.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        _swap_into_place(stage, dest)
    except BaseException as exc:
        shutil.rmtree(stage, ignore_errors=True)
        if isinstance(exc, OSError):
            raise PublishError(f"{dest}: error: publishing failed ({exc.strerror or exc}); "
                               "the destination is as it was") from None
        raise
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


def _swap_into_place(stage: Path, dest: Path) -> None:
    """Rename the staged folder to DEST. An existing DEST is moved aside first
    and put back if the rename fails, so DEST is always whole: old or new."""
    if not dest.exists():
        os.rename(stage, dest)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
    os.rmdir(aside)
    os.rename(dest, aside)
    try:
        os.rename(stage, dest)
    except BaseException:
        os.rename(aside, dest)
        raise
    shutil.rmtree(aside, ignore_errors=True)
