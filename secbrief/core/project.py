"""Where things live in a secbrief project (the layout the README describes)."""

from __future__ import annotations

import os
from collections import namedtuple
from pathlib import Path

REGISTRY_FILES = ("actors.yaml", "places.yaml")
CONFIG_FILE = "secbrief.yaml"
# The archive of every brief, in build/ (secbrief/render/archive.py writes them).
ARCHIVE_INDEX, ARCHIVE_FEED = "index.html", "feed.xml"


class Project(namedtuple("Project", "root")):
    """A project folder (``root``, resolved) and where things live in it.
    Immutable; a named tuple, not a dataclass (see secbrief.core.diagnostics)."""

    __slots__ = ()

    @classmethod
    def at(cls, root: Path | str = ".") -> "Project":
        return cls(Path(root).resolve())

    @property
    def incidents_dir(self) -> Path:
        return self.root / "incidents"

    @property
    def briefs_dir(self) -> Path:
        return self.root / "briefs"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def cache_dir(self) -> Path:
        """What builds keep to go faster next time (compiled templates,
        parsed YAML): no output, and safe to delete at any time."""
        return self.build_dir / ".cache"

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_FILE

    def display(self, path: Path | str) -> str:
        """A path as users see it in messages: relative to the project.
        Not resolved first: a link inside the project that points outside
        is named by where it is, not by where it points."""
        text, prefix = str(path), f"{self.root}{os.sep}"
        if text.startswith(prefix) and f"{os.sep}..{os.sep}" not in text:
            # Paths the project listed itself are already under root: no
            # need to ask the file system (resolve() is a syscall per part),
            # nor, on POSIX, for a Path object just to spell it with "/".
            relative = text[len(prefix):]
            return relative if os.sep == "/" else Path(relative).as_posix()
        path = Path(path)
        for candidate in (path.absolute(), path.resolve()):
            try:
                return candidate.relative_to(self.root).as_posix()
            except ValueError:
                continue
        return str(path)

    def registry_paths(self) -> list[Path]:
        return [self.incidents_dir / name for name in REGISTRY_FILES]

    def incident_paths(self) -> list[Path]:
        return [Path(p) for p in self.incident_files()]

    def incident_files(self) -> list[str]:
        """incident_paths as plain strings, for the load: os.walk and a sort
        on strings, as pathlib's rglob, Path objects and their comparisons
        cost more than the walk itself at 10,000 files."""
        if not self.incidents_dir.is_dir():
            return []
        registries = {str(p) for p in self.registry_paths()}
        found = []
        for folder, dirs, files in os.walk(self.incidents_dir):
            found.extend(os.path.join(folder, name) for name in files if name.endswith(".yaml"))
        return [p for p in sorted(found, key=lambda p: p.split(os.sep)) if p not in registries]

    def brief_paths(self) -> list[Path]:
        if not self.briefs_dir.is_dir():
            return []
        return sorted(self.briefs_dir.glob("*.yaml"))

    def styles(self) -> list[str]:
        if not self.templates_dir.is_dir():
            return []
        return sorted(p.name for p in self.templates_dir.iterdir()
                      if p.is_dir() and not p.name.startswith(("_", ".")))

    def contains(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.root)
            return True
        except ValueError:
            return False
