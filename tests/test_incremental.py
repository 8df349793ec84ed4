"""Incremental builds on the demo with weekly briefs: a change rebuilds
exactly the briefs that show it, and says so; a build with nothing to do
renders nothing and never imports WeasyPrint."""

import os
import pty
import subprocess
import sys

import pytest

from conftest import run, write
from weekly_support import ENERGY, FREIGHT, brief_ids, weekly_project, with_make


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = with_make(weekly_project(tmp_path_factory.mktemp("incr") / "demo"))
    assert run(root, "weekly", "2023-W42", "--no-build").returncode == 0
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def built_lines(stdout):
    return sorted(line.split(" (")[0].removeprefix("built ") for line in stdout.splitlines()
                  if line.startswith("built "))


def users_of(root, incident_id):
    """Briefs whose file names the incident (in incidents, citations or evidence)."""
    return sorted(b for b in brief_ids(root) if incident_id in (root / "briefs" / f"{b}.yaml").read_text())


def test_nothing_changed_renders_nothing_and_imports_no_weasyprint(built):
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "secbrief", "build"], cwd=built,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "nothing to do: no input changed since the last build"
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")]
    assert "secbrief.pipeline.build" in imported                      # the listing is real...
    assert not [m for m in imported if m.startswith(("weasyprint", "pydantic", "jinja2"))]  # ...and cheap


def test_changed_incident_rebuilds_exactly_its_briefs_naming_them(built):
    incident = "2023-10-19-al-tanf-drone-attack"
    expected = users_of(built, incident)
    assert f"2023-w42-{ENERGY}" in expected and f"2023-w42-{FREIGHT}" not in expected
    path = built / "incidents/2023" / f"{incident}.yaml"
    path.write_text(path.read_text().replace("Some US\n  personnel", "A few US\n  personnel"))
    result = run(built, "build")
    assert result.returncode == 0, result.stderr
    assert built_lines(result.stdout) == expected
    for brief in expected:
        assert f"built {brief} (md, html, pdf): incident {incident} changed" in result.stdout
    assert f"up to date: {len(brief_ids(built)) - len(expected)} brief(s)" in result.stdout


def test_changed_client_profile_rebuilds_that_clients_briefs(built):
    assert run(built, "build", "--format", "md").returncode == 0   # (a format change rebuilds all)
    path = built / f"briefs/clients/{FREIGHT}.yaml"
    path.write_text(path.read_text().replace('accent: "#0B6E4F"', 'accent: "#0B5E4F"'))
    result = run(built, "build", "--format", "md")
    assert result.returncode == 0, result.stderr
    assert built_lines(result.stdout) == sorted(b for b in brief_ids(built) if b.endswith(FREIGHT))
    assert f"client {FREIGHT} changed" in result.stdout


def test_new_incident_in_scope_changes_the_chart_of_that_client_only(built):
    assert run(built, "build", "--format", "md").returncode == 0
    write(built, "incidents/2023/2023-10-04-karrada-protest.yaml", """
        date: 2023-10-04
        title: Test rally in Karrada
        type: protest
        location: {place: Karrada}
        summary: A test incident [@test-2023-10-04].
        sources:
          - {id: test-2023-10-04, publisher: Test, title: Test, date: 2023-10-04, grade: C3}
    """)
    result = run(built, "build", "--format", "md")
    assert result.returncode == 0, result.stderr
    # Week 40 is in the 12 weeks of both freight briefs; Baghdad is outside the energy client's scope.
    assert built_lines(result.stdout) == [f"2023-w41-{FREIGHT}", f"2023-w42-{FREIGHT}"]
    assert f"built 2023-w42-{FREIGHT} (md): 12-week chart changed" in result.stdout


def test_force_and_make_B_rebuild_everything(built):
    forced = run(built, "build", "--format", "md", "--force")
    assert built_lines(forced.stdout) == brief_ids(built)
    assert all("forced" in line for line in forced.stdout.splitlines() if line.startswith("built "))
    made = subprocess.run(["make", "-B", "build"], cwd=built, capture_output=True,
                          text=True, timeout=600)
    assert made.returncode == 0, made.stderr
    assert built_lines(made.stdout) == brief_ids(built)
    assert "--force" in made.stdout


def test_progress_bar_on_a_terminal_plain_lines_elsewhere(built):
    args = [sys.executable, "-m", "secbrief", "build", "--format", "md,html", "--force"]
    files = 2 * len(brief_ids(built))
    master, slave = pty.openpty()
    proc = subprocess.run(args, cwd=built, stdout=subprocess.PIPE, stderr=slave, timeout=300)
    os.close(slave)
    chunks = []
    try:
        while chunk := os.read(master, 4096):
            chunks.append(chunk)
    except OSError:  # EIO: the terminal's other end is closed
        pass
    os.close(master)
    terminal = b"".join(chunks).decode()
    assert proc.returncode == 0
    assert f"\r[{'#' * 24}] {files}/{files} rendered" in terminal   # one line, redrawn in place
    assert "\n" not in terminal.strip("\r ")

    piped = run(built, "build", "--format", "md,html", "--force")
    lines = piped.stderr.splitlines()
    assert lines[0].startswith(f"rendered 1/{files}: ") and lines[-1].startswith(f"rendered {files}/{files}: ")
    assert len(lines) <= 12  # a line per tenth, not one per file
    assert "\r" not in piped.stderr

    few = run(built, "build", brief_ids(built)[0], "--format", "md,html", "--force")
    assert few.returncode == 0 and few.stderr == ""                  # two files: no progress at all
