"""Turn pydantic's validation errors into one clear line each.

Messages say what was expected and what was received (as MkDocs does), and
point at the key for unknown fields, at the value otherwise.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from secbrief.core import lookalike
from secbrief.core.dates import WEEK_PATTERN
from secbrief.core.textgrammar import ID_PATTERN
from secbrief.core.diagnostics import Report
from secbrief.load.yamlfile import Document

_FRIENDLY_PATTERNS = {
    "[A-F][1-6]": "an Admiralty grade: reliability A-F then credibility 1-6, e.g. B2",
    ID_PATTERN.strip("^$"): "an id of lowercase letters, digits and single hyphens, e.g. k1-base-rockets",
    "https?://": "an http:// or https:// address",
    "([01]\\d|2[0-3]):[0-5]\\d": "a 24-hour time in quotes, e.g. \"21:00\"",
    WEEK_PATTERN.strip("^$"): "an ISO week such as 2020-W52",
    "[A-Z]{2,4}\\d": "an ACLED event id such as IRQ12345",
    "#[0-9A-Fa-f]{6}": "a colour as #RRGGBB in quotes, e.g. \"#0B3D63\"",
}


def _received(value: Any) -> str:
    if isinstance(value, (list, dict)):  # in words: a repr of parsed YAML helps no analyst
        return f"a list of {len(value)} item(s)" if isinstance(value, list) else "a mapping"
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "...'"


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the field at ``loc`` (for 'did you mean')."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        fields = current.model_fields
        info = fields.get(part) or next((f for f in fields.values() if f.alias == part), None)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation):
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


_YAML_READS_AS = {bool: "true/false", int: "a number", float: "a number"}


def message_for(error: dict, model: type[BaseModel], loc: tuple, written: str | None = None) -> str:
    """One line for one pydantic error; ``written`` is the value's source
    text when YAML read it as something other than text."""
    message = _message(error, model, loc, written)
    if "input" in error and error["input"] is None:
        # A key written without a value, as in a `secbrief new` skeleton.
        message = (message.replace(", but received: None", ", but it is empty")
                   .replace("None is not a valid date", "empty, not a date"))
    return message


def _message(error: dict, model: type[BaseModel], loc: tuple, written: str | None = None) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    field = next((p for p in reversed(loc) if isinstance(p, str)), None)
    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        known = field_names(owner) if owner else []
        close = _suggestion(model, loc)
        hint = f" (did you mean '{close}'?)" if close else (
            f"; expected one of: {', '.join(known)}" if known else "")
        return f"unknown field '{loc[-1]}'{hint}"
    if kind == "missing":
        return f"missing required field '{loc[-1]}'"
    if kind == "literal_error":
        expected = str(ctx.get('expected', '')).replace(' or ', ', ')
        return f"{field}: expected one of: {expected}, but received: {_received(value)}"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{field}: {_received(value)} is not a valid date (expected YYYY-MM-DD, a real calendar day)"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        expected = next((v for k, v in _FRIENDLY_PATTERNS.items() if k in pattern), f"text matching {pattern}")
        odd = lookalike.non_ascii_letter(value) if isinstance(value, str) else None
        hint = f" ({lookalike.describe_letter(odd)})" if odd else ""
        return f"{field}: expected {expected}, but received: {_received(value)}{hint}"
    if kind == "string_too_short":
        return f"{field}: must not be empty"
    if kind == "string_too_long":
        return f"{field}: text is longer than {ctx.get('max_length')} characters"
    if kind == "too_short":
        return f"{field}: needs at least {ctx.get('min_length')} item(s)"
    if kind in ("string_type", "int_type", "float_type") and written is not None and value is not None:
        # `country: NO` is false, `time: 21:00` is 1260 and `killed: yes`
        # is true to YAML 1.1: quote what YAML read, and say how it read it.
        expected = {"string_type": "text", "int_type": "a whole number", "float_type": "a number"}[kind]
        what = _YAML_READS_AS.get(type(value), "a date" if hasattr(value, "isoformat") else "something else")
        hint = f'; put it in quotes: "{written}"' if kind == "string_type" else ""
        return f"{field}: expected {expected}, but YAML reads {written} as {what}{hint}"
    if kind in ("string_type", "int_type", "int_parsing", "float_type", "float_parsing",
                "list_type", "dict_type", "model_type", "model_attributes_type", "bool_type"):
        expected = {"string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
                    "float_type": "a number", "float_parsing": "a number", "list_type": "a list",
                    "dict_type": "a mapping of fields", "model_type": "a mapping of fields",
                    "model_attributes_type": "a mapping of fields", "bool_type": "true or false"}[kind]
        return f"{field or 'file'}: expected {expected}, but received: {_received(value)}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{field}: {error['msg'].lower()}, but received: {_received(value)}"
    if kind == "value_error":
        return f"{field}: {str(ctx.get('error', error['msg']))}"
    return f"{field}: {error['msg']}"


# pydantic error type -> diagnostic code (secbrief/core/codes.py): one code per
# kind of mistake, whatever the file type, so SB100 always means a
# misspelled or unknown field.
_CODES = {
    "extra_forbidden": "SB100", "missing": "SB101", "literal_error": "SB102",
    "string_pattern_mismatch": "SB104", "string_too_short": "SB105", "string_too_long": "SB106",
    "too_short": "SB107",
    "greater_than_equal": "SB109", "less_than_equal": "SB109", "greater_than": "SB109", "less_than": "SB109",
}
_TYPE_ERRORS = ("string_type", "int_type", "int_parsing", "float_type", "float_parsing", "list_type",
                "dict_type", "model_type", "model_attributes_type", "bool_type")


def code_for(error: dict) -> str:
    kind = error["type"]
    if kind == "string_type" and error.get("input", "") is None:
        return "SB105"  # `title:` left empty, as in a `secbrief new` skeleton: an empty text
    loc = error.get("loc", ())
    if kind in ("greater_than_equal", "less_than_equal") and loc and loc[-1] in ("lat", "lon"):
        return "SB280"  # coordinates: the maps' own code (docs/maps.md)
    if kind.startswith(("date", "datetime")):
        return "SB103"
    if kind in _TYPE_ERRORS:
        return "SB108"
    return _CODES.get(kind, "SB110")


def _required_fields(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items() if info.is_required()]


def validate_model(model: type[BaseModel], doc: Document, report: Report):
    """Validate ``doc.data`` against ``model``; report each problem once."""
    if doc.data is None and (required := _required_fields(model)):  # one line, not one per field
        report.add(doc.display, 1, 1, f"file is empty; expected fields such as {', '.join(required[:3])}",
                   code="SB101")
        return None
    try:
        return model.model_validate(doc.data if doc.data is not None else {})
    except ValidationError as exc:
        errors = [(error, _document_loc(error["loc"], doc)) for error in exc.errors(include_url=False)]
        # A misspelled field is one mistake: report "unknown field 'tpye'
        # (did you mean 'type'?)" and not also "missing field 'type'".
        misspelled = {loc[:-1] + (_suggestion(model, loc),) for error, loc in errors
                      if error["type"] == "extra_forbidden"}
        seen: set[tuple] = set()
        for error, loc in errors:
            if error["type"] == "missing" and loc in misspelled:
                continue
            if any(loc[:i] in doc.refused for i in range(len(loc) + 1)) or loc in seen:
                continue
            seen.add(loc)
            is_key = error["type"] == "extra_forbidden"
            line, col = doc.where(loc, key=is_key)
            report.add(doc.display, line, col, message_for(error, model, loc, doc.scalars.get(loc)),
                       code=code_for(error))
        return None


def _suggestion(model: type[BaseModel], loc: tuple) -> str | None:
    owner = _model_at(model, loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), field_names(owner) if owner else [], n=1, cutoff=0.6)
    return close[0] if close else None


_UNION_BRANCHES = {"str", "int", "float", "bool", "date", "datetime", "list", "dict", "none"}


def _document_loc(raw: tuple, doc: Document) -> tuple:
    """pydantic adds union branches ('str', 'function-after[...]') to an
    error's location; keep only the parts that are keys or indexes."""
    loc: tuple = ()
    for index, part in enumerate(raw):
        last = index == len(raw) - 1
        if isinstance(part, str) and ("[" in part or (
                part in _UNION_BRANCHES and not last and loc + (part,) not in doc.values)):
            continue
        loc += (part,)
    return loc
