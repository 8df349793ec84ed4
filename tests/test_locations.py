"""Issue 18 item 4: an incident in several places (`locations:`), partial
casualty figures, and affiliations nested more than one level."""

from __future__ import annotations

import json

import pytest

from conftest import run, write
from secbrief.cli import main

STYLES = ("security-brief", "assessment", "flash-brief", "analysis", "news-report", "weekly-brief")

TOWER_22 = """
    date: 2024-01-28
    title: Drone strikes Tower 22 on the Jordan-Syria border
    type: drone-attack
    locations:
      - {site: Tower 22, country: Jordan, lat: 33.32, lon: 38.69, precision: exact}
      - {place: Al-Tanf Garrison}
    actors:
      - {name: Kataib Hezbollah, role: suspected}
      - {name: US, role: target}
    casualties: {killed: 3}
    summary: A one-way drone hit the living quarters [@wire-2024-01-29].
    sources:
      - {id: wire-2024-01-29, publisher: Test Wire, title: Three soldiers killed in Jordan, date: 2024-01-29, grade: B2}
"""

PLACES = """
    places:
      - id: us-embassy-baghdad
        name: US Embassy Baghdad
        aliases: [US Embassy]
        kind: diplomatic
        city: Baghdad
        country: Iraq
        lat: 33.30
        lon: 44.40
      - id: al-tanf-garrison
        name: Al-Tanf Garrison
        kind: military-base
        admin1: Homs
        country: Syria
        lat: 33.50
        lon: 38.66
        native_name: قاعدة التنف
"""

# What each style needs besides the incident, and how it shows it.
BRIEF = {
    "security-brief": "event: 2024-01-28-tower-22\nimplications: [A bullet.]\n",
    "assessment": "incidents: [2024-01-28-tower-22]\nperiod: {from: 2024-01-22, to: 2024-01-30}\n"
                  "summary: The strike [@2024-01-28-tower-22].\n",
    "flash-brief": "summary: Latest [@2024-01-28-tower-22].\n",
    "analysis": "summary: The strike [@2024-01-28-tower-22].\n",
    "news-report": "summary: The strike [@2024-01-28-tower-22].\n",
    "weekly-brief": "incidents: [2024-01-28-tower-22]\nperiod: 2024-W05\nsummary: The week.\n",
}


@pytest.fixture
def tower(mini):
    write(mini, "incidents/2024/2024-01-28-tower-22.yaml", TOWER_22)
    write(mini, "incidents/places.yaml", PLACES)
    for style in STYLES:
        write(mini, f"briefs/2024-01-30-{style}.yaml",
              f"style: {style}\ntitle: Tower 22\nissued: 2024-01-30\ntlp: CLEAR\n" + BRIEF[style])
    return mini


def built(root, style, fmt):
    name = f"2024-01-30-{style}"
    return (root / "build" / name / f"{name}.{fmt}").read_text(encoding="utf-8")


def test_a_two_country_incident_builds_in_every_style(tower):
    result = run(tower, "build", "--format", "md,html")
    assert result.returncode == 0, result.stderr
    for style in STYLES:
        assert "Test Wire" in built(tower, style, "md"), style
        assert "Test Wire" in built(tower, style, "html"), style
    where = "Tower 22, Jordan; Al-Tanf Garrison, Syria"
    assert f"**Location:** {where}\n" in built(tower, "security-brief", "md")
    assert f"<dd>{where}</dd>" in built(tower, "security-brief", "html")
    # (map 1): the incident is drawn once on the brief's map, at its first place with coordinates
    assert (f"- **28 January 2024**: Drone strikes Tower 22 on the Jordan-Syria border [1]. {where} (map 1). "
            "Casualties: 3 killed.\n") in built(tower, "assessment", "md")
    assert (f'<td data-label="Location">{where} <bdi class="native" dir="rtl" lang="ar">قاعدة التنف</bdi></td>'
            '<td class="casualties" data-label="Casualties">3 killed</td>') in built(tower, "assessment", "html")
    weekly = built(tower, "weekly-brief", "md")
    assert "### Jordan / Syria (1)\n" in weekly
    assert (f"| 28 January 2024 | {where} (map 1) | Drone attack [1] | Kataib Hezbollah (suspected); United States (target) "
            "| 3 / – |\n") in weekly
    assert "unknown" not in "".join(built(tower, style, "md") for style in STYLES)


