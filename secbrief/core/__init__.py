"""The ground floor: what every other layer needs and nothing project-specific
depends on it.

Diagnostics and their codes and output formats, the TLP levels, dates as
briefs print them, where things live in a project, the grammar of analyst
text (ids, names, citations, links), countries (ISO 3166), the probability
yardsticks, atomic file writes, stop signals, work shared with forked
processes, hashes for staleness.

Imports: the standard library and pycountry only; nothing from another
secbrief layer. See docs/architecture.md.
"""
