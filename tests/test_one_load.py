"""A command reads the archive once: `secbrief weekly` loads the corpus,
writes the week's briefs, adds them to that corpus and builds from it;
`publish` builds from the corpus it checked the TLP ceiling on; `check`
lints the corpus it validated. And a brief added to a loaded corpus is
checked exactly as a fresh load checks it (validate.load_corpus.add_briefs)."""

import os
import shutil

import pytest

from conftest import write
from secbrief import cli
from secbrief.core.diagnostics import Report
from secbrief.core.project import Project
from secbrief.load import parsecache, yamlfile
from secbrief.validate.load_corpus import add_briefs, load_corpus
from weekly_support import ENERGY, ENERGY_W42, WEEK42, weekly_project


@pytest.fixture
def opened(monkeypatch):
    """How many times the loader opened each file, by name. No file's
    times are trusted (RACY_NS: forever), so a load that had a file before
    cannot skip reading it: every load shows up in these counts."""
    counts: dict[str, int] = {}
    real = yamlfile.read_bytes

    def counting(path, follow):
        name = os.path.basename(path)
        counts[name] = counts.get(name, 0) + 1
        return real(path, follow)

    monkeypatch.setattr(yamlfile, "read_bytes", counting)
    monkeypatch.setattr(parsecache, "RACY_NS", 10**20)
    return counts


def incident_names(root):
    return sorted(p.name for p in (root / "incidents").rglob("*.yaml")
                  if p.parent.name != "incidents")  # not the registries


def test_weekly_reads_every_incident_once(tmp_path, opened, capsys):
    root = weekly_project(tmp_path / "demo")
    # An incident recorded twice: a warning, said once (it was said twice
    # when the build loaded the corpus again).
    shutil.copy2(root / "incidents/2020/2020-12-20-us-embassy-rockets.yaml",
                 root / "incidents/2020/2020-12-20-us-embassy-rockets-again.yaml")
    assert cli.main(["-C", str(root), "weekly", WEEK42, "--client", ENERGY]) == 0
    out = capsys.readouterr().out
    assert out.count("warning: possible duplicate of incident '2020-12-20-us-embassy-rockets'") == 1, out
    assert f"created briefs/2023-w42-{ENERGY}.yaml" in out and f"built 2023-w42-{ENERGY} (md, html, pdf)" in out
    assert all((root / f"build/2023-w42-{ENERGY}/2023-w42-{ENERGY}.{fmt}").is_file() for fmt in ("md", "html", "pdf"))
    names = incident_names(root)
    assert len(names) > 20
    assert {name: opened.get(name) for name in names} == {name: 1 for name in names}
    assert opened[f"2023-w42-{ENERGY}.yaml"] == 1                # the new brief: written, then read once
    assert opened["actors.yaml"] == opened["places.yaml"] == 1


def test_publish_reads_every_incident_once(mini, tmp_path, opened, capsys):
    assert cli.main(["-C", str(mini), "publish", str(tmp_path / "site"), "--ceiling", "RED"]) == 0
    assert "built test-brief (md, html, pdf)" in capsys.readouterr().out
    assert (tmp_path / "site" / "test-brief" / "test-brief.pdf").is_file()
    assert opened == {name: 1 for name in opened} and "2020-12-20-embassy-rockets.yaml" in opened


def test_check_reads_every_file_once(mini, opened, capsys):
    assert cli.main(["-C", str(mini), "check"]) == 0
    assert opened == {name: 1 for name in opened} and "test-brief.yaml" in opened


# A weekly brief with something for every check a load runs on a brief:
# references (an unknown party and incident), lint (a judgement that names
# no evidence, one whose wording contradicts its likelihood, an uncited
# source), integrity (a source dated after the brief, an incident of
# another week) and its client (a TLP above the client's ceiling).
FLAWED = f"""
style: weekly-brief
client: {ENERGY}
series: "Northern Arc Energy Weekly"
issue: 9
title: "Week 42"
issued: 2023-10-22
period: {WEEK42}
tlp: RED
incidents: [{ENERGY_W42[0]}, 2023-10-02-not-an-incident, 2020-12-20-us-embassy-rockets]
parties: [Nobody We Know]
summary: Attacks went on [@late-report].
key_judgements:
  - id: more
    statement: Attacks will almost certainly continue.
    likelihood: unlikely
    confidence: moderate
  - id: bare
    statement: Attacks will continue.
    likelihood: likely
    confidence: low
    evidence: [{ENERGY_W42[0]}]
sources:
  - id: late-report
    title: A later report
    publisher: Someone
    date: 2023-10-30
    grade: B2
  - id: never-cited
    title: Never cited
    publisher: Someone
    date: 2023-10-01
    grade: B2
"""
# A brief that fails its model, with a reference that is still checked.
BROKEN = f"""
style: weekly-brief
client: {ENERGY}
title: 12
issued: 2023-10-22
period: {WEEK42}
tlp: GREEN
incidents: [2023-10-03-nor-this-one]
"""


def test_added_briefs_are_checked_as_a_fresh_load_checks_them(tmp_path):
    root = weekly_project(tmp_path / "demo")
    project = Project.at(root)
    before = Report()
    corpus = load_corpus(project, before)
    series = "Northern Arc Energy Weekly"
    assert corpus.series_briefs(series) == []  # an index made before the briefs are added
    paths = [write(root, "briefs/2023-w42-flawed.yaml", FLAWED), write(root, "briefs/2023-w42-broken.yaml", BROKEN)]
    added = Report()
    assert add_briefs(corpus, paths, added) == ["2023-w42-flawed"]

    fresh = Report()
    again = load_corpus(project, fresh)
    new = {"briefs/2023-w42-flawed.yaml", "briefs/2023-w42-broken.yaml"}
    codes = {d.code for d in added.diagnostics}
    assert {"SB220", "SB231", "SB301", "SB310", "SB254", "SB257", "SB258", "SB265"} <= codes, codes
    assert sorted(map(str, added.diagnostics)) == sorted(str(d) for d in fresh.diagnostics if d.path in new)
    assert sorted(map(str, before.diagnostics)) == sorted(str(d) for d in fresh.diagnostics if d.path not in new)
    # The corpus is the one a fresh load gives: its briefs, in file order;
    # its sources; and the indexes made over it (briefs by series).
    assert list(corpus.briefs) == list(again.briefs)
    assert corpus.sources.keys() == again.sources.keys() and corpus.broken == again.broken
    assert {e.id for e in corpus.series_briefs(series)} == {e.id for e in again.series_briefs(series)}
    assert "2023-w42-flawed" in {e.id for e in corpus.series_briefs(series)}
