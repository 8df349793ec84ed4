"""Resolve: join a validated brief to its incidents, actors, places, sources,
version and page furniture, as a plain view model; weekly styles get the
week's incidents, parties and chart data on top. Templates read only this.

Imports: secbrief.history, secbrief.validate and below. See docs/architecture.md.
"""