def test_a_two_country_incident_makes_a_pdf(tower):
    result = run(tower, "build", "2024-01-30-security-brief", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    assert (tower / "build/2024-01-30-security-brief/2024-01-30-security-brief.pdf").stat().st_size > 1000


def test_exports_have_one_location_per_place(tower, tmp_path):
    out = tmp_path / "bundle.json"
    assert main(["-C", str(tower), "export", "stix", "2024-01-30-security-brief", "-o", str(out)]) == 0
    objects = json.loads(out.read_text())["objects"]
    places = sorted((o["name"], o["country"]) for o in objects if o["type"] == "location")
    assert places == [("Al-Tanf Garrison, Syria", "SY"), ("Tower 22, Jordan", "JO")]
    assert sum(o["type"] == "relationship" and o["relationship_type"] == "located-at" for o in objects) == 2
    out = tmp_path / "event.json"
    assert main(["-C", str(tower), "export", "misp", "2024-01-30-security-brief", "-o", str(out)]) == 0
    event = json.loads(out.read_text())["Event"]
    geos = [o for o in event["Object"] if o["name"] == "geolocation"]
    assert sorted(a["value"] for g in geos for a in g["Attribute"] if a["object_relation"] == "country") == \
        ["Jordan", "Syria"]
    incident = next(o for o in event["Object"] if o["name"] == "incident")
    located = [r["referenced_uuid"] for r in incident["ObjectReference"] if r["relationship_type"] == "located-at"]
    assert sorted(located) == sorted(g["uuid"] for g in geos)


def test_client_scope_and_query_see_every_country(tower):
    from secbrief.authoring.incidents_query import Query, find
    from secbrief.core.diagnostics import Report
    from secbrief.core.project import Project
    from secbrief.model.clients import Scope
    from secbrief.validate.clients import in_scope
    from secbrief.validate.load_corpus import load_corpus

    corpus = load_corpus(Project.at(tower), Report())
    incident = corpus.incidents["2024-01-28-tower-22"].model
    assert in_scope(corpus, Scope(countries=["Syria"]), incident)
    assert in_scope(corpus, Scope(regions=["Homs"]), incident)
    assert not in_scope(corpus, Scope(countries=["Iraq"]), incident)
    for country in ("Jordan", "Syria"):
        assert [f.id for f in find(corpus, Query(country=country))] == ["2024-01-28-tower-22"]


@pytest.mark.parametrize("text, where, message", [
    ("location: {country: Jordan}\nlocations: [{country: Syria}]\n", "5:1",
     "give either 'location' (one place) or 'locations' (a list of places), not both"),
    ("", "1:1", "missing required field 'location' (or 'locations', a list of places)"),
    ("location:\n", "4:1", "missing required field 'location' (or 'locations', a list of places)"),
])
def test_location_or_locations(mini, capsys, text, where, message):
    write(mini, "incidents/2020/2020-12-22-border.yaml",
          "date: 2020-12-22\ntitle: A border clash\ntype: armed-clash\n" + text
          + "summary: A clash [@wire-2020-12-21].\n"
          + "sources: [{id: wire-2020-12-22, publisher: Wire, title: Clash, date: 2020-12-22, grade: B2}]\n")
    assert main(["-C", str(mini), "check", "--format", "json"]) == 1
    got = [(f"{d['line']}:{d['column']}", d["code"], d["message"])
           for d in json.loads(capsys.readouterr().out)["diagnostics"]]
    assert got == [(where, "SB271", message)]


def test_an_unknown_place_among_locations_is_found_at_its_line(mini, capsys):
    write(mini, "incidents/2020/2020-12-22-border.yaml", """
        date: 2020-12-22
        title: A border clash
        type: armed-clash
        locations:
          - {country: Jordan}
          - {place: US Embasy Baghdad}
        summary: A clash [@wire-2020-12-21].
        sources: [{id: wire-2020-12-22, publisher: Wire, title: Clash, date: 2020-12-22, grade: B2}]
    """)
    assert main(["-C", str(mini), "check", "--format", "json"]) == 1
    got = [(d["line"], d["column"], d["code"], d["message"])
           for d in json.loads(capsys.readouterr().out)["diagnostics"]]
    assert got == [(6, 13, "SB221", "unknown place 'US Embasy Baghdad' (did you mean 'US Embassy Baghdad'?)")]


def test_the_schema_asks_for_one_of_the_two():
    import jsonschema
    import yaml

    from secbrief.model.schema import schemas
    schema = json.loads(schemas()["incident.schema.json"])
    assert schema["oneOf"] == [{"required": ["location"]}, {"required": ["locations"]}]
    assert schema["properties"]["locations"]["items"] == {"$ref": "#/definitions/Location"}
    validator = jsonschema.Draft7Validator(schema)
    tower = yaml.safe_load(TOWER_22.replace("\n    ", "\n"))
    tower["date"] = tower["date"].isoformat()
    tower["sources"][0]["date"] = tower["sources"][0]["date"].isoformat()
    assert not list(validator.iter_errors(tower))
    both = dict(tower, location={"country": "Jordan"})
    neither = {k: v for k, v in tower.items() if k != "locations"}
    empty = dict(neither, location=None)
    for wrong in (both, neither, empty):
        assert list(validator.iter_errors(wrong)), wrong


def test_a_two_level_affiliation_is_shown_once(mini):
    actors = (mini / "incidents/actors.yaml").read_text()
    write(mini, "incidents/actors.yaml", actors + """
  - id: axis-of-resistance
    name: Axis of Resistance
    kind: umbrella
""".replace("\n  - id: axis", "\n  - id: axis"))
    text = (mini / "incidents/actors.yaml").read_text().replace(
        "    name: Iran-backed militias\n    kind: umbrella\n",
        "    name: Iran-backed militias\n    kind: umbrella\n    affiliation: axis-of-resistance\n")
    (mini / "incidents/actors.yaml").write_text(text)
    brief = (mini / "briefs/test-brief.yaml").read_text().replace(
        "parties: [US, Kataib Hezbollah]", "parties: [US, Kataib Hezbollah, Iran-backed militias]")
    (mini / "briefs/test-brief.yaml").write_text(brief)
    result = run(mini, "build", "--format", "md")
    assert result.returncode == 0, result.stderr
    md = (mini / "build/test-brief/test-brief.md").read_text()
    assert ("**Parties involved:** United States; Axis of Resistance (Kataib Hezbollah; Iran-backed militias; "
            "Asaib Ahl al-Haq)\n") in md
