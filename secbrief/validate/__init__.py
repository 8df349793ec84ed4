"""Validate: every file against its model, then every cross-reference
(actors, places, sources, citations, incidents), the analytic-standards
lint and content-integrity checks, across the whole corpus and in one
round. The result is the Corpus every later step reads.

Imports: secbrief.model, secbrief.load, secbrief.core. See docs/architecture.md.
"""
