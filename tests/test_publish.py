"""`make publish DEST=...`: a TLP ceiling, refusal by name, all or nothing,
and an archive that lists exactly what was published."""

import subprocess
from xml.etree import ElementTree as ET

import pytest

from conftest import DEMO_BRIEF, run, snapshot
from weekly_support import ENERGY, FREIGHT, brief_ids, weekly_project, with_make

ATOM = "{http://www.w3.org/2005/Atom}"
AMBER_BRIEF = f"2023-w42-{FREIGHT}"
GREEN_BRIEF = f"2023-w42-{ENERGY}"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = with_make(weekly_project(tmp_path_factory.mktemp("publish") / "demo"))
    assert run(root, "weekly", "2023-W42", "--no-build").returncode == 0
    assert run(root, "build").returncode == 0
    return root


@pytest.fixture
def published(project, tmp_path):
    """A destination that already holds a publication of the CLEAR demo brief."""
    dest = tmp_path / "site"
    result = run(project, "publish", str(dest), DEMO_BRIEF)
    assert result.returncode == 0, result.stderr
    return dest


def feed_titles(dest):
    feed = ET.parse(dest / "feed.xml").getroot()
    return [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]


def test_make_publish_to_clear_refuses_amber_brief_by_name_and_leaves_dest(project, published):
    before = snapshot(published)
    result = subprocess.run(["make", "publish", f"DEST={published}"], cwd=project, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode != 0
    assert (f"briefs/{AMBER_BRIEF}.yaml:13:6: error: brief '{AMBER_BRIEF}' is TLP:AMBER, above the ceiling "
            f"TLP:CLEAR of {published}: not published") in result.stderr
    assert f"brief '{GREEN_BRIEF}' is TLP:GREEN, above the ceiling TLP:CLEAR" in result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(published) == before
    assert sorted(p.name for p in published.parent.iterdir()) == ["site"]   # no staging folder left


def test_refusal_into_a_new_nested_destination_creates_no_folder(project, tmp_path):
    dest = tmp_path / "www" / "briefs"
    result = run(project, "publish", str(dest), "--ceiling", "GREEN")
    assert result.returncode == 1
    assert f"brief '{AMBER_BRIEF}' is TLP:AMBER, above the ceiling TLP:GREEN" in result.stderr
    assert not (tmp_path / "www").exists()


def test_published_archive_lists_only_published_briefs(project, published):
    assert sorted(p.name for p in published.iterdir() if p.is_dir()) == [DEMO_BRIEF]
    for fmt in ("md", "html", "pdf"):
        assert (published / DEMO_BRIEF / f"{DEMO_BRIEF}.{fmt}").read_bytes() == \
            (project / "build" / DEMO_BRIEF / f"{DEMO_BRIEF}.{fmt}").read_bytes()
    index = (published / "index.html").read_text()
    assert f'<tr id="{DEMO_BRIEF}">' in index and AMBER_BRIEF not in index and GREEN_BRIEF not in index
    assert len(feed_titles(published)) == 1


def test_higher_ceiling_publishes_everything_and_replaces_the_old_publication(project, published):
    result = subprocess.run(["make", "publish", f"DEST={published}", "CEILING=AMBER"], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in published.iterdir() if p.is_dir()) == brief_ids(project)
    assert len(feed_titles(published)) == len(brief_ids(project))
    assert sorted(p.name for p in published.parent.iterdir()) == ["site"]


def test_failure_while_copying_leaves_dest_as_it_was(project, published, monkeypatch):
    from secbrief.core import atomic
    from secbrief.core.project import Project
    from secbrief.pipeline.publish import PublishError, publish

    before = snapshot(published)
    calls = []

    def open_then_fail(path, mode="r", *args, **kwargs):
        calls.append(path)
        if len(calls) == 4:  # the disk fills up on the fourth file
            raise OSError(28, "No space left on device")
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(atomic, "open", open_then_fail, raising=False)
    with pytest.raises(PublishError, match="the destination is as it was"):
        publish(Project.at(project), published, ceiling="AMBER", log=lambda line: None)
    assert len(calls) == 4
    assert snapshot(published) == before
    assert sorted(p.name for p in published.parent.iterdir()) == ["site"]


def test_refuses_a_folder_it_did_not_make(project, tmp_path):
    foreign = tmp_path / "home"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    result = run(project, "publish", str(foreign), DEMO_BRIEF)
    assert result.returncode == 2
    assert "is not empty and was not made by secbrief publish" in result.stderr
    assert (foreign / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("dest", [".", "build", "build/site", "briefs"])
def test_refuses_to_replace_part_of_the_project(project, dest):
    before = snapshot(project / "briefs")
    result = run(project, "publish", dest, DEMO_BRIEF)
    assert result.returncode == 2
    assert "would replace part of the project" in result.stderr
    assert snapshot(project / "briefs") == before


def test_make_publish_without_dest_says_how(project):
    result = subprocess.run(["make", "publish"], cwd=project, capture_output=True, text=True)
    assert result.returncode != 0 and "usage: make publish DEST=<dir>" in result.stderr
