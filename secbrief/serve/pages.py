"""What the preview adds to a page as it is served, and the diagnostics
the page's overlay shows.

The built HTML is never changed on disk: one ``<script>`` element, a
same-origin file (so it passes a Content-Security-Policy that forbids
inline scripts), is inserted into the bytes sent. It names the page and
the version of its render, so a page opened just before a change still
learns of it.

The diagnostics go to the page as JSON that the script inserts as text:
every value went through ``shown`` first (control characters and bidi
overrides visible as ``\\x1b``, ``\\u202e``), then JSON's own escapes
(``safe_json``).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import quote

from secbrief.core.diagnostics import ERROR, Diagnostic, UsageError, safe_json, shown

SCRIPT_PATH = "/_serve/live.js"
STYLE_PATH = "/_serve/live.css"
EVENTS_PATH = "/_serve/events"
DIAGNOSTICS_PATH = "/_serve/diagnostics.json"
DEFAULT_EDITOR_URL = "file://{path}"
# Schemes a link may never have: they run code in the page, not an editor.
_UNSAFE_SCHEMES = ("javascript", "data", "vbscript", "blob", "filesystem")
_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


class EditorLinks:
    """The link of each diagnostic: ``template`` with ``{path}`` (absolute,
    percent-encoded), ``{line}`` and ``{col}`` (1 when unknown) filled in,
    e.g. ``vscode://file/{path}:{line}:{col}``."""

    def __init__(self, template: str, root: Path):
        scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", template)
        if "{path}" not in template or not scheme or scheme.group(1).lower() in _UNSAFE_SCHEMES:
            raise UsageError(f"--editor-url: expected a URL with {{path}} (and {{line}}, {{col}}) whose scheme "
                             f"opens an editor, e.g. 'vscode://file/{{path}}:{{line}}:{{col}}', "
                             f"but received: '{template}'")
        self.template = template
        self.root = root

    def href(self, diagnostic: Diagnostic) -> str | None:
        if not diagnostic.path:
            return None
        path = Path(diagnostic.path)
        path = path if path.is_absolute() else self.root / path
        return (self.template.replace("{path}", quote(path.as_posix(), safe="/"))
                .replace("{line}", str(diagnostic.line or 1)).replace("{col}", str(diagnostic.col or 1)))


def place(diagnostic: Diagnostic) -> str:
    """``path:line:col`` (line and column left out when not known), as shown."""
    where = diagnostic.path
    if diagnostic.line:
        where += f":{diagnostic.line}" + (f":{diagnostic.col}" if diagnostic.col else "")
    return shown(where)


def diagnostics_json(diagnostics: list[Diagnostic], links: EditorLinks, rendered: bool,
                     private: bool = True) -> bytes:
    """The overlay's data. ``rendered``: the pages show a render (else they
    wait for the first good one). Not ``private`` (served beyond this
    machine): counts only, as a message may quote any file's text."""
    errors = sum(d.severity == ERROR for d in diagnostics)
    data = {"errors": errors, "warnings": len(diagnostics) - errors, "rendered": rendered, "diagnostics": []}
    if private:
        data["diagnostics"] = [{"place": place(d), "message": shown(d.message), "severity": d.severity,
                                "code": d.code, "href": links.href(d)} for d in diagnostics]
    return safe_json(json.dumps(data, ensure_ascii=False)).encode()


def script_tag(key: str, version: str, pdf: str | None) -> bytes:
    attrs = {"data-page": key, "data-version": version}
    if pdf:
        attrs["data-pdf"] = pdf
    shown_attrs = "".join(f' {name}="{html.escape(value)}"' for name, value in attrs.items())
    return f'<script src="{SCRIPT_PATH}"{shown_attrs} defer></script>\n'.encode()


def inject(page: bytes, key: str, version: str, pdf: str | None = None) -> bytes:
    """``page`` with the preview's script, before ``</head>`` (else before
    ``</body>``, else at the end)."""
    tag = script_tag(key, version, pdf)
    for pattern in (_HEAD_END, _BODY_END):
        match = pattern.search(page)
        if match:
            return page[:match.start()] + tag + page[match.start():]
    return page + tag


def placeholder(key: str, version: str) -> bytes:
    """The page of a brief (or the archive) before its first good render:
    the overlay lists what stands in the way."""
    return inject(b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                  b'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                  b'<title>Not rendered yet</title>\n</head>\n<body>\n<main>\n<h1>Not rendered yet</h1>\n'
                  b'<p>The project has errors, listed below and in the terminal where <code>secbrief serve</code> '
                  b'runs. This page shows the brief as soon as they are fixed.</p>\n</main>\n</body>\n</html>\n',
                  key, version)
