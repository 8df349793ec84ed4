"""`secbrief export stix`: bundles a threat-intelligence platform accepts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import stix2

from conftest import REPO, run, snapshot, write
from test_acled import SAMPLE, rendering_demo

# The FIRST TLP 2.0 marking definitions of the OASIS TLP 2.0 extension.
OFFICIAL_TLP = {
    "CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
SECURITY_BRIEF = "2020-12-21-renewed-targeting-us-interests-iraq"


def _rendering_brief_ids() -> list[str]:
    import yaml

    styles = {p.name for p in (REPO / "templates").iterdir() if p.is_dir()}
    return sorted(p.stem for p in (REPO / "briefs").glob("*.yaml")
                  if yaml.safe_load(p.read_text(encoding="utf-8"))["style"] in styles)


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory) -> Path:
    return rendering_demo(tmp_path_factory.mktemp("stix"))


def export(root: Path, brief: str, *extra: str) -> str:
    result = run(root, "export", "stix", brief, *extra)
    assert result.returncode == 0, result.stderr
    return result.stdout


def referenced_ids(obj, found=None) -> set[str]:
    """Every id an object points at (any *_ref or *_refs property)."""
    found = set() if found is None else found
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key.endswith("_ref"):
                found.add(value)
            elif key.endswith("_refs"):
                found.update(value)
            else:
                referenced_ids(value, found)
    elif isinstance(obj, list):
        for item in obj:
            referenced_ids(item, found)
    return found


def test_the_security_brief_renders_on_this_branch():
    assert SECURITY_BRIEF in _rendering_brief_ids()


@pytest.mark.parametrize("brief_id", _rendering_brief_ids())
def test_every_rendering_demo_brief_exports_a_valid_marked_repeatable_bundle(demo_root, brief_id):
    import yaml

    text = export(demo_root, brief_id)
    bundle = stix2.parse(text, allow_custom=False)  # raises on anything STIX 2.1 does not allow
    assert bundle.type == "bundle"
    tlp = yaml.safe_load((demo_root / "briefs" / f"{brief_id}.yaml").read_text(encoding="utf-8"))["tlp"]
    data = json.loads(text)
    markings = [o for o in data["objects"] if o["type"] == "marking-definition"]
    assert [m["id"] for m in markings] == [OFFICIAL_TLP[tlp]]
    assert markings[0]["name"] == f"TLP:{tlp}"
    for obj in data["objects"]:
        if obj["type"] != "marking-definition":
            assert obj["object_marking_refs"] == [OFFICIAL_TLP[tlp]], obj["id"]
    ids = {o["id"] for o in data["objects"]}
    assert referenced_ids(data["objects"]) <= ids, "every reference resolves inside the bundle"
    assert export(demo_root, brief_id) == text, "a second export gives the same bytes"


def test_report_carries_the_brief(demo_root):
    data = json.loads(export(demo_root, SECURITY_BRIEF))
    objects = {o["id"]: o for o in data["objects"]}
    report = next(o for o in data["objects"] if o["type"] == "report")
    assert report["name"] == "US targets in Iraq come under renewed attack"
    assert report["published"] == "2020-12-28T00:00:00.000Z"
    assert "eight rockets were launched at the US" in report["description"]
    assert "[@" not in report["description"], "citations become numbers"
    assert set(report["object_refs"]) == set(objects) - {report["id"], OFFICIAL_TLP["CLEAR"]}
    assert report["external_references"][-1] == {"source_name": "secbrief", "external_id": SECURITY_BRIEF}
    first = report["external_references"][0]
    assert first["source_name"] == "The Arab Weekly" and first["external_id"] == "arab-weekly-2020-12-28"
    assert "(grade B3)" in first["description"]
    types = sorted({o["type"] for o in objects.values()})
    assert types == ["identity", "incident", "location", "marking-definition", "note", "relationship",
                     "report", "threat-actor"]


def test_actors_become_threat_actors_with_aliases_or_identities(demo_root):
    data = json.loads(export(demo_root, SECURITY_BRIEF))
    by_name = {o["name"]: o for o in data["objects"] if o["type"] in ("threat-actor", "identity")}
    kh = by_name["Kataib Hezbollah"]
    assert kh["type"] == "threat-actor"
    assert "KH" in kh["aliases"] and "كتائب حزب الله" in kh["aliases"]
    assert by_name["Iran-backed militias"]["type"] == "threat-actor"
    assert by_name["United States"]["type"] == "identity"
    assert by_name["United States"]["identity_class"] == "organization"
    relationships = [o for o in data["objects"] if o["type"] == "relationship"]
    assert any(r["relationship_type"] == "attributed-to" and r["target_ref"] == by_name["Asaib Ahl al-Haq"]["id"]
               and r["description"] == "suspected; not established" for r in relationships)


def test_key_judgements_are_notes_with_mapped_confidence(demo_root):
    data = json.loads(export(demo_root, SECURITY_BRIEF))
    notes = {n["abstract"][:40]: n for n in data["objects"] if n["type"] == "note"}
    assert len(notes) == 3
    confidences = sorted(n["confidence"] for n in notes.values())
    assert confidences == [15, 50, 50]  # low, moderate, moderate
    note = next(n for n in notes.values() if n["confidence"] == 15)
    assert "Likelihood: likely (55-75%) on the PHIA yardstick. Confidence: low." in note["content"]


def test_incident_location_and_sources(demo_root):
    data = json.loads(export(demo_root, SECURITY_BRIEF))
    incident = next(o for o in data["objects"]
                    if o["type"] == "incident" and o["name"] == "Rockets fired at the US Embassy in the Green Zone")
    assert incident["created"] == "2020-12-20T00:00:00.000Z"
    assert incident["description"].startswith("2020-12-20 21:00 local time. At about nine")
    assert incident["labels"][0] == "rocket-attack"
    located = next(o for o in data["objects"] if o["type"] == "relationship"
                   and o["source_ref"] == incident["id"] and o["relationship_type"] == "located-at")
    location = next(o for o in data["objects"] if o["id"] == located["target_ref"])
    assert (location["latitude"], location["longitude"], location["country"]) == (33.3, 44.4, "IQ")
    assert location["precision"] == 100.0  # exact


def test_amber_brief_and_output_file(mini):
    stdout = export(mini, "test-brief")
    assert OFFICIAL_TLP["AMBER"] in stdout and OFFICIAL_TLP["CLEAR"] not in stdout
    export(mini, "briefs/test-brief.yaml", "-o", "out/test.stix.json")
    assert (mini / "out" / "test.stix.json").read_text(encoding="utf-8") == stdout


def test_same_bundle_from_another_copy_of_the_project(demo_root, tmp_path):
    other = rendering_demo(tmp_path)
    assert export(other, SECURITY_BRIEF) == export(demo_root, SECURITY_BRIEF)


def test_imported_acled_incident_exports_with_its_acled_id(mini):
    shutil.copy(SAMPLE, mini / "sample.csv")
    run(mini, "import", "acled", "sample.csv", "--country", "Syria", "--to", "2023-10-19")
    incident_id = next((mini / "incidents" / "2023").glob("*.yaml")).stem
    write(mini, "briefs/acled-brief.yaml", f"""
        style: security-brief
        title: Drones over al-Tanf
        issued: 2023-10-20
        tlp: RED
        event: {incident_id}
        key_judgements:
          - id: more-drones
            statement: More drones will follow.
            likelihood: highly likely
            confidence: high
            evidence: [{incident_id}]
        """)
    assert run(mini, "check").returncode == 0
    data = json.loads(export(mini, "acled-brief"))
    stix2.parse(json.dumps(data), allow_custom=False)
    incident = next(o for o in data["objects"] if o["type"] == "incident")
    assert {"source_name": "acled", "external_id": "SYR30105"} in incident["external_references"]
    assert next(o for o in data["objects"] if o["type"] == "note")["confidence"] == 85
    assert all(o.get("object_marking_refs") == [OFFICIAL_TLP["RED"]]
               for o in data["objects"] if o["type"] != "marking-definition")


def test_unknown_brief_is_a_usage_error(mini):
    result = run(mini, "export", "stix", "no-such-brief")
    assert result.returncode == 2
    assert result.stderr.strip() == "unknown brief 'no-such-brief'; the briefs are: test-brief"


def test_invalid_project_exports_nothing(mini):
    write(mini, "briefs/broken.yaml", "style: security-brief\ntitle: x\nissued: 2020-12-21\ntlp: PINK\n")
    before = snapshot(mini)
    result = run(mini, "export", "stix", "test-brief", "-o", "out.json")
    assert result.returncode == 1 and snapshot(mini) == before
    assert "briefs/broken.yaml:4:6: error: tlp:" in result.stderr


def test_help_has_an_example(mini):
    result = run(mini, "export", "stix", "--help")
    assert result.returncode == 0 and "example:" in result.stdout and "secbrief export stix" in result.stdout
