"""Shared test helpers: small project trees in tmp_path, and the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import hostile_stats

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO_BRIEF = "2020-12-21-renewed-targeting-us-interests-iraq"


def write(root: Path, relpath: str, text: str) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def copy_project(dest: Path, source: Path, parts=("incidents", "briefs", "templates")) -> Path:
    for part in parts:
        if (source / part).exists():
            shutil.copytree(source / part, dest / part)
    return dest


@pytest.fixture
def mini(tmp_path) -> Path:
    """A tiny valid project: the repo's templates, two actors, one incident, one brief."""
    root = tmp_path / "mini"
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(FIXTURES / "mini", root, dirs_exist_ok=True)
    return root


@pytest.fixture
def demo(tmp_path) -> Path:
    """A copy of the repository's demo corpus."""
    return copy_project(tmp_path / "demo", REPO)


def run(root: Path, *args: str, env=None) -> subprocess.CompletedProcess:
    """Run the real command, as a user would, in ``root``."""
    return subprocess.run([sys.executable, "-m", "secbrief", *args], cwd=root, capture_output=True,
                          text=True, env=env, timeout=300)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes: to prove nothing changed.
    Not build/.cache/ (parsed YAML, compiled templates): any command that
    reads the project may refresh it, and it is no input or output."""
    return {name: p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not (name := str(p.relative_to(root))).startswith("build/.cache/")}


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> Path:
    """A copy of the demo corpus with every brief built in all three formats,
    shared by the tests that only read the output."""
    root = copy_project(tmp_path_factory.mktemp("demo-build") / "demo", REPO)
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    return root
def pytest_sessionfinish(session):
    """On a pytest-xdist worker: hand this worker's hostile-suite counts to
    the controller, which prints them once for the whole run."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["hostile_stats"] = hostile_stats.export()


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: unknown without it
def pytest_testnodedown(node, error):
    hostile_stats.merge(getattr(node, "workeroutput", {}).get("hostile_stats"))


def pytest_terminal_summary(terminalreporter):
    """The hostile and fault suites' counts (tests/hostile_stats.py), summed
    over every worker."""
    lines = hostile_stats.summary_lines()
    if lines:
        terminalreporter.section("hostile input and fault suite")
        for line in lines:
            terminalreporter.write_line(line)
