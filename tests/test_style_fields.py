"""A filled field the brief's style does not show is a note (SB238), said by
`secbrief check` alone; templates/<style>/style.yaml declares what each
style shows, and is held here to what its templates print."""

from __future__ import annotations

import json
import re

import yaml

from conftest import REPO, run, write
from secbrief.authoring.new import FIELDS, STYLE_FIELDS
from secbrief.validate.style_fields import DECLARATION, LINK_FIELDS, SHOWABLE_FIELDS

BRIEF = "briefs/test-brief.yaml"
NOTE = ("briefs/test-brief.yaml:16:1: note: standfirst: the security-brief style does not show this field, so no "
        "output has it; move it to a field the style shows (docs/data-model.md, section 8), or remove it")

# Each showable field filled so that its text is found in an output that
# shows it, and nowhere else: (the YAML, the text it prints).
MARKED = {
    "series": ("series: Seriesmark Bulletin", "Seriesmark"),
    "issue": ("issue: 7919", "7919"),
    "team": ("team: Teammark Desk", "Teammark"),
    "issued_to": ("issued_to: Issuedtomark clients", "Issuedtomark"),
    "period": ("period: {from: 2020-11-02, to: 2020-11-08}", "November"),
    "event": ("event: 2020-12-22-ev", "Evmark"),
    "event_text": ("event_text: Eventtextmark happened.", "Eventtextmark"),
    "incidents": ("incidents: [2020-12-23-inc]", "Incmark"),
    "parties": ("parties: [Asaib Ahl al-Haq]", "Asaib"),
    "kicker": ("kicker: Kickermark", "Kickermark"),
    "standfirst": ("standfirst: Standfirstmark lead.", "Standfirstmark"),
    "dateline": ("dateline: {city: DATELINEMARK, publisher: Test Desk}", "DATELINEMARK"),
    "image": ("image: {file: images/x.svg, caption: Captionmark, credit: Test Desk}", "Captionmark"),
    "key_judgements": ("key_judgements:\n  - {id: kj, statement: Kjmark attacks will rise., likelihood: likely, "
                       "confidence: moderate, evidence: [2020-12-22-ev]}", "Kjmark"),
    "summary": ("summary: Summarymark text.", "Summarymark"),
    "sections": ("sections:\n  - {heading: Sectionmark, body: Section body.}", "Sectionmark"),
    "implications": ("implications:\n  - Implmark bullet.", "Implmark"),
    "outlook": ("outlook: Outlookmark text.", "Outlookmark"),
    "quotes": ("quotes:\n  - {text: Quotemark view., speaker: A Speaker}", "Quotemark"),
    "related": ("related:\n  - {title: Relatedmark story}", "Relatedmark"),
}
INCIDENT = """
date: {day}
title: {mark} rockets
type: rocket-attack
location: {{place: US Embassy Baghdad, site: {mark} site}}
summary: {mark} summary [@wire-2020-12-21].
sources:
  - {{id: wire-2020-12-21, publisher: Test Wire, title: Rockets hit the Green Zone, date: 2020-12-21,
     url: "https://example.org/wire", grade: B2}}
"""


def declared(style: str) -> set[str]:
    return set(yaml.safe_load((REPO / "templates" / style / DECLARATION).read_text(encoding="utf-8"))["shows"])


def test_every_style_declares_what_its_templates_show(mini):
    assert set(MARKED) == set(SHOWABLE_FIELDS)
    (mini / "incidents/2020/2020-12-20-embassy-rockets.yaml").unlink()
    (mini / BRIEF).unlink()
    write(mini, "incidents/2020/2020-12-22-ev.yaml", INCIDENT.format(day="2020-12-22", mark="Evmark"))
    write(mini, "incidents/2020/2020-12-23-inc.yaml", INCIDENT.format(day="2020-12-23", mark="Incmark"))
    write(mini, "briefs/images/x.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    styles = sorted(p.name for p in (REPO / "templates").iterdir() if p.is_dir() and not p.name.startswith("_"))
    body = "\n".join(yaml_text for yaml_text, _ in MARKED.values())
    for style in styles:
        write(mini, f"briefs/b-{style}.yaml", f"style: {style}\ntitle: T\nissued: 2020-12-28\ntlp: CLEAR\n{body}\n")
    result = run(mini, "build", "--format", "md,html", "-j", "1")
    assert result.returncode == 0, result.stderr
    for style in styles:
        outputs = [(mini / f"build/b-{style}/b-{style}.md").read_text(encoding="utf-8"),
                   re.sub(r"<head>.*?</head>", "", (mini / f"build/b-{style}/b-{style}.html").read_text(
                       encoding="utf-8"), flags=re.DOTALL)]
        shown = {name for name, (_, mark) in MARKED.items() if any(mark in text for text in outputs)}
        assert declared(style) == shown, style


def test_a_filled_field_the_style_does_not_show_is_one_note_from_check(mini):
    brief = mini / BRIEF
    brief.write_text(brief.read_text(encoding="utf-8") + "standfirst: A lead the security brief never prints.\n",
                     encoding="utf-8")
    result = run(mini, "check")
    assert (result.returncode, result.stdout, result.stderr) == (0, NOTE + "\n", "ok: no errors, 0 warning(s), 1 note(s)\n")
    strict = run(mini, "check", "--strict")  # --strict leaves a note a note
    assert (strict.returncode, strict.stdout) == (0, NOTE + "\n")
    data = json.loads(run(mini, "check", "--format", "json").stdout)
    assert [(d["severity"], d["code"]) for d in data["diagnostics"]] == [("note", "SB238")]
    assert (data["errors"], data["warnings"], data["notes"]) == (0, 0, 1)
    sarif = json.loads(run(mini, "check", "--format", "sarif").stdout)["runs"][0]
    assert [(r["ruleId"], r["level"]) for r in sarif["results"]] == [("SB238", "note")]
    rule = next(r for r in sarif["tool"]["driver"]["rules"] if r["id"] == "SB238")
    assert rule["defaultConfiguration"] == {"level": "note"}
    build = run(mini, "build", "--format", "md")  # said once, by check: a build does not repeat it
    assert build.returncode == 0 and "SB238" not in build.stderr and "note:" not in build.stderr + build.stdout


def test_a_style_without_a_declaration_is_not_checked(mini):
    (mini / "templates/security-brief" / DECLARATION).unlink()
    brief = mini / BRIEF
    brief.write_text(brief.read_text(encoding="utf-8") + "standfirst: A lead.\n", encoding="utf-8")
    result = run(mini, "check")
    assert (result.returncode, result.stdout) == (0, "")


def test_a_declaration_that_is_not_a_list_is_an_error(mini):
    write(mini, "templates/security-brief/style.yaml", "shows: summary\n")
    result = run(mini, "check")
    assert result.returncode == 1
    assert result.stdout == ("templates/security-brief/style.yaml:1:1: error: expected one field, 'shows', with a "
                             "list of the brief fields this style shows, e.g. shows: [summary, sections]\n")


def test_the_demo_has_no_notes(demo):
    result = run(demo, "check", "--format", "json")
    assert json.loads(result.stdout)["diagnostics"] == []


def test_a_new_brief_skeleton_offers_only_fields_its_style_shows():
    # `secbrief new brief --style S` writes the fields S prints; once filled,
    # none of them may draw a note.
    for style, groups in STYLE_FIELDS.items():
        offered = {m.group(1) for group in groups for m in re.finditer(r"^#? ?(\w+):", FIELDS[group], re.MULTILINE)}
        assert offered & (set(SHOWABLE_FIELDS) - set(LINK_FIELDS)) <= declared(style), style
