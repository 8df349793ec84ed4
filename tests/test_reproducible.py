"""Reproducible output: two fresh copies of the project, built on different
days (the clock moved with faketime, SOURCE_DATE_EPOCH and the time zone
set apart), give byte-identical files: the weekly briefs' YAML, every md,
html and pdf, the archive and the feed."""

import os
import shutil
import subprocess
import sys

import pytest

from weekly_support import weekly_project

SETTINGS = [  # (faketime clock, SOURCE_DATE_EPOCH, TZ)
    ("2030-01-01 08:00:00", "1700000000", "UTC"),
    ("2031-07-15 23:30:00", "1900000000", "Asia/Baghdad"),
]
FAKETIME = shutil.which("faketime")


def build_copy(root, clock, epoch, tz):
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch, TZ=tz)
    prefix = [FAKETIME, clock] if FAKETIME else []
    for args in (["weekly", "2023-W42", "--no-build"], ["build"]):
        result = subprocess.run(prefix + [sys.executable, "-m", "secbrief", *args], cwd=root, env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and p.suffix in (".yaml", ".md", ".html", ".pdf", ".xml")}


@pytest.mark.skipif(FAKETIME is None, reason="needs Debian's faketime (bash .ci/system-deps installs it)")
def test_two_copies_built_on_different_days_are_byte_identical(tmp_path):
    first, second = (build_copy(weekly_project(tmp_path / name), *setting)
                     for name, setting in zip(("monday-copy", "friday-copy"), SETTINGS))
    outputs = [name for name in first if name.startswith("build/")]
    assert any(n.endswith(".pdf") for n in outputs) and "build/feed.xml" in outputs
    assert "briefs/2023-w42-two-rivers-freight.yaml" in first
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


def test_clock_really_differs_under_faketime():
    """Guards the test above: the two clocks are really apart inside Python."""
    if FAKETIME is None:
        pytest.skip("needs faketime")
    years = {subprocess.run([FAKETIME, clock, sys.executable, "-c", "import datetime; print(datetime.date.today().year)"],
                            capture_output=True, text=True).stdout.strip() for clock, _, _ in SETTINGS}
    assert years == {"2030", "2031"}
