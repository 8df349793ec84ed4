"""The project's own settings: ``secbrief.yaml`` at the project root.

Optional; without it every default applies. A brief may override what
the project chooses (a brief's ``yardstick`` beats the project's).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from secbrief.core.diagnostics import Report
from secbrief.core.project import Project
from secbrief.core.tlp import TLP_LEVELS
from secbrief.load.yamlfile import load_file
from secbrief.model.documents import Model, Slug
from secbrief.model.schema_errors import validate_model


# http(s)://host[/path]/: the archive's folder, so its files resolve below it.
SITE_URL_PATTERN = r"^https?://[^\s/?#]+(/[^\s?#]*)?/$"


# An environment variable's name: what a destination's credentials are read from.
ENV_NAME_PATTERN = r"^[A-Z_][A-Z0-9_]*$"
COLLECTION_URL_PATTERN = r"^https?://[^\s?#]+/collections/[^\s/?#]+/$"


class TaxiiDestination(Model):
    """A TAXII 2.1 collection `secbrief deliver --taxii` pushes briefs to."""

    name: Slug = Field(description="How the delivery log and messages name it, e.g. partner-taxii.")
    collection: str = Field(
        description="The collection's URL: <API root>/collections/<id>/, e.g. "
                    "https://taxii.example.org/api1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/. "
                    "https:// except to this machine (localhost).",
        json_schema_extra={"pattern": COLLECTION_URL_PATTERN})
    tlp_ceiling: Literal[TLP_LEVELS] = Field(  # type: ignore[valid-type]
        description="The most restrictive marking this collection may receive; briefs above it are refused.")
    clients: list[Slug] = Field([], description="Only briefs for these clients (default: every brief "
                                                "that names a client).")
    username_env: Annotated[str, StringConstraints(pattern=ENV_NAME_PATTERN)] | None = Field(
        None, description="The environment variable holding the user name (HTTP basic authentication).")
    password_env: Annotated[str, StringConstraints(pattern=ENV_NAME_PATTERN)] | None = Field(
        None, description="The environment variable holding the password; never the password itself.")

    @field_validator("collection")
    @classmethod
    def _collection(cls, value):
        if not re.fullmatch(COLLECTION_URL_PATTERN, value):
            raise ValueError("expected a TAXII collection URL ending in /collections/<id>/, e.g. "
                             f"https://taxii.example.org/api1/collections/<id>/, but received: '{value}'")
        return value


class ProjectConfig(Model):
    """Settings for a whole secbrief project (secbrief.yaml at its root)."""

    yardstick: Literal["phia", "icd203"] = Field(
        "phia", description="Probability yardstick for key judgements: 'phia' (UK PHIA, the default) "
                            "or 'icd203' (US ICD 203). A brief's own 'yardstick' field overrides it.")
    site_url: str | None = Field(
        None, description="Where the archive is published, e.g. https://briefs.example.org/: an absolute "
                          "http(s) address ending in '/'. build/feed.xml's links are made absolute with it "
                          "(feed readers need them); build/index.html keeps relative links.",
        json_schema_extra={"pattern": SITE_URL_PATTERN, "examples": ["https://briefs.example.org/"]})

    taxii: list[TaxiiDestination] = Field(
        [], description="TAXII 2.1 collections `secbrief deliver --taxii` pushes STIX bundles to "
                        "(docs/delivery.md).")

    @field_validator("site_url")
    @classmethod
    def _site_url(cls, value):
        # A check of its own rather than a bare pattern: the message says
        # which of the three conditions fails.
        if value is not None and not re.fullmatch(SITE_URL_PATTERN, value):
            if not re.match(r"https?://[^\s/?#]", value):
                why = "an absolute http:// or https:// address"
            elif re.search(r"[\s?#]", value):
                why = "an address without spaces, query (?) or fragment (#)"
            else:
                why = "an address ending in '/' (the folder the archive is in)"
            raise ValueError(f"expected {why}, e.g. https://briefs.example.org/, but received: '{value}'")
        return value


def load_config(project: Project, report: Report, cache=None) -> ProjectConfig:
    """Read secbrief.yaml when there is one; problems go to ``report`` and
    the defaults stand in, so the rest of the project is still checked.
    ``cache``: a parsecache.ParseCache, as for every file of a load."""

    path = project.config_path
    if not path.is_file():
        return ProjectConfig()
    doc = load_file(path, project.display(path), report, cache=cache)
    if doc is None:
        return ProjectConfig()
    return validate_model(ProjectConfig, doc, report) or ProjectConfig()
