"""Content that cannot contradict itself (secbrief/validate/integrity.py)."""

from __future__ import annotations

from conftest import run

WEEKLY = "briefs/2023-w41-two-rivers-freight.yaml"


def test_citing_an_incident_known_only_later_is_a_warning_at_each_citation(demo):
    brief = demo / WEEKLY
    brief.write_text(brief.read_text(encoding="utf-8").replace("issued: 2023-10-15", "issued: 2023-10-12"),
                     encoding="utf-8")
    result = run(demo, "check")
    assert result.returncode == 0, result.stdout  # a warning: the build goes on
    warnings = [line for line in result.stdout.splitlines() if "SB257" in line or "after this brief" in line]
    message = ("warning: incident '2023-10-13-tahrir-square-protest' (its earliest source, "
               "'meridian-baghdad-2023-10-13', is dated 13 October 2023), after this brief's issued date "
               "(12 October 2023): correct either date, or cite what was known on the day")
    text = brief.read_text(encoding="utf-8").splitlines()
    summary_line = next(i for i, line in enumerate(text, 1) if "[@2023-10-13-tahrir-square-protest]" in line)
    evidence_lines = [i for i, line in enumerate(text, 1) if "evidence: [2023-10-13-tahrir-square-protest]" in line]
    expected = [f"{WEEKLY}:{summary_line}:{text[summary_line - 1].index('[@') + 1}: {message}"]
    expected += [f"{WEEKLY}:{line}:{text[line - 1].index('[2023') + 2}: {message}" for line in evidence_lines]
    assert warnings == expected
    strict = run(demo, "check", "--strict")
    assert strict.returncode == 1


def test_the_demo_cites_nothing_later_than_its_briefs(demo):
    result = run(demo, "check", "--strict")
    assert result.returncode == 0, result.stdout
    assert "after this brief's issued date" not in result.stdout
