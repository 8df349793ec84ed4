"""bench/corpus.py writes projects secbrief accepts: every style, weekly
briefs included, clean under `secbrief check`, and the same bytes for the
same seed (the benchmarks compare runs on them)."""

from __future__ import annotations

import collections
import importlib.util
import sys

import pytest

from conftest import REPO, run, snapshot


def _corpus_module():
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


corpus_py = _corpus_module()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    return corpus_py.generate(root, incidents=400, briefs=36)


def test_every_style_gets_an_equal_share_of_the_briefs(synthetic):
    assert synthetic.skipped_styles == []
    assert "weekly-brief" in synthetic.styles
    text = {i: (synthetic.root / "briefs" / f"{i}.yaml").read_text() for i in synthetic.brief_ids}
    per_style = collections.Counter(next(line.split(": ")[1] for line in t.splitlines()
                                         if line.startswith("style: ")) for t in text.values())
    assert set(per_style) == set(synthetic.styles)
    assert max(per_style.values()) - min(per_style.values()) <= 1
    assert len(synthetic.clients) >= 2
    assert sorted(p.stem for p in (synthetic.root / "briefs/clients").glob("*.yaml")) == sorted(synthetic.clients)


def test_the_corpus_passes_check_with_no_warning(synthetic):
    result = run(synthetic.root, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: no errors, 0 warning(s)" in result.stdout + result.stderr


def test_weekly_briefs_hold_their_weeks_incidents_in_scope_and_number_issues_in_order(synthetic):
    from secbrief.validate.clients import incidents_in_scope
    from secbrief.core.diagnostics import Report
    from secbrief.core.project import Project
    from secbrief.validate.load_corpus import load_corpus

    corpus = load_corpus(Project(synthetic.root), Report())
    weekly = [e.model for e in corpus.briefs.values() if e.model.style == "weekly-brief"]
    assert weekly and {b.client for b in weekly} == set(synthetic.clients)
    for brief in weekly:
        client = corpus.clients[brief.client]
        # Exactly what `secbrief weekly` would list for that client and week.
        assert brief.incidents == incidents_in_scope(corpus, client.profile.scope, brief.period.from_,
                                                     brief.period.to)
        assert brief.series == client.profile.series
        assert brief.issued >= brief.period.to
    assert any(brief.incidents for brief in weekly)
    for client_id in synthetic.clients:
        series = sorted((b.period.from_, b.issue) for b in weekly if b.client == client_id)
        assert [issue for _, issue in series] == list(range(1, len(series) + 1))


def test_a_later_issue_says_what_changed_since_the_one_before(synthetic, tmp_path):
    later = sorted(i for i in synthetic.brief_ids if "-w" in i
                   and "issue: 2\n" in (synthetic.root / "briefs" / f"{i}.yaml").read_text())[0]
    result = run(synthetic.root, "build", later, "--format", "md")
    assert result.returncode == 0, result.stdout + result.stderr
    text = (synthetic.root / "build" / later / f"{later}.md").read_text()
    assert "What changed since Issue 1" in text


def test_the_same_seed_writes_the_same_bytes(tmp_path):
    first = corpus_py.generate(tmp_path / "a", incidents=120, briefs=18)
    corpus_py.generate(tmp_path / "b", incidents=120, briefs=18)
    assert first.clients
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
