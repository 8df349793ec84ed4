"""`secbrief check`: every problem, one line each, at the right place."""

from conftest import run, snapshot, write


def test_mini_project_is_clean(mini):
    result = run(mini, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


BROKEN = """\
date: 2020-12-32
title: A broken incident
tpye: rocket-attack
location: {country: Iraq}
actors:
  - {name: Kataib Hezbolah, role: suspected}
summary: text
summary: more text
sources:
  - {id: s1, publisher: P, title: T, date: 2020-12-21, grade: B2}
"""


def test_four_mistakes_four_lines_and_nothing_written(mini):
    write(mini, "incidents/2020/2020-12-21-broken.yaml", BROKEN)
    before = snapshot(mini)
    result = run(mini, "check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    path = "incidents/2020/2020-12-21-broken.yaml"
    assert lines == [
        f"{path}:1:7: error: date: '2020-12-32' is not a valid date (expected YYYY-MM-DD, a real calendar day)",
        f"{path}:3:1: error: unknown field 'tpye' (did you mean 'type'?)",
        f"{path}:6:12: error: unknown actor 'Kataib Hezbolah' (did you mean 'Kataib Hezbollah'?)",
        f"{path}:8:1: error: duplicate key 'summary' (first defined at line 7); "
        "YAML would silently keep only the last one",
    ]
    assert "Traceback" not in result.stderr

    build = run(mini, "build")
    assert build.returncode == 1
    assert build.stderr.splitlines()[:4] == lines
    assert "nothing was written" in build.stderr
    assert not (mini / "build").exists()
    assert snapshot(mini) == before  # no input changed either


def test_every_file_reported_in_one_run(mini):
    write(mini, "incidents/2020/2020-12-22-a.yaml", "title: [unclosed\n")
    write(mini, "briefs/b.yaml", "style: nope\ntitle: x\nissued: 2020-12-21\ntlp: BLUE\n")
    result = run(mini, "check")
    assert result.returncode == 1
    out = result.stdout
    assert "incidents/2020/2020-12-22-a.yaml:2:1: error: YAML syntax error" in out
    assert "briefs/b.yaml:4:6: error: tlp: expected one of: 'CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED', " \
           "but received: 'BLUE'" in out
    assert "briefs/b.yaml:1:8: error: style: unknown style 'nope'" not in out  # invalid brief: no cross-checks


def test_unknown_citation_and_missing_incident(mini):
    write(mini, "briefs/c.yaml", """
        style: security-brief
        title: x
        issued: 2020-12-21
        tlp: CLEAR
        event: 2020-12-20-embassy-rocket
        outlook: |
          First line.
          Then a citation [@no-such-source].
        """)
    result = run(mini, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "briefs/c.yaml:5:8: error: unknown incident '2020-12-20-embassy-rocket' "
        "(did you mean '2020-12-20-embassy-rockets'?)",
        "briefs/c.yaml:8:19: error: citation [@no-such-source] names no source or incident",
    ]


def test_check_paths_filter(mini):
    write(mini, "briefs/bad.yaml", "style: security-brief\n")
    assert run(mini, "check", "incidents").returncode == 0
    result = run(mini, "check", "briefs/bad.yaml")
    assert result.returncode == 1 and result.stdout.startswith("briefs/bad.yaml:1:1: error: missing required field")


def test_affiliation_cycle_reported(mini):
    actors = (mini / "incidents/actors.yaml").read_text()
    actors = actors.replace("    kind: umbrella\n", "    kind: umbrella\n    affiliation: kataib-hezbollah\n")
    (mini / "incidents/actors.yaml").write_text(actors)
    result = run(mini, "check")
    assert result.returncode == 1
    assert "affiliation cycle: iran-backed-militias -> kataib-hezbollah -> iran-backed-militias" in result.stdout
