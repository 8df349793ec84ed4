"""Diagnostics as text (editors, terminals), JSON (scripts) or SARIF 2.1.0
(code-scanning dashboards such as GitHub's). All three carry the path and
message through ``shown``: the same escaped text."""

from __future__ import annotations

import json

from secbrief import __version__
from secbrief.core.codes import CODES
from secbrief.core.diagnostics import ERROR, NOTE, WARNING, Diagnostic, shown

FORMATS = ("text", "json", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
DOCS = "docs/diagnostics.md"


def format_diagnostics(diagnostics: list[Diagnostic], fmt: str) -> str:
    return {"text": _as_text, "json": _as_json, "sarif": _as_sarif}[fmt](diagnostics)


def _as_text(diagnostics: list[Diagnostic]) -> str:
    return "".join(f"{d}\n" for d in diagnostics)


def _as_json(diagnostics: list[Diagnostic]) -> str:
    data = {
        "diagnostics": [{"path": shown(d.path), "line": d.line, "column": d.col, "severity": d.severity,
                         "code": d.code, "message": shown(d.message)} for d in diagnostics],
        "errors": sum(d.severity == ERROR for d in diagnostics),
        "warnings": sum(d.severity == WARNING for d in diagnostics),
        "notes": sum(d.severity == NOTE for d in diagnostics),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _as_sarif(diagnostics: list[Diagnostic]) -> str:
    # Every rule is listed, not only those that fired, so a rule keeps its
    # index from run to run and a dashboard can describe a fixed problem.
    rule_ids = list(CODES)
    rules = [{
        "id": code.code,
        "name": code.name,
        "shortDescription": {"text": code.summary},
        "fullDescription": {"text": f"{code.summary} See {DOCS}#{code.code.lower()}."},
        "help": {"text": f"{code.summary} Every code is explained, with an example, in {DOCS}."},
        "defaultConfiguration": {"level": _level(code.severity)},
    } for code in CODES.values()]
    results = [{
        "ruleId": d.code,
        "ruleIndex": rule_ids.index(d.code) if d.code in CODES else -1,
        "level": _level(d.severity),
        "message": {"text": shown(d.message)},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": shown(d.path.replace("\\", "/")), "uriBaseId": "%SRCROOT%"},
            **_region(d),
        }}],
    } for d in diagnostics]
    for result in results:
        if result["ruleIndex"] == -1:
            del result["ruleIndex"]
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "secbrief", "version": __version__, "semanticVersion": __version__,
                                "rules": rules}},
            # Columns count characters, as the YAML parser does, not UTF-16 units.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


def _region(d: Diagnostic) -> dict:
    """Line and column where known (0: not known, which SARIF cannot say)."""
    region = {"startLine": d.line} if d.line else {}
    if d.line and d.col:
        region["startColumn"] = d.col
    return {"region": region} if region else {}


def _level(severity: str) -> str:
    return {ERROR: "error", NOTE: "note"}.get(severity, "warning")
