"""Fixed values of the STIX 2.1 export: official TLP 2.0 markings, and how
secbrief's terms become STIX numbers and codes. docs/stix.md prints these
tables; change both together.
"""

from __future__ import annotations

import uuid

from secbrief.core import countries

# uuid5 namespace for every id the export derives from a secbrief id. Never
# change it: ids must stay the same from one export to the next, so that a
# platform updates its copy instead of adding a duplicate.
NAMESPACE = uuid.UUID("24b41380-410d-4ea6-bdda-695d4652c967")

# FIRST TLP 2.0 as STIX 2.1 marking definitions: the objects published by
# the OASIS CTI TC in cti-stix-common-objects
# (extension-definition-specifications/tlp-2.0), reproduced exactly. Their
# ids are fixed by that extension; platforms recognise them by id.
TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP_CREATED = "2022-10-01T00:00:00.000Z"
TLP_MARKING_IDS = {
    "CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}


def tlp_marking(level: str) -> dict:
    """The official marking-definition object for a TLP 2.0 level."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP_MARKING_IDS[level],
        "created": TLP_CREATED,
        "name": f"TLP:{level}",
        "extensions": {TLP_EXTENSION: {"extension_type": "property-extension",
                                       "tlp_2_0": level.lower()}},
    }


# Key-judgement confidence -> STIX confidence (0-100): the "None / Low / Med
# / High" scale of STIX 2.1 Appendix A, whose values are 15, 50 and 85.
CONFIDENCE = {"low": 15, "moderate": 50, "high": 85}

# Location precision -> STIX `precision`, in metres (a radius).
PRECISION_METRES = {"exact": 100.0, "near": 5_000.0, "approximate": 25_000.0, "region": 100_000.0}

# Registry kinds: which become threat actors, and the identity class of the rest.
THREAT_ACTOR_KINDS = ("militia", "armed-group", "umbrella")
IDENTITY_CLASS = {"state": "organization", "organisation": "organization", "person": "individual"}

# Incident roles -> relationship from the incident to the actor.
ROLE_RELATIONSHIP = {
    "perpetrator": ("attributed-to", "perpetrator"),
    "claimed": ("attributed-to", "claimed responsibility"),
    "suspected": ("attributed-to", "suspected; not established"),
    "target": ("targets", "target"),
    "victim": ("targets", "victim"),
    "responder": ("related-to", "responder"),
    "other": ("related-to", "involved"),
}


# STIX wants ISO 3166-1 alpha-2 country codes: secbrief.core.countries
# knows every country (pycountry) and the names ISO spells otherwise; a name
# that is no country's (SB223 warns of it) is passed through as written.
def country_code(name: str) -> str:
    return countries.code(name) or name
