"""Helpers for the weekly, archive, publish and reproducibility tests.

``weekly_project`` copies the demo corpus without the briefs whose style
is not in templates/ yet (they are written on another branch), so these
tests run on the real incidents, clients and templates either way.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import sys
from pathlib import Path

from conftest import REPO, copy_project

WEEK42 = "2023-W42"
FREIGHT = "two-rivers-freight"
ENERGY = "northern-arc-energy"
# The incidents of Monday 16 to Sunday 22 October 2023, by hand from the corpus.
FREIGHT_W42 = ["2023-10-17-ain-al-asad-drones", "2023-10-18-harir-drone", "2023-10-20-baghdad-airport-rocket",
               "2023-10-20-us-orders-staff-departure", "2023-10-22-ain-al-asad-rockets"]
ENERGY_W42 = ["2023-10-18-harir-drone", "2023-10-19-al-tanf-drone-attack"]


def weekly_project(dest: Path) -> Path:
    root = copy_project(dest, REPO)
    styles = {p.name for p in (root / "templates").iterdir() if p.is_dir()}
    for brief in (root / "briefs").glob("*.yaml"):
        style = re.search(r"^style:\s*(\S+)", brief.read_text(encoding="utf-8"), re.M).group(1)
        if style not in styles:
            brief.unlink()
    return root


def with_make(root: Path) -> Path:
    """Make the project usable with the real Makefile: a stand-in .venv whose
    secbrief runs this interpreter's secbrief (no install in tests)."""
    shutil.copy2(REPO / "Makefile", root / "Makefile")
    shutil.copy2(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copy2(REPO / "requirements.lock", root / "requirements.lock")
    (root / "tests" / "validators").mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "tests/validators/package-lock.json", root / "tests/validators/package-lock.json")
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    script = bin_dir / "secbrief"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m secbrief "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    (bin_dir / "python").symlink_to(sys.executable)
    stamp = root / ".venv" / ".installed-stamp"
    stamp.touch()
    later = max((root / name).stat().st_mtime for name in ("pyproject.toml", "requirements.lock",
                                                          "tests/validators/package-lock.json")) + 10
    os.utime(stamp, (later, later))
    return root


def brief_ids(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "briefs").glob("*.yaml"))
