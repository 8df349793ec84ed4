"""Model: what analysts write, as typed pydantic models (incidents, briefs,
registries, client profiles, secbrief.yaml), pydantic's errors as one clear
line each, the JSON Schema editors use, and the seed documents' anatomy.

Imports: secbrief.load and secbrief.core. See docs/architecture.md.
"""
