"""``secbrief schema``: JSON Schema for every kind of file analysts write.

Generated from the same pydantic models that validate the files, so an
editor (e.g. through the YAML language server) completes and checks fields
exactly as ``secbrief check`` does. The schema checks each file's shape;
references between files (ids, names, citations) need ``secbrief check``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from pydantic import BaseModel

from secbrief.core.atomic import atomic_write
from secbrief.model.clients import ClientProfile
from secbrief.model.config import ProjectConfig
from secbrief.model.documents import ActorRegistry, Brief, Incident, PlaceRegistry

# Draft 7: what the YAML language server (and so most editors) implements.
# pydantic's output uses no keyword newer than that; only the name of the
# definitions section differs, and we use draft 7's.
DIALECT = "http://json-schema.org/draft-07/schema#"
DEFAULT_DIR = "docs/schema"

# file name -> (model, what the files are, where they live)
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "incident.schema.json": (Incident, "a secbrief incident: incidents/<year>/<id>.yaml"),
    "brief.schema.json": (Brief, "a secbrief brief: briefs/<id>.yaml"),
    "actors.schema.json": (ActorRegistry, "the secbrief actor registry: incidents/actors.yaml"),
    "places.schema.json": (PlaceRegistry, "the secbrief place registry: incidents/places.yaml"),
    "secbrief.schema.json": (ProjectConfig, "secbrief project settings: secbrief.yaml"),
    "client.schema.json": (ClientProfile, "a secbrief client profile: briefs/clients/<id>.yaml"),
}


def schema_for(model: type[BaseModel], description: str) -> dict:
    schema = model.model_json_schema(by_alias=True, ref_template="#/definitions/{model}")
    if "$defs" in schema:
        schema["definitions"] = schema.pop("$defs")
    if model is Brief:
        schema = _brief_shorthands(schema)
    if model is Incident:
        schema = _one_location(schema)
    title = schema.pop("title", model.__name__)
    return {"$schema": DIALECT, "title": title, **schema, "description": f"Schema for {description}."}


def _brief_shorthands(schema: dict) -> dict:
    """A brief accepts two short forms that its 'before' validators expand and
    that JSON Schema generation cannot see: ``period: 2020-W52`` and an
    implication written as a plain string."""
    schema = copy.deepcopy(schema)
    week = schema["definitions"]["Period"]["properties"]["week"]["anyOf"][0]
    schema["properties"]["period"]["anyOf"].insert(0, {**week, "description": "An ISO week, e.g. 2020-W52."})
    items = schema["properties"]["implications"]["items"]
    schema["properties"]["implications"]["items"] = {
        "anyOf": [{"type": "string", "description": "A Markdown bullet."}, items]}
    return schema


def _one_location(schema: dict) -> dict:
    """An incident has ``location`` or ``locations``, never both and never
    empty (check says SB271): a choice between fields pydantic cannot express."""
    schema = copy.deepcopy(schema)
    for name in ("location", "locations"):
        prop = schema["properties"][name]
        prop.pop("default", None)
        branches = [b for b in prop.pop("anyOf") if b.get("type") != "null"]
        prop.update(branches[0])
    schema["oneOf"] = [{"required": ["location"]}, {"required": ["locations"]}]
    return schema


def schemas() -> dict[str, str]:
    """File name -> JSON text, for every schema."""
    return {name: json.dumps(schema_for(model, description), indent=2, ensure_ascii=False) + "\n"
            for name, (model, description) in SCHEMAS.items()}


def write_schemas(out_dir: Path) -> list[Path]:
    written = []
    for name, text in schemas().items():
        atomic_write(out_dir / name, text.encode("utf-8"))
        written.append(out_dir / name)
    return written
