"""HTML to tagged PDF with WeasyPrint: the only code that imports it, and
only when a PDF is made (the import alone costs about half a second).

typeset renders briefs across processes, confined to the project;
metadata writes the XMP packet and document info; pagefit keeps a PDF from
ending on a nearly empty page; variants names the standards a PDF may
declare. See docs/pdf.md and docs/architecture.md.
"""
