"""secbrief: security briefs from analysts' YAML, as Markdown, HTML and PDF."""

__version__ = "0.1.0"
