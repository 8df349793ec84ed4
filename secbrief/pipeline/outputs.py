"""What a build makes: the formats, where each brief's files go, and the
record of what was built, skipped and written.

Standard library only: a no-op build reads it too.
"""

from __future__ import annotations

from pathlib import Path

from secbrief.core.diagnostics import UsageError
from secbrief.core.project import Project


FORMATS = ("md", "html", "pdf")


class BuildResult:
    """What a build did. A plain class: see secbrief.core.diagnostics on dataclasses."""

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


def map_path(project: Project, brief_id: str) -> Path:
    """The brief's generated map, beside its Markdown (published with it)."""
    return project.build_dir / brief_id / f"{brief_id}.map.svg"
