"""What a brief's outputs depend on, as hashes, so a build redoes only what
changed and can say why. Stdlib only: the no-op path must stay cheap."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # secbrief/, above core/
MANIFEST_NAME = ".secbrief-manifest.json"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def file_hash(path: Path) -> str:
    return sha(path.read_bytes())


def tree_hash(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def package_hash() -> str:
    """secbrief's own code: a new version re-renders everything."""
    return tree_hash(list(PACKAGE_DIR.rglob("*.py")))


def stat_signature(roots: list[Path], extra: str) -> str:
    """A cheap signature of every input file (name, size, mtime). Equal
    signatures mean nothing was touched since the last successful build.

    This is all a no-op build does, so it is kept to one stat per file:
    os.scandir and plain strings (no Path objects), one hash update."""
    lines: list[str] = []
    for root in roots:
        root = os.fspath(root)
        if os.path.isdir(root):
            _scan(root, lines)
        elif os.path.exists(root):
            _stat_line(root, lines)
    digest = hashlib.sha256(extra.encode())
    digest.update("".join(lines).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _scan(folder: str, lines: list[str]) -> None:
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda e: e.name)
    except OSError:
        lines.append(f"{folder}\0unreadable\n")
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":  # compiled copies of the code scanned beside them
                _scan(entry.path, lines)
        else:
            _stat_line(entry.path, lines)


def _stat_line(path: str, lines: list[str]) -> None:
    try:
        st = os.stat(path)
    except OSError:  # e.g. a dangling symlink: still part of the signature
        lines.append(f"{path}\0missing\n")
        return
    lines.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n")


def read_manifest(build_dir: Path) -> dict:
    try:
        data = json.loads((build_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and data.get("version") == 1 else {}
    except (OSError, ValueError):
        return {}


def manifest_bytes(data: dict) -> bytes:
    return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode()


def reasons(old: dict | None, new: dict) -> list[str]:
    """Why a brief must be rebuilt, in words, or [] when it need not be."""
    if not old:
        return ["new"]
    changed = [key for key in new if old.get(key) != new[key]]
    removed = [key for key in old if key not in new]
    return [f"{key} changed" for key in changed] + [f"{key} no longer used" for key in removed]
