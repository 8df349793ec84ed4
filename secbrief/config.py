"""The project's own settings: ``secbrief.yaml`` at the project root.

Optional; without it every default applies. A brief may override what
the project chooses (a brief's ``yardstick`` beats the project's).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from secbrief.errors import Report
from secbrief.models import Model
from secbrief.project import Project


class ProjectConfig(Model):
    """Settings for a whole secbrief project (secbrief.yaml at its root)."""

    yardstick: Literal["phia", "icd203"] = Field(
        "phia", description="Probability yardstick for key judgements: 'phia' (UK PHIA, the default) "
                            "or 'icd203' (US ICD 203). A brief's own 'yardstick' field overrides it.")


def load_config(project: Project, report: Report, cache=None) -> ProjectConfig:
    """Read secbrief.yaml when there is one; problems go to ``report`` and
    the defaults stand in, so the rest of the project is still checked.
    ``cache``: a parsecache.ParseCache, as for every file of a load."""
    from secbrief.loader import load_file
    from secbrief.schema_errors import validate_model

    path = project.config_path
    if not path.is_file():
        return ProjectConfig()
    doc = load_file(path, project.display(path), report, cache=cache)
    if doc is None:
        return ProjectConfig()
    return validate_model(ProjectConfig, doc, report) or ProjectConfig()
