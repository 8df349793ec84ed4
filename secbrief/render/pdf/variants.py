"""The standards a brief's PDF may declare (WeasyPrint's names). Every one
is tagged; PDF/UA-1 says so to screen readers' tools, PDF/A-3b to
archives. Kept apart from the renderer so a no-op build can check
--pdf-variant without importing WeasyPrint."""

PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b")
DEFAULT_PDF_VARIANT = "pdf/ua-1"
