"""The locked install: .venv holds exactly what requirements.lock lists, and
`make setup` refuses a package whose hash is not the lock's. And secbrief
installed as a wheel, not editable, works: every subpackage is in it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

from conftest import FIXTURES, REPO
from secbrief import __version__

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


def test_a_wheel_installed_in_a_fresh_venv_runs_and_builds(tmp_path):
    """The wheel is built from the checkout with the locked setuptools and
    nothing fetched, holds every module of every subpackage, and, installed
    (not editable) in a new venv, runs from outside the checkout and builds
    a project with its own templates."""
    # A copy of the checkout's files that make the wheel (its top-level files
    # and the package), not the checkout itself: setuptools writes build/
    # and secbrief.egg-info beside pyproject.toml, and build/ is the demo's.
    source = tmp_path / "source"
    shutil.copytree(REPO / "secbrief", source / "secbrief", ignore=shutil.ignore_patterns("__pycache__"))
    for path in REPO.iterdir():
        if path.is_file():
            shutil.copy2(path, source / path.name)
    # --isolated: no pip.conf or PIP_* settings; --no-index: nothing is fetched.
    pip = [sys.executable, "-m", "pip", "--isolated", "--disable-pip-version-check"]
    made = subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                            "-w", str(tmp_path / "dist"), str(source)],
                           capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stdout + made.stderr
    [wheel] = (tmp_path / "dist").glob("secbrief-*.whl")
    modules = {path.relative_to(REPO).as_posix() for path in (REPO / "secbrief").rglob("*.py")}
    with zipfile.ZipFile(wheel) as archive:
        packed = set(archive.namelist())
    assert modules - packed == set()
    assert {"secbrief/validate/load_corpus.py", "secbrief/render/pdf/typeset.py"} <= packed

    # A new venv (from the interpreter under .venv), the wheel installed in
    # it, and only then .venv's packages made visible for the dependencies:
    # a path in a .pth file runs none of the .pth files there, so .venv's
    # editable secbrief (a finder installed by one of them) stays out.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    installed = subprocess.run([*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
                               capture_output=True, text=True, timeout=120)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "project-venv-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    project = tmp_path / "elsewhere" / "mini"  # a project outside the checkout, with its own templates
    shutil.copytree(REPO / "templates", project / "templates")
    shutil.copytree(FIXTURES / "mini", project, dirs_exist_ok=True)
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTHON")}
    secbrief = str(venv / "bin" / "secbrief")

    def run(*args, cwd=project):
        result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    assert run(secbrief, "--version", cwd=tmp_path).stdout.strip() == f"secbrief {__version__}"
    where = run(str(python), "-c", "import secbrief.validate.load_corpus as m; print(m.__file__)")
    assert Path(where.stdout.strip()).is_relative_to(site / "secbrief"), where.stdout
    assert "ok: no errors" in run(secbrief, "check").stderr
    built = run(secbrief, "build", "--format", "md,html")
    assert "built test-brief (md, html)" in built.stdout
    html = (project / "build" / "test-brief" / "test-brief.html").read_text(encoding="utf-8")
    assert "Test brief" in html and (project / "build" / "test-brief" / "test-brief.md").is_file()
