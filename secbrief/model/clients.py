"""Client profiles: who receives weekly briefs, about what, how marked and branded.

One YAML file per client in ``briefs/clients/<client-id>.yaml`` (the file
name is the id a brief's ``client:`` field names). A profile says which
incidents are in the client's scope, which series and style its briefs
belong to, the most restrictive TLP marking it may receive, and its
branding. secbrief.validate.clients checks each against the corpus and
answers which incidents are in a client's scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from secbrief.core.project import Project
from secbrief.core.tlp import TLP_LEVELS
from secbrief.load.yamlfile import Document
from secbrief.model.documents import INCIDENT_TYPES, Model, Slug, Text

CLIENTS_FOLDER = "clients"
DEFAULT_STYLE = "weekly-brief"
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]


class Scope(Model):
    """Which incidents a client receives. ``countries`` and ``regions`` add up
    to the client's area; ``types`` and ``tags`` then narrow it down."""

    countries: list[Text] = Field([], description="Country names; a country's names match one another "
                                                  "(Turkey, Türkiye).")
    regions: list[Text] = Field([], description="Provinces or governorates (a location's admin1), "
                                                "e.g. Erbil; in scope whatever the country list says.")
    types: list[Literal[INCIDENT_TYPES]] = Field(  # type: ignore[valid-type]
        [], description="Incident types the client wants; empty means every type.")
    tags: list[Slug] = Field([], description="An incident needs at least one of these tags; empty means any.")

    @model_validator(mode="after")
    def _has_an_area(self):
        if not (self.countries or self.regions):
            raise ValueError("a scope needs at least one country or region")
        return self


class Branding(Model):
    display_name: Text = Field(description="The client's name as printed on its briefs.")
    logo: Text | None = Field(None, description="Image file relative to the profile, inside the project: "
                                                ".svg, .png or .jpg.")
    accent: Colour = Field("#0B3D63", description="Accent colour as #RRGGBB: headings, rules, chart frame.")


class Recipient(Model):
    """One person or mailbox on a client's distribution list."""

    email: Text = Field(description="A plain address, e.g. security@tworivers.example.com "
                                    "(no display name: that is `name`).")
    name: Text = Field(description="Who it is, e.g. \"Head of security\"; the email's To: name.")
    tlp: Literal[TLP_LEVELS] | None = Field(  # type: ignore[valid-type]
        None, description="The most restrictive marking this recipient may receive; default: the "
                          "client's tlp_ceiling (never above it).")
    certificate: Text | None = Field(
        None, description="The recipient's S/MIME certificate (PEM), relative to the profile, inside "
                          "the project: AMBER-and-above emails to them are encrypted with it.")


class ClientProfile(Model):
    """One client: scope, series, style, TLP ceiling and branding."""

    name: Text = Field(description="The client's full name, e.g. its legal name.")
    scope: Scope
    series: Text = Field(description="The series its weekly briefs are numbered in.")
    style: Slug = Field(DEFAULT_STYLE, description="The style its weekly briefs use (a folder in templates/).")
    publisher: Text | None = Field(None, description="Who writes its briefs (the brief's `publisher`).")
    tlp_ceiling: Literal[TLP_LEVELS] = Field(  # type: ignore[valid-type]
        description="The most restrictive TLP marking a brief for this client may carry.")
    tlp: Literal[TLP_LEVELS] | None = Field(  # type: ignore[valid-type]
        None, description="The marking `secbrief weekly` gives its briefs; defaults to the ceiling.")
    branding: Branding
    distribution: Text | None = Field(
        None, description="Who may read its briefs, printed in every page's footer, "
                          "e.g. \"Two Rivers Freight security team\"; without it the footer "
                          "gives the TLP marking's own sharing rule.")

    domains: list[Text] = Field(
        [], description="The client organisation's own mail domains, e.g. [tworivers.example.com]: "
                        "TLP:AMBER+STRICT briefs go only to addresses in one of them (exactly: a "
                        "subdomain only when listed itself).")
    recipients: list[Recipient] = Field(
        [], description="Who receives its briefs by email (`secbrief deliver`); see docs/delivery.md.")
    smime: Literal["off", "sign", "sign-and-encrypt"] = Field(
        "off", description="S/MIME for its TLP:AMBER-and-above emails: off (default), sign (with the "
                           "sender key named by the environment) or sign-and-encrypt (also to each "
                           "recipient's certificate).")

    @property
    def weekly_tlp(self) -> str:
        return self.tlp or self.tlp_ceiling


@dataclass
class Client:
    id: str
    profile: ClientProfile
    doc: Document

    def recipient_ceiling(self, recipient: Recipient) -> str:
        return recipient.tlp or self.profile.tlp_ceiling

    def certificate_path(self, recipient: Recipient) -> Path | None:
        return self.doc.path.parent / recipient.certificate if recipient.certificate else None

    @property
    def logo_path(self) -> Path | None:
        logo = self.profile.branding.logo
        return self.doc.path.parent / logo if logo else None


def clients_dir(project: Project) -> Path:
    return project.briefs_dir / CLIENTS_FOLDER


def client_paths(project: Project) -> list[Path]:
    folder = clients_dir(project)
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


# --- loading and checks ------------------------------------------------------


# --- scope --------------------------------------------------------------------

