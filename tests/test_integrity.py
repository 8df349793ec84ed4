"""Content that cannot contradict itself (secbrief/validate/integrity.py)."""

from __future__ import annotations

from conftest import run, write

WEEKLY = "briefs/2023-w41-two-rivers-freight.yaml"


def test_citing_an_incident_known_only_later_is_a_warning_at_each_citation(demo):
    brief = demo / WEEKLY
    brief.write_text(brief.read_text(encoding="utf-8").replace("issued: 2023-10-15", "issued: 2023-10-12"),
                     encoding="utf-8")
    result = run(demo, "check")
    assert result.returncode == 0, result.stdout  # a warning: the build goes on
    warnings = [line for line in result.stdout.splitlines() if "its earliest source" in line]
    message = ("warning: incident '2023-10-13-tahrir-square-protest' (its earliest source, "
               "'meridian-baghdad-2023-10-13', is dated 13 October 2023), after this brief's issued date "
               "(12 October 2023): correct either date, or cite what was known on the day")
    text = brief.read_text(encoding="utf-8").splitlines()
    summary_line = next(i for i, line in enumerate(text, 1) if "[@2023-10-13-tahrir-square-protest]" in line)
    evidence_lines = [i for i, line in enumerate(text, 1) if "evidence: [2023-10-13-tahrir-square-protest]" in line]
    expected = [f"{WEEKLY}:{summary_line}:{text[summary_line - 1].index('[@') + 1}: {message}"]
    expected += [f"{WEEKLY}:{line}:{text[line - 1].index('[2023') + 2}: {message}" for line in evidence_lines]
    assert warnings == expected
    # The incident listed in `incidents` is itself later than the brief (SB242).
    listed = next(i for i, line in enumerate(text, 1) if line.startswith("  - 2023-10-13-tahrir-square-protest"))
    assert f"{WEEKLY}:{listed}:5: warning: incident '2023-10-13-tahrir-square-protest' is dated 13 October 2023, " \
           "after this brief's issued date (12 October 2023): correct either date, or leave the incident out" \
           in result.stdout.splitlines()
    strict = run(demo, "check", "--strict")
    assert strict.returncode == 1


def test_the_demo_cites_nothing_later_than_its_briefs(demo):
    result = run(demo, "check", "--strict")
    assert result.returncode == 0, result.stdout
    assert "after this brief's issued date" not in result.stdout


ACLED_INCIDENT = """
date: {date}
title: Rockets at the embassy, as ACLED recorded them
type: rocket-attack
location: {{place: US Embassy Baghdad}}
casualties: {casualties}
summary: Rockets were fired at the embassy [@wire-2020-12-21].
sources:
  - {{id: wire-2020-12-21, publisher: Test Wire, title: Rockets hit the Green Zone, date: 2020-12-21,
     url: "https://example.org/wire", grade: B2}}
acled_id: IRQ4242
"""


def second_file_of_one_acled_event(mini, name: str, date: str, casualties: str) -> None:
    """The mini incident given acled_id IRQ4242, and another file of it."""
    rockets = mini / "incidents/2020/2020-12-20-embassy-rockets.yaml"
    rockets.write_text(rockets.read_text(encoding="utf-8") + "acled_id: IRQ4242\n", encoding="utf-8")
    write(mini, f"incidents/2020/{name}.yaml", ACLED_INCIDENT.format(date=date, casualties=casualties))


def test_two_files_of_one_acled_event_with_other_figures_is_a_warning_naming_each(mini):
    second_file_of_one_acled_event(mini, "2020-12-21-embassy-acled", "2020-12-21", "{killed: 2}")
    result = run(mini, "check")
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        "incidents/2020/2020-12-21-embassy-acled.yaml:10:11: warning: ACLED event IRQ4242 is also recorded by "
        "incidents/2020/2020-12-20-embassy-rockets.yaml, with other figures: date 21 December 2020 here, "
        "20 December 2020 there; killed 2 here, 0 there; make them agree, or keep one file for the event"]
    assert run(mini, "check", "--strict").returncode == 1


def test_two_files_of_one_acled_event_that_agree_or_leave_a_figure_out_are_not_a_contradiction(mini):
    # Same date and killed; injured left out: nothing contradicts (SB206 may still call it a duplicate).
    second_file_of_one_acled_event(mini, "2020-12-20-embassy-acled", "2020-12-20", "{killed: 0}")
    result = run(mini, "check")
    assert "ACLED event" not in result.stdout


def test_a_brief_naming_an_incident_later_than_itself_is_a_warning_at_each_place(mini):
    brief = mini / "briefs/test-brief.yaml"
    text = brief.read_text(encoding="utf-8").replace("issued: 2020-12-21", "issued: 2020-12-19")
    # Citations of it are SB257's, not said twice.
    text = text.replace(" [@2020-12-20-embassy-rockets]", "")
    brief.write_text(text, encoding="utf-8")
    result = run(mini, "check")
    assert result.returncode == 0, result.stdout
    message = ("warning: incident '2020-12-20-embassy-rockets' is dated 20 December 2020, after this brief's issued "
               "date (19 December 2020): correct either date, or leave the incident out")
    assert result.stdout.splitlines() == [f"briefs/test-brief.yaml:9:8: {message}",
                                          f"briefs/test-brief.yaml:14:16: {message}"]
