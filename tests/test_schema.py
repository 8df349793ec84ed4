"""`secbrief schema`: JSON Schema that accepts every demo file, rejects a
misspelled field, and is what the repository's docs/schema/ folder holds."""

import json

import jsonschema
import pytest

from conftest import REPO, run
from secbrief.core.diagnostics import Report
from secbrief.load.yamlfile import load_file
from secbrief.model.schema import SCHEMAS, schemas

SCHEMA_TEXTS = schemas()


def schema_for_file(relpath: str) -> str:
    name = relpath.rsplit("/", 1)[-1]
    if relpath.startswith("briefs/clients/"):
        return "client.schema.json"
    if relpath.startswith("briefs/"):
        return "brief.schema.json"
    return {"actors.yaml": "actors.schema.json", "places.yaml": "places.schema.json",
            "secbrief.yaml": "secbrief.schema.json"}.get(name, "incident.schema.json")


def as_editor_sees_it(path):
    """The file's data as JSON, the way an editor's YAML server reads it
    (YAML 1.2: unquoted dates are strings)."""
    doc = load_file(path, str(path), Report())
    return json.loads(json.dumps(doc.data, default=str))


def validator(name: str) -> jsonschema.Draft7Validator:
    # Draft 7, as editors' YAML language server implements it.
    schema = json.loads(SCHEMA_TEXTS[name])
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


DEMO_FILES = sorted(str(p.relative_to(REPO)) for p in [
    *REPO.glob("incidents/**/*.yaml"), *REPO.glob("briefs/*.yaml"), *REPO.glob("briefs/clients/*.yaml"),
    REPO / "secbrief.yaml"])


def test_every_kind_of_file_has_a_schema():
    assert set(SCHEMA_TEXTS) == {"incident.schema.json", "brief.schema.json", "actors.schema.json",
                                 "places.schema.json", "secbrief.schema.json", "client.schema.json"}
    assert {schema_for_file(f) for f in DEMO_FILES} == set(SCHEMA_TEXTS)


@pytest.mark.parametrize("relpath", DEMO_FILES)
def test_demo_file_is_valid(relpath):
    errors = list(validator(schema_for_file(relpath)).iter_errors(as_editor_sees_it(REPO / relpath)))
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("relpath, field, misspelling", [
    ("incidents/2020/2020-12-20-us-embassy-rockets.yaml", "summary", "sumary"),
    ("briefs/2020-12-21-renewed-targeting-us-interests-iraq.yaml", "key_judgements", "key_judgments"),
    ("incidents/actors.yaml", "actors", "actor"),
    ("briefs/clients/two-rivers-freight.yaml", "tlp_ceiling", "tlp_cieling"),
])
def test_misspelled_field_is_rejected(relpath, field, misspelling):
    data = as_editor_sees_it(REPO / relpath)
    data[misspelling] = data.pop(field)
    messages = [e.message for e in validator(schema_for_file(relpath)).iter_errors(data)]
    assert any(f"'{misspelling}' was unexpected" in m for m in messages), messages


def test_nested_misspelling_is_rejected():
    data = as_editor_sees_it(REPO / "briefs/2020-12-21-renewed-targeting-us-interests-iraq.yaml")
    data["key_judgements"][0]["likelyhood"] = data["key_judgements"][0].pop("likelihood")
    messages = [e.message for e in validator("brief.schema.json").iter_errors(data)]
    assert any("'likelyhood' was unexpected" in m for m in messages), messages


def test_short_forms_are_accepted():
    # period as an ISO week, an implication as a plain string: both expand in the model.
    brief = {"style": "security-brief", "title": "t", "issued": "2020-12-21", "tlp": "CLEAR",
             "period": "2020-W52", "implications": ["A bullet.", {"text": "Another", "timeline": []}]}
    assert list(validator("brief.schema.json").iter_errors(brief)) == []
    brief["period"] = "2020-52"
    assert list(validator("brief.schema.json").iter_errors(brief))


def test_schema_command_writes_the_files(mini, tmp_path):
    out = tmp_path / "out"
    result = run(mini, "schema", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(SCHEMAS)
    assert (out / "brief.schema.json").read_text() == SCHEMA_TEXTS["brief.schema.json"]
    default = run(mini, "schema")
    assert "wrote docs/schema/incident.schema.json" in default.stdout
    assert (mini / "docs" / "schema" / "incident.schema.json").is_file()


def test_repository_schemas_are_current():
    # Editors read schema/ straight from the repository: after a change to
    # the data model, run `make schema` and commit the result.
    for name, text in SCHEMA_TEXTS.items():
        assert (REPO / "docs" / "schema" / name).read_text(encoding="utf-8") == text, f"docs/schema/{name} is stale: make schema"


def test_readme_shows_the_yaml_language_server_line():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    targets = [line.split("$schema=", 1)[1].strip() for line in readme.splitlines()
               if line.startswith("# yaml-language-server: $schema=")]
    assert targets, "README.md shows no '# yaml-language-server: $schema=' line"
    assert {t.rsplit("/", 1)[-1] for t in targets} <= set(SCHEMAS)
