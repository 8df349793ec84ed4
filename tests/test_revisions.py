"""Issue 18 item 6: an incident's `updates:` log; briefs show the current
figures and say "revised"; `secbrief diff` compares incident files too."""

from __future__ import annotations

import json

from conftest import run, write
from secbrief.cli import main
from test_history import commit_all, git, sb

INCIDENT = "incidents/2020/2020-12-20-embassy-rockets.yaml"
UPDATES = """updates:
  - date: 2020-12-22
    change: Killed raised from 0 to 2 as two of the wounded died.
    source: wire-2020-12-22
"""
SOURCE = """  - id: wire-2020-12-22
    publisher: Test Wire
    title: Two die of their wounds
    date: 2020-12-22
    grade: B2
"""


def revise(root) -> None:
    """The mini incident revised: casualties raised, a source and an update added."""
    path = root / INCIDENT
    text = path.read_text(encoding="utf-8").replace("casualties: {killed: 0, injured: 0}",
                                                    "casualties: {killed: 2, injured: 3}")
    path.write_text(text + SOURCE + UPDATES, encoding="utf-8")


def test_a_revised_incident_shows_its_current_figures_and_says_revised(mini):
    revise(mini)
    write(mini, "briefs/annex.yaml", """
        style: assessment
        title: Annex
        issued: 2020-12-28
        tlp: CLEAR
        incidents: [2020-12-20-embassy-rockets]
        period: {from: 2020-12-14, to: 2020-12-28}
        summary: The attack [@2020-12-20-embassy-rockets].
    """)
    result = run(mini, "build", "--format", "md,html")
    assert result.returncode == 0, result.stderr
    md = (mini / "build/test-brief/test-brief.md").read_text(encoding="utf-8")
    assert "**Date:** 20 December 2020, 21:00 local time (revised 22 December 2020)\n" in md
    # (map 1): its number on the brief's map comes after the revision note
    assert "- **20 December 2020**: Rockets fired at the US Embassy [1] (revised 22 December 2020) (map 1)\n" in md
    html = (mini / "build/test-brief/test-brief.html").read_text(encoding="utf-8")
    assert ('<dd>20 December 2020, 21:00 local time <span class="revised">(revised 22 December 2020)</span></dd>'
            in html)
    annex = (mini / "build/annex/annex.md").read_text(encoding="utf-8")
    assert ("- **20 December 2020**: Rockets fired at the US Embassy [1, 2] (revised 22 December 2020). "
            "US Embassy, Baghdad, Iraq (map 1). Casualties: 2 killed, 3 injured.\n") in annex


def test_an_incident_without_updates_says_nothing_of_revisions(mini):
    result = run(mini, "build", "--format", "md")
    assert result.returncode == 0, result.stderr
    assert "revised" not in (mini / "build/test-brief/test-brief.md").read_text(encoding="utf-8")


def test_the_query_shows_the_latest_revision(mini):
    revise(mini)
    result = run(mini, "incidents", "--format", "json")
    assert [row["revised"] for row in json.loads(result.stdout)] == ["2020-12-22"]
    table = run(mini, "incidents").stdout
    assert table.splitlines()[-1] == "    revised: 2020-12-22"


def test_an_update_source_is_checked_in_a_file_that_fails_its_model_too(mini, capsys):
    path = mini / INCIDENT
    path.write_text(path.read_text(encoding="utf-8").replace("type: rocket-attack", "type: rockets")
                    + "updates:\n  - {date: 2020-12-22, change: Raised., source: no-such-source}\n", encoding="utf-8")
    assert main(["-C", str(mini), "check", "--format", "json"]) == 1
    codes = [d["code"] for d in json.loads(capsys.readouterr().out)["diagnostics"]]
    assert sorted(codes) == ["SB102", "SB274"]


def test_update_dates_are_checked_in_a_file_that_fails_its_model_too(mini, capsys):
    path = mini / INCIDENT
    path.write_text(path.read_text(encoding="utf-8").replace("type: rocket-attack", "type: rockets")
                    + "updates:\n  - {date: 2020-12-19, change: Raised., source: wire-2020-12-21}\n",
                    encoding="utf-8")
    assert main(["-C", str(mini), "check", "--format", "json"]) == 1
    got = [(d["code"], d["message"]) for d in json.loads(capsys.readouterr().out)["diagnostics"]]
    assert sorted(got) == [("SB102", "type: expected one of: 'rocket-attack', 'missile-attack', 'drone-attack', "
                                     "'airstrike', 'ied-attack', 'armed-clash', 'attack', 'abduction', "
                                     "'violent-demonstration', 'protest', 'strategic-development', but received: "
                                     "'rockets'"),
                           ("SB272", "updates: 2020-12-19 is before the incident's date 2020-12-20")]


def repo_with_revision(root):
    write(root, ".gitignore", "build/\n")
    git(root, "init", "-q")
    commit_all(root, "The embassy rockets")
    revise(root)
    return root


def test_diff_compares_an_incident_by_id_or_path(mini):
    repo = repo_with_revision(mini)
    by_id = sb(repo, "diff", "2020-12-20-embassy-rockets")
    assert by_id.returncode == 0, by_id.stderr
    lines = by_id.stdout.splitlines()
    assert lines[0].startswith(f"{INCIDENT}: HEAD (")
    assert "  casualties.killed: [-0-] {+2+}" in lines
    assert "  casualties.injured: [-0-] {+3+}" in lines
    assert "  sources: +wire-2020-12-22" in lines
    assert "  updates[1].change: {+Killed raised from 0 to 2 as two of the wounded died.+}" in lines
    by_path = sb(repo, "diff", INCIDENT)
    assert by_path.stdout == by_id.stdout
    md = sb(repo, "diff", INCIDENT, "--format", "md").stdout
    assert "- `casualties.killed`: ~~0~~ **2**" in md
    commit_all(repo, "Revised", 1)
    assert sb(repo, "diff", INCIDENT).stdout.splitlines()[-1] == "no change to the incident"


def test_diff_of_an_id_that_is_both_a_brief_and_an_incident_names_both(mini):
    repo = repo_with_revision(mini)
    write(repo, "briefs/2020-12-20-embassy-rockets.yaml", (repo / "briefs/test-brief.yaml").read_text())
    result = sb(repo, "diff", "2020-12-20-embassy-rockets")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("secbrief diff: '2020-12-20-embassy-rockets' is both a brief "
                             "(briefs/2020-12-20-embassy-rockets.yaml) and an incident "
                             "(incidents/2020/2020-12-20-embassy-rockets.yaml); give the path of the one to "
                             "compare\n")
    assert sb(repo, "diff", "briefs/2020-12-20-embassy-rockets.yaml").returncode == 0


def test_diff_of_an_unknown_id_suggests_briefs_and_incidents(mini):
    repo = repo_with_revision(mini)
    result = sb(repo, "diff", "2020-12-20-embassy-rocket")
    assert result.returncode == 2
    assert result.stderr.strip() == ("secbrief diff: no brief or incident '2020-12-20-embassy-rocket' in this "
                                     "revision or the working tree (did you mean '2020-12-20-embassy-rockets'?)")
