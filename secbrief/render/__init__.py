"""Render: a resolved view model through a style's Jinja templates to
Markdown and HTML, analyst Markdown to safe HTML, the house typography, the
weekly chart as SVG, the archive index and Atom feed, and HTML to tagged PDF
with WeasyPrint (imported by render.pdf alone, and only when a PDF is made).

Imports: secbrief.resolve and below. Writes nothing: the pipeline writes.
See docs/architecture.md.
"""
