"""Pipeline: a build from start to end. Decide what is stale, load the
corpus once, render Markdown, HTML and PDF across processes, and write
build/ in one transaction; `secbrief publish` copies the result out under a
TLP ceiling.

Imports: secbrief.render and below. See docs/architecture.md.
"""
