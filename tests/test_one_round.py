"""Every problem of every file in one `secbrief check`: a file that fails
the typed model is still checked for everything its other fields allow."""

from __future__ import annotations

from conftest import run, write

INCIDENT = """
date: 2023-10-14
title: Rockets on Tahrir Square
type: rocket-attack
location: {place: Tahrir Sqare}
actors:
  - {name: Kataib Hezbolah, role: suspected}
casualties: {killed: many}
summary: Rockets were fired [@no-such-source] and [@own-source].
sources:
  - {id: own-source, publisher: Test Wire, title: Rockets, date: 2023-10-14, grade: B2}
"""

BRIEF = """
style: security-brief
title: A brief with several mistakes
issued: 2023-10-16
tlp: AMBR
event: 2023-10-13-tahrir-square-protes
parties: [Kataib Hezbolah]
summary: The rally was large [@no-such-source].
key_judgements:
  - id: more-rallies
    statement: More rallies will follow [@brief-source].
    likelihood: likely
    confidence: moderate
    evidence: [brief-source]
sources:
  - {id: brief-source, publisher: Test Wire, title: Rally, date: 2023-10-16, grade: B2}
"""


def test_typed_errors_do_not_hide_the_other_checks(demo):
    write(demo, "incidents/2023/2023-10-14-rockets.yaml", INCIDENT)
    write(demo, "briefs/2023-10-16-mistakes.yaml", BRIEF)
    result = run(demo, "check")
    assert result.returncode == 1
    incident, brief = "incidents/2023/2023-10-14-rockets.yaml", "briefs/2023-10-16-mistakes.yaml"
    assert result.stdout.splitlines() == [
        f"{brief}:4:6: error: tlp: expected one of: 'CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED', "
        "but received: 'AMBR'",
        f"{brief}:5:8: error: unknown incident '2023-10-13-tahrir-square-protes' "
        "(did you mean '2023-10-13-tahrir-square-protest'?)",
        f"{brief}:6:11: error: unknown actor 'Kataib Hezbolah' (did you mean 'Kataib Hezbollah'?)",
        f"{brief}:7:30: error: citation [@no-such-source] names no source or incident",
        f"{incident}:4:19: error: unknown place 'Tahrir Sqare' (did you mean 'Tahrir Square'?)",
        f"{incident}:6:12: error: unknown actor 'Kataib Hezbolah' (did you mean 'Kataib Hezbollah'?)",
        f"{incident}:7:22: error: killed: expected a whole number, but received: 'many'",
        f"{incident}:8:29: error: citation [@no-such-source] names no source or incident",
    ]
    assert result.stderr == "8 error(s), 0 warning(s)\n"
