"""Parsing a first load's files on every core (secbrief/load/parseahead.py):
the same corpus and the same lines as a load that parses everything itself,
helpers really used, and nothing outside the project handed to them."""

import multiprocessing
import os

import pytest

from conftest import write
from secbrief.load import fast_path, yamlfile
from secbrief.load import parseahead
from secbrief.core.diagnostics import Report
from secbrief.load.parsecache import ParseCache
from secbrief.core.project import Project
from secbrief.validate.load_corpus import load_corpus

FILES = 40


@pytest.fixture
def many(demo, monkeypatch):
    """The demo with FILES more incidents, a few of them wrong, and parse
    ahead switched on from a handful of files."""
    monkeypatch.setattr(parseahead, "MIN_FILES", 8)
    for n in range(FILES):
        day = f"2021-03-{n % 28 + 1:02d}"
        lines = [f"date: {'2021-02-30' if n % 17 == 3 else day}",  # no such day: validation says so
                 f"title: Extra incident {n}", "type: attack"]
        if n % 13 == 5:
            lines.append("type: attack")  # a duplicate key: the careful path says so
        lines += ["location: {country: Iraq, city: Basra}", "actors:",
                  "  - {name: Kataib Hezbollah, role: suspected}",
                  f"summary: Something happened [@extra-src-{n}].", "sources:",
                  f"  - id: extra-src-{n}", "    publisher: Test Wire", f"    title: Report {n}",
                  f"    date: {day}", "    grade: B2"]
        write(demo, f"incidents/2021/{day}-extra-{n}.yaml", "\n".join(lines) + "\n")
    return demo


def load(root, **kwargs):
    report = Report()
    corpus = load_corpus(Project.at(root), report, **kwargs)
    return corpus, [str(d) for d in report.diagnostics]


def test_parsing_ahead_changes_nothing_but_who_parses(many, monkeypatch):
    parsed_here = []
    real = fast_path.plain_data

    def counting(text):
        parsed_here.append(1)  # counted in this process only: a helper counts in its own copy
        return real(text)

    monkeypatch.setattr(fast_path, "plain_data", counting)
    alone, said_alone = load(many, parse_cache=False)
    files = len(parsed_here)
    parsed_here.clear()
    shared, said_shared = load(many, jobs=2)
    assert said_shared == said_alone
    assert any("duplicate key" in line for line in said_alone)
    assert any("2021-02-30" in line for line in said_alone)
    assert {i: e.model for i, e in shared.incidents.items()} == {i: e.model for i, e in alone.incidents.items()}
    assert {i: e.model for i, e in shared.briefs.items()} == {i: e.model for i, e in alone.briefs.items()}
    if "fork" in multiprocessing.get_all_start_methods():
        assert 0 < len(parsed_here) < files  # helpers parsed part of it; this process the rest


def test_one_job_parses_nothing_ahead(many, monkeypatch):
    monkeypatch.setattr(parseahead, "_parse_chunk", lambda names: pytest.fail("parsed ahead"))
    _, said = load(many, jobs=1)
    assert any("duplicate key" in line for line in said)


@pytest.mark.parametrize("link", ["each file", "the incidents folder"])
def test_files_outside_the_project_are_never_handed_to_helpers(many, tmp_path, monkeypatch, link):
    outside = tmp_path / "elsewhere"
    for n in range(20):
        write(outside, f"2021-04-{n + 1:02d}-secret.yaml", "date: 2021-04-01\ntitle: secret\n")
    if link == "each file":
        for path in outside.iterdir():
            os.symlink(path, many / "incidents" / "2021" / path.name)
    else:
        (many / "incidents").rename(outside / "real")
        os.symlink(outside, many / "incidents")
    handed = []
    real = parseahead._parse_chunk
    monkeypatch.setattr(parseahead, "_parse_chunk", lambda names: handed.extend(names) or real(names))
    # Every chunk in this process, so that this test sees each one.
    monkeypatch.setattr("secbrief.core.fork.fork_chunks", lambda work, chunks, jobs: [work(c) for c in chunks])
    project = Project.at(many)
    count = parseahead.parse_ahead(project.incident_paths(), ParseCache.for_project(project),
                                   yamlfile.Confinement(project.root), jobs=2)
    assert count == len(handed)
    assert not any("secret" in name for name in handed)
    _, said = load(many, jobs=2)
    assert sum("file is a link to a place outside the project" in line for line in said) >= 20


def test_a_helper_that_dies_only_costs_speed(many, monkeypatch):
    """Parsing ahead is an optimisation: if a helper is killed (out of
    memory, say), the load parses those files itself and says the same."""
    _, expected = load(many, parse_cache=False)
    parent = os.getpid()
    real = parseahead._parse_chunk

    def dies(names):
        if os.getpid() != parent:
            os._exit(9)
        return real(names)

    monkeypatch.setattr(parseahead, "_parse_chunk", dies)
    corpus, said = load(many, jobs=2)
    assert said == expected and len(corpus.incidents) > FILES
