"""The locked install: .venv holds exactly what requirements.lock lists, and
`make setup` refuses a package whose hash is not the lock's."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

from conftest import REPO

LOCK = REPO / "requirements.lock"
PIN_RE = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def locked() -> dict[str, str]:
    """Name -> version for every lock entry whose marker holds here."""
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = PIN_RE.match(line)
        if match and (match.group(3) is None or Marker(match.group(3)).evaluate()):
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def test_every_locked_package_has_hashes():
    text = LOCK.read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n\n", 1)[-1])
    pinned = [entry for entry in entries if PIN_RE.match(entry.splitlines()[0])]
    assert len(pinned) > 40
    assert all("--hash=sha256:" in entry for entry in pinned), [e.splitlines()[0] for e in pinned
                                                                 if "--hash" not in e]


def test_the_environment_is_exactly_the_lock():
    """Run by `make test` in .venv: nothing missing, nothing extra, no other version."""
    installed = {canonicalize_name(dist.metadata["Name"]): dist.version for dist in metadata.distributions()}
    installed.pop("secbrief", None)  # the project itself, installed editable from this checkout
    assert installed == locked(), f"{sys.prefix} is not the locked set: run `make setup`"


def test_a_changed_hash_stops_make_setup(tmp_path):
    """A lock whose hash does not match what the index serves installs nothing."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "tests" / "validators").mkdir(parents=True)
    for name in ("Makefile", "pyproject.toml", "tests/validators/package.json", "tests/validators/package-lock.json"):
        shutil.copy2(REPO / name, root / name)
    (root / ".ci").mkdir()
    (root / ".ci" / "system-deps").write_text("exit 0\n")  # the machine's packages are not under test
    (root / "requirements.lock").write_text("six==1.16.0 \\\n    --hash=sha256:" + "0" * 64 + "\n")
    result = subprocess.run(["make", "setup", f"PYTHON={sys.executable}"], cwd=root, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode != 0
    assert "DO NOT MATCH THE HASHES" in result.stderr, result.stderr[-2000:]
    assert not (root / ".venv" / ".installed-stamp").exists()
