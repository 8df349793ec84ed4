"""The parse cache (build/.cache/yaml): a second load of unchanged files
parses nothing, yet sees every edit, reports exactly what a fresh load
reports, and never trusts a cache file it did not write."""

import os
import pickle
import shutil
import time

import pytest

from conftest import REPO, copy_project, run, snapshot, write
from secbrief.load import fast_path, yamlfile
from secbrief.load import parsecache
from secbrief.core.diagnostics import Report
from secbrief.core.project import Project
from secbrief.validate.load_corpus import load_corpus


@pytest.fixture
def parses(monkeypatch):
    """The files the YAML parser really read, by their first line."""
    seen = []
    real = fast_path.plain_data

    def counting(text):
        seen.append(text.split("\n", 1)[0])
        return real(text)

    monkeypatch.setattr(fast_path, "plain_data", counting)
    return seen


def load(root, **kwargs):
    report = Report()
    corpus = load_corpus(Project.at(root), report, **kwargs)
    return corpus, [str(d) for d in report.diagnostics]


def everything(corpus):
    return ({i: (e.doc.data, e.model) for i, e in corpus.incidents.items()},
            {i: (e.doc.data, e.model) for i, e in corpus.briefs.items()}, corpus.actors.by_id, corpus.places.by_id)


def test_second_load_parses_nothing_and_gives_the_same_corpus(demo, parses):
    first, said_first = load(demo)
    assert len(parses) > 20 and (demo / "build" / ".cache" / "yaml").is_file()
    parses.clear()
    second, said_second = load(demo)
    assert parses == []
    assert everything(second) == everything(first)
    assert said_second == said_first


@pytest.fixture
def reads(monkeypatch):
    """The files the loader really opened, by name."""
    opened = []
    real = yamlfile.read_bytes

    def counting(path, follow):
        opened.append(os.path.basename(path))
        return real(path, follow)

    monkeypatch.setattr(yamlfile, "read_bytes", counting)
    return opened


@pytest.fixture
def trust_file_times(monkeypatch):
    """Files written by the test a moment ago count as settled: their
    times are trusted at once rather than after RACY_NS."""
    monkeypatch.setattr(parsecache, "RACY_NS", 0)


def test_unchanged_files_are_not_even_read(mini, reads, trust_file_times):
    first, said_first = load(mini)
    assert len(reads) == 4  # two registries, an incident, a brief
    reads.clear()
    second, said_second = load(mini)
    assert reads == []
    assert everything(second) == everything(first) and said_second == said_first
    assert [e.doc.digest for e in second.incidents.values()] == [e.doc.digest for e in first.incidents.values()]
    path = next((mini / "incidents").rglob("20*.yaml"))
    path.write_text(path.read_text().replace("killed: 0", "killed: 3"))
    _, said = load(mini)
    assert reads == [path.name] and said == said_first


def test_files_changed_just_before_a_load_are_read_again(mini, reads, parses):
    """The racy-timestamp rule: a file written within RACY_NS of a load
    could be written again within the same clock tick, keeping its size
    and times; so its times vouch for nothing yet."""
    load(mini)
    reads.clear()
    parses.clear()
    load(mini)
    assert len(reads) == 4 and parses == []  # read and hashed, not parsed


def test_a_problem_in_a_file_that_was_not_read_still_points_at_its_line(mini, reads, trust_file_times):
    """A registry change makes an untouched incident wrong: its line is
    found from the file, read only then, and said as a fresh load says it."""
    load(mini)
    cold = copy_project(mini.parent / "cold", mini)
    for root in (mini, cold):
        registry = root / "incidents" / "actors.yaml"
        registry.write_text(registry.read_text().replace("Asaib Ahl al-Haq", "Asaib Group")
                            .replace('"Asa\'ib Ahl al-Haq"', "AAH"))
    reads.clear()
    _, said_warm = load(mini)
    assert sorted(reads) == ["2020-12-20-embassy-rockets.yaml", "actors.yaml"]  # the incident: for the line
    _, said_cold = load(cold, parse_cache=False)
    assert said_warm == said_cold
    assert any(":11:12: error: unknown actor 'Asa'ib Ahl al-Haq'" in line for line in said_warm), said_warm


