"""Analytic standards: the yardstick a project and a brief choose, --strict,
output formats, and the demo corpus meeting every standard."""

import json
import shutil

import pytest

from conftest import run, write
from secbrief.validate import estimative
from secbrief.core.yardstick import ICD203, PHIA

def judgement_brief(likelihood: str, statement: str = "Militias will fire more rockets at the embassy.",
                    extra: str = "", confidence: str = "moderate") -> str:
    return f"""
        style: security-brief
        title: Rockets on the Green Zone
        issued: 2020-12-21
        tlp: CLEAR
        event: 2020-12-20-embassy-rockets
        {extra}
        key_judgements:
          - id: attacks-continue
            statement: {statement}
            likelihood: {likelihood}
            confidence: {confidence}
            evidence: [2020-12-20-embassy-rockets]
        """


def codes(result) -> list[str]:
    return [d["code"] for d in json.loads(result.stdout)["diagnostics"]]


def test_demo_corpus_passes_strict(demo):
    # Every demo file meets every standard, warnings included.
    result = run(demo, "check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_project_yardstick_from_secbrief_yaml(mini):
    write(mini, "briefs/b.yaml", judgement_brief("very likely"))
    assert codes(run(mini, "check", "--format", "json")) == ["SB240"]  # PHIA by default
    write(mini, "secbrief.yaml", "yardstick: icd203\n")
    assert run(mini, "check").returncode == 0
    result = run(mini, "build", "b", "--format", "md")
    assert result.returncode == 0, result.stderr
    assert "very likely (80-95%); moderate confidence" in (mini / "build/b/b.md").read_text()


def test_brief_yardstick_overrides_the_project(mini):
    write(mini, "secbrief.yaml", "yardstick: icd203\n")
    write(mini, "briefs/b.yaml", judgement_brief("highly likely", extra="yardstick: phia"))
    assert run(mini, "check").returncode == 0
    write(mini, "briefs/b.yaml", judgement_brief("highly likely"))
    result = run(mini, "check")
    assert "'highly likely' is not a term of the ICD 203 yardstick" in result.stdout
    assert "('highly likely' is a term of the PHIA yardstick: to use it, set 'yardstick: phia' in the brief " \
           "or in secbrief.yaml)" in result.stdout


def test_changing_the_project_yardstick_rebuilds(mini):
    write(mini, "briefs/b.yaml", judgement_brief("likely"))
    assert run(mini, "build", "--format", "md").returncode == 0
    assert "likely (55-75%)" in (mini / "build/b/b.md").read_text()
    write(mini, "secbrief.yaml", "yardstick: icd203\n")
    result = run(mini, "build", "--format", "md")
    assert "built b (md): yardstick changed" in result.stdout
    assert "likely (55-80%)" in (mini / "build/b/b.md").read_text()


def test_strict_turns_warnings_into_errors(mini):
    write(mini, "briefs/b.yaml", judgement_brief("likely", "Militias might fire more rockets."))
    relaxed = run(mini, "check")
    assert relaxed.returncode == 0
    assert relaxed.stdout.startswith("briefs/b.yaml:9:25: warning: unscaled hedge 'might'")
    assert "ok: no errors, 1 warning(s)" in relaxed.stderr
    strict = run(mini, "check", "--strict")
    assert strict.returncode == 1
    assert strict.stdout.startswith("briefs/b.yaml:9:25: error: unscaled hedge 'might'")


def test_warnings_do_not_stop_a_build(mini):
    write(mini, "briefs/b.yaml", judgement_brief("likely", "Militias might fire more rockets."))
    result = run(mini, "build", "b", "--format", "md")
    assert result.returncode == 0
    assert "briefs/b.yaml:9:25: warning: unscaled hedge 'might'" in result.stdout


def test_lint_error_stops_a_build(mini):
    write(mini, "briefs/b.yaml", judgement_brief("unlikely", "Militias will almost certainly fire again."))
    result = run(mini, "build", "b", "--format", "md")
    assert result.returncode == 1
    assert "briefs/b.yaml:9:30: error: the statement says 'almost certainly'" in result.stderr
    assert not (mini / "build").exists()


def test_json_format(mini):
    write(mini, "briefs/b.yaml", judgement_brief("likely", "Militias may fire more rockets."))
    result = run(mini, "check", "--format", "json")
    data = json.loads(result.stdout)
    assert data["errors"] == 0 and data["warnings"] == 1
    assert data["diagnostics"][0] == {
        "path": "briefs/b.yaml", "line": 9, "column": 25, "severity": "warning", "code": "SB303",
        "message": "unscaled hedge 'may' in a key judgement: state what you judge will happen and let "
                   "'likelihood' say how probable it is"}


def test_sarif_as_code_scanning_reads_it(mini):
    write(mini, "briefs/b.yaml", judgement_brief("likely", "Militias may fire more rockets."))
    result = run(mini, "check", "--format", "sarif")
    assert result.returncode == 0
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    (run_,) = sarif["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "secbrief"
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    (result_,) = run_["results"]
    assert result_["ruleId"] == "SB303"
    assert rule_ids[result_["ruleIndex"]] == "SB303"
    rule = driver["rules"][result_["ruleIndex"]]
    assert rule["shortDescription"]["text"] and rule["defaultConfiguration"]["level"] == "warning"
    assert result_["level"] == "warning"
    assert result_["message"]["text"].startswith("unscaled hedge 'may'")
    (location,) = result_["locations"]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "briefs/b.yaml"
    assert physical["region"] == {"startLine": 9, "startColumn": 25}
    strict = json.loads(run(mini, "check", "--strict", "--format", "sarif").stdout)
    assert strict["runs"][0]["results"][0]["level"] == "error"


def test_sarif_with_no_problems_is_still_a_run(mini):
    sarif = json.loads(run(mini, "check", "--format", "sarif").stdout)
    assert sarif["runs"][0]["results"] == [] and sarif["runs"][0]["tool"]["driver"]["rules"]


def test_bad_format_is_a_usage_error(mini):
    result = run(mini, "check", "--format", "xml")
    assert result.returncode == 2
    assert "invalid choice: 'xml'" in result.stderr


def test_missing_path_is_a_usage_error(mini):
    result = run(mini, "check", "briefs/nope.yaml")
    assert result.returncode == 2
    assert result.stderr.strip() == "check: no such file or folder: briefs/nope.yaml"


def test_naming_a_registry_checks_every_file(mini):
    # Renaming an actor breaks the incidents that use the old name: a hook
    # that passes only actors.yaml must still see those errors.
    actors = mini / "incidents/actors.yaml"
    actors.write_text(actors.read_text().replace("name: Asaib Ahl al-Haq", "name: AAH")
                      .replace('aliases: ["Asa\'ib Ahl al-Haq"]', "aliases: []"))
    result = run(mini, "check", "incidents/actors.yaml")
    assert result.returncode == 1
    assert "incidents/2020/2020-12-20-embassy-rockets.yaml:11:12: error: unknown actor" in result.stdout


def test_check_dot_means_everything(mini):
    write(mini, "briefs/bad.yaml", "style: security-brief\n")
    assert run(mini, "check", ".").returncode == 1


@pytest.mark.parametrize("text, expected", [
    ("Attacks will resume in May.", []),
    ("Attacks will resume on 3 May and again in May 2021.", []),
    ("May attacks resume? They may.", [("May", 0), ("may", 25)]),
    ("Militias could, possibly, perhaps strike; they might.", [
        ("could", 9), ("possibly", 16), ("perhaps", 26), ("might", 47)]),
    ("See [@may-report] for the count.", []),
])
def test_hedges(text, expected):
    assert estimative.hedges(text) == expected


@pytest.mark.parametrize("yardstick, text, expected", [
    (PHIA, "They will almost certainly strike.", [("almost certainly", 95, 100, "phia")]),
    (PHIA, "A strike is highly likely, not merely likely.", [("highly likely", 80, 90, "phia"),
                                                          ("likely", 55, 75, "phia")]),
    (PHIA, "It is very\nlikely.", [("very\nlikely", 80, 95, "icd203")]),
    (ICD203, "A pause is improbable.", [("improbable", 20, 45, "icd203")]),
    (ICD203, "A realistic possibility.", [("realistic possibility", 40, 50, "phia")]),
    (PHIA, "Strikes will certainly follow.", [("certainly", 95, 100, None)]),
    (PHIA, "See [@likely-outcomes].", []),
    (PHIA, "The unlikely alliance held.", [("unlikely", 25, 35, "phia")]),
])
def test_estimative_phrases(yardstick, text, expected):
    found = [(p.text, p.low, p.high, p.yardstick.key if p.yardstick else None)
             for p in estimative.phrases(text, yardstick)]
    assert found == expected


def test_negated_wording_is_not_read_as_a_probability(mini):
    # "not likely" cannot be read as a range, so it cannot contradict one.
    write(mini, "briefs/b.yaml", judgement_brief("unlikely", "Militias are not likely to stop firing."))
    assert run(mini, "check", "--strict").returncode == 0
    write(mini, "briefs/b.yaml", judgement_brief("unlikely", "Militias are likely to stop firing."))
    assert codes(run(mini, "check", "--format", "json")) == ["SB301"]


def test_best_term_translates_between_yardsticks():
    assert [estimative.best_term(PHIA, *ICD203.ranges[t]) for t in ICD203.terms] == [
        "remote chance", "highly unlikely", "unlikely", "realistic possibility", "likely",
        "highly likely", "almost certain"]


def test_config_is_optional_and_may_be_empty(mini):
    write(mini, "secbrief.yaml", "# nothing set: the defaults apply\n")
    assert run(mini, "check").returncode == 0
    shutil.rmtree(mini / "briefs")
    assert run(mini, "check").returncode == 0
