"""Interop: data in from and out to other tools. ACLED exports become
incident files; a brief becomes a STIX 2.1 bundle.

Imports: secbrief.pipeline and below (never the CLI or authoring).
See docs/architecture.md.
"""