@pytest.mark.parametrize("times", ["settled", "racy"])
def test_an_edit_that_keeps_size_and_times_is_still_seen(mini, parses, monkeypatch, times):
    if times == "settled":
        monkeypatch.setattr(parsecache, "RACY_NS", 0)
    load(mini)
    time.sleep(0.05)  # past the file system's clock tick: the edit's change time differs
    path = next((mini / "incidents").rglob("20*.yaml"))
    text = path.read_text()
    stat = path.stat()
    edited = text.replace("killed: 0", "killed: 7")
    assert len(edited) == len(text) and edited != text
    path.write_text(edited)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    parses.clear()
    corpus, _ = load(mini)
    assert len(parses) == 1
    assert corpus.incidents[path.stem].model.casualties.killed == 7


def test_a_file_with_a_problem_is_reported_the_same_every_time(mini, parses):
    write(mini, "incidents/2020/2020-01-02-bad.yaml", """
        date: 2020-01-02
        title: Bad
        type: attack
        type: attack
        location: {country: Iraq}
        summary: Text.
        """)
    (mini / "build").mkdir()  # an earlier build made it: the cache is kept even when a load fails
    _, first = load(mini)
    parses.clear()
    _, second = load(mini)
    assert first == second
    assert any("duplicate key" in line for line in first)
    assert parses == ["date: 2020-01-02"]  # the clean files come from the cache, never the bad one


def test_a_failed_check_on_a_fresh_tree_leaves_no_build_folder(mini):
    write(mini, "incidents/2020/2020-01-02-bad.yaml", "date: [\n")
    result = run(mini, "check")
    assert result.returncode == 1
    assert not (mini / "build").exists()


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "other-version"])
def test_a_damaged_cache_is_ignored_and_replaced(mini, parses, damage):
    load(mini)
    cache = mini / "build" / ".cache" / "yaml"
    good = cache.read_bytes()
    cache.write_bytes({"truncated": good[: len(good) // 2], "garbage": os.urandom(300), "empty": b"",
                       "other-version": good.replace(good[:24], b"secbrief yaml cache\n" + b"\0" * 4, 1)}[damage])
    parses.clear()
    corpus, said = load(mini)
    assert parses and said == [] and corpus.incidents
    assert cache.read_bytes() == good


def test_a_planted_cache_cannot_run_code(mini, tmp_path):
    """A pickle that would call a function when loaded is refused as data:
    the cache is ignored and nothing runs."""
    load(mini)
    cache = mini / "build" / ".cache" / "yaml"
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    header = cache.read_bytes()[: len(parsecache._MAGIC) + 16]
    cache.write_bytes(header + pickle.dumps({b"k" * 16: Payload()}))
    result = run(mini, "check")
    assert result.returncode == 0, result.stderr
    assert not marker.exists()


def test_a_build_folder_that_cannot_be_written_only_costs_speed(mini, parses):
    (mini / "build").write_text("not a folder")
    _, said = load(mini)
    assert said == []
    parses.clear()
    _, said = load(mini)
    assert said == [] and parses  # nothing kept, so parsed again


def test_check_and_build_say_the_same_with_and_without_the_cache(tmp_path):
    """The whole demo, warm and cold: same lines, same outputs."""
    cold = copy_project(tmp_path / "cold", REPO)
    warm = copy_project(tmp_path / "warm", REPO)
    assert run(warm, "check").returncode == 0  # leaves build/.cache/yaml behind
    assert (warm / "build" / ".cache" / "yaml").is_file()
    for root in (cold, warm):
        result = run(root, "build", "--format", "md,html")
        assert result.returncode == 0, result.stderr
    def outputs(root):
        return {k: v for k, v in snapshot(root / "build").items() if k.endswith((".md", ".html"))}
    assert outputs(cold) == outputs(warm)


def test_loading_without_the_cache_writes_nothing(mini):
    load(mini, parse_cache=False)
    assert not (mini / "build").exists()
