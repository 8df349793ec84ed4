"""Authoring: what helps an analyst write. Skeletons for new incidents and
briefs (`secbrief new`), this week's brief for every client (`secbrief
weekly`), and finding incidents (`secbrief incidents`).

Imports: secbrief.pipeline and below (never the CLI or interop).
See docs/architecture.md.
"""
